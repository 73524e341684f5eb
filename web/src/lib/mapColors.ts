// Colours of the data map: a categorical palette (legend order), a numeric gradient, and the
// per-point RGBA bytes the renderer uploads. Pure functions, so the map and its legend agree.

export type RGB = [number, number, number];

// Tableau-20 order: neighbouring legend entries stay distinguishable.
const PALETTE: RGB[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
  [174, 199, 232], [255, 187, 120], [152, 223, 138], [255, 152, 150], [197, 176, 213],
  [196, 156, 148], [247, 182, 210], [199, 199, 199], [219, 219, 141], [158, 218, 229],
];
export const PLAIN: RGB = [38, 120, 108];
export const MISSING: RGB = [190, 196, 204];
/** The colour of the server's "other" bucket (categories past the legend's twenty). */
export const OTHER: RGB = [150, 150, 150];

// Viridis, sampled: perceptually even and readable for colour-blind users.
const GRADIENT: RGB[] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];

export function categoryColor(index: number, name?: string): RGB {
  if (name === "other") return OTHER;
  return PALETTE[index % PALETTE.length];
}

/** The gradient's colour at t in [0, 1]. */
export function gradientColor(t: number): RGB {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const at = clamped * (GRADIENT.length - 1);
  const low = Math.floor(at);
  const high = Math.min(GRADIENT.length - 1, low + 1);
  const f = at - low;
  const a = GRADIENT[low];
  const b = GRADIENT[high];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export const cssColor = (rgb: RGB) => `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;

export function gradientCss(): string {
  return `linear-gradient(to right, ${GRADIENT.map((c, i) => `${cssColor(c)} ${Math.round((100 * i) / (GRADIENT.length - 1))}%`).join(", ")})`;
}

/** How points are coloured: one colour, a category per point, or a number per point. */
export type Coloring =
  | { kind: "none" }
  | { kind: "categorical"; categories: string[]; values: ArrayLike<number | null> }
  | { kind: "numeric"; values: ArrayLike<number | null>; min: number; max: number };

export function numericRange(values: ArrayLike<number | null>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 1 };
}

/** RGBA bytes per point (alpha 255; the renderer fades the dimmed ones). */
export function pointColors(count: number, coloring: Coloring): Uint8Array {
  const rgba = new Uint8Array(count * 4);
  const categoryRgb = coloring.kind === "categorical" ? coloring.categories.map((name, i) => categoryColor(i, name)) : [];
  const span = coloring.kind === "numeric" ? coloring.max - coloring.min || 1 : 1;
  for (let i = 0; i < count; i++) {
    let rgb = PLAIN;
    if (coloring.kind === "categorical") {
      const v = coloring.values[i];
      rgb = v === null || v === undefined ? MISSING : (categoryRgb[v] ?? MISSING);
    } else if (coloring.kind === "numeric") {
      const v = coloring.values[i];
      rgb = v === null || v === undefined || !Number.isFinite(v) ? MISSING : gradientColor((v - coloring.min) / span);
    }
    rgba[i * 4] = rgb[0];
    rgba[i * 4 + 1] = rgb[1];
    rgba[i * 4 + 2] = rgb[2];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
