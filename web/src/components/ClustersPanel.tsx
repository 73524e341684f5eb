// The Clusters side panel: pick a cluster column (a derived column whose lineage is 'cluster'),
// browse its categories and their clusters with row counts (GET .../clusters), and click one to
// filter the row list by `<column>.cluster_id = N` (or a whole category by its category_id).
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/client";
import type { ClusterHierarchy, DatasetManifest, Filter } from "../api/types";
import { formatCount } from "../lib/schema";
import { isActive, useJobs } from "../state/jobs";
import { ErrorBox, ProgressBar } from "./ui";

export type ClusterField = "cluster_id" | "category_id";

interface Props {
  base: string;
  dataset: string;
  manifest: DatasetManifest;
  /** The chosen column; "" picks the first cluster column. */
  column: string;
  filters: Filter[];
  version: number;
  readOnly: boolean;
  onColumn: (column: string) => void;
  /** Filter by one cluster or category of `column`; null removes that filter. */
  onSelect: (column: string, field: ClusterField, id: number | null) => void;
  onCluster: () => void;
}

export function clusterColumns(manifest: DatasetManifest): string[] {
  return manifest.derived_columns.filter((c) => c.lineage.kind === "cluster").map((c) => c.name);
}

/** The id a filter selects for `<column>.<field>`, if the view has one. */
export function selectedId(filters: Filter[], column: string, field: ClusterField): number | null {
  const found = filters.find((f) => f.path === `${column}.${field}` && f.op === "equals");
  return typeof found?.value === "number" ? found.value : null;
}

export function ClustersPanel(props: Props) {
  const columns = clusterColumns(props.manifest);
  const column = props.column && columns.includes(props.column) ? props.column : (columns[0] ?? "");
  const [tree, setTree] = useState<ClusterHierarchy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [expanded, setExpanded] = useState<Set<number> | null>(null);
  const { jobs } = useJobs();
  const running = jobs.find((job) => job.kind === "cluster" && job.dataset === props.dataset && isActive(job));

  // Another column starts with its own categories opened.
  useEffect(() => setExpanded(null), [column]);
  useEffect(() => {
    if (!column) {
      setTree(null);
      return undefined;
    }
    let live = true;
    setError(null);
    getJson<ClusterHierarchy>(`${props.base}/clusters?column=${encodeURIComponent(column)}`)
      .then((result) => {
        if (!live) return;
        setTree(result);
        // Few categories start open; of many, the largest and the one holding the filtered cluster.
        const chosen = selectedId(props.filters, column, "cluster_id");
        const first = result.categories.slice(0, result.categories.length <= 4 ? undefined : 1).map((c) => c.id);
        const holding = result.categories.filter((c) => c.clusters.some((k) => k.id === chosen)).map((c) => c.id);
        setExpanded((open) => open ?? new Set([...first, ...holding]));
      })
      .catch((caught: unknown) => live && setError(caught));
    return () => {
      live = false;
    };
  }, [props.base, column, props.version]);

  const activeCluster = column ? selectedId(props.filters, column, "cluster_id") : null;
  const activeCategory = column ? selectedId(props.filters, column, "category_id") : null;
  const toggle = (id: number) => {
    const next = new Set(expanded ?? []);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setExpanded(next);
  };
  const maxCount = Math.max(1, ...(tree?.categories.flatMap((c) => c.clusters.map((k) => k.count)) ?? []));

  return (
    <aside class="clusters-panel" aria-label="Clusters">
      <div class="panel-head">
        <span>Clusters</span>
        {!props.readOnly && (
          <button class="link-btn" onClick={props.onCluster} title="Cluster a text column">
            Cluster…
          </button>
        )}
      </div>
      {columns.length > 1 && (
        <div class="clusters-pick">
          <select class="input small wide" aria-label="Cluster column" value={column} onChange={(e) => props.onColumn(e.currentTarget.value)}>
            {columns.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      )}
      {running && (
        <div class="clusters-running">
          <span class="small">Clustering… {running.message ?? ""}</span>
          <ProgressBar value={running.progress} total={running.total} status={running.status} />
        </div>
      )}
      {!column && !running && (
        <div class="empty small">
          No clusters yet. Clustering groups similar rows of a text column into titled clusters and categories.
          {!props.readOnly && (
            <div>
              <button class="btn primary small clusters-start" onClick={props.onCluster}>
                Cluster a column…
              </button>
            </div>
          )}
        </div>
      )}
      <ErrorBox error={error} />
      {column && tree && tree.column === column && (
        <>
          <div class="clusters-meta muted small" data-testid="clusters-meta">
            {columns.length === 1 && <div class="clusters-column">{column}</div>}
            {formatCount(tree.num_clusters)} clusters in {formatCount(tree.num_categories)} categories · {formatCount(tree.num_rows)} rows
            {tree.titles_from ? ` · titles: ${tree.titles_from}` : ""}
          </div>
          <ul class="category-list">
            {tree.categories.map((category) => {
              const open = expanded?.has(category.id) ?? false;
              return (
                <li key={category.id} class="category" data-category-id={category.id}>
                  <button class="category-row" aria-expanded={open} onClick={() => toggle(category.id)} title={`${category.title}: ${formatCount(category.count)} rows`}>
                    <span class="twisty">{open ? "▾" : "▸"}</span>
                    <span class="category-title">{category.title}</span>
                    <span class="category-count">{formatCount(category.count)}</span>
                  </button>
                  {open && (
                    <ul class="cluster-list">
                      <li>
                        <button
                          class={`cluster-row all ${activeCategory === category.id ? "active" : ""}`}
                          aria-pressed={activeCategory === category.id}
                          onClick={() => props.onSelect(column, "category_id", activeCategory === category.id ? null : category.id)}
                        >
                          <span class="cluster-title">All {category.clusters.length} clusters of this category</span>
                          <span class="bar-count">{formatCount(category.count)}</span>
                        </button>
                      </li>
                      {category.clusters.map((cluster) => {
                        const active = activeCluster === cluster.id;
                        return (
                          <li key={cluster.id}>
                            <button
                              class={`cluster-row ${active ? "active" : ""}`}
                              data-cluster-id={cluster.id}
                              aria-pressed={active}
                              title={`${cluster.title} · cluster ${cluster.id} · ${formatCount(cluster.count)} rows · mean membership ${cluster.mean_membership.toFixed(2)} (click to ${active ? "clear the filter" : "filter"})`}
                              onClick={() => props.onSelect(column, "cluster_id", active ? null : cluster.id)}
                            >
                              <span class="cluster-title">{cluster.title}</span>
                              <span class="bar-count">{formatCount(cluster.count)}</span>
                              <span class="cluster-bar">
                                <span class="bar-fill" style={{ width: `${(100 * cluster.count) / maxCount}%`, opacity: 0.45 + 0.55 * cluster.mean_membership }} />
                              </span>
                            </button>
                          </li>
                        );
                      })}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </aside>
  );
}
