// A reusable map of points: WebGL (or 2-D canvas) drawing, pan (drag), zoom (wheel or buttons),
// hover (the nearest point under the pointer), click, and a lasso (the lasso tool, or shift-drag).
// It knows nothing of datasets: callers pass coordinates, colours and what is dimmed, and get
// point indices back. The dataset map (MapView) and the conversation-insights view use it.
import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { pointColors, type Coloring } from "../lib/mapColors";
import { buildGrid, fitPoints, fitView, nearestPoint, pointsInPolygon, toScreen, toUnit, zoomAt, type View } from "../lib/mapGeometry";
import { createRenderer, type MapRenderer, type RendererKind } from "../lib/mapRenderer";
import "../map.css";

export interface MapPaint {
  renderer: RendererKind;
  points: number;
  /** performance.now() once the first frame of these points was on screen. */
  at: number;
}

export interface MapCanvasProps {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  coloring: Coloring;
  /** Per point: passes the current filters; the others are dimmed. null: none is dimmed. */
  included: ArrayLike<boolean> | null;
  /** The indices of the points inside a finished lasso. */
  onLasso?: (indices: number[]) => void;
  /** The point under the pointer, or -1 when it leaves the points. */
  onHover?: (index: number) => void;
  onClick?: (index: number) => void;
  /** What the tooltip beside the hovered point says. */
  renderTooltip?: (index: number) => ComponentChildren;
  /** Called after the first frame of a new set of points (or colours) is on screen. */
  onPaint?: (paint: MapPaint) => void;
  label?: string;
}

type Mode = "pan" | "lasso";
type Drag =
  | { kind: "pan"; x: number; y: number; startX: number; startY: number; moved: boolean }
  | { kind: "lasso"; unit: number[]; screen: number[] };

const HOVER_RADIUS_PX = 8;

function basePointSize(count: number): number {
  if (count <= 2_000) return 7;
  if (count <= 20_000) return 4.5;
  if (count <= 60_000) return 3.5;
  return 2.5;
}

export function MapCanvas(props: MapCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const lassoPath = useRef<SVGPolylineElement>(null);
  const renderer = useRef<MapRenderer | null>(null);
  const view = useRef<View>({ scale: 1, tx: 0, ty: 0 });
  const home = useRef<View>({ scale: 1, tx: 0, ty: 0 });
  const size = useRef({ width: 0, height: 0, dpr: 1 });
  const touched = useRef(false);
  const drag = useRef<Drag | null>(null);
  const frame = useRef(0);
  const frames = useRef(0);
  const pendingPaint = useRef(false);
  const [mode, setMode] = useState<Mode>("pan");
  const [allowWebgl, setAllowWebgl] = useState(true);
  const [rendererKind, setRendererKind] = useState<RendererKind | null>(null);
  const [hovered, setHovered] = useState(-1);
  const [panning, setPanning] = useState(false);

  const points = useMemo(() => fitPoints(props.x, props.y), [props.x, props.y]);
  const grid = useMemo(() => buildGrid(points), [points]);
  const [dimmed, passes] = useMemo(() => {
    if (!props.included) return [null, null];
    const out = new Uint8Array(points.count);
    const pass = new Uint8Array(points.count);
    for (let i = 0; i < points.count; i++) {
      pass[i] = props.included[i] ? 1 : 0;
      out[i] = 1 - pass[i];
    }
    return [out, pass];
  }, [props.included, points]);
  // The animation-frame callbacks read the latest render's values, not the ones they closed over.
  const latest = useRef({ props, points });
  latest.current = { props, points };

  const pointSize = () => basePointSize(latest.current.points.count) * Math.min(3, Math.max(1, Math.sqrt(view.current.scale / home.current.scale)));

  const draw = () => {
    frame.current = 0;
    const target = renderer.current;
    if (!target || !canvas.current) return;
    const { width, height, dpr } = size.current;
    if (!width || !height) return;
    target.draw(view.current, width, height, dpr, pointSize());
    frames.current++;
    canvas.current.dataset.frames = String(frames.current);
    if (pendingPaint.current) {
      pendingPaint.current = false;
      // The frame drawn in this callback is on screen by the next one.
      requestAnimationFrame(() => {
        const at = performance.now();
        const element = canvas.current;
        if (!element) return;
        const count = latest.current.points.count;
        element.dataset.points = String(count);
        element.dataset.paintedAt = String(Math.round(at));
        latest.current.props.onPaint?.({ renderer: target.kind, points: count, at });
      });
    }
  };
  const requestDraw = () => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  };

  // The renderer lives as long as its canvas; a WebGL failure retries on a fresh 2-D canvas.
  useEffect(() => {
    if (!canvas.current) return undefined;
    try {
      renderer.current = createRenderer(canvas.current, allowWebgl);
    } catch (error) {
      if (allowWebgl) setAllowWebgl(false);
      else throw error;
      return undefined;
    }
    setRendererKind(renderer.current.kind);
    return () => {
      if (frame.current) cancelAnimationFrame(frame.current);
      frame.current = 0;
      renderer.current?.dispose();
      renderer.current = null;
    };
  }, [allowWebgl]);

  useEffect(() => {
    if (!renderer.current) return;
    renderer.current.setPoints(points, pointColors(points.count, props.coloring), dimmed);
    pendingPaint.current = true;
    requestDraw();
  }, [points, props.coloring, dimmed, rendererKind]);

  // New coordinates start from the whole map.
  useEffect(() => {
    touched.current = false;
    view.current = home.current;
    setHovered(-1);
  }, [points]);

  useEffect(() => {
    const element = wrap.current;
    if (!element) return undefined;
    const resize = () => {
      const width = element.clientWidth;
      const height = element.clientHeight;
      const dpr = window.devicePixelRatio || 1;
      size.current = { width, height, dpr };
      if (canvas.current) {
        canvas.current.width = Math.max(1, Math.round(width * dpr));
        canvas.current.height = Math.max(1, Math.round(height * dpr));
      }
      home.current = fitView(width, height);
      if (!touched.current) view.current = home.current;
      requestDraw();
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(element);
    return () => observer.disconnect();
  }, [rendererKind]);

  // Wheel zoom must cancel the page's scroll, which a passive (JSX) listener cannot.
  useEffect(() => {
    const element = canvas.current;
    if (!element) return undefined;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const box = element.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0015));
      view.current = zoomAt(view.current, home.current, event.clientX - box.left, event.clientY - box.top, factor);
      touched.current = true;
      setHovered(-1);
      requestDraw();
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [rendererKind]);

  const pointAt = (sx: number, sy: number) => {
    const [ux, uy] = toUnit(view.current, sx, sy);
    return nearestPoint(points, grid, ux, uy, HOVER_RADIUS_PX / view.current.scale, passes);
  };
  const local = (event: PointerEvent): [number, number] => {
    const box = canvas.current!.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  const hover = (index: number) => {
    if (index === hovered) return;
    setHovered(index);
    props.onHover?.(index);
  };

  const onPointerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    const [sx, sy] = local(event);
    try {
      canvas.current?.setPointerCapture(event.pointerId);
    } catch {
      // A synthetic event (a script, the benchmark) has no pointer to capture.
    }
    if (mode === "lasso" || event.shiftKey) {
      const [ux, uy] = toUnit(view.current, sx, sy);
      drag.current = { kind: "lasso", unit: [ux, uy], screen: [sx, sy] };
    } else {
      drag.current = { kind: "pan", x: sx, y: sy, startX: sx, startY: sy, moved: false };
    }
    hover(-1);
  };
  const onPointerMove = (event: PointerEvent) => {
    const [sx, sy] = local(event);
    const current = drag.current;
    if (!current) {
      hover(pointAt(sx, sy));
      return;
    }
    if (current.kind === "pan") {
      if (!current.moved && Math.hypot(sx - current.startX, sy - current.startY) < 3) return;
      if (!current.moved) setPanning(true);
      current.moved = true;
      view.current = { ...view.current, tx: view.current.tx + sx - current.x, ty: view.current.ty + sy - current.y };
      current.x = sx;
      current.y = sy;
      touched.current = true;
      requestDraw();
    } else {
      const n = current.screen.length;
      if (Math.hypot(sx - current.screen[n - 2], sy - current.screen[n - 1]) < 3) return;
      const [ux, uy] = toUnit(view.current, sx, sy);
      current.unit.push(ux, uy);
      current.screen.push(sx, sy);
      lassoPath.current?.setAttribute("points", current.screen.join(" "));
    }
  };
  const onPointerUp = (event: PointerEvent) => {
    const current = drag.current;
    drag.current = null;
    setPanning(false);
    if (!current) return;
    if (current.kind === "pan") {
      if (!current.moved) {
        const [sx, sy] = local(event);
        const index = pointAt(sx, sy);
        if (index >= 0) props.onClick?.(index);
      }
      return;
    }
    lassoPath.current?.setAttribute("points", "");
    const chosen = pointsInPolygon(points, current.unit);
    props.onLasso?.(chosen);
  };
  const cancelDrag = () => {
    drag.current = null;
    setPanning(false);
    lassoPath.current?.setAttribute("points", "");
  };

  // Escape drops a lasso being drawn (the canvas itself never holds the keyboard focus).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && drag.current?.kind === "lasso") cancelDrag();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const zoomBy = (factor: number) => {
    const { width, height } = size.current;
    view.current = zoomAt(view.current, home.current, width / 2, height / 2, factor);
    touched.current = true;
    requestDraw();
  };
  const reset = () => {
    view.current = home.current;
    touched.current = false;
    requestDraw();
  };

  const hoveredAt = hovered >= 0 && hovered < points.count ? toScreen(view.current, points.xy[2 * hovered], points.xy[2 * hovered + 1]) : null;
  const tooltip = hoveredAt && props.renderTooltip ? props.renderTooltip(hovered) : null;
  const flipX = hoveredAt !== null && hoveredAt[0] > size.current.width - 340;
  return (
    <div class={`map-canvas mode-${mode}${panning ? " panning" : ""}`} ref={wrap}>
      <canvas
        key={allowWebgl ? "webgl" : "canvas2d"}
        ref={canvas}
        role="img"
        aria-label={props.label ?? "Map of the points"}
        data-renderer={rendererKind ?? ""}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={cancelDrag}
        onPointerLeave={() => !drag.current && hover(-1)}
      />
      <svg class="map-overlay" aria-hidden="true">
        <polyline ref={lassoPath} class="map-lasso" points="" />
      </svg>
      {hoveredAt && <div class="map-hover-ring" style={{ left: `${hoveredAt[0]}px`, top: `${hoveredAt[1]}px` }} />}
      {hoveredAt && tooltip && (
        <div class={`map-tooltip${flipX ? " flip" : ""}`} role="tooltip" style={{ left: `${hoveredAt[0]}px`, top: `${hoveredAt[1]}px` }}>
          {tooltip}
        </div>
      )}
      <div class="map-tools" role="toolbar" aria-label="Map tools">
        <button class={`map-tool${mode === "pan" ? " active" : ""}`} aria-pressed={mode === "pan"} title="Drag to pan, wheel to zoom" onClick={() => setMode("pan")}>
          Pan
        </button>
        <button class={`map-tool${mode === "lasso" ? " active" : ""}`} aria-pressed={mode === "lasso"} title="Draw around points to filter the rows to them (or shift-drag)" onClick={() => setMode("lasso")}>
          Lasso
        </button>
        <span class="map-tool-gap" />
        <button class="map-tool" title="Zoom in" aria-label="Zoom in" onClick={() => zoomBy(1.5)}>
          +
        </button>
        <button class="map-tool" title="Zoom out" aria-label="Zoom out" onClick={() => zoomBy(1 / 1.5)}>
          −
        </button>
        <button class="map-tool" title="Show the whole map" onClick={reset}>
          Fit
        </button>
      </div>
    </div>
  );
}
