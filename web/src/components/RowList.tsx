// The row list, virtualised: only the rows on screen exist in the page, and only their pages
// are fetched. Past a few million pixels the scrollbar maps proportionally onto the rows, so
// a 1M-row dataset scrolls end to end.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Row } from "../api/types";
import { formatCount, previewText, valueAt } from "../lib/schema";
import { snippetAround, spansOf, splitBySpans, toUtf16Spans, type Span } from "../lib/spans";
import type { RowPages } from "../state/rows";

export const ROW_HEIGHT = 108;
const MAX_SCROLL_PX = 4_000_000;
const OVERSCAN = 4;
const SNIPPET = 240;

interface Props {
  pages: RowPages;
  previewPaths: string[];
  /** Search result column per searched path, for highlights. */
  searchColumnFor: Map<string, string>;
  labels: string[];
  selectedRow: number | null;
  selectedIndex: number;
  checked: Set<number>;
  onSelect: (rowid: number) => void;
  onCheck: (rowid: number, checked: boolean) => void;
}

export function RowList(props: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const total = props.pages.total ?? 0;
  const realHeight = total * ROW_HEIGHT;
  const spacer = Math.min(realHeight, MAX_SCROLL_PX);
  const scale = realHeight > spacer && spacer > height ? (realHeight - height) / (spacer - height) : 1;
  const virtualTop = scrollTop * scale;
  const first = Math.max(0, Math.floor(virtualTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((virtualTop + height) / ROW_HEIGHT) + OVERSCAN);

  useLayoutEffect(() => {
    const element = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    props.pages.ensure(first, last);
  });

  // Keep the selected row on screen when the keyboard moves it.
  useEffect(() => {
    const index = props.selectedIndex;
    const element = scroller.current;
    if (index < 0 || !element) return;
    const top = index * ROW_HEIGHT;
    if (top < virtualTop || top + ROW_HEIGHT > virtualTop + height) {
      element.scrollTop = Math.max(0, (top - height / 3) / scale);
    }
  }, [props.selectedIndex]);

  const items = [];
  for (let index = first; index < last; index++) {
    const row = props.pages.rowAt(index);
    const top = scrollTop + index * ROW_HEIGHT - virtualTop;
    items.push(
      row ? (
        <RowCard key={row.__rowid__} row={row} top={top} {...props} />
      ) : (
        <div key={`ph${index}`} class="row-card placeholder" style={{ top: `${top}px`, height: `${ROW_HEIGHT - 8}px` }}>
          <div class="skeleton" />
          <div class="skeleton short" />
        </div>
      ),
    );
  }
  return (
    <div class="row-scroller" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} aria-label="Rows" role="list">
      <div class="row-spacer" style={{ height: `${spacer}px` }}>
        {items}
      </div>
      {props.pages.total === 0 && <div class="empty">No rows match this view.</div>}
    </div>
  );
}

function RowCard(props: Props & { row: Row; top: number }) {
  const { row } = props;
  const rowid = row.__rowid__;
  const deleted = row.__deleted__ === true;
  const selected = props.selectedRow === rowid;
  const scores = [...props.searchColumnFor.values()].map((column) => valueAt(row, column)).filter(Boolean) as { score?: number }[];
  return (
    <div
      class={`row-card ${selected ? "selected" : ""} ${deleted ? "deleted" : ""}`}
      style={{ top: `${props.top}px`, height: `${ROW_HEIGHT - 8}px` }}
      role="listitem"
      data-rowid={rowid}
      onClick={() => props.onSelect(rowid)}
    >
      <div class="row-head">
        <input
          type="checkbox"
          aria-label={`Select row ${rowid}`}
          checked={props.checked.has(rowid)}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => props.onCheck(rowid, e.currentTarget.checked)}
        />
        <span class="rowid">#{formatCount(rowid)}</span>
        {props.labels.map((label) => {
          const value = valueAt(row, label) as { label?: string } | null;
          if (!value?.label) return null;
          return (
            <span key={label} class={`chip label-${label}`} data-label={label}>
              {label}
              {value.label !== "true" ? `: ${value.label}` : ""}
            </span>
          );
        })}
        {deleted && <span class="chip deleted-chip">deleted</span>}
        {scores.map((s, i) =>
          typeof s.score === "number" ? (
            <span key={i} class="score" title="search score">
              {s.score.toFixed(3)}
            </span>
          ) : null,
        )}
      </div>
      {props.previewPaths.map((path) => (
        <PreviewLine key={path} row={row} path={path} column={props.searchColumnFor.get(path)} />
      ))}
    </div>
  );
}

function PreviewLine(props: { row: Row; path: string; column?: string }) {
  const text = previewText(valueAt(props.row, props.path));
  if (text === null) {
    return (
      <div class="preview">
        <span class="preview-field">{props.path}</span>
        <span class="null">null</span>
      </div>
    );
  }
  const spans: Span[] = props.column ? toUtf16Spans(text, spansOf(valueAt(props.row, props.column))) : [];
  const [from, to] = snippetAround(text, spans, SNIPPET);
  // Spans index the raw text, so whitespace is collapsed per piece, after splitting.
  const pieces = splitBySpans(text.slice(from, to), from, spans);
  return (
    <div class="preview">
      <span class="preview-field">{props.path}</span>
      <span class="preview-text">
        {from > 0 && "…"}
        {pieces.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text.replace(/\s+/g, " ")}</span>))}
      </span>
    </div>
  );
}
