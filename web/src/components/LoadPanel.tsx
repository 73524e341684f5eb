// Load a dataset from a file in one of the server's data folders or an upload, then follow the
// load job.
import { useEffect, useRef, useState } from "preact/hooks";
import { getJson, postJson, uploadForm } from "../api/client";
import type { DataDirList, LoadStarted } from "../api/types";
import { refreshDatasets } from "../state/datasets";
import { trackJob, useJob, whenFinished } from "../state/jobs";
import { emptyView, navigate } from "../state/route";
import { formatCount } from "../lib/schema";
import { ErrorBox, ProgressBar } from "./ui";

type Mode = "path" | "upload";
const FORMATS = ["", "jsonl", "json", "csv", "parquet"] as const;

function suggestName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? "";
  return base.replace(/\.(jsonl|ndjson|json|csv|parquet|gz)$/gi, "").replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^[^A-Za-z0-9]+/, "").slice(0, 60);
}

export function LoadPanel() {
  const [mode, setMode] = useState<Mode>("path");
  const [namespace, setNamespace] = useState("local");
  const [name, setName] = useState("");
  const [path, setPath] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<(typeof FORMATS)[number]>("");
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [uploaded, setUploaded] = useState<[number, number] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [started, setStarted] = useState<LoadStarted | null>(null);
  const job = useJob(started?.job_id ?? null);
  // The folders the server may load from, as its operator named them; null while unknown.
  const [dataDirs, setDataDirs] = useState<string[] | null>(null);

  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  useEffect(() => {
    getJson<DataDirList>("/data_dirs").then(
      (list) => mounted.current && setDataDirs(list.data_dirs),
      // Unknown (an older server, a network error): the path field stays, the load will say.
      () => undefined,
    );
  }, []);

  // The finished load opens its dataset, unless the user has meanwhile left this page. The
  // promise is taken before the job is fetched: a small load can end before the UI sees it run.
  const openWhenLoaded = (load: LoadStarted) =>
    whenFinished(load.job_id).then((finished) => {
      void refreshDatasets();
      if (finished.status === "completed" && mounted.current) {
        const [ns, dsName] = load.dataset.split("/");
        navigate({ page: "dataset", namespace: ns, name: dsName, view: emptyView() });
      }
    });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setStarted(null);
    try {
      let result: LoadStarted;
      if (mode === "path") {
        result = await postJson<LoadStarted>("/datasets", {
          namespace,
          name,
          path,
          format: format || null,
          overwrite,
        });
      } else {
        const form = new FormData();
        form.set("file", file!);
        form.set("namespace", namespace);
        form.set("name", name);
        if (format) form.set("format", format);
        form.set("overwrite", String(overwrite));
        result = await uploadForm<LoadStarted>("/datasets/upload", form, (sent, total) => setUploaded([sent, total]));
      }
      setStarted(result);
      void openWhenLoaded(result);
      await trackJob(result.job_id);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const ready = namespace && name && (mode === "path" ? path : file);
  return (
    <form class="card load-panel" onSubmit={submit} aria-label="Load a dataset">
      <h2>Load a dataset</h2>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === "path"} class={mode === "path" ? "active" : ""} onClick={() => setMode("path")}>
          From a path
        </button>
        <button type="button" role="tab" aria-selected={mode === "upload"} class={mode === "upload" ? "active" : ""} onClick={() => setMode("upload")}>
          Upload a file
        </button>
      </div>
      {mode === "path" && dataDirs?.length === 0 ? (
        <div class="notice" data-testid="no-data-dirs">
          This server loads no files from its disk. Upload the file instead, or restart the server with{" "}
          <code>gristmill serve --data-dir FOLDER</code> to load the files in FOLDER by path.
        </div>
      ) : mode === "path" ? (
        <>
          <label class="field">
            <span>File on the server (a path or glob inside a data folder)</span>
            <input
              class="input"
              name="path"
              placeholder={`${dataDirs?.[0]?.replace(/\/+$/, "") ?? "data"}/train.jsonl`}
              value={path}
              onInput={(e) => {
                const value = e.currentTarget.value;
                if (!name || name === suggestName(path)) setName(suggestName(value));
                setPath(value);
              }}
            />
          </label>
          {dataDirs && (
            <span class="muted small" data-testid="data-dirs">
              Data folders: {dataDirs.map((dir, i) => [i > 0 && ", ", <code key={dir}>{dir}</code>])}
            </span>
          )}
        </>
      ) : (
        <label class="field">
          <span>CSV, JSON, JSONL or Parquet file</span>
          <input
            class="input"
            type="file"
            name="file"
            accept=".csv,.json,.jsonl,.ndjson,.parquet,.gz"
            onChange={(e) => {
              const chosen = e.currentTarget.files?.[0] ?? null;
              setFile(chosen);
              if (chosen && !name) setName(suggestName(chosen.name));
            }}
          />
        </label>
      )}
      <div class="field-row">
        <label class="field">
          <span>Namespace</span>
          <input class="input" name="namespace" value={namespace} onInput={(e) => setNamespace(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Name</span>
          <input class="input" name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field narrow">
          <span>Format</span>
          <select class="input" value={format} onChange={(e) => setFormat(e.currentTarget.value as (typeof FORMATS)[number])}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {f || "auto"}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label class="check">
        <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.currentTarget.checked)} />
        Replace a dataset of the same name
      </label>
      <div class="actions-row">
        <button class="btn primary" type="submit" disabled={!ready || busy}>
          {busy ? (mode === "upload" ? "Uploading…" : "Starting…") : "Load"}
        </button>
      </div>
      {busy && uploaded && (
        <div class="load-progress">
          <span class="muted small">Uploading {formatCount(Math.round(uploaded[0] / 1024))} KiB</span>
          <ProgressBar value={uploaded[0]} total={uploaded[1]} />
        </div>
      )}
      {job && (
        <div class="load-progress" data-status={job.status}>
          <span class="muted small">
            {job.status === "completed" ? `Loaded ${formatCount(job.progress)} rows` : job.status === "failed" ? "The load failed" : `Loading… ${formatCount(job.progress)} rows`}
          </span>
          <ProgressBar value={job.status === "completed" ? 1 : job.progress} total={job.status === "completed" ? 1 : job.total} status={job.status} />
          {job.error && <div class="job-error">{job.error}</div>}
        </div>
      )}
      <ErrorBox error={error} />
    </form>
  );
}
