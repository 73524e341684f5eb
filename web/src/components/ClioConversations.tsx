// The conversations of the selected cluster (the first few), each rendered as chat turns, and a
// numeric facet's histogram whose bars filter the rows.
import { useEffect, useState } from "preact/hooks";
import type { HistogramBar } from "../api/clio";
import { postJson } from "../api/client";
import type { Filter, Row, SelectRowsResponse } from "../api/types";
import { formatCount, valueAt } from "../lib/schema";
import { ErrorBox } from "./ui";
import { asChat, ChatView, ValueView } from "./ValueView";

export const CONVERSATIONS_SHOWN = 20;

interface Props {
  base: string;
  /** The column of chats. */
  path: string;
  /** The rows to show (the selected node's filter). */
  filter: Filter;
  title: string;
  size: number;
  version: number;
  onOpenRow: (rowid: number) => void;
  onShowRows: () => void;
}

export function ClioConversations(props: Props) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(props.filter);
  useEffect(() => {
    let live = true;
    setRows(null);
    setError(null);
    const body = { filters: [props.filter], columns: [props.path.split(".")[0]], limit: CONVERSATIONS_SHOWN };
    postJson<SelectRowsResponse>(`${props.base}/select_rows`, body)
      .then((response) => live && setRows(response.rows))
      .catch((caught: unknown) => live && setError(caught));
    return () => {
      live = false;
    };
  }, [props.base, props.path, key, props.version]);

  return (
    <section class="clio-conversations" aria-label={`Conversations of ${props.title}`} data-testid="clio-conversations">
      <header class="clio-section-head">
        <h3>
          {props.title} <span class="muted">· {formatCount(props.size)} conversations</span>
        </h3>
        <button class="btn ghost small" onClick={props.onShowRows}>
          Show in Rows
        </button>
      </header>
      <ErrorBox error={error} />
      {rows === null && !error && <p class="muted small">Loading conversations…</p>}
      {rows !== null && rows.length < props.size && <p class="muted small">The first {formatCount(rows.length)}; the Rows tab has them all.</p>}
      {rows?.map((row) => {
        const value = valueAt(row, props.path);
        const chat = asChat(value);
        return (
          <article key={row.__rowid__} class="clio-conversation" data-testid="clio-conversation">
            <button class="link-btn small" onClick={() => props.onOpenRow(row.__rowid__)}>
              row {row.__rowid__}
            </button>
            {chat ? <ChatView turns={chat} /> : <ValueView value={value} />}
          </article>
        );
      })}
    </section>
  );
}

export function ClioHistogram(props: { facet: string; bars: HistogramBar[]; active: number | null; onBar: (value: number) => void }) {
  const highest = Math.max(1, ...props.bars.map((b) => b.count));
  return (
    <section class="clio-histogram" aria-label={`${props.facet} histogram`} data-testid="clio-histogram">
      <h3 class="clio-section-title">{props.facet}</h3>
      <div class="clio-bars">
        {props.bars.map((bar) => (
          <button
            key={bar.value}
            class={`clio-hbar${props.active === bar.value ? " active" : ""}`}
            aria-pressed={props.active === bar.value}
            aria-label={`${props.facet} ${bar.value}: ${formatCount(bar.count)} conversations`}
            title={`${props.facet} ${bar.value}: ${formatCount(bar.count)} conversations (click to ${props.active === bar.value ? "clear the filter" : "filter the rows"})`}
            onClick={() => props.onBar(bar.value)}
          >
            <span class="clio-hbar-count small">{formatCount(bar.count)}</span>
            <span class="clio-hbar-fill" style={{ height: `${bar.count ? Math.max(3, Math.round((60 * bar.count) / highest)) : 0}px` }} />
            <span class="clio-hbar-value small">{bar.value}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
