// The legend of a map's colouring: categories with their colour and number of points (a click
// on one reports it, so the caller can filter by it), or a numeric gradient with its range.
import { useMemo } from "preact/hooks";
import { categoryColor, cssColor, gradientCss, MISSING, type Coloring } from "../lib/mapColors";
import { formatCount, formatValue } from "../lib/schema";

interface Props {
  title: string;
  coloring: Coloring;
  /** The category a filter currently selects (null = "no value"; undefined = none). */
  active?: number | null;
  /** Called with a category index (null = the points with no value). */
  onCategory?: (index: number | null) => void;
  /** Categories that cannot be selected (the "other" bucket). */
  disabled?: (name: string) => boolean;
}

/** Points per category, and those with no value (counted once per colouring, not per render). */
function countCategories(coloring: Coloring): { counts: number[]; missing: number } {
  if (coloring.kind !== "categorical") return { counts: [], missing: 0 };
  const counts = new Array<number>(coloring.categories.length).fill(0);
  let missing = 0;
  for (let i = 0; i < coloring.values.length; i++) {
    const v = coloring.values[i];
    if (v === null || v === undefined || v >= counts.length) missing++;
    else counts[v]++;
  }
  return { counts, missing };
}

export function MapLegend(props: Props) {
  const { coloring } = props;
  const { counts, missing } = useMemo(() => countCategories(coloring), [coloring]);
  if (coloring.kind === "none") return null;
  if (coloring.kind === "numeric") {
    return (
      <div class="map-legend" aria-label={`Legend: ${props.title}`}>
        <div class="map-legend-title" title={props.title}>
          {props.title}
        </div>
        <div class="map-gradient" style={{ background: gradientCss() }} />
        <div class="map-gradient-range small muted">
          <span>{formatValue(coloring.min)}</span>
          <span>{formatValue(coloring.max)}</span>
        </div>
      </div>
    );
  }
  const entry = (index: number | null, name: string, color: string, count: number) => {
    const off = props.disabled?.(name) ?? false;
    const active = props.active !== undefined && props.active === index;
    return (
      <li key={index ?? "missing"}>
        <button
          class={`map-legend-entry${active ? " active" : ""}`}
          aria-pressed={active}
          disabled={off || !props.onCategory}
          title={off ? `${name}: ${formatCount(count)} points (the rarer values, not one to filter by)` : `${name}: ${formatCount(count)} points (click to ${active ? "clear the filter" : "filter the rows"})`}
          onClick={() => props.onCategory?.(index)}
        >
          <span class="map-swatch" style={{ background: color }} />
          <span class="map-legend-name">{name}</span>
          <span class="map-legend-count">{formatCount(count)}</span>
        </button>
      </li>
    );
  };
  return (
    <div class="map-legend" aria-label={`Legend: ${props.title}`}>
      <div class="map-legend-title" title={props.title}>
        {props.title}
      </div>
      <ul class="map-legend-list">
        {coloring.categories.map((name, i) => entry(i, name, cssColor(categoryColor(i, name)), counts[i]))}
        {missing > 0 && entry(null, "no value", cssColor(MISSING), missing)}
      </ul>
    </div>
  );
}
