// Search results mark character spans of a text. The server counts characters as Python
// does (code points); JavaScript strings count UTF-16 units, so spans are converted first.

export interface Span {
  start: number;
  end: number;
  score?: number;
}

export function toUtf16Spans(text: string, spans: Span[]): Span[] {
  if (!/[\uD800-\uDFFF]/.test(text)) return spans;
  // Map each code point index to its UTF-16 index once.
  const index: number[] = [];
  let unit = 0;
  for (const char of text) {
    index.push(unit);
    unit += char.length;
  }
  index.push(unit);
  const at = (i: number) => index[Math.min(Math.max(i, 0), index.length - 1)];
  return spans.map((span) => ({ ...span, start: at(span.start), end: at(span.end) }));
}

/** Spans of a search result value ({score, spans}) or [] for anything else. */
export function spansOf(result: unknown): Span[] {
  if (!result || typeof result !== "object") return [];
  const spans = (result as { spans?: unknown }).spans;
  if (!Array.isArray(spans)) return [];
  return spans
    .filter(
      (s): s is Span =>
        !!s && typeof s === "object" && typeof s.start === "number" && typeof s.end === "number",
    )
    .sort((x, y) => x.start - y.start);
}

export interface Piece {
  text: string;
  marked: boolean;
}

/** Split text[start, start + text.length) into pieces inside and outside the spans. */
export function splitBySpans(text: string, start: number, spans: Span[]): Piece[] {
  if (!spans.length) return [{ text, marked: false }];
  const end = start + text.length;
  const pieces: Piece[] = [];
  let at = start;
  for (const span of spans) {
    const s = Math.max(span.start, at);
    const e = Math.min(span.end, end);
    if (e <= s) continue;
    if (s > at) pieces.push({ text: text.slice(at - start, s - start), marked: false });
    pieces.push({ text: text.slice(s - start, e - start), marked: true });
    at = e;
  }
  if (at < end) pieces.push({ text: text.slice(at - start), marked: false });
  return pieces;
}

/** A window of text around its first span, for one-line previews. */
export function snippetAround(text: string, spans: Span[], width: number): [number, number] {
  if (!spans.length || text.length <= width) return [0, Math.min(text.length, width)];
  const first = spans[0].start;
  const from = Math.max(0, Math.min(first - Math.floor(width / 4), text.length - width));
  return [from, from + width];
}
