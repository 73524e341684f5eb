// Two text fields side by side as one word-level diff: deletions struck in red, insertions
// in green, with a count of changed words.
import { useMemo } from "preact/hooks";
import { wordDiff } from "../lib/diff";

export function DiffView(props: { before: string | null; after: string | null; left: string; right: string }) {
  const parts = useMemo(() => wordDiff(props.before ?? "", props.after ?? ""), [props.before, props.after]);
  const words = (text: string) => (text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? []).length;
  const whitespaceOnly = parts.some((p) => p.op !== "equal") && parts.every((p) => p.op === "equal" || !p.text.trim());
  const removed = parts.filter((p) => p.op === "delete").reduce((n, p) => n + words(p.text), 0);
  const added = parts.filter((p) => p.op === "insert").reduce((n, p) => n + words(p.text), 0);
  return (
    <div class="diff" data-testid="diff">
      <div class="diff-head">
        <span class="diff-field del">{props.left}</span>
        <span class="arrow">→</span>
        <span class="diff-field ins">{props.right}</span>
        <span class="diff-stats">
          <span class="del">−{removed}</span> <span class="ins">+{added}</span> {whitespaceOnly ? "(whitespace only)" : "words"}
        </span>
      </div>
      {props.before === null && <div class="muted small">{props.left} is empty in this row</div>}
      {props.after === null && <div class="muted small">{props.right} is empty in this row</div>}
      <div class="diff-body">
        {parts.map((part, i) =>
          part.op === "equal" ? (
            <span key={i}>{part.text}</span>
          ) : part.op === "delete" ? (
            <del key={i} class={part.text.trim() ? undefined : "ws"}>
              {showWhitespace(part.text)}
            </del>
          ) : (
            <ins key={i} class={part.text.trim() ? undefined : "ws"}>
              {showWhitespace(part.text)}
            </ins>
          ),
        )}
      </div>
      {parts.every((p) => p.op === "equal") && props.before !== null && props.after !== null && (
        <div class="muted small">The two fields hold the same words.</div>
      )}
    </div>
  );
}

/** Changed whitespace made visible: a space as ·, a tab as →, a line break as ↵. */
function showWhitespace(text: string): string {
  if (text.trim()) return text;
  return text.replace(/ /g, "·").replace(/\t/g, "→").replace(/\n/g, "↵\n");
}
