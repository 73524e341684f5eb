// The dataset toolbar's controls: search (keyword, semantic, concept), filter pills, sort
// and compare. Each writes the URL's view state; nothing here fetches rows itself.
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/client";
import { FILTER_OPS, type ConceptInfo, type DatasetManifest, type Filter, type FilterOp, type Search, type SearchType } from "../api/types";
import { formatCount, formatValue, isTextType, type Leaf } from "../lib/schema";
import { PathSelect, Popover } from "./ui";

const OP_LABELS: Record<FilterOp, string> = {
  equals: "=",
  not_equal: "≠",
  greater: ">",
  greater_equal: "≥",
  less: "<",
  less_equal: "≤",
  in: "in",
  exists: "exists",
  not_exists: "is empty",
  regex_matches: "matches",
  not_regex_matches: "doesn't match",
  length_longer: "longer than",
  length_shorter: "shorter than",
  ilike: "contains",
};
const NO_VALUE_OPS: FilterOp[] = ["exists", "not_exists"];

export function filterText(filter: Filter): string {
  const op = OP_LABELS[filter.op] ?? filter.op;
  if (NO_VALUE_OPS.includes(filter.op)) return `${filter.path} ${op}`;
  // A lasso on the map makes an `in` filter of thousands of row ids: the pill names a few.
  const many = Array.isArray(filter.value) && filter.value.length > 5;
  const value = Array.isArray(filter.value) ? filter.value.slice(0, many ? 3 : undefined).map(formatValue).join(", ") + (many ? ` … (${formatCount(filter.value.length)} values)` : "") : formatValue(filter.value);
  return `${filter.path} ${op} ${value}`;
}

export function searchText(search: Search): string {
  if (search.type === "concept") return `${search.path} ~ concept ${search.concept_namespace}/${search.concept_name}`;
  return `${search.path} ${search.type === "keyword" ? "has" : "≈"} “${search.query}”`;
}

/** The typed value of a filter from the text a user wrote. */
export function parseFilterValue(op: FilterOp, text: string, dtype: string): unknown {
  if (op === "in") return text.split(",").map((part) => parseFilterValue("equals", part.trim(), dtype));
  if (op === "length_longer" || op === "length_shorter") return Math.max(0, Math.round(Number(text)));
  if (isTextType(dtype) || dtype.startsWith("list<str")) return text;
  if (dtype === "boolean" || dtype === "bool") return text.trim().toLowerCase() === "true";
  if (text.trim() !== "" && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

export function FilterPills(props: {
  filters: Filter[];
  searches: Search[];
  /** The filter the server refused (marked, so the user sees which one to fix). */
  invalidFilter?: number | null;
  onRemoveFilter: (index: number) => void;
  onRemoveSearch: (index: number) => void;
}) {
  return (
    <>
      {props.searches.map((search, i) => (
        <span key={`s${i}`} class="pill search-pill" data-testid="search-pill">
          <span class="pill-kind">{search.type}</span>
          {searchText(search)}
          <button class="pill-x" aria-label={`Remove search ${searchText(search)}`} onClick={() => props.onRemoveSearch(i)}>
            ×
          </button>
        </span>
      ))}
      {props.filters.map((filter, i) => (
        <span key={`f${i}`} class={`pill${props.invalidFilter === i ? " invalid" : ""}`} data-testid="filter-pill" data-index={i} aria-invalid={props.invalidFilter === i ? "true" : undefined}>
          {filterText(filter)}
          <button class="pill-x" aria-label={`Remove filter ${filterText(filter)}`} onClick={() => props.onRemoveFilter(i)}>
            ×
          </button>
        </span>
      ))}
    </>
  );
}

export function AddFilter(props: { leaves: Leaf[]; onAdd: (filter: Filter) => void }) {
  const [path, setPath] = useState(props.leaves[0]?.path ?? "");
  const [op, setOp] = useState<FilterOp>("equals");
  const [value, setValue] = useState("");
  const leaf = props.leaves.find((l) => l.path === path);
  return (
    <Popover label="+ Filter" class="btn ghost small" title="Add a filter">
      {(close) => (
        <form
          class="popover-form"
          aria-label="Add a filter"
          onSubmit={(event) => {
            event.preventDefault();
            const filter: Filter = { path, op };
            if (!NO_VALUE_OPS.includes(op)) filter.value = parseFilterValue(op, value, leaf?.dtype ?? "string");
            props.onAdd(filter);
            setValue("");
            close();
          }}
        >
          <label class="field">
            <span>Field</span>
            <select class="input" name="path" value={path} onChange={(e) => setPath(e.currentTarget.value)}>
              {[{ path: "__rowid__", dtype: "int64" }, ...props.leaves].map((l) => (
                <option key={l.path} value={l.path}>
                  {l.path} ({l.dtype})
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Condition</span>
            <select class="input" name="op" value={op} onChange={(e) => setOp(e.currentTarget.value as FilterOp)}>
              {FILTER_OPS.map((o) => (
                <option key={o} value={o}>
                  {OP_LABELS[o]}
                </option>
              ))}
            </select>
          </label>
          {!NO_VALUE_OPS.includes(op) && (
            <label class="field">
              <span>Value{op === "in" ? "s (comma-separated)" : ""}</span>
              <input class="input" name="value" value={value} autoFocus onInput={(e) => setValue(e.currentTarget.value)} />
            </label>
          )}
          <div class="actions-row">
            <button class="btn primary small" type="submit" disabled={!path}>
              Add filter
            </button>
          </div>
        </form>
      )}
    </Popover>
  );
}

/** Embeddings computed for a path, from the derived columns' lineage. */
export function embeddingsFor(manifest: DatasetManifest, path: string): string[] {
  return manifest.derived_columns
    .filter((c) => c.lineage.kind === "embedding" && c.lineage.input_path === path)
    .map((c) => String(c.lineage.params?.embedding ?? c.lineage.producer));
}

export function SearchBar(props: {
  manifest: DatasetManifest;
  textLeaves: Leaf[];
  defaultPath: string | null;
  onSearch: (search: Search) => void;
  /** Offered when a semantic or concept search lacks its embedding (absent when read-only). */
  onComputeEmbedding?: (path: string) => void;
}) {
  const [chosenPath, setPath] = useState<string | null>(null);
  // Until the user picks a field, search the one the row list previews first.
  const path = chosenPath ?? props.defaultPath ?? props.textLeaves[0]?.path ?? "";
  const [type, setType] = useState<SearchType>("keyword");
  const [query, setQuery] = useState("");
  const [concepts, setConcepts] = useState<ConceptInfo[] | null>(null);
  const [concept, setConcept] = useState("");
  const embeddings = embeddingsFor(props.manifest, path);
  useEffect(() => {
    if (type !== "concept" || concepts) return;
    getJson<{ concepts: ConceptInfo[] }>("/concepts")
      .then((r) => {
        setConcepts(r.concepts);
        if (r.concepts[0]) setConcept(`${r.concepts[0].namespace}/${r.concepts[0].name}`);
      })
      .catch(() => setConcepts([]));
  }, [type]);
  const needsEmbedding = type !== "keyword" && embeddings.length === 0;
  // A search that cannot work is not offered: it would only come back as an error.
  const ready = !needsEmbedding && (type === "concept" ? !!concept : query.trim() !== "");
  const submit = (event: Event) => {
    event.preventDefault();
    const embedding = embeddings[0] ?? "minilm";
    if (type === "keyword" && query.trim()) props.onSearch({ type, path, query: query.trim() });
    else if (type === "semantic" && query.trim()) props.onSearch({ type, path, query: query.trim(), embedding });
    else if (type === "concept" && concept) {
      const [concept_namespace, concept_name] = concept.split("/");
      props.onSearch({ type, path, concept_namespace, concept_name, embedding });
    }
    setQuery("");
  };
  if (props.textLeaves.length === 0) {
    return (
      <div class="search-bar">
        <input class="input seg grow" disabled placeholder="No text column to search (searches need a text field, not a list)" />
      </div>
    );
  }
  return (
    <form class="search-bar" role="search" onSubmit={submit}>
      <select class="input seg" aria-label="Search type" value={type} onChange={(e) => setType(e.currentTarget.value as SearchType)}>
        <option value="keyword">Keyword</option>
        <option value="semantic">Semantic</option>
        <option value="concept">Concept</option>
      </select>
      <PathSelect class="input seg" label="Search field" leaves={props.textLeaves} value={path} onChange={setPath} />
      {type === "concept" ? (
        <select class="input seg grow" aria-label="Concept" value={concept} onChange={(e) => setConcept(e.currentTarget.value)}>
          {(concepts ?? []).map((c) => (
            <option key={`${c.namespace}/${c.name}`} value={`${c.namespace}/${c.name}`}>
              {c.namespace}/{c.name}
            </option>
          ))}
        </select>
      ) : (
        <input
          class="input seg grow"
          type="search"
          name="q"
          aria-label="Search query"
          placeholder={type === "keyword" ? `Search ${path || "text"}…` : `Find text like…`}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      )}
      <button class="btn seg" type="submit" disabled={!ready} title={needsEmbedding ? `Compute an embedding of ${path} first (Enrich)` : "Search"}>
        Search
      </button>
      {needsEmbedding && props.onComputeEmbedding && (
        <button class="btn ghost small" type="button" onClick={() => props.onComputeEmbedding!(path)}>
          Compute embedding
        </button>
      )}
    </form>
  );
}

export function SortControl(props: { leaves: Leaf[]; sortBy: string | null; sortOrder: "ASC" | "DESC"; searching: boolean; onChange: (by: string | null, order: "ASC" | "DESC") => void }) {
  return (
    <div class="sort-control">
      <select class="input small" aria-label="Sort by" value={props.sortBy ?? ""} onChange={(e) => props.onChange(e.currentTarget.value || null, props.sortOrder)}>
        <option value="">{props.searching ? "Sort: relevance" : "Sort: row order"}</option>
        {[{ path: "__rowid__" }, ...props.leaves].map((l) => (
          <option key={l.path} value={l.path}>
            Sort: {l.path}
          </option>
        ))}
      </select>
      <button
        class="btn ghost small"
        aria-label={props.sortOrder === "ASC" ? "Ascending" : "Descending"}
        title={props.sortOrder === "ASC" ? "Ascending (click for descending)" : "Descending (click for ascending)"}
        disabled={!props.sortBy}
        onClick={() => props.onChange(props.sortBy, props.sortOrder === "ASC" ? "DESC" : "ASC")}
      >
        {props.sortOrder === "ASC" ? "↑" : "↓"}
      </button>
    </div>
  );
}

export function CompareControl(props: { textLeaves: Leaf[]; compare: [string, string] | null; onChange: (compare: [string, string] | null) => void }) {
  const [left, setLeft] = useState(props.compare?.[0] ?? props.textLeaves[0]?.path ?? "");
  const [right, setRight] = useState(props.compare?.[1] ?? props.textLeaves[1]?.path ?? props.textLeaves[0]?.path ?? "");
  return (
    <Popover label={props.compare ? "Comparing" : "Compare"} class={`btn small ${props.compare ? "active" : "ghost"}`} title="Compare two text fields with a word diff" align="right">
      {(close) => (
        <form
          class="popover-form"
          aria-label="Compare fields"
          onSubmit={(event) => {
            event.preventDefault();
            props.onChange([left, right]);
            close();
          }}
        >
          <label class="field">
            <span>Compare</span>
            <PathSelect name="left" label="Left field" leaves={props.textLeaves} value={left} onChange={setLeft} />
          </label>
          <label class="field">
            <span>to</span>
            <PathSelect name="right" label="Right field" leaves={props.textLeaves} value={right} onChange={setRight} />
          </label>
          <div class="actions-row">
            {props.compare && (
              <button
                type="button"
                class="btn ghost small"
                onClick={() => {
                  props.onChange(null);
                  close();
                }}
              >
                Stop comparing
              </button>
            )}
            <button class="btn primary small" type="submit" disabled={!left || !right || left === right}>
              Show diff
            </button>
          </div>
        </form>
      )}
    </Popover>
  );
}
