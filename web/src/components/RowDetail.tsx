// One row in full: every field rendered for reading (search highlights included), its labels
// and deletion, and in compare mode the word diff of the two chosen fields.
import { useEffect, useState } from "preact/hooks";
import { postJson } from "../api/client";
import type { DatasetManifest, Row, Search, SelectRowsResponse } from "../api/types";
import { formatCount, lineageOf, textAt, valueAt } from "../lib/schema";
import { spansOf, toUtf16Spans, type Span } from "../lib/spans";
import { DiffView } from "./DiffView";
import { ValueView } from "./ValueView";
import { ErrorBox } from "./ui";

const HIDDEN = new Set(["__rowid__", "__deleted__"]);

interface Props {
  base: string;
  manifest: DatasetManifest;
  rowid: number;
  searches: Search[];
  compare: [string, string] | null;
  version: number;
  readOnly: boolean;
  position: string;
  onStep: (delta: number) => void;
  onClose: () => void;
  onLabel: (name: string, rowids: number[], remove: boolean) => void;
  onDelete: (rowids: number[], restore: boolean) => void;
}

export function RowDetail(props: Props) {
  const [row, setRow] = useState<Row | null>(null);
  const [searchColumns, setSearchColumns] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify([props.rowid, props.searches, props.version]);
  useEffect(() => {
    let live = true;
    const fetchRow = async () => {
      const filters = [{ path: "__rowid__", op: "equals", value: props.rowid }];
      const body = { columns: ["*", "__deleted__"], filters, searches: props.searches, include_deleted: true, limit: 1 };
      let response = await postJson<SelectRowsResponse>(`${props.base}/select_rows`, body);
      // A row the search does not return (opened from a link) is still shown, unhighlighted.
      if (!response.rows.length && props.searches.length) {
        response = await postJson<SelectRowsResponse>(`${props.base}/select_rows`, { ...body, searches: [] });
      }
      if (!live) return;
      setRow(response.rows[0] ?? null);
      setSearchColumns(response.search_columns ?? []);
      setError(response.rows.length ? null : new Error(`row ${props.rowid} does not exist`));
    };
    fetchRow().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [key]);

  const labels = props.manifest.labels;
  const searchedSpans = (path: string, text: string): Span[] => {
    const spans: Span[] = [];
    props.searches.forEach((search, i) => {
      if (search.path === path && searchColumns[i] && row) spans.push(...spansOf(valueAt(row, searchColumns[i])));
    });
    return toUtf16Spans(text, spans.sort((a, b) => a.start - b.start));
  };
  const hidden = new Set([...HIDDEN, ...labels, ...searchColumns]);
  const deleted = row?.__deleted__ === true;
  return (
    <section class="row-detail" aria-label={`Row ${props.rowid}`}>
      <div class="detail-head">
        <div class="detail-title">
          <span class="rowid">Row #{formatCount(props.rowid)}</span>
          <span class="muted small">{props.position}</span>
        </div>
        <div class="detail-nav">
          <button class="btn ghost small" aria-label="Previous row" title="Previous row (←)" onClick={() => props.onStep(-1)}>
            ←
          </button>
          <button class="btn ghost small" aria-label="Next row" title="Next row (→)" onClick={() => props.onStep(1)}>
            →
          </button>
          <button class="icon-btn" aria-label="Close row" title="Close (Esc)" onClick={props.onClose}>
            ×
          </button>
        </div>
      </div>
      {!props.readOnly && row && (
        <div class="detail-actions">
          {[...new Set(["good", "bad", ...labels])].map((name) => {
            const on = !!(valueAt(row, name) as { label?: string } | null)?.label;
            return (
              <button
                key={name}
                class={`chip-btn label-${name} ${on ? "on" : ""}`}
                aria-pressed={on}
                title={on ? `Remove the label ${name}` : `Label this row ${name}`}
                onClick={() => props.onLabel(name, [props.rowid], on)}
              >
                {on ? "✓ " : "+ "}
                {name}
              </button>
            );
          })}
          <span class="spacer" />
          {deleted ? (
            <button class="btn small" onClick={() => props.onDelete([props.rowid], true)}>
              Restore
            </button>
          ) : (
            <button class="btn small danger" onClick={() => props.onDelete([props.rowid], false)}>
              Delete
            </button>
          )}
        </div>
      )}
      {deleted && <div class="notice">This row is deleted: it is left out of views and exports until restored.</div>}
      <ErrorBox error={error} />
      <div class="detail-body">
        {row && props.compare && (
          <DiffView before={textAt(row, props.compare[0])} after={textAt(row, props.compare[1])} left={props.compare[0]} right={props.compare[1]} />
        )}
        {row &&
          Object.entries(row)
            .filter(([key]) => !hidden.has(key))
            .map(([key, value]) => {
              const lineage = lineageOf(props.manifest, key);
              const spans = typeof value === "string" ? searchedSpans(key, value) : [];
              return (
                <div key={key} class="field-block" data-field={key}>
                  <div class="field-label">
                    {key}
                    {lineage && <span class={`lineage-badge kind-${lineage.kind}`}>{lineage.kind}</span>}
                  </div>
                  <ValueView value={value} spans={spans} />
                </div>
              );
            })}
      </div>
    </section>
  );
}
