// The one diff view, for the compare view (two fields of a row) and the experiment view (a
// prediction against its reference). Markdown is rendered on both sides; code blocks are a line
// diff in monospace with the changed words marked inside changed lines; prose is a word diff
// whose deleted and inserted runs stand apart, every space kept.
import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import "../diff.css";
import { changedSpans, compareTexts, countChanges, type DiffRun, type InlineToken, type PairDiff } from "../lib/diff";
import { highlightCode } from "../lib/highlight";
import { splitBySpans, type Span } from "../lib/spans";

export function DiffView(props: { before: string | null; after: string | null; left: string; right: string }) {
  const before = props.before ?? "";
  const after = props.after ?? "";
  const diff = useMemo(() => compareTexts(before, after), [before, after]);
  const counts = countChanges(diff);
  const same = before === after;
  const whitespaceOnly = !same && before.replace(/\s+/g, "") === after.replace(/\s+/g, "");
  return (
    <div class="diff" data-testid="diff">
      <div class="diff-head">
        <span class="diff-field del">{props.left}</span>
        <span class="arrow">→</span>
        <span class="diff-field ins">{props.right}</span>
        <span class="diff-stats">
          {whitespaceOnly ? (
            "whitespace only"
          ) : (
            <>
              <span class="del">−{counts.removedWords}</span> <span class="ins">+{counts.addedWords}</span> words
              {(counts.removedLines > 0 || counts.addedLines > 0) && (
                <>
                  {" · "}
                  <span class="del">−{counts.removedLines}</span> <span class="ins">+{counts.addedLines}</span> lines
                </>
              )}
            </>
          )}
        </span>
      </div>
      {props.before === null && <div class="muted small">{props.left} is empty in this row</div>}
      {props.after === null && <div class="muted small">{props.right} is empty in this row</div>}
      {diff.mode === "plain" ? (
        <div class="diff-body diff-plain">
          {diff.words.map((run, i) =>
            run.op === "equal" ? (
              <span key={i}>{run.after.join("")}</span>
            ) : (
              <Replacement key={i} removed={plainText(run.before)} added={plainText(run.after)} />
            ),
          )}
        </div>
      ) : (
        <div class="diff-body diff-md md">
          <Blocks blocks={diff.blocks} />
        </div>
      )}
      {same && props.before !== null && props.after !== null && <div class="muted small">The two fields hold the same text.</div>}
    </div>
  );
}

/** What one side had in place of the other's: the deletion, a gap, the insertion. */
function Replacement(props: { removed: ComponentChildren; added: ComponentChildren; removedWhitespace?: boolean; addedWhitespace?: boolean }) {
  const { removed, added } = props;
  return (
    <>
      {removed !== null && <del class={props.removedWhitespace ? "ws" : undefined}>{removed}</del>}
      {/* A real space, not only a margin: the two runs never read (or copy) as one word. */}
      {removed !== null && added !== null && <span class="diff-gap"> </span>}
      {added !== null && <ins class={props.addedWhitespace ? "ws" : undefined}>{added}</ins>}
    </>
  );
}

function plainText(tokens: string[]): string | null {
  const text = tokens.join("");
  return text ? visibleWhitespace(text) : null;
}

/** Changed whitespace made visible: a space as ·, a tab as →, a line break as ↵. */
function visibleWhitespace(text: string): string {
  if (text.trim()) return text;
  return text.replace(/ /g, "·").replace(/\t/g, "→").replace(/\n/g, "↵\n");
}

function Blocks(props: { blocks: PairDiff[] }) {
  // Consecutive list items share one list, as they do in the rendered text.
  const groups: PairDiff[][] = [];
  for (const block of props.blocks) {
    const last = groups[groups.length - 1];
    if (block.kind === "item" && last?.[0].kind === "item") last.push(block);
    else groups.push([block]);
  }
  return (
    <>
      {groups.map((group, i) => {
        const first = group[0];
        if (first.kind !== "item") return <Block key={i} block={first} />;
        const List = first.ordered ? "ol" : "ul";
        return (
          <List key={i}>
            {group.map((item, j) => (
              <Block key={j} block={item} />
            ))}
          </List>
        );
      })}
    </>
  );
}

function Block(props: { block: PairDiff }) {
  const { block } = props;
  const side = block.side === "both" ? undefined : block.side === "before" ? "diff-removed" : "diff-added";
  switch (block.kind) {
    case "code":
      return <CodeDiff lang={block.lang} lines={block.lines} side={side} />;
    case "rule":
      return <hr class={side} />;
    case "heading": {
      const Tag = `h${Math.min(block.level + 2, 6)}` as "h3";
      return (
        <Tag class={`md-h ${side ?? ""}`}>
          <Words runs={block.words} />
        </Tag>
      );
    }
    case "item":
      return (
        <li class={side}>
          <Words runs={block.words} />
        </li>
      );
    case "quote":
      return (
        <blockquote class={side}>
          <Words runs={block.words} />
        </blockquote>
      );
    default:
      return (
        <p class={side}>
          <Words runs={block.words} />
        </p>
      );
  }
}

function Words(props: { runs: DiffRun<InlineToken>[] }) {
  return (
    <>
      {props.runs.map((run, i) =>
        run.op === "equal" ? (
          <Formatted key={i} tokens={run.after} />
        ) : (
          <Replacement
            key={i}
            removed={run.before.length ? <Formatted tokens={run.before} changed /> : null}
            added={run.after.length ? <Formatted tokens={run.after} changed /> : null}
            removedWhitespace={isBlank(run.before)}
            addedWhitespace={isBlank(run.after)}
          />
        ),
      )}
    </>
  );
}

const isBlank = (tokens: InlineToken[]) => tokens.length > 0 && tokens.every((t) => !t.text.trim());

/** Words with their inline formatting: neighbours of one kind share one element. */
function Formatted(props: { tokens: InlineToken[]; changed?: boolean }) {
  const groups: InlineToken[] = [];
  for (const token of props.tokens) {
    const last = groups[groups.length - 1];
    if (last && last.kind === token.kind) last.text += token.text;
    else groups.push({ ...token });
  }
  return (
    <>
      {groups.map((g, i) => {
        const text = props.changed && isBlank(props.tokens) ? visibleWhitespace(g.text) : g.text;
        return g.kind === "code" ? <code key={i}>{text}</code> : g.kind === "bold" ? <strong key={i}>{text}</strong> : text;
      })}
    </>
  );
}

/** Unchanged lines kept on each side of a change; longer unchanged stretches fold away. */
const CONTEXT = 3;
const FOLD_AT_LEAST = 4;

function CodeDiff(props: { lang: string; lines: DiffRun<string>[]; side?: string }) {
  const [unfolded, setUnfolded] = useState<number[]>([]);
  const edited = !props.side && props.lines.some((run) => run.op === "change");
  const rows: ComponentChildren[] = [];
  const unchanged = (line: string, key: string) =>
    rows.push(
      <span key={key} class="diff-line">
        <CodeLine text={line} lang={props.lang} marks={[]} />
      </span>,
    );
  props.lines.forEach((run, i) => {
    if (run.op === "equal") {
      const lines = run.after;
      // A long block with one changed line reads as that line, with a few around it.
      const head = i === 0 ? 0 : CONTEXT;
      const tail = i === props.lines.length - 1 ? 0 : CONTEXT;
      const hidden = lines.length - head - tail;
      if (!edited || unfolded.includes(i) || hidden < FOLD_AT_LEAST) {
        lines.forEach((line, j) => unchanged(line, `${i}.${j}`));
        return;
      }
      lines.slice(0, head).forEach((line, j) => unchanged(line, `${i}.${j}`));
      rows.push(
        <button key={`${i}.fold`} type="button" class="diff-fold" onClick={() => setUnfolded([...unfolded, i])}>
          ⋯ {hidden} unchanged lines
        </button>,
      );
      lines.slice(lines.length - tail).forEach((line, j) => unchanged(line, `${i}.${lines.length - tail + j}`));
      return;
    }
    // A line edited in place (as many lines out as in) shows which of its words changed.
    const paired = run.before.length === run.after.length;
    const marks = run.before.map((line, j) => (paired ? changedSpans(line, run.after[j]) : ([[], []] as [Span[], Span[]])));
    run.before.forEach((line, j) =>
      rows.push(
        <del key={`${i}-${j}`} class="diff-line">
          <CodeLine text={line} lang={props.lang} marks={marks[j][0]} />
        </del>,
      ),
    );
    run.after.forEach((line, j) =>
      rows.push(
        <ins key={`${i}+${j}`} class="diff-line">
          <CodeLine text={line} lang={props.lang} marks={paired ? marks[j][1] : []} />
        </ins>,
      ),
    );
  });
  return (
    <div class={`code-block diff-code ${props.side ?? ""}`} data-testid="code-diff">
      {props.lang && <div class="code-lang">{props.lang}</div>}
      <pre>
        <code>{rows}</code>
      </pre>
    </div>
  );
}

function CodeLine(props: { text: string; lang: string; marks: Span[] }) {
  return (
    <>
      {highlightCode(props.text, 0, props.lang).map((token, i) => (
        <span key={i} class={token.cls ? `tok-${token.cls}` : undefined}>
          {splitBySpans(token.text, token.start, props.marks).map((piece, j) =>
            piece.marked ? (
              <mark key={j} class={piece.text.trim() ? "diff-word" : "diff-word ws"}>
                {piece.text}
              </mark>
            ) : (
              piece.text
            ),
          )}
        </span>
      ))}
    </>
  );
}
