// Text rendered readably: Markdown with highlighted code blocks, chat turns as turns, and
// search highlights (character spans over the raw text) marked wherever the text lands.
import type { ComponentChildren } from "preact";
import { highlightCode } from "../lib/highlight";
import { looksLikeMarkdown, parseMarkdown, type Inline } from "../lib/markdown";
import { splitBySpans, type Span } from "../lib/spans";

function Marked(props: { text: string; start: number; spans: Span[]; class?: string }) {
  const pieces = splitBySpans(props.text, props.start, props.spans);
  const children = pieces.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : p.text));
  return props.class ? <span class={props.class}>{children}</span> : <>{children}</>;
}

function Inlines(props: { inlines: Inline[]; spans: Span[] }) {
  return (
    <>
      {props.inlines.map((inline, i) => {
        const body = <Marked text={inline.text} start={inline.start} spans={props.spans} />;
        if (inline.kind === "code") return <code key={i}>{body}</code>;
        if (inline.kind === "bold") return <strong key={i}>{body}</strong>;
        return <span key={i}>{body}</span>;
      })}
    </>
  );
}

export function CodeBlock(props: { code: string; start: number; lang: string; spans: Span[] }) {
  return (
    <div class="code-block">
      {props.lang && <div class="code-lang">{props.lang}</div>}
      <pre>
        <code>
          {highlightCode(props.code, props.start, props.lang).map((token, i) => (
            <Marked key={i} text={token.text} start={token.start} spans={props.spans} class={token.cls ? `tok-${token.cls}` : undefined} />
          ))}
        </code>
      </pre>
    </div>
  );
}

export function Markdown(props: { text: string; spans: Span[] }) {
  const blocks = parseMarkdown(props.text);
  return (
    <div class="md">
      {blocks.map((block, i): ComponentChildren => {
        switch (block.kind) {
          case "code":
            return <CodeBlock key={i} code={block.text} start={block.start} lang={block.lang} spans={props.spans} />;
          case "heading": {
            const Tag = `h${Math.min(block.level + 2, 6)}` as "h3";
            return (
              <Tag key={i} class="md-h">
                <Inlines inlines={block.inlines} spans={props.spans} />
              </Tag>
            );
          }
          case "list": {
            const Tag = block.ordered ? "ol" : "ul";
            return (
              <Tag key={i}>
                {block.items.map((item, j) => (
                  <li key={j}>
                    <Inlines inlines={item} spans={props.spans} />
                  </li>
                ))}
              </Tag>
            );
          }
          case "quote":
            return (
              <blockquote key={i}>
                <Inlines inlines={block.inlines} spans={props.spans} />
              </blockquote>
            );
          case "rule":
            return <hr key={i} />;
          default:
            return (
              <p key={i}>
                <Inlines inlines={block.inlines} spans={props.spans} />
              </p>
            );
        }
      })}
    </div>
  );
}

// "\n\nHuman: ... \n\nAssistant: ..." transcripts (Anthropic HH style) read better as turns.
const TRANSCRIPT = /(?:^|\n\n)(Human|Assistant|User|System):[ \t]?/g;

function transcriptTurns(text: string): { role: string; start: number; end: number }[] | null {
  const marks = [...text.matchAll(TRANSCRIPT)];
  if (marks.length < 2 || (marks[0].index ?? 0) > 4) return null;
  return marks.map((m, i) => ({
    role: m[1].toLowerCase(),
    start: (m.index ?? 0) + m[0].length,
    end: i + 1 < marks.length ? (marks[i + 1].index ?? text.length) : text.length,
  }));
}

export function TextView(props: { text: string; spans?: Span[]; noTurns?: boolean }) {
  const spans = props.spans ?? [];
  const turns = props.noTurns ? null : transcriptTurns(props.text);
  if (turns) {
    return (
      <div class="chat">
        {turns.map((turn, i) => (
          <div key={i} class={`turn role-${roleClass(turn.role)}`}>
            <div class="turn-role">{turn.role}</div>
            <div class="turn-body">
              <TextView text={props.text.slice(turn.start, turn.end)} spans={shift(spans, turn.start)} noTurns />
            </div>
          </div>
        ))}
      </div>
    );
  }
  if (looksLikeMarkdown(props.text)) return <Markdown text={props.text} spans={spans} />;
  return (
    <div class="plain-text">
      <Marked text={props.text} start={0} spans={spans} />
    </div>
  );
}

function shift(spans: Span[], by: number): Span[] {
  return spans.map((s) => ({ ...s, start: s.start - by, end: s.end - by }));
}

export function roleClass(role: string): string {
  const r = role.toLowerCase();
  if (["user", "human", "prompter"].includes(r)) return "user";
  if (["assistant", "gpt", "bot", "model", "chatgpt"].includes(r)) return "assistant";
  if (r === "system") return "system";
  return "other";
}
