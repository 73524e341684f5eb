// Export the current view (format, columns, filters) through GET .../export as a download.
import { useState } from "preact/hooks";
import { API, apiFetch, getToken } from "../api/client";
import type { Filter } from "../api/types";
import { ErrorBox, Modal } from "./ui";

const FORMATS = ["jsonl", "json", "csv", "parquet"] as const;

export function exportUrl(base: string, format: string, columns: string[] | null, filters: Filter[], includeDeleted: boolean): string {
  const query = new URLSearchParams({ format });
  for (const column of columns ?? []) query.append("columns", column);
  if (filters.length) query.set("filters", JSON.stringify(filters));
  if (includeDeleted) query.set("include_deleted", "true");
  return `${base}/export?${query}`;
}

export function ExportDialog(props: { base: string; name: string; columns: string[]; filters: Filter[]; onClose: () => void }) {
  const [format, setFormat] = useState<(typeof FORMATS)[number]>("jsonl");
  const [chosen, setChosen] = useState<Set<string>>(new Set(props.columns));
  const [useFilters, setUseFilters] = useState(true);
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const all = chosen.size === props.columns.length;
  const url = exportUrl(props.base, format, all ? null : [...chosen], useFilters ? props.filters : [], includeDeleted);

  const download = async () => {
    setError(null);
    if (!getToken()) {
      // No token: let the browser stream the file straight to disk.
      const link = document.createElement("a");
      link.href = API + url;
      link.download = `${props.name}.${format}`;
      link.click();
      props.onClose();
      return;
    }
    // With a token the request needs its header, so the file comes through fetch.
    setBusy(true);
    try {
      const blob = await (await apiFetch(url)).blob();
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `${props.name}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      props.onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Export this view"
      onClose={props.onClose}
      footer={
        <>
          <button class="btn ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button class="btn primary" disabled={busy || chosen.size === 0} onClick={() => void download()}>
            {busy ? "Preparing…" : "Download"}
          </button>
        </>
      }
    >
      <div class="field-row">
        <label class="field narrow">
          <span>Format</span>
          <select class="input" name="format" value={format} onChange={(e) => setFormat(e.currentTarget.value as (typeof FORMATS)[number])}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset class="columns-pick">
        <legend>
          Columns{" "}
          <button class="link-btn" type="button" onClick={() => setChosen(all ? new Set() : new Set(props.columns))}>
            {all ? "none" : "all"}
          </button>
        </legend>
        {props.columns.map((column) => (
          <label key={column} class="check">
            <input
              type="checkbox"
              checked={chosen.has(column)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(column);
                else next.delete(column);
                setChosen(next);
              }}
            />
            {column}
          </label>
        ))}
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={useFilters} onChange={(e) => setUseFilters(e.currentTarget.checked)} />
        Only rows matching the current filters ({props.filters.length})
      </label>
      <label class="check">
        <input type="checkbox" checked={includeDeleted} onChange={(e) => setIncludeDeleted(e.currentTarget.checked)} />
        Include deleted rows
      </label>
      <div class="muted small code-line">GET {API + url}</div>
      <ErrorBox error={error} />
    </Modal>
  );
}
