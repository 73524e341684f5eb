// The dataset's conversation insights (issue 15): a clustered facet's hierarchy as a drill-down
// tree with counts and summaries, its 2-D map coloured by top-level cluster, the selected
// cluster's conversations as chat turns, and the numeric facets as histograms. Selecting a node
// (in the tree, the legend or by clicking a point) filters the rows to its conversations; a bar
// filters them by its value. Without stored insights it offers to compute them (LLM-free).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { computeClio, fetchClioFacet, listClio, type ClioFacetView, type ClioList, type ClioViewNode } from "../api/clio";
import { getJson } from "../api/client";
import type { DatasetManifest, Filter } from "../api/types";
import { ancestry, conversationFields, facetSpec, nodeFilter, nodesById, parseFacetSpec, rootOfPoints, selectedNode, subtree, valueFilter, withoutNodeFilter } from "../lib/clio";
import type { Coloring } from "../lib/mapColors";
import { formatCount, ROWID } from "../lib/schema";
import { isActive, trackJob, useJobs, whenFinished } from "../state/jobs";
import { ClioConversations, ClioHistogram } from "./ClioConversations";
import { ClioBreadcrumb, ClioTree } from "./ClioTree";
import { MapCanvas } from "./MapCanvas";
import { MapLegend } from "./MapLegend";
import { attempt, ErrorBox, ProgressBar, toast } from "./ui";
import "../clio.css";

interface Props {
  base: string;
  /** "namespace/name", as jobs name their dataset. */
  dataset: string;
  manifest: DatasetManifest;
  filters: Filter[];
  version: number;
  readOnly: boolean;
  /** The facet shown: "" = the first clustered one, else "column|facet". */
  spec: string;
  onSpec: (spec: string) => void;
  onFilters: (filters: Filter[]) => void;
  onOpenRow: (rowid: number) => void;
  onShowRows: () => void;
}

export function ClioView(props: Props) {
  const [list, setList] = useState<ClioList | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [view, setView] = useState<ClioFacetView | null>(null);
  const [viewError, setViewError] = useState<unknown>(null);
  const [preferred, setPreferred] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const { jobs } = useJobs();
  const running = jobs.find((job) => job.kind === "clio" && job.dataset === props.dataset && isActive(job));

  useEffect(() => {
    let live = true;
    listClio(props.base)
      .then((found) => {
        if (!live) return;
        setList(found);
        setListError(null);
      })
      .catch((caught: unknown) => live && setListError(caught));
    return () => {
      live = false;
    };
  }, [props.base, props.version, reload]);

  const choices = useMemo(() => (list?.columns ?? []).flatMap((c) => c.facets.filter((f) => f.clustered).map((f) => ({ column: c, facet: f }))), [list]);
  const wanted = parseFacetSpec(props.spec);
  const chosen = choices.find((c) => wanted !== null && c.column.column === wanted.column && c.facet.name === wanted.facet) ?? choices[0] ?? null;
  const chosenColumn = chosen?.column.column ?? null;
  const chosenFacet = chosen?.facet.name ?? null;

  useEffect(() => {
    if (chosenColumn === null || chosenFacet === null) return undefined;
    let live = true;
    setViewError(null);
    fetchClioFacet(props.base, chosenColumn, chosenFacet)
      .then((found) => live && setView(found))
      .catch((caught: unknown) => live && setViewError(caught));
    return () => {
      live = false;
    };
  }, [props.base, chosenColumn, chosenFacet, props.version, reload]);

  const shown = view && view.column === chosenColumn && view.facet === chosenFacet ? view : null;
  const byId = useMemo(() => (shown ? nodesById(shown) : new Map<string, ClioViewNode>()), [shown]);
  const selected = shown ? selectedNode(shown, props.filters, preferred) : null;
  const coloring = useMemo<Coloring>(
    () => (shown ? { kind: "categorical", categories: shown.roots.map((id) => byId.get(id)?.name ?? id), values: rootOfPoints(shown) } : { kind: "none" }),
    [shown, byId],
  );
  const included = useMemo(() => {
    if (!shown || !selected) return null;
    const under = subtree(byId, selected.id);
    return shown.points.node.map((id) => id !== null && under.has(id));
  }, [shown, byId, selected?.id]);

  // A selection that came with the URL's filters (a link, the tab reopened) opens its ancestors
  // once; after that the user may fold them again.
  const selectedId = selected?.id ?? null;
  const openedFor = useRef<string | null>(null);
  useEffect(() => {
    if (selectedId === null || openedFor.current === selectedId || !byId.has(selectedId)) return;
    openedFor.current = selectedId;
    const above = ancestry(byId, selectedId).slice(0, -1);
    setExpanded((was) => new Set([...was, ...above.map((n) => n.id)]));
  }, [selectedId, byId]);

  const select = (node: ClioViewNode | null) => {
    if (!shown) return;
    setPreferred(node?.id ?? null);
    if (node) setExpanded((was) => new Set([...was, ...ancestry(byId, node.id).map((n) => n.id)]));
    const others = withoutNodeFilter(shown, props.filters);
    props.onFilters(node ? [...others, nodeFilter(shown, node)] : others);
  };
  // As on the Map tab: the rows inside a lasso become a row-id filter, replacing an earlier one.
  const onLasso = (indices: number[]) => {
    if (!shown) return;
    if (indices.length === 0) {
      toast("No points inside the lasso");
      return;
    }
    const rowids = indices.map((i) => shown.points.rowid[i]).sort((a, b) => a - b);
    const others = props.filters.filter((f) => !(f.path === ROWID && f.op === "in"));
    props.onFilters([...others, { path: ROWID, op: "in", value: rowids }]);
    toast(`Filtered the rows to the ${formatCount(rowids.length)} ${rowids.length === 1 ? "conversation" : "conversations"} in the lasso`);
  };
  const toggle = (id: string) =>
    setExpanded((was) => {
      const next = new Set(was);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const histograms = chosen ? chosen.column.facets.filter((f) => f.numeric !== null && chosen.column.histograms[f.name]) : [];
  const activeValue = (path: string): number | null => {
    const found = props.filters.find((f) => f.path === path && f.op === "equals");
    return found && typeof found.value === "number" ? found.value : null;
  };
  const onBar = (key: string, value: number) => {
    if (!chosen) return;
    const filter = valueFilter(chosen.column.column, key, value);
    const others = props.filters.filter((f) => !(f.path === filter.path && f.op === "equals"));
    props.onFilters(activeValue(filter.path) === value ? others : [...others, filter]);
  };

  const progress = running && (
    <div class="map-running" data-testid="clio-running">
      <span class="small">Computing conversation insights… {running.message ?? ""}</span>
      <ProgressBar value={running.progress} total={running.total} status={running.status} />
    </div>
  );

  if (listError) return <div class="clio-view map-empty"><ErrorBox error={listError} /></div>;
  if (list === null) return <div class="clio-view map-empty muted">Loading the insights…</div>;
  if (!chosen) {
    return (
      <div class="clio-view map-empty" data-testid="clio-empty">
        <div class="map-empty-box">
          <h2>No conversation insights yet</h2>
          <p class="muted">
            Insights read each conversation (what the user asked, the language, the task, how concerning it is), group similar ones into named clusters
            and arrange the clusters into a hierarchy and a map — the way OpenClio does.
          </p>
          {progress}
          {!props.readOnly && <ComputeForm {...props} disabled={!!running} onDone={() => setReload((r) => r + 1)} />}
        </div>
      </div>
    );
  }

  return (
    <div class="clio-view" data-testid="clio-view">
      <div class="map-bar clio-bar">
        <select class="input small" aria-label="Facet" value={facetSpec(chosen.column.column, chosen.facet.name)} onChange={(e) => props.onSpec(e.currentTarget.value)}>
          {choices.map((c) => (
            <option key={facetSpec(c.column.column, c.facet.name)} value={facetSpec(c.column.column, c.facet.name)}>
              {c.facet.name} of {c.column.path}
              {list.columns.length > 1 ? ` (${c.column.column})` : ""}
            </option>
          ))}
        </select>
        <span class="muted small" data-testid="clio-summary">
          {formatCount(chosen.column.conversations)} conversations · {chosen.column.mode === "llm" ? "named by an LLM" : "LLM-free (extracted facets, keyphrase names)"}
          {shown && shown.folded > 0 && ` · ${formatCount(shown.folded)} clusters of fewer than ${shown.min_conversations} conversations folded into “Other”`}
        </span>
      </div>
      {progress}
      <ErrorBox error={viewError} />
      <div class="clio-body">
        <aside class="clio-side">
          {shown ? (
            <>
              <ClioBreadcrumb view={shown} selected={selected} onSelect={select} />
              <ClioTree view={shown} selected={selected} expanded={expanded} onToggle={toggle} onSelect={select} />
            </>
          ) : (
            !viewError && <p class="muted small clio-pad">Loading the hierarchy…</p>
          )}
          {histograms.map((facet) => (
            <ClioHistogram
              key={facet.name}
              facet={facet.name}
              bars={chosen.column.histograms[facet.name]}
              active={activeValue(`${chosen.column.column}.${facet.key}`)}
              onBar={(value) => onBar(facet.key, value)}
            />
          ))}
        </aside>
        <div class="clio-main">
          <div class="map-stage clio-map">
            {shown && (
              <>
                <MapCanvas
                  x={shown.points.x}
                  y={shown.points.y}
                  coloring={coloring}
                  included={included}
                  label={`Map of ${shown.facet}: ${formatCount(shown.points.rowid.length)} conversations`}
                  onLasso={onLasso}
                  onClick={(index) => {
                    const id = shown.points.node[index];
                    const node = id !== null ? byId.get(id) : undefined;
                    if (node) select(node);
                  }}
                  renderTooltip={(index) => {
                    const id = shown.points.node[index];
                    return (
                      <div class="small">
                        {id !== null ? ancestry(byId, id).map((n) => n.name).join(" › ") : "in no shown cluster"}
                        <div class="muted">row {shown.points.rowid[index]} · click to select its cluster</div>
                      </div>
                    );
                  }}
                />
                <MapLegend
                  title="Top-level clusters"
                  coloring={coloring}
                  active={selected && selected.parent === null ? shown.roots.indexOf(selected.id) : undefined}
                  onCategory={(index) => {
                    const node = index !== null ? byId.get(shown.roots[index]) : undefined;
                    if (node) select(selected?.id === node.id ? null : node);
                  }}
                />
              </>
            )}
          </div>
          {shown && selected ? (
            <ClioConversations
              base={props.base}
              path={chosen.column.path}
              filter={nodeFilter(shown, selected)}
              title={selected.name}
              size={selected.size}
              version={props.version}
              onOpenRow={props.onOpenRow}
              onShowRows={props.onShowRows}
            />
          ) : (
            <p class="muted small clio-pad">Select a cluster (in the tree, the legend or on the map) to read its conversations and filter the rows to them.</p>
          )}
        </div>
      </div>
    </div>
  );
}

/** Pick the column of chats and an embedding, and start the LLM-free run. */
function ComputeForm(props: Props & { disabled: boolean; onDone: () => void }) {
  const fields = useMemo(() => conversationFields(props.manifest), [props.manifest]);
  const [path, setPath] = useState(fields[0] ?? "");
  const [embeddings, setEmbeddings] = useState<{ embeddings: string[]; default: string } | null>(null);
  const [embedding, setEmbedding] = useState("minilm");
  useEffect(() => {
    getJson<{ embeddings: string[]; default: string }>("/embeddings")
      .then((found) => {
        setEmbeddings(found);
        if (!found.embeddings.includes("minilm")) setEmbedding(found.default);
      })
      .catch(() => setEmbeddings({ embeddings: ["minilm"], default: "minilm" }));
  }, []);
  if (!fields.length) return <p class="muted small">This dataset has no text or chat field to read.</p>;
  const start = () =>
    void attempt(async () => {
      const started = await computeClio(props.base, { path, embedding });
      if (started.job_id) {
        await trackJob(started.job_id);
        await whenFinished(started.job_id);
      }
      props.onDone();
    });
  return (
    <div class="clio-compute">
      <label class="small">
        Conversations in
        <select class="input small" aria-label="Conversations field" value={path} onChange={(e) => setPath(e.currentTarget.value)}>
          {fields.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <label class="small">
        Embedding
        <select class="input small" aria-label="Embedding" value={embedding} onChange={(e) => setEmbedding(e.currentTarget.value)}>
          {(embeddings?.embeddings ?? [embedding]).map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button class="btn primary small" disabled={props.disabled || !path} onClick={start}>
        Compute insights (LLM-free)
      </button>
    </div>
  );
}
