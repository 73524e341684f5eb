// A small Markdown reader for LLM data: headings, paragraphs, lists, quotes, rules and fenced
// code blocks, with inline `code` and **bold**. Every piece keeps its character offset in the
// original text, so search highlights (spans over the raw text) land on the rendered words.
// It never produces HTML strings: the renderer builds elements, so data cannot inject markup.

export interface Inline {
  kind: "text" | "code" | "bold";
  text: string;
  start: number;
}

export type Block =
  | { kind: "heading"; level: number; inlines: Inline[] }
  | { kind: "paragraph"; inlines: Inline[] }
  | { kind: "quote"; inlines: Inline[] }
  | { kind: "list"; ordered: boolean; items: Inline[][] }
  | { kind: "code"; lang: string; text: string; start: number }
  | { kind: "rule" };

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^(#{1,6})\s+/;
const BULLET = /^(\s*)([-*+]|\d{1,3}[.)])\s+/;
const QUOTE = /^\s*>\s?/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;

interface Line {
  text: string;
  start: number;
}

function linesOf(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const text of source.split("\n")) {
    lines.push({ text, start });
    start += text.length + 1;
  }
  return lines;
}

export function parseMarkdown(source: string): Block[] {
  const lines = linesOf(source);
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = FENCE.exec(line.text);
    if (fence) {
      const marker = fence[1];
      let j = i + 1;
      while (j < lines.length && !lines[j].text.trimStart().startsWith(marker)) j++;
      const body = lines.slice(i + 1, j);
      const start = body.length ? body[0].start : line.start + line.text.length;
      const text = body.map((l) => l.text).join("\n");
      blocks.push({ kind: "code", lang: fence[2].toLowerCase(), text, start });
      i = j + 1;
      continue;
    }
    if (!line.text.trim()) {
      i++;
      continue;
    }
    if (RULE.test(line.text)) {
      blocks.push({ kind: "rule" });
      i++;
      continue;
    }
    const heading = HEADING.exec(line.text);
    if (heading) {
      const offset = heading[0].length;
      blocks.push({
        kind: "heading",
        level: heading[1].length,
        inlines: parseInline(line.text.slice(offset), line.start + offset),
      });
      i++;
      continue;
    }
    if (BULLET.test(line.text)) {
      const ordered = /\d/.test(BULLET.exec(line.text)![2]);
      const items: Inline[][] = [];
      while (i < lines.length && lines[i].text.trim() && !FENCE.test(lines[i].text)) {
        const bullet = BULLET.exec(lines[i].text);
        if (bullet) {
          const offset = bullet[0].length;
          items.push(parseInline(lines[i].text.slice(offset), lines[i].start + offset));
        } else if (items.length) {
          // A continuation line belongs to the item above.
          const last = items[items.length - 1];
          last.push({ kind: "text", text: "\n", start: lines[i].start - 1 });
          last.push(...parseInline(lines[i].text, lines[i].start));
        }
        i++;
      }
      blocks.push({ kind: "list", ordered, items });
      continue;
    }
    const quote = QUOTE.test(line.text);
    const inlines: Inline[] = [];
    while (
      i < lines.length &&
      lines[i].text.trim() &&
      !FENCE.test(lines[i].text) &&
      !HEADING.test(lines[i].text) &&
      !BULLET.test(lines[i].text) &&
      QUOTE.test(lines[i].text) === quote
    ) {
      const skip = quote ? QUOTE.exec(lines[i].text)![0].length : 0;
      if (inlines.length) inlines.push({ kind: "text", text: "\n", start: lines[i].start - 1 });
      inlines.push(...parseInline(lines[i].text.slice(skip), lines[i].start + skip));
      i++;
    }
    blocks.push({ kind: quote ? "quote" : "paragraph", inlines });
  }
  return blocks;
}

const INLINE = /`([^`\n]+)`|\*\*([^*\n]+)\*\*/g;

export function parseInline(text: string, start: number): Inline[] {
  const out: Inline[] = [];
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > at) out.push({ kind: "text", text: text.slice(at, index), start: start + at });
    const inner = match[1] ?? match[2];
    out.push({ kind: match[1] !== undefined ? "code" : "bold", text: inner, start: start + index + (match[1] !== undefined ? 1 : 2) });
    at = index + match[0].length;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at), start: start + at });
  return out;
}

/** Whether text looks like Markdown worth rendering (else it is shown as plain text). */
export function looksLikeMarkdown(text: string): boolean {
  return /```|^#{1,6}\s|^\s*([-*+]|\d+[.)])\s|`[^`\n]+`|\*\*[^*\n]+\*\*/m.test(text);
}

// A line that reads as code: it ends a statement or opens/closes a block, or starts with a
// keyword that begins a definition or a statement.
const CODE_LINE = /[;{}]\s*$|^\s*(def|class|function|import|from|return|#include|public|private|const|let|var|for|while|if|elif|else)\b.*[:;({=]\s*$/;
const INDENTED = /^(\t| {2,})\S/;

/**
 * Whether unfenced text is source code (answers in coding datasets often are): several lines, most
 * of them statements, block braces or indented. The compare view shows such text as a code block.
 */
export function looksLikeCode(text: string): boolean {
  const lines = text.split("\n").filter((line) => line.trim());
  if (lines.length < 3) return false;
  const statements = lines.filter((line) => CODE_LINE.test(line)).length;
  const codeLike = lines.filter((line) => CODE_LINE.test(line) || INDENTED.test(line)).length;
  return statements >= 2 && codeLike >= 0.6 * lines.length;
}
