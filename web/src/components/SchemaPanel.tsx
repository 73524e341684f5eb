// The schema: the dataset's own fields, then what a person chose to compute, named by its meaning
// ("MiniLM embedding of prompt") from the derived columns' lineage, with a histogram per field
// (POST select_groups); clicking a bar adds the matching filter. Internals (span offsets, the
// text a clustering embeds, ids beside titles) stay folded until "Show internals" is pressed.
import { useEffect, useState } from "preact/hooks";
import { postJson } from "../api/client";
import type { DatasetManifest, Filter, GroupsResult, Lineage } from "../api/types";
import { columnMeaning, fieldTree, formatCount, formatValue, internalColumns, isInternalField, lineageOf, type FieldNode } from "../lib/schema";
import "../schema.css";
import { ErrorBox } from "./ui";

interface Props {
  base: string;
  manifest: DatasetManifest;
  filters: Filter[];
  includeDeleted: boolean;
  version: number;
  open: string[];
  onToggle: (path: string) => void;
  onFilter: (filters: Filter[]) => void;
}

/** How a node is drawn: whether internals show, and the kind of the derived column it sits in. */
interface NodeContext {
  showInternals: boolean;
  kind: string | null;
}

export function SchemaPanel(props: Props) {
  const [showInternals, setShowInternals] = useState(false);
  const { manifest } = props;
  const tree = fieldTree(manifest.data_schema.fields);
  const internal = internalColumns(manifest);
  const kindOf = (node: FieldNode): string | null =>
    manifest.labels.includes(node.path) ? "label" : (lineageOf(manifest, node.path)?.kind ?? (node.field.derived ? "map" : null));
  const own = tree.filter((node) => kindOf(node) === null);
  const computed = tree.filter((node) => kindOf(node) !== null && !internal.has(node.path));
  const steps = tree.filter((node) => internal.has(node.path));
  const numHidden = steps.length + computed.reduce((sum, node) => sum + countInternal(node, kindOf(node)), 0);
  const draw = (nodes: FieldNode[]) =>
    nodes.map((node) => <SchemaNode key={node.path} node={node} depth={0} context={{ showInternals, kind: kindOf(node) }} {...props} />);
  return (
    <aside class="schema-panel" aria-label="Schema">
      <div class="panel-head">
        <span>Schema</span>
        <span class="muted small">
          {own.length} fields{computed.length > 0 && ` · ${computed.length} computed`}
        </span>
      </div>
      <div class="schema-tree">
        {draw(own)}
        {computed.length > 0 && <div class="schema-section">Computed</div>}
        {draw(computed)}
        {showInternals && steps.length > 0 && <div class="schema-section">Internal steps</div>}
        {showInternals && draw(steps)}
        {numHidden > 0 && (
          <button class="link-btn schema-internals-toggle" aria-pressed={showInternals} onClick={() => setShowInternals(!showInternals)}>
            {showInternals ? "Hide internals" : `Show internals (${numHidden})`}
          </button>
        )}
      </div>
    </aside>
  );
}

/** How many fields below `node` are internals (each folded subtree counted once). */
function countInternal(node: FieldNode, kind: string | null): number {
  return node.children.reduce((sum, child) => sum + (isInternalField(kind, child.name, child.field) ? 1 : countInternal(child, kind)), 0);
}

function describeLineage(lineage: Lineage): string {
  const parts = [`${lineage.kind}: ${lineage.producer}`];
  if (lineage.input_path) parts.push(`from ${lineage.input_path}`);
  const params = Object.entries(lineage.params ?? {}).filter(([, v]) => v !== null && typeof v !== "object");
  if (params.length) parts.push(params.map(([k, v]) => `${k}=${String(v)}`).join(", "));
  parts.push(new Date(lineage.created_at).toLocaleString());
  return parts.join(" · ");
}

function SchemaNode(props: Props & { node: FieldNode; depth: number; context: NodeContext }) {
  const { node, context } = props;
  let leaf = node.field;
  let suffix = "";
  while (leaf.repeated_field) {
    leaf = leaf.repeated_field;
    suffix += "[]";
  }
  const isLeaf = !leaf.fields;
  const isLabel = props.depth === 0 && context.kind === "label";
  const lineage = props.depth === 0 ? lineageOf(props.manifest, node.path) : null;
  const histogramPath = isLabel ? `${node.path}.label` : node.path;
  const canChart = isLeaf || isLabel;
  const isOpen = props.open.includes(histogramPath);
  const children = node.children.filter((child) => context.showInternals || !isInternalField(context.kind, child.name, child.field));
  const internal = props.depth > 0 && isInternalField(context.kind, node.name, node.field);
  const [expanded, setExpanded] = useState(props.depth < 1 && !isLabel);
  const canExpand = !isLeaf && !isLabel && children.length > 0;
  // A derived column is named by what it means; its stored name (and lineage) shows on hover.
  const label = lineage ? columnMeaning(props.manifest, node.path) : node.name;
  const title = lineage ? `${node.path}\n${describeLineage(lineage)}` : node.path;
  return (
    <div class="schema-node" style={{ "--depth": props.depth }}>
      <div
        class={`schema-row ${isOpen ? "open" : ""} ${canChart ? "chartable" : ""} ${lineage || isLabel ? "computed" : ""} ${internal ? "internal" : ""}`}
        data-path={histogramPath}
        onClick={() => (canChart ? props.onToggle(histogramPath) : canExpand && setExpanded(!expanded))}
        title={title}
      >
        {canExpand ? (
          <button
            class="twisty"
            aria-label={expanded ? "Collapse" : "Expand"}
            onClick={(e) => {
              e.stopPropagation();
              setExpanded(!expanded);
            }}
          >
            {expanded ? "▾" : "▸"}
          </button>
        ) : (
          <span class="twisty">{canChart ? (isOpen ? "▾" : "▸") : ""}</span>
        )}
        <span class={lineage ? "schema-label" : "field-name"}>{label}</span>
        {!lineage && !isLabel && <span class="dtype">{`${leaf.dtype}${suffix}`}</span>}
        {lineage && <span class={`lineage-badge kind-${lineage.kind}`}>{lineage.kind}</span>}
        {isLabel && <span class="lineage-badge kind-label">label</span>}
        {!lineage && !isLabel && props.depth === 0 && node.field.derived && <span class="lineage-badge">derived</span>}
      </div>
      {lineage && isOpen && <div class="lineage-line">{describeLineage(lineage)}</div>}
      {canChart && isOpen && (
        <Histogram
          base={props.base}
          path={histogramPath}
          filters={props.filters}
          includeDeleted={props.includeDeleted}
          version={props.version}
          onFilter={props.onFilter}
        />
      )}
      {canExpand && expanded &&
        children.map((child) => <SchemaNode key={child.path} {...props} node={child} depth={props.depth + 1} />)}
    </div>
  );
}

/** The filters selecting the rows of one histogram bar. */
export function barFilters(result: GroupsResult, index: number): Filter[] {
  const [value] = result.counts[index];
  const path = result.path;
  if (result.kind === "categorical" || result.kind === "boolean") {
    return value === null || value === undefined ? [{ path, op: "not_exists" }] : [{ path, op: "equals", value }];
  }
  const bin = result.bins?.[index];
  if (!bin) return [{ path, op: "equals", value }];
  const [label, lo, hi] = bin;
  const inclusive = label.trim().endsWith("]");
  const filters: Filter[] = [];
  if (result.kind === "length") {
    if (lo !== null && lo > 0) filters.push({ path, op: "length_longer", value: Math.ceil(lo) - 1 });
    if (hi !== null) filters.push({ path, op: "length_shorter", value: Math.floor(hi) + (inclusive ? 1 : 0) });
  } else {
    if (lo !== null) filters.push({ path, op: "greater_equal", value: lo });
    if (hi !== null) filters.push({ path, op: inclusive ? "less_equal" : "less", value: hi });
  }
  return filters;
}

function Histogram(props: { base: string; path: string; filters: Filter[]; includeDeleted: boolean; version: number; onFilter: (f: Filter[]) => void }) {
  const [result, setResult] = useState<GroupsResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify([props.path, props.filters, props.includeDeleted, props.version]);
  useEffect(() => {
    let live = true;
    setError(null);
    postJson<GroupsResult>(`${props.base}/select_groups`, {
      path: props.path,
      filters: props.filters,
      include_deleted: props.includeDeleted,
      limit: 20,
    })
      .then((r) => live && setResult(r))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [key]);
  if (error) return <ErrorBox error={error} />;
  if (!result) return <div class="histogram loading">Loading…</div>;
  const max = Math.max(1, ...result.counts.map(([, n]) => n));
  // Numbers read in order (the server ranks values by count).
  const numeric = result.kind === "categorical" && result.counts.every(([v]) => typeof v === "number");
  const order = result.counts.map((_, i) => i);
  if (numeric) order.sort((a, b) => (result.counts[a][0] as number) - (result.counts[b][0] as number));
  return (
    <div class="histogram" data-kind={result.kind} aria-label={`Histogram of ${props.path}`}>
      {result.kind === "length" && <div class="muted small">text length (characters)</div>}
      {result.counts.length === 0 && <div class="muted small">no values</div>}
      {order.map((i) => {
        const [value, count] = result.counts[i];
        const label = result.bins?.[i]?.[0] ?? (value === null ? "null" : formatValue(value));
        return (
          <button
            key={i}
            class="bar-row"
            title={`${label}: ${formatCount(count)} rows (click to filter)`}
            data-value={String(label)}
            disabled={count === 0}
            onClick={() => props.onFilter(barFilters(result, i))}
          >
            <span class="bar-label">{String(label)}</span>
            <span class="bar-track">
              <span class="bar-fill" style={{ width: `${(100 * count) / max}%` }} />
            </span>
            <span class="bar-count">{formatCount(count)}</span>
          </button>
        );
      })}
      {result.too_many_distinct && result.kind === "categorical" && <div class="muted small">showing the most frequent values</div>}
    </div>
  );
}
