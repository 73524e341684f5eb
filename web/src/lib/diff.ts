// Diffs for the compare and experiment views, one implementation for both: texts become
// Markdown blocks (fenced code, paragraphs, list items, headings), blocks are aligned between
// the two sides, code blocks are compared line by line and prose word by word. Plain text with
// no Markdown is compared word by word as it stands, so every space and line break is kept.
// Myers' O(ND) algorithm underneath.
import { looksLikeCode, looksLikeMarkdown, parseMarkdown, type Block, type Inline } from "./markdown";
import type { Span } from "./spans";

export type DiffOp = "equal" | "insert" | "delete";

/**
 * An aligned stretch: items both sides share ("equal", as many before as after, equal by key), or
 * the items one side has in place of the other's ("change", either side possibly empty).
 */
export interface DiffRun<T> {
  op: "equal" | "change";
  before: T[];
  after: T[];
}

// Words, runs of whitespace and single punctuation marks, so a diff reads like a track-changes
// view rather than a character soup.
const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
const WORD = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
/** Beyond this many edits the rest is shown as one replacement (keeps huge diffs fast). */
export const MAX_EDITS = 2000;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function countWords(text: string): number {
  return (text.match(WORD) ?? []).length;
}

/** Align a and b by key: shared runs and changed runs, in order. */
export function diffBy<T>(a: T[], b: T[], key: (item: T) => string): DiffRun<T>[] {
  const ka = a.map(key);
  const kb = b.map(key);
  let prefix = 0;
  while (prefix < ka.length && prefix < kb.length && ka[prefix] === kb[prefix]) prefix++;
  let suffix = 0;
  while (suffix < ka.length - prefix && suffix < kb.length - prefix && ka[ka.length - 1 - suffix] === kb[kb.length - 1 - suffix]) {
    suffix++;
  }
  const runs: DiffRun<T>[] = [];
  const add = (op: DiffRun<T>["op"], before: T[], after: T[]) => {
    if (!before.length && !after.length) return;
    const last = runs[runs.length - 1];
    if (last?.op === op) {
      // concat, not push(...items): a long text's runs would overflow the argument stack.
      last.before = last.before.concat(before);
      last.after = last.after.concat(after);
    } else {
      runs.push({ op, before: [...before], after: [...after] });
    }
  };
  add("equal", a.slice(0, prefix), b.slice(0, prefix));
  // The script holds keys; walking it with a cursor on each side maps them back to the items.
  let i = prefix;
  let j = prefix;
  for (const [op, keys] of myers(ka.slice(prefix, ka.length - suffix), kb.slice(prefix, kb.length - suffix))) {
    const n = keys.length;
    if (op === "equal") add("equal", a.slice(i, (i += n)), b.slice(j, (j += n)));
    else if (op === "delete") add("change", a.slice(i, (i += n)), []);
    else add("change", [], b.slice(j, (j += n)));
  }
  add("equal", a.slice(a.length - suffix), b.slice(b.length - suffix));
  return runs;
}

/**
 * Fold each shared stretch that is no longer than the changes on both its sides into them (the
 * semantic cleanup of diff-match-patch): "I wrote a short" -> "I won two" then reads as one
 * replacement, not as words alternating around the spaces they happen to share.
 */
export function absorbShortEqualities<T>(runs: DiffRun<T>[], size: (items: T[]) => number): DiffRun<T>[] {
  const out = runs.slice();
  let i = 1;
  while (i < out.length - 1) {
    const [left, middle, right] = [out[i - 1], out[i], out[i + 1]];
    if (middle.op === "equal" && left.op === "change" && right.op === "change") {
      const length = size(middle.after);
      const around = (run: typeof left) => Math.max(size(run.before), size(run.after));
      if (length <= around(left) && length <= around(right)) {
        out.splice(i - 1, 3, {
          op: "change",
          before: [...left.before, ...middle.before, ...right.before],
          after: [...left.after, ...middle.after, ...right.after],
        });
        // The merged change is longer now, so the stretch before it may fold too.
        i = Math.max(1, i - 2);
        continue;
      }
    }
    i++;
  }
  return out;
}

const textLength = (tokens: string[]) => tokens.reduce((n, t) => n + t.length, 0);

/** Two plain texts word by word, whitespace kept as it is. */
export function wordDiff(before: string, after: string): DiffRun<string>[] {
  return absorbShortEqualities(
    diffBy(tokenize(before), tokenize(after), (t) => t),
    textLength,
  );
}

/** Two code texts line by line. */
export function lineDiff(before: string, after: string): DiffRun<string>[] {
  const lines = (text: string) => (text ? text.split("\n") : []);
  return diffBy(lines(before), lines(after), (line) => line);
}

/** A piece of inline Markdown (plain, `code` or **bold**) as one word or space. */
export interface InlineToken {
  kind: Inline["kind"];
  text: string;
}

/** Two runs of inline Markdown word by word, each word keeping its formatting. */
export function inlineDiff(before: Inline[], after: Inline[]): DiffRun<InlineToken>[] {
  const tokens = (inlines: Inline[]) => inlines.flatMap((inline) => tokenize(inline.text).map((text) => ({ kind: inline.kind, text })));
  return absorbShortEqualities(
    diffBy(tokens(before), tokens(after), (t) => `${t.kind}\u0000${t.text}`),
    (items) => items.reduce((n, t) => n + t.text.length, 0),
  );
}

/** A block as the diff aligns it: each list item stands alone, so an item is compared with its counterpart. */
export type DiffBlock = Exclude<Block, { kind: "list" }> | { kind: "item"; ordered: boolean; inlines: Inline[] };

/** The blocks of a text, or null when it is plain prose best compared as it stands. */
export function diffBlocks(text: string): DiffBlock[] | null {
  if (looksLikeMarkdown(text)) return markdownBlocks(text);
  if (looksLikeCode(text)) return [{ kind: "code", lang: "", text: text.replace(/\n+$/, ""), start: 0 }];
  return null;
}

function markdownBlocks(text: string): DiffBlock[] {
  return parseMarkdown(text).flatMap((block): DiffBlock[] =>
    block.kind === "list" ? block.items.map((inlines) => ({ kind: "item", ordered: block.ordered, inlines })) : [block],
  );
}

function plain(inlines: Inline[]): string {
  return inlines.map((i) => (i.kind === "text" ? i.text : `${i.kind}\u0000${i.text}`)).join("");
}

function blockKey(block: DiffBlock): string {
  switch (block.kind) {
    case "code":
      return `code ${block.lang}\n${block.text}`;
    case "heading":
      return `heading ${block.level}\n${plain(block.inlines)}`;
    case "item":
      return `item ${block.ordered}\n${plain(block.inlines)}`;
    case "rule":
      return "rule";
    default:
      return `${block.kind}\n${plain(block.inlines)}`;
  }
}

/** Blocks side by side: the same block on both sides, a block changed into one of its kind, or a block only one side has. */
export interface BlockPair {
  before: DiffBlock | null;
  after: DiffBlock | null;
}

export function alignBlocks(before: DiffBlock[], after: DiffBlock[]): BlockPair[] {
  const pairs: BlockPair[] = [];
  const zip = (run: DiffRun<DiffBlock>) => run.after.forEach((block, i) => pairs.push({ before: run.before[i], after: block }));
  for (const run of diffBy(before, after, blockKey)) {
    if (run.op === "equal") {
      zip(run);
      continue;
    }
    // Within a changed stretch, blocks of one kind pair up in order; the rest stand alone.
    for (const inner of diffBy(run.before, run.after, (block) => block.kind)) {
      if (inner.op === "equal") zip(inner);
      else {
        pairs.push(...inner.before.map((block) => ({ before: block, after: null })));
        pairs.push(...inner.after.map((block) => ({ before: null, after: block })));
      }
    }
  }
  return pairs;
}

/** The edit script from a to b as runs of (op, tokens). */
export function myers(a: string[], b: string[]): [DiffOp, string[]][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) {
    return [
      ["delete", a],
      ["insert", b],
    ];
  }
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, MAX_EDITS); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) {
    return [
      ["delete", a],
      ["insert", b],
    ];
  }
  // Walk the trace back from (n, m), collecting single-token edits and diagonal runs.
  const script: [DiffOp, string[]][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d];
    // trace[d] holds v after round d - 1 for diagonals -d-1..d+1.
    const at = (k: number) => prev[k + d + 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const snake: string[] = [];
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) {
      snake.unshift(a[x - 1]);
      x--;
      y--;
    }
    if (snake.length) script.unshift(["equal", snake]);
    if (down) {
      script.unshift(["insert", [b[y - 1]]]);
      y--;
    } else {
      script.unshift(["delete", [a[x - 1]]]);
      x--;
    }
  }
  if (x > 0) script.unshift(["equal", a.slice(0, x)]);
  return script;
}

/** One aligned block pair, compared: code line by line, prose word by word. */
export type PairDiff = { side: "both" | "before" | "after" } & (
  | { kind: "code"; lang: string; lines: DiffRun<string>[] }
  | { kind: "rule" }
  | { kind: "heading" | "paragraph" | "quote" | "item"; level: number; ordered: boolean; words: DiffRun<InlineToken>[] }
);

export type TextDiff = { mode: "blocks"; blocks: PairDiff[] } | { mode: "plain"; words: DiffRun<string>[] };

const codeOf = (block: DiffBlock | null) => (block?.kind === "code" ? block.text : "");

function comparePair(pair: BlockPair): PairDiff {
  const side = pair.before && pair.after ? "both" : pair.before ? "before" : "after";
  const block = (pair.after ?? pair.before) as DiffBlock;
  switch (block.kind) {
    case "code":
      return { side, kind: "code", lang: block.lang, lines: lineDiff(codeOf(pair.before), codeOf(pair.after)) };
    case "rule":
      return { side, kind: "rule" };
    default: {
      const inlines = (b: DiffBlock | null) => (b && "inlines" in b ? b.inlines : []);
      return {
        side,
        kind: block.kind,
        level: block.kind === "heading" ? block.level : 0,
        ordered: block.kind === "item" && block.ordered,
        words: inlineDiff(inlines(pair.before), inlines(pair.after)),
      };
    }
  }
}

/**
 * Two texts compared for reading: as Markdown blocks when either side has Markdown or is code,
 * else word by word as they stand. A difference the rendered blocks would hide (spacing between
 * paragraphs, say) falls back to the plain diff, so a change is never shown as no change.
 */
export function compareTexts(before: string, after: string): TextDiff {
  const blocksBefore = diffBlocks(before);
  const blocksAfter = diffBlocks(after);
  if (blocksBefore || blocksAfter) {
    const pairs = alignBlocks(blocksBefore ?? markdownBlocks(before), blocksAfter ?? markdownBlocks(after));
    const blocks = pairs.map(comparePair);
    const changed = blocks.some((b) => b.side !== "both" || (b.kind === "code" ? b.lines : b.kind === "rule" ? [] : b.words).some((r) => r.op === "change"));
    if (changed || before === after) return { mode: "blocks", blocks };
  }
  return { mode: "plain", words: wordDiff(before, after) };
}

export interface ChangeCounts {
  removedWords: number;
  addedWords: number;
  removedLines: number;
  addedLines: number;
}

export function countChanges(diff: TextDiff): ChangeCounts {
  const counts = { removedWords: 0, addedWords: 0, removedLines: 0, addedLines: 0 };
  const words = (runs: DiffRun<{ text: string } | string>[]) => {
    for (const run of runs.filter((r) => r.op === "change")) {
      counts.removedWords += countWords(run.before.map((t) => (typeof t === "string" ? t : t.text)).join(""));
      counts.addedWords += countWords(run.after.map((t) => (typeof t === "string" ? t : t.text)).join(""));
    }
  };
  if (diff.mode === "plain") words(diff.words);
  else {
    for (const block of diff.blocks) {
      if (block.kind === "code") {
        for (const run of block.lines.filter((r) => r.op === "change")) {
          counts.removedLines += run.before.length;
          counts.addedLines += run.after.length;
        }
      } else if (block.kind !== "rule") words(block.words);
    }
  }
  return counts;
}

/** Where two versions of a line differ, as character spans on each: the words to mark inside a changed line. */
export function changedSpans(before: string, after: string): [Span[], Span[]] {
  const spans: [Span[], Span[]] = [[], []];
  let at = [0, 0];
  for (const run of wordDiff(before, after)) {
    const lengths = [textLength(run.before), textLength(run.after)];
    if (run.op === "change") {
      lengths.forEach((n, side) => n && spans[side].push({ start: at[side], end: at[side] + n }));
    }
    at = [at[0] + lengths[0], at[1] + lengths[1]];
  }
  return spans;
}
