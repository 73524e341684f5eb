// Word-level diff (Myers' O(ND) algorithm) for the compare view.
// Texts are split into words, runs of whitespace and single punctuation marks, so a diff
// reads like a track-changes view rather than a character soup.

export type DiffOp = "equal" | "insert" | "delete";
export interface DiffPart {
  op: DiffOp;
  text: string;
}

const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
/** Beyond this many edits the rest is shown as one replacement (keeps huge diffs fast). */
export const MAX_EDITS = 2000;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const parts: DiffPart[] = [];
  push(parts, "equal", a.slice(0, prefix));
  for (const [op, tokens] of myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix))) {
    push(parts, op, tokens);
  }
  push(parts, "equal", a.slice(a.length - suffix));
  return parts;
}

function push(parts: DiffPart[], op: DiffOp, tokens: string[]): void {
  if (!tokens.length) return;
  const text = tokens.join("");
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
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
