// The conversation-insights view's pure helpers: which fields hold chats, the filters a node or a
// histogram bar stands for, and walking a facet's (private) hierarchy.
import type { ClioFacetView, ClioViewNode } from "../api/clio";
import type { DatasetManifest, Filter } from "../api/types";
import { leavesOf, isTextType } from "./schema";

/** The URL's `insights` value: "" = the first clustered facet, else "column|facet". */
export function facetSpec(column: string, facet: string): string {
  return `${column}|${facet}`;
}

export function parseFacetSpec(spec: string): { column: string; facet: string } | null {
  const at = spec.indexOf("|");
  return at < 0 ? null : { column: spec.slice(0, at), facet: spec.slice(at + 1) };
}

/** Fields worth running insights on: lists of chat turns first, then plain text fields. */
export function conversationFields(manifest: DatasetManifest): string[] {
  const derived = new Set(manifest.derived_columns.map((c) => c.name));
  const labels = new Set(manifest.labels);
  const own = leavesOf(manifest).filter((l) => {
    const top = l.path.split(".")[0];
    return !derived.has(top) && !labels.has(top);
  });
  const chats = new Set<string>();
  for (const leaf of own) {
    const found = /^(.+)\.\*\.(content|value|text)$/.exec(leaf.path);
    if (found && !found[1].includes("*")) chats.add(found[1]);
  }
  const texts = own.filter((l) => isTextType(l.dtype) && !l.repeated && !l.path.includes("*")).map((l) => l.path);
  return [...chats, ...texts.filter((t) => !chats.has(t))];
}

export const clusterPath = (view: ClioFacetView) => `${view.column}.${view.key}_cluster`;

/** The rows of a node: those whose stored base cluster is under it. */
export function nodeFilter(view: ClioFacetView, node: ClioViewNode): Filter {
  return { path: clusterPath(view), op: "in", value: node.base_ids };
}

/** The view's filters without any node of this facet: a new node replaces the previous one. */
export function withoutNodeFilter(view: ClioFacetView, filters: Filter[]): Filter[] {
  return filters.filter((f) => f.path !== clusterPath(view));
}

const sameIds = (a: unknown, b: string[]) =>
  Array.isArray(a) && a.length === b.length && [...a].map(String).sort().join("\u0000") === [...b].sort().join("\u0000");

/** The node the filters select: `preferred` when it matches, else the first (shallowest) that does. */
export function selectedNode(view: ClioFacetView, filters: Filter[], preferred: string | null): ClioViewNode | null {
  const filter = filters.find((f) => f.path === clusterPath(view) && f.op === "in");
  if (!filter) return null;
  const byId = nodesById(view);
  const wanted = preferred !== null ? byId.get(preferred) : undefined;
  if (wanted && sameIds(filter.value, wanted.base_ids)) return wanted;
  return view.nodes.find((n) => sameIds(filter.value, n.base_ids)) ?? null;
}

export function nodesById(view: ClioFacetView): Map<string, ClioViewNode> {
  return new Map(view.nodes.map((n) => [n.id, n]));
}

/** The node and its ancestors, top first. */
export function ancestry(byId: Map<string, ClioViewNode>, id: string): ClioViewNode[] {
  const chain: ClioViewNode[] = [];
  let current = byId.get(id);
  while (current) {
    chain.unshift(current);
    current = current.parent !== null ? byId.get(current.parent) : undefined;
  }
  return chain;
}

/** The ids of a node and everything under it. */
export function subtree(byId: Map<string, ClioViewNode>, id: string): Set<string> {
  const found = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const next = stack.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    stack.push(...(byId.get(next)?.children ?? []));
  }
  return found;
}

/** Per point, the index of its top-level cluster in `view.roots` (null: in none). */
export function rootOfPoints(view: ClioFacetView): (number | null)[] {
  const byId = nodesById(view);
  const rootIndex = new Map<string, number>();
  view.roots.forEach((root, index) => {
    for (const id of subtree(byId, root)) rootIndex.set(id, index);
  });
  return view.points.node.map((id) => (id === null ? null : (rootIndex.get(id) ?? null)));
}

/** The filter of a numeric facet's bar. */
export function valueFilter(column: string, key: string, value: number): Filter {
  return { path: `${column}.${key}`, op: "equals", value };
}
