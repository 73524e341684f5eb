// The dataset's map: the 2-D projection of an embedded field, coloured by a chosen field, with
// the points the view's filters and searches exclude dimmed. A lasso or a legend entry filters
// the rows view; hovering a point shows its text; clicking one opens it. Without a projection it
// offers to compute one (a job, with its progress shown here).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { postJson } from "../api/client";
import { computeProjection, fetchProjection, listProjections, type ProjectionResponse, type ProjectionSummary } from "../api/projection";
import type { DatasetManifest, Filter, Row, Search, SelectRowsResponse } from "../api/types";
import { numericRange, type Coloring } from "../lib/mapColors";
import { formatCount, formatValue, leavesOf, previewText, ROWID, valueAt, type Leaf } from "../lib/schema";
import { isActive, trackJob, useJobs } from "../state/jobs";
import { MapCanvas, type MapPaint } from "./MapCanvas";
import { MapLegend } from "./MapLegend";
import { parseFilterValue } from "./Toolbar";
import { attempt, ErrorBox, Popover, ProgressBar, toast } from "./ui";

interface Props {
  base: string;
  /** "namespace/name", as jobs name their dataset. */
  dataset: string;
  manifest: DatasetManifest;
  filters: Filter[];
  searches: Search[];
  version: number;
  readOnly: boolean;
  /** The mapped field ("" = the first map there is). */
  path: string;
  /** The colouring field: null = the default (a clustering's titles), "" = one colour. */
  colorBy: string | null;
  onChange: (change: { path?: string; colorBy?: string | null }) => void;
  onFilters: (filters: Filter[]) => void;
  onOpenRow: (rowid: number) => void;
  onComputeEmbedding: () => void;
}

interface Embedded {
  path: string;
  embedding: string;
}

const HOVER_DELAY_MS = 120;
const TOOLTIP_CHARS = 360;

/** The (field, embedding) pairs the dataset has embeddings of. */
function embeddedFields(manifest: DatasetManifest): Embedded[] {
  return manifest.derived_columns
    .filter((c) => c.lineage.kind === "embedding" && c.lineage.input_path)
    .map((c) => ({ path: c.lineage.input_path!, embedding: String(c.lineage.params?.embedding ?? c.lineage.producer) }));
}

/** The fields worth colouring by: one value per row, not an embedding's or a map's internals. */
function colorLeaves(manifest: DatasetManifest): Leaf[] {
  return leavesOf(manifest).filter((l) => !l.repeated && !l.dtype.startsWith("list") && l.lineage?.kind !== "embedding" && String(l.lineage?.kind) !== "projection" && !l.path.endsWith(".created"));
}

function defaultColor(leaves: Leaf[]): string {
  const cluster = leaves.find((l) => l.lineage?.kind === "cluster" && l.path.endsWith(".cluster_title"));
  return cluster?.path ?? "";
}

/** The previous arrays when the new response has the same points: the view is kept. */
function sameNumbers(a: number[] | undefined, b: number[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function MapView(props: Props) {
  const [projections, setProjections] = useState<ProjectionSummary[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  const [data, setData] = useState<ProjectionResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  // When the points were asked for and when they arrived (parsed): the status line and the
  // benchmark report the time from arrival to the first frame on screen.
  const [timing, setTiming] = useState<{ asked: number; arrived: number } | null>(null);
  const [paint, setPaint] = useState<(MapPaint & { ms: number }) | null>(null);
  const [hoverRow, setHoverRow] = useState<{ rowid: number; row: Row | null } | null>(null);
  const rowsCache = useRef(new Map<number, Row>());
  const hoverTimer = useRef(0);
  const { jobs } = useJobs();
  const running = jobs.find((job) => job.kind === "projection" && job.dataset === props.dataset && isActive(job));

  const leaves = useMemo(() => colorLeaves(props.manifest), [props.manifest]);
  const colorBy = props.colorBy ?? defaultColor(leaves);
  const embedded = useMemo(() => embeddedFields(props.manifest), [props.manifest]);
  const chosen = projections?.find((p) => p.path === props.path) ?? projections?.[0] ?? null;
  const unmapped = embedded.filter((e) => !projections?.some((p) => p.path === e.path && p.embedding === e.embedding));

  useEffect(() => {
    let live = true;
    listProjections(props.base)
      .then((list) => {
        if (!live) return;
        setProjections(list.projections);
        setListError(null);
      })
      .catch((caught: unknown) => live && setListError(caught));
    return () => {
      live = false;
    };
  }, [props.base, props.version, reload]);

  const query = JSON.stringify([chosen?.path, chosen?.embedding, colorBy, props.filters, props.searches]);
  useEffect(() => {
    if (!chosen) return undefined;
    let live = true;
    setError(null);
    const asked = performance.now();
    const request = { path: chosen.path, embedding: chosen.embedding, color_by: colorBy || null, filters: props.filters, searches: props.searches };
    fetchProjection(props.base, request)
      .then((response) => {
        if (!live) return;
        setData((previous) => {
          // Filters change `included` only: the same coordinate arrays keep the pan and zoom.
          if (previous && sameNumbers(previous.rowids, response.rowids) && sameNumbers(previous.x, response.x) && sameNumbers(previous.y, response.y)) {
            return { ...response, rowids: previous.rowids, x: previous.x, y: previous.y };
          }
          return response;
        });
        setTiming({ asked, arrived: performance.now() });
      })
      .catch((caught: unknown) => live && setError(caught));
    return () => {
      live = false;
    };
  }, [props.base, query, props.version]);

  const coloring = useMemo<Coloring>(() => {
    const color = data?.color;
    if (!color) return { kind: "none" };
    if (color.kind === "numeric") return { kind: "numeric", values: color.values, ...numericRange(color.values) };
    return { kind: "categorical", categories: color.categories, values: color.values };
  }, [data?.color]);

  useEffect(() => () => window.clearTimeout(hoverTimer.current), []);
  // Another dataset's points must not stand in for this one's while they load.
  useEffect(() => {
    setData(null);
    rowsCache.current = new Map();
  }, [props.base]);
  // A hovered row's text may change with the data (a row edited, deleted, restored).
  useEffect(() => {
    rowsCache.current = new Map();
  }, [props.version]);
  const numIncluded = useMemo(() => (data?.included ? data.included.reduce((n, pass) => n + (pass ? 1 : 0), 0) : null), [data?.included]);

  const onHover = (index: number) => {
    window.clearTimeout(hoverTimer.current);
    if (index < 0 || !data) {
      setHoverRow(null);
      return;
    }
    const rowid = data.rowids[index];
    const cached = rowsCache.current.get(rowid);
    setHoverRow({ rowid, row: cached ?? null });
    if (cached) return;
    // Sweeping across the map passes hundreds of points: only the one the pointer rests on is fetched.
    hoverTimer.current = window.setTimeout(() => {
      const body = { filters: [{ path: ROWID, op: "equals", value: rowid }], columns: [data.path.split(".")[0]], limit: 1 };
      postJson<SelectRowsResponse>(`${props.base}/select_rows`, body)
        .then((response) => {
          const row = response.rows[0];
          if (!row) return;
          rowsCache.current.set(rowid, row);
          setHoverRow((current) => (current?.rowid === rowid ? { rowid, row } : current));
        })
        .catch(() => {
          // A failed hover fetch leaves the tooltip on its row id; the next hover tries again.
        });
    }, HOVER_DELAY_MS);
  };

  const colorText = (index: number): string | null => {
    const color = data?.color;
    if (!color) return null;
    const value = color.values[index];
    if (value === null || value === undefined) return `${color.field}: no value`;
    return `${color.field}: ${color.kind === "categorical" ? color.categories[value] : formatValue(value)}`;
  };
  const renderTooltip = (index: number) => {
    if (!data) return null;
    const rowid = data.rowids[index];
    const row = hoverRow?.rowid === rowid ? hoverRow.row : null;
    const text = row ? (previewText(valueAt(row, data.path)) ?? "(no text)") : null;
    const extra = colorText(index);
    return (
      <>
        <div class="map-tooltip-text" data-testid="map-tooltip-text">
          {text === null ? <span class="muted">loading…</span> : text.length > TOOLTIP_CHARS ? `${text.slice(0, TOOLTIP_CHARS)}…` : text}
        </div>
        <div class="map-tooltip-meta muted small">
          row {rowid}
          {extra && ` · ${extra}`}
        </div>
      </>
    );
  };

  const onLasso = (indices: number[]) => {
    if (!data) return;
    if (indices.length === 0) {
      toast("No points inside the lasso");
      return;
    }
    const rowids = indices.map((i) => data.rowids[i]).sort((a, b) => a - b);
    // A new lasso replaces the previous one rather than intersecting with it.
    const others = props.filters.filter((f) => !(f.path === ROWID && f.op === "in"));
    props.onFilters([...others, { path: ROWID, op: "in", value: rowids }]);
    toast(`Filtered the rows to the ${formatCount(rowids.length)} ${rowids.length === 1 ? "point" : "points"} in the lasso`);
  };

  const colorLeaf = leaves.find((l) => l.path === data?.color?.field);
  const categoryFilter = (index: number | null): Filter | null => {
    const color = data?.color;
    if (!color) return null;
    if (index === null) return { path: color.field, op: "not_exists" };
    return { path: color.field, op: "equals", value: parseFilterValue("equals", color.categories[index], colorLeaf?.dtype ?? "string") };
  };
  const sameFilter = (a: Filter, b: Filter | null) => b !== null && a.path === b.path && a.op === b.op && JSON.stringify(a.value) === JSON.stringify(b.value);
  const activeCategory = (() => {
    const color = data?.color;
    if (!color || color.kind !== "categorical") return undefined;
    for (let i = -1; i < color.categories.length; i++) {
      const index = i < 0 ? null : i;
      if (props.filters.some((f) => sameFilter(f, categoryFilter(index)))) return index;
    }
    return undefined;
  })();
  const onCategory = (index: number | null) => {
    const color = data?.color;
    const chosenFilter = categoryFilter(index);
    if (!color || !chosenFilter) return;
    // One category of a field at a time: a click replaces the field's category, a second one clears it.
    const others = props.filters.filter((f) => !(f.path === color.field && (f.op === "equals" || f.op === "not_exists")));
    props.onFilters(activeCategory === index ? others : [...others, chosenFilter]);
  };

  const compute = (target: Embedded) =>
    void attempt(async () => {
      const started = await computeProjection(props.base, { path: target.path, embedding: target.embedding });
      if (started.job_id) await trackJob(started.job_id);
      else setReload((r) => r + 1);
      props.onChange({ path: target.path });
    });

  const computeButtons = (primary: boolean) =>
    unmapped.map((target) => (
      <button key={`${target.path}|${target.embedding}`} class={`btn small ${primary ? "primary" : "ghost"}`} disabled={!!running} onClick={() => compute(target)}>
        Compute map of {target.path}
        {embedded.filter((e) => e.path === target.path).length > 1 && ` (${target.embedding})`}
      </button>
    ));

  const progress = running && (
    <div class="map-running" data-testid="map-running">
      <span class="small">Computing the map… {running.message ?? ""}</span>
      <ProgressBar value={running.progress} total={running.total} status={running.status} />
    </div>
  );

  if (listError) return <div class="map-view map-empty"><ErrorBox error={listError} /></div>;
  if (projections === null) return <div class="map-view map-empty muted">Loading the map…</div>;
  if (!chosen) {
    return (
      <div class="map-view map-empty" data-testid="map-empty">
        <div class="map-empty-box">
          <h2>No map yet</h2>
          <p class="muted">
            A map places every row by the meaning of a text field (a 2-D projection of its embedding): similar rows sit together, and clusters, labels or
            signals show as colours.
          </p>
          {progress}
          {embedded.length === 0 ? (
            <>
              <p class="muted small">A map needs an embedding of a text field first.</p>
              {!props.readOnly && (
                <button class="btn primary small" onClick={props.onComputeEmbedding}>
                  Compute an embedding…
                </button>
              )}
            </>
          ) : (
            !props.readOnly && <div class="map-compute">{computeButtons(true)}</div>
          )}
        </div>
      </div>
    );
  }

  const included = data?.included ?? null;
  return (
    <div class="map-view">
      <div class="map-bar">
        {projections.length > 1 ? (
          <select class="input small" aria-label="Mapped field" value={`${chosen.path}`} onChange={(e) => props.onChange({ path: e.currentTarget.value })}>
            {projections.map((p) => (
              <option key={`${p.path}|${p.embedding}`} value={p.path}>
                Map of {p.path} ({p.embedding})
              </option>
            ))}
          </select>
        ) : (
          <span class="map-title" title={`${chosen.embedding} embedding, column ${chosen.column}`}>
            Map of <b>{chosen.path}</b> <span class="muted">({chosen.embedding})</span>
          </span>
        )}
        <label class="map-color-pick small">
          Colour by
          <select class="input small" aria-label="Colour by" value={colorBy} onChange={(e) => props.onChange({ colorBy: e.currentTarget.value })}>
            <option value="">nothing (one colour)</option>
            {leaves.map((l) => (
              <option key={l.path} value={l.path}>
                {l.path}
              </option>
            ))}
          </select>
        </label>
        <span class="spacer" />
        {!props.readOnly && unmapped.length > 0 && (
          <Popover label="Compute another map…" class="btn ghost small" align="right">
            {(close) => (
              <div class="popover-menu map-compute" role="menu" aria-label="Compute a map" onClick={close}>
                {computeButtons(false)}
              </div>
            )}
          </Popover>
        )}
      </div>
      {progress}
      <ErrorBox error={error} />
      <div class="map-stage">
        {data ? (
          <MapCanvas
            x={data.x}
            y={data.y}
            coloring={coloring}
            included={included}
            label={`Map of ${data.path}: ${formatCount(data.rowids.length)} points`}
            onLasso={onLasso}
            onHover={onHover}
            onClick={(index) => props.onOpenRow(data.rowids[index])}
            renderTooltip={renderTooltip}
            onPaint={(p) => setPaint({ ...p, ms: timing === null ? 0 : Math.max(0, Math.round(p.at - timing.arrived)) })}
          />
        ) : (
          !error && <div class="map-empty muted">Loading {formatCount(chosen.num_points)} points…</div>
        )}
        {data?.color && (
          <MapLegend
            title={data.color.field}
            coloring={coloring}
            active={activeCategory}
            onCategory={data.color.kind === "categorical" ? onCategory : undefined}
            disabled={(name) => name === "other"}
          />
        )}
      </div>
      <div class="status-line muted small" data-testid="map-status" data-renderer={paint?.renderer ?? ""} data-paint-ms={paint?.ms ?? ""} data-fetch-ms={timing ? Math.round(timing.arrived - timing.asked) : ""}>
        {data ? `${formatCount(data.rowids.length)} points` : "…"}
        {data?.sampled && ` (a sample of ${formatCount(props.manifest.num_items)} rows)`}
        {numIncluded !== null && ` · ${formatCount(numIncluded)} match the filters`}
        {paint && ` · ${paint.renderer === "webgl" ? "WebGL" : "2-D canvas"}, drawn ${paint.ms} ms after the data arrived`} · drag to pan, wheel to zoom, shift-drag to
        lasso, click a point to open it
      </div>
    </div>
  );
}
