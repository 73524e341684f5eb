// Geometry of the data map: points fitted into a unit square (aspect kept), the pan/zoom view
// that puts that square on screen, a uniform grid for finding the point under the pointer, and
// the lasso's point-in-polygon test. No DOM here: the component and the benchmark share it.

/** Points fitted into [0, 1]² (aspect kept, centred), with y pointing up. */
export interface FittedPoints {
  count: number;
  /** Interleaved x, y in [0, 1]. */
  xy: Float32Array;
}

export function fitPoints(x: ArrayLike<number>, y: ArrayLike<number>): FittedPoints {
  const count = Math.min(x.length, y.length);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    if (x[i] < minX) minX = x[i];
    if (x[i] > maxX) maxX = x[i];
    if (y[i] < minY) minY = y[i];
    if (y[i] > maxY) maxY = y[i];
  }
  // The server already normalises to [0, 1]; other callers (and one-point maps) may not.
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const padX = (span - (maxX - minX)) / 2;
  const padY = (span - (maxY - minY)) / 2;
  const xy = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    xy[2 * i] = (x[i] - minX + padX) / span;
    xy[2 * i + 1] = (y[i] - minY + padY) / span;
  }
  return { count, xy };
}

/** Screen (CSS px) = offset + unit position × scale, y flipped. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 400;

/** The view showing the whole unit square in a width × height box, below `top` (the tools). */
export function fitView(width: number, height: number, margin = 16, top = 56): View {
  const scale = Math.max(1, Math.min(width - 2 * margin, height - margin - top));
  return { scale, tx: (width - scale) / 2, ty: top + (height - margin - top - scale) / 2 };
}

export function toScreen(view: View, ux: number, uy: number): [number, number] {
  return [view.tx + ux * view.scale, view.ty + (1 - uy) * view.scale];
}

export function toUnit(view: View, sx: number, sy: number): [number, number] {
  return [(sx - view.tx) / view.scale, 1 - (sy - view.ty) / view.scale];
}

/** Zoom by `factor` keeping the unit point under (sx, sy) where it is. */
export function zoomAt(view: View, home: View, sx: number, sy: number, factor: number): View {
  const scale = Math.min(home.scale * MAX_ZOOM, Math.max(home.scale * MIN_ZOOM, view.scale * factor));
  const f = scale / view.scale;
  return { scale, tx: sx - (sx - view.tx) * f, ty: sy - (sy - view.ty) * f };
}

/**
 * A uniform grid over the unit square: the points of each cell stored contiguously (counting
 * sort), so building it for 100k points is two passes and a hover looks at a few cells only.
 */
export interface PointGrid {
  size: number;
  starts: Uint32Array;
  items: Uint32Array;
}

export function buildGrid(points: FittedPoints): PointGrid {
  const size = Math.max(1, Math.min(512, Math.round(Math.sqrt(points.count / 2))));
  const cellOf = new Uint32Array(points.count);
  const starts = new Uint32Array(size * size + 1);
  for (let i = 0; i < points.count; i++) {
    const cx = Math.min(size - 1, Math.max(0, Math.floor(points.xy[2 * i] * size)));
    const cy = Math.min(size - 1, Math.max(0, Math.floor(points.xy[2 * i + 1] * size)));
    const cell = cy * size + cx;
    cellOf[i] = cell;
    starts[cell + 1]++;
  }
  for (let c = 0; c < size * size; c++) starts[c + 1] += starts[c];
  const fill = starts.slice(0, size * size);
  const items = new Uint32Array(points.count);
  for (let i = 0; i < points.count; i++) items[fill[cellOf[i]]++] = i;
  return { size, starts, items };
}

/**
 * The point nearest to the unit position (ux, uy) within `radius` (unit lengths), or -1.
 * `prefer` (the points not dimmed) wins over a nearer point drawn underneath it.
 */
export function nearestPoint(points: FittedPoints, grid: PointGrid, ux: number, uy: number, radius: number, prefer: Uint8Array | null = null): number {
  const { size, starts, items } = grid;
  const x0 = Math.max(0, Math.floor((ux - radius) * size));
  const x1 = Math.min(size - 1, Math.floor((ux + radius) * size));
  const y0 = Math.max(0, Math.floor((uy - radius) * size));
  const y1 = Math.min(size - 1, Math.floor((uy + radius) * size));
  let best = -1;
  let bestScore = Infinity;
  const r2 = radius * radius;
  for (let cy = y0; cy <= y1; cy++) {
    for (let cx = x0; cx <= x1; cx++) {
      const cell = cy * size + cx;
      for (let k = starts[cell]; k < starts[cell + 1]; k++) {
        const i = items[k];
        const dx = points.xy[2 * i] - ux;
        const dy = points.xy[2 * i + 1] - uy;
        const d2 = dx * dx + dy * dy;
        if (d2 > r2) continue;
        const score = prefer && !prefer[i] ? d2 + r2 : d2;
        if (score < bestScore) {
          bestScore = score;
          best = i;
        }
      }
    }
  }
  return best;
}

/** Even-odd rule; `polygon` is interleaved x, y. */
export function insidePolygon(polygon: ArrayLike<number>, px: number, py: number): boolean {
  let inside = false;
  const n = polygon.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[2 * i];
    const yi = polygon[2 * i + 1];
    const xj = polygon[2 * j];
    const yj = polygon[2 * j + 1];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The indices of the points inside a lasso drawn in unit coordinates. */
export function pointsInPolygon(points: FittedPoints, polygon: ArrayLike<number>): number[] {
  if (polygon.length < 6) return [];
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i]);
    maxX = Math.max(maxX, polygon[i]);
    minY = Math.min(minY, polygon[i + 1]);
    maxY = Math.max(maxY, polygon[i + 1]);
  }
  const found: number[] = [];
  for (let i = 0; i < points.count; i++) {
    const x = points.xy[2 * i];
    const y = points.xy[2 * i + 1];
    // The bounding box rejects most points before the polygon test.
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (insidePolygon(polygon, x, y)) found.push(i);
  }
  return found;
}
