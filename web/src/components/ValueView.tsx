// Any row value, shown for reading: text, chats (lists of {role, content} or {from, value}),
// nested records and lists, and scalars.
import { formatValue } from "../lib/schema";
import type { Span } from "../lib/spans";
import { roleClass, TextView } from "./TextView";

interface Turn {
  role: string;
  content: string;
}

/** A list of chat messages in either common shape, or null. */
export function asChat(value: unknown): Turn[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const turns: Turn[] = [];
  for (const item of value) {
    if (!item || typeof item !== "object") return null;
    const record = item as Record<string, unknown>;
    const role = record.role ?? record.from ?? record.speaker;
    const content = record.content ?? record.value ?? record.text;
    if (typeof role !== "string" || (typeof content !== "string" && content !== null)) return null;
    turns.push({ role, content: content ?? "" });
  }
  return turns;
}

export function ChatView(props: { turns: Turn[] }) {
  return (
    <div class="chat">
      {props.turns.map((turn, i) => (
        <div key={i} class={`turn role-${roleClass(turn.role)}`}>
          <div class="turn-role">{turn.role}</div>
          <div class="turn-body">
            <TextView text={turn.content} noTurns />
          </div>
        </div>
      ))}
    </div>
  );
}

export function ValueView(props: { value: unknown; spans?: Span[]; depth?: number }) {
  const { value } = props;
  const depth = props.depth ?? 0;
  if (value === null || value === undefined) return <span class="null">null</span>;
  if (typeof value === "string") {
    return value === "" ? <span class="null">empty</span> : <TextView text={value} spans={props.spans} />;
  }
  if (typeof value !== "object") return <span class={`scalar ${typeof value}`}>{formatValue(value)}</span>;
  const chat = asChat(value);
  if (chat) return <ChatView turns={chat} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="null">[]</span>;
    if (value.every((v) => typeof v !== "object" || v === null) && value.length <= 50) {
      return <span class="scalar">{value.map((v) => formatValue(v)).join(", ")}</span>;
    }
    return (
      <ol class="value-list">
        {value.slice(0, 100).map((item, i) => (
          <li key={i}>
            <ValueView value={item} depth={depth + 1} />
          </li>
        ))}
        {value.length > 100 && <li class="muted">… {value.length - 100} more</li>}
      </ol>
    );
  }
  return (
    <dl class="value-struct">
      {Object.entries(value as Record<string, unknown>).map(([key, item]) => (
        <div key={key} class="kv">
          <dt>{key}</dt>
          <dd>
            <ValueView value={item} depth={depth + 1} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
