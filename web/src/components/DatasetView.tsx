// One dataset: toolbar (search, sort, compare, enrich, export), filter pills, the side panel
// (the schema with histograms, or the clusters), the virtualised row list, the row detail, and
// curation of the chosen rows.
import { useEffect, useMemo, useState } from "preact/hooks";
import { datasetPath, getJson, postJson } from "../api/client";
import type { DatasetManifest, Filter, JobInfo } from "../api/types";
import { choosePreviewFields, formatCount, isTextType, leavesOf } from "../lib/schema";
import { useDatasets, refreshDatasets } from "../state/datasets";
import { useJobFinished } from "../state/jobs";
import { updateView, type ViewState } from "../state/route";
import { useRowPages } from "../state/rows";
import { clusterColumns, ClustersPanel, type ClusterField } from "./ClustersPanel";
import { CurationBar } from "./CurationBar";
import { ENRICH_KINDS, EnrichDialog, type EnrichKind } from "./EnrichDialog";
import { ExportDialog } from "./ExportDialog";
import { RowDetail } from "./RowDetail";
import { RowList } from "./RowList";
import { MapView } from "./MapView";
import { ClioView } from "./ClioView";
import { filterNamedBy, RowsError } from "./RowsError";
import { SchemaPanel } from "./SchemaPanel";
import { AddFilter, CompareControl, FilterPills, SearchBar, SortControl } from "./Toolbar";
import { attempt, countOf, ErrorBox, Popover, toast } from "./ui";

interface Props {
  namespace: string;
  name: string;
  view: ViewState;
}

export function DatasetView({ namespace, name, view }: Props) {
  const base = datasetPath(namespace, name);
  const ref = `${namespace}/${name}`;
  const { readOnly } = useDatasets();
  const [manifest, setManifest] = useState<DatasetManifest | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped after every change to the data: rows, histograms and the manifest refetch.
  const [version, setVersion] = useState(0);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [dialog, setDialog] = useState<"export" | EnrichKind | null>(null);
  // What an action asked the enrich dialog to start with (e.g. the field a search lacks).
  const [enrichFor, setEnrichFor] = useState<{ path: string; embedding?: string } | null>(null);
  const openEnrich = (kind: EnrichKind, path: string | null = null, embedding?: string) => {
    setEnrichFor(path === null ? null : { path, embedding });
    setDialog(kind);
  };

  useEffect(() => {
    getJson<DatasetManifest>(base)
      .then((m) => {
        setManifest(m);
        setError(null);
      })
      .catch(setError);
  }, [base, version]);

  const bump = () => setVersion((v) => v + 1);
  useJobFinished(
    (job: JobInfo) => {
      if (job.dataset !== ref) return;
      if (job.status === "completed") toast(`Finished: ${job.description}`);
      else if (job.status === "failed") toast(`Failed: ${job.description}`, "error", job.error ?? null);
      bump();
      void refreshDatasets();
    },
    [ref],
  );

  const query = useMemo(
    () => ({
      filters: view.filters,
      searches: view.searches,
      sortBy: view.sortBy,
      sortOrder: view.sortOrder,
      includeDeleted: view.showDeleted,
    }),
    [JSON.stringify([view.filters, view.searches, view.sortBy, view.sortOrder, view.showDeleted])],
  );
  const pages = useRowPages(base, query, version);
  const leaves = useMemo(() => (manifest ? leavesOf(manifest) : []), [manifest]);
  const labelPaths = new Set(manifest?.labels ?? []);
  const textLeaves = leaves.filter((l) => isTextType(l.dtype) && !l.repeated && !labelPaths.has(l.path.split(".")[0]));
  // Compare also takes text inside lists ('chosen.*.content'): a chat's turns diff as one text.
  const compareLeaves = leaves.filter((l) => (isTextType(l.dtype) || l.dtype === "list<string>") && !labelPaths.has(l.path.split(".")[0]));
  const filterLeaves = leaves.filter((l) => !l.path.endsWith(".created") || !labelPaths.has(l.path.split(".")[0]));
  const searchColumnFor = new Map<string, string>();
  view.searches.forEach((s, i) => pages.searchColumns[i] && searchColumnFor.set(s.path, pages.searchColumns[i]));
  const firstRow = pages.rowAt(0);
  const previewPaths = useMemo(() => {
    const rows = [];
    for (let i = 0; i < 50; i++) {
      const row = pages.rowAt(i);
      if (row) rows.push(row);
    }
    const hidden = new Set([...(manifest?.labels ?? []), ...(manifest?.derived_columns.map((c) => c.name) ?? [])]);
    const candidates = Object.keys(manifest?.data_schema.fields ?? {}).filter((f) => !hidden.has(f));
    return choosePreviewFields(rows, candidates, [...view.searches.map((s) => s.path), ...(view.compare ?? [])]);
  }, [manifest, firstRow, JSON.stringify(view.searches), JSON.stringify(view.compare)]);
  const selectedIndex = view.row === null ? -1 : pages.indexOf(view.row);
  const total = pages.total;

  const step = (delta: number) => {
    if (!total) return;
    const next = selectedIndex < 0 ? 0 : Math.min(total - 1, Math.max(0, selectedIndex + delta));
    const row = pages.rowAt(next);
    if (row) updateView({ row: row.__rowid__ }, { replace: true });
    else pages.ensure(next, next + 1);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable], .modal, .popover")) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowRight" || event.key === "ArrowDown" || event.key === "j") {
        event.preventDefault();
        step(1);
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp" || event.key === "k") {
        event.preventDefault();
        step(-1);
      } else if (event.key === "Escape" && view.row !== null) {
        updateView({ row: null });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const afterChange = async (message: string) => {
    toast(message);
    setChecked(new Set());
    bump();
    await refreshDatasets();
  };
  const label = (labelName: string, rowids: number[] | null, remove: boolean) =>
    void attempt(async () => {
      const selection = rowids ? { row_ids: rowids } : { filters: view.filters };
      const body = { name: labelName, ...selection, include_deleted: view.showDeleted };
      const result = await postJson<{ num_rows: number }>(`${base}/labels${remove ? "/remove" : ""}`, body);
      await afterChange(`${remove ? "Removed" : "Added"} label ${labelName} ${remove ? "from" : "to"} ${countOf(result.num_rows, "row")}`);
    });
  const remove = (rowids: number[] | null, restore: boolean) =>
    void attempt(async () => {
      const selection = rowids ? { row_ids: rowids } : { filters: view.filters };
      const result = await postJson<{ num_rows: number }>(`${base}/${restore ? "restore_rows" : "delete_rows"}`, selection);
      await afterChange(`${restore ? "Restored" : "Deleted"} ${countOf(result.num_rows, "row")}`);
    });

  if (error && !manifest) {
    return (
      <div class="page">
        <ErrorBox error={error} />
      </div>
    );
  }
  if (!manifest) return <div class="page muted">Loading {ref}…</div>;

  const addFilters = (filters: Filter[]) => {
    const fresh = filters.filter((f) => !view.filters.some((g) => JSON.stringify(g) === JSON.stringify(f)));
    updateView({ filters: [...view.filters, ...fresh], row: null });
  };
  const columns = Object.keys(manifest.data_schema.fields);
  // A cluster (or category) replaces any other selection in the same cluster column.
  const selectCluster = (column: string, field: ClusterField, id: number | null) => {
    const mine = [`${column}.cluster_id`, `${column}.category_id`];
    const others = view.filters.filter((f) => !mine.includes(f.path));
    const chosen: Filter[] = id === null ? [] : [{ path: `${column}.${field}`, op: "equals", value: id }];
    updateView({ filters: [...others, ...chosen], row: null });
  };
  const numClusterColumns = clusterColumns(manifest).length;
  const searching = view.searches.length > 0;
  return (
    <div class="dataset-view">
      <header class="toolbar">
        <div class="title-block">
          <h1>
            <span class="ns">{namespace}/</span>
            {name}
          </h1>
          <span class="muted small" data-testid="dataset-size">
            {countOf(manifest.num_items, "row")}
            {manifest.num_deleted > 0 && ` · ${formatCount(manifest.num_deleted)} deleted`}
          </span>
        </div>
        <SearchBar
          manifest={manifest}
          textLeaves={textLeaves}
          defaultPath={previewPaths.find((p) => textLeaves.some((l) => l.path === p)) ?? null}
          onSearch={(search) => updateView({ searches: [...view.searches.filter((s) => s.path !== search.path), search], row: null, sortBy: null })}
          onComputeEmbedding={readOnly ? undefined : (path) => openEnrich("embedding", path)}
        />
        <div class="toolbar-actions">
          <CompareControl textLeaves={compareLeaves} compare={view.compare} onChange={(compare) => updateView({ compare })} />
          {!readOnly && (
            <Popover label="Enrich" class="btn ghost small" title="Compute a new column: a signal, an embedding, a concept's scores or clusters" align="right">
              {(close) => (
                <div class="popover-menu" role="menu" aria-label="Enrich">
                  {ENRICH_KINDS.map(([kind, label]) => (
                    <button
                      key={kind}
                      role="menuitem"
                      class="menu-item"
                      onClick={() => {
                        close();
                        openEnrich(kind);
                      }}
                    >
                      {label}…
                    </button>
                  ))}
                </div>
              )}
            </Popover>
          )}
          <button class="btn ghost small" onClick={() => setDialog("export")}>
            Export
          </button>
        </div>
      </header>
      <div class="filter-bar">
        <FilterPills
          filters={view.filters}
          searches={view.searches}
          invalidFilter={filterNamedBy(pages.error, view.filters)}
          onRemoveFilter={(i) => updateView({ filters: view.filters.filter((_, j) => j !== i), row: null })}
          onRemoveSearch={(i) => updateView({ searches: view.searches.filter((_, j) => j !== i), row: null })}
        />
        <AddFilter leaves={filterLeaves} onAdd={(f) => addFilters([f])} />
        {(view.filters.length > 0 || view.searches.length > 0) && (
          <button class="link-btn" onClick={() => updateView({ filters: [], searches: [], row: null })}>
            Clear all
          </button>
        )}
        <span class="spacer" />
        <span class="result-count" data-testid="result-count">
          {total === null ? (pages.error ? "—" : "…") : `${formatCount(total)} ${total === 1 ? "row" : "rows"}`}
        </span>
        <SortControl leaves={leaves.filter((l) => !l.repeated)} sortBy={view.sortBy} sortOrder={view.sortOrder} searching={searching} onChange={(sortBy, sortOrder) => updateView({ sortBy, sortOrder })} />
        <label class="check small">
          <input type="checkbox" checked={view.showDeleted} onChange={(e) => updateView({ showDeleted: e.currentTarget.checked, row: null })} />
          Show deleted
        </label>
      </div>
      <div class={`dataset-body ${view.row !== null ? "with-detail" : ""}`}>
        <div class="side-column">
          <div class="tabs side-tabs" role="tablist" aria-label="Side panel">
            <button role="tab" aria-selected={view.clusters === null} class={view.clusters === null ? "active" : ""} onClick={() => updateView({ clusters: null }, { replace: true })}>
              Schema
            </button>
            <button role="tab" aria-selected={view.clusters !== null} class={view.clusters !== null ? "active" : ""} onClick={() => updateView({ clusters: "" }, { replace: true })}>
              Clusters{numClusterColumns > 0 && <span class="tab-count">{numClusterColumns}</span>}
            </button>
          </div>
          {view.clusters === null ? (
            <SchemaPanel
              base={base}
              manifest={manifest}
              filters={view.filters}
              includeDeleted={view.showDeleted}
              version={version}
              open={view.open}
              onToggle={(path) => updateView({ open: view.open.includes(path) ? view.open.filter((p) => p !== path) : [...view.open, path] }, { replace: true })}
              onFilter={addFilters}
            />
          ) : (
            <ClustersPanel
              base={base}
              dataset={ref}
              manifest={manifest}
              column={view.clusters}
              filters={view.filters}
              version={version}
              readOnly={readOnly}
              onColumn={(column) => updateView({ clusters: column }, { replace: true })}
              onSelect={selectCluster}
              onCluster={() => openEnrich("cluster")}
            />
          )}
        </div>
        <div class="rows-column">
          <div class="tabs view-switch" role="tablist" aria-label="Rows, map or insights">
            <button role="tab" aria-selected={view.map === null && view.insights === null} class={view.map === null && view.insights === null ? "active" : ""} onClick={() => updateView({ map: null, insights: null }, { replace: true })}>
              Rows
            </button>
            <button role="tab" aria-selected={view.map !== null && view.insights === null} class={view.map !== null && view.insights === null ? "active" : ""} onClick={() => updateView({ map: view.map ?? "", insights: null }, { replace: true })}>
              Map
            </button>
            <button role="tab" aria-selected={view.insights !== null} class={view.insights !== null ? "active" : ""} onClick={() => updateView({ insights: view.insights ?? "", map: null }, { replace: true })}>
              Insights
            </button>
          </div>
          {view.insights !== null ? (
            <ClioView
              base={base}
              dataset={ref}
              manifest={manifest}
              filters={view.filters}
              version={version}
              readOnly={readOnly}
              spec={view.insights}
              onSpec={(spec) => updateView({ insights: spec }, { replace: true })}
              onFilters={(filters) => updateView({ filters, row: null })}
              onOpenRow={(rowid) => updateView({ row: rowid })}
              onShowRows={() => updateView({ insights: null }, { replace: true })}
            />
          ) : view.map !== null ? (
            <MapView
              base={base}
              dataset={ref}
              manifest={manifest}
              filters={view.filters}
              searches={view.searches}
              version={version}
              readOnly={readOnly}
              path={view.map}
              colorBy={view.mapColor}
              onChange={(change) => updateView({ ...(change.path !== undefined && { map: change.path }), ...(change.colorBy !== undefined && { mapColor: change.colorBy }) }, { replace: true })}
              onFilters={(filters) => updateView({ filters, row: null })}
              onOpenRow={(rowid) => updateView({ row: rowid })}
              onComputeEmbedding={() => openEnrich("embedding")}
            />
          ) : (
          <>
          {!readOnly && (
            <CurationBar
              labels={manifest.labels}
              checked={checked}
              total={total}
              filtered={view.filters.length > 0}
              showDeleted={view.showDeleted}
              searching={searching}
              failed={!!pages.error}
              onClear={() => setChecked(new Set())}
              onCheckPage={() => {
                const next = new Set(checked);
                for (let i = 0; i < Math.min(total ?? 0, 50); i++) {
                  const row = pages.rowAt(i);
                  if (row) next.add(row.__rowid__);
                }
                setChecked(next);
              }}
              onLabel={(labelName, all, removeIt) => label(labelName, all ? null : [...checked], removeIt)}
              onDelete={(all, restore) => remove(all ? null : [...checked], restore)}
            />
          )}
          <RowsError
            error={pages.error}
            manifest={manifest}
            searches={view.searches}
            filters={view.filters}
            readOnly={readOnly}
            onComputeEmbedding={(path, embedding) => openEnrich("embedding", path, embedding)}
            onRemoveFilter={(i) => updateView({ filters: view.filters.filter((_, j) => j !== i), row: null })}
            onRetry={pages.retry}
          />
          <RowList
            pages={pages}
            previewPaths={previewPaths}
            searchColumnFor={searchColumnFor}
            labels={manifest.labels}
            selectedRow={view.row}
            selectedIndex={selectedIndex}
            checked={checked}
            onSelect={(rowid) => updateView({ row: rowid }, { replace: view.row !== null })}
            onCheck={(rowid, on) => {
              const next = new Set(checked);
              if (on) next.add(rowid);
              else next.delete(rowid);
              setChecked(next);
            }}
          />
          <div class="status-line muted small" data-testid="status-line" data-first-page-ms={pages.firstPageMs ?? ""}>
            {pages.firstPageMs !== null ? `first rows in ${pages.firstPageMs} ms` : pages.error ? "the rows could not be loaded" : "loading rows…"} · ← → step through rows
          </div>
          </>
          )}
        </div>
        {view.row !== null && (
          <RowDetail
            base={base}
            manifest={manifest}
            rowid={view.row}
            searches={view.searches}
            compare={view.compare}
            version={version}
            readOnly={readOnly}
            position={selectedIndex >= 0 && total ? `${formatCount(selectedIndex + 1)} of ${formatCount(total)}` : ""}
            onStep={step}
            onClose={() => updateView({ row: null })}
            onLabel={(labelName, rowids, removeIt) => label(labelName, rowids, removeIt)}
            onDelete={(rowids, restore) => remove(rowids, restore)}
          />
        )}
      </div>
      {dialog === "export" && <ExportDialog base={base} name={`${namespace}-${name}`} columns={columns} filters={view.filters} onClose={() => setDialog(null)} />}
      {dialog !== null && dialog !== "export" && (
        <EnrichDialog
          base={base}
          manifest={manifest}
          textLeaves={textLeaves}
          initialKind={dialog}
          initialPath={enrichFor?.path}
          initialEmbedding={enrichFor?.embedding}
          onClose={() => setDialog(null)}
          // A clustering shows its progress, then its clusters, in the Clusters panel.
          onStarted={(kind, path) => kind === "cluster" && updateView({ clusters: `${path}__cluster` }, { replace: true })}
        />
      )}
    </div>
  );
}
