// Start an enrichment job on a text column: an embedding (for semantic and concept search),
// a signal (PII, language, duplicates, text statistics...), a concept's scores, or clusters.
import { useEffect, useRef, useState } from "preact/hooks";
import { getJson, postJson } from "../api/client";
import { listModels, modelLabel } from "../api/models";
import type { ConceptInfo, DatasetManifest, EnrichmentStarted, ModelInfo, SignalInfo } from "../api/types";
import type { Leaf } from "../lib/schema";
import { firstProseField } from "../lib/textFields";
import { trackJob } from "../state/jobs";
import { embeddingsFor } from "./Toolbar";
import { ErrorBox, Modal, PathSelect, toast } from "./ui";

export type EnrichKind = "signal" | "embedding" | "concept" | "cluster";

export const ENRICH_KINDS: [EnrichKind, string][] = [
  ["signal", "Signal"],
  ["embedding", "Embedding"],
  ["concept", "Concept score"],
  ["cluster", "Cluster"],
];

// "auto" titles: an LLM when one is configured, else keywords (the server's default).
type Titles = "auto" | "keywords" | "llm";
const USE_LLM: Record<Titles, boolean | null> = { auto: null, keywords: false, llm: true };

export function EnrichDialog(props: {
  base: string;
  manifest: DatasetManifest;
  textLeaves: Leaf[];
  initialKind?: EnrichKind;
  initialPath?: string;
  initialEmbedding?: string;
  onClose: () => void;
  onStarted: (kind: EnrichKind, path: string) => void;
}) {
  const [kind, setKind] = useState<EnrichKind>(props.initialKind ?? "signal");
  const [path, setPath] = useState(props.initialPath ?? props.textLeaves[0]?.path ?? "");
  // Until the user picks one, the column is the first that holds prose (not an id or a label).
  const pathChosen = useRef(props.initialPath !== undefined);
  const choosePath = (chosen: string) => {
    pathChosen.current = true;
    setPath(chosen);
  };
  const [signals, setSignals] = useState<SignalInfo[]>([]);
  const [signal, setSignal] = useState("");
  const [embeddings, setEmbeddings] = useState<string[]>(["minilm"]);
  const [embedding, setEmbedding] = useState(props.initialEmbedding ?? "minilm");
  const [concepts, setConcepts] = useState<ConceptInfo[]>([]);
  const [concept, setConcept] = useState("");
  // Clustering reuses an embedding computed for the column unless one is chosen.
  const [clusterEmbedding, setClusterEmbedding] = useState("");
  const [minClusterSize, setMinClusterSize] = useState(5);
  const [titles, setTitles] = useState<Titles>("auto");
  // The LLMs the server offers for titles; "" is its configured one.
  const [llms, setLlms] = useState<ModelInfo[]>([]);
  const [defaultLlm, setDefaultLlm] = useState<string | null>(null);
  const [llm, setLlm] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!pathChosen.current) {
      firstProseField(props.base, props.textLeaves)
        .then((prose) => {
          if (prose && !pathChosen.current) setPath(prose);
        })
        .catch(setError);
    }
    getJson<{ signals: SignalInfo[] }>("/signals")
      .then((r) => {
        setSignals(r.signals);
        setSignal(r.signals.find((s) => s.name === "text_statistics")?.name ?? r.signals[0]?.name ?? "");
      })
      .catch(setError);
    listModels()
      .then((r) => {
        setEmbeddings(r.embeddings.map((m) => m.name));
        setEmbedding(props.initialEmbedding ?? r.default_embedding);
        setLlms(r.llms);
        setDefaultLlm(r.default_llm);
      })
      .catch(setError);
    getJson<{ concepts: ConceptInfo[] }>("/concepts")
      .then((r) => {
        setConcepts(r.concepts);
        if (r.concepts[0]) setConcept(`${r.concepts[0].namespace}/${r.concepts[0].name}`);
      })
      .catch(setError);
  }, []);

  const chosenSignal = signals.find((s) => s.name === signal);
  const computed = embeddingsFor(props.manifest, path);
  const needsEmbedding = (kind === "concept" || (kind === "signal" && !!chosenSignal?.on_embeddings)) && !computed.includes(embedding);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      let started: EnrichmentStarted;
      if (kind === "embedding") {
        started = await postJson(`${props.base}/compute_embedding`, { path, embedding, overwrite });
      } else if (kind === "signal") {
        const params = chosenSignal?.on_embeddings ? { embedding } : {};
        started = await postJson(`${props.base}/compute_signal`, { path, signal, params, overwrite });
      } else if (kind === "concept") {
        const [namespace, name] = concept.split("/");
        started = await postJson(`${props.base}/compute_concept`, { path, namespace, name, embedding, overwrite });
      } else {
        started = await postJson(`${props.base}/cluster`, {
          path,
          embedding: clusterEmbedding || null,
          min_cluster_size: minClusterSize,
          use_llm: USE_LLM[titles],
          llm: titles === "llm" && llm ? llm : null,
          overwrite,
        });
      }
      // Worded as the server words the job, in the names the user chose.
      const what =
        kind === "signal"
          ? `${chosenSignal?.display_name ?? signal} of ${path}`
          : kind === "embedding"
            ? `${embedding} embedding of ${path}`
            : kind === "concept"
              ? `Concept ${concept} scores of ${path}`
              : `Clusters of ${path}`;
      if (started.job_id) {
        await trackJob(started.job_id);
        toast(`Started: ${what}`);
      } else {
        toast(`Already computed: ${what}`);
      }
      props.onStarted(kind, path);
      props.onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Enrich this dataset"
      onClose={props.onClose}
      footer={
        <>
          <button class="btn ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button class="btn primary" disabled={busy || !path} onClick={() => void start()}>
            {busy ? "Starting…" : "Start job"}
          </button>
        </>
      }
    >
      <div class="tabs" role="tablist">
        {ENRICH_KINDS.map(([k, label]) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} class={kind === k ? "active" : ""} onClick={() => setKind(k)}>
            {label}
          </button>
        ))}
      </div>
      <label class="field">
        <span>Text column</span>
        <PathSelect name="path" leaves={props.textLeaves} value={path} onChange={choosePath} />
      </label>
      {kind === "signal" && (
        <label class="field">
          <span>Signal</span>
          <select class="input" name="signal" value={signal} onChange={(e) => setSignal(e.currentTarget.value)}>
            {signals.map((s) => (
              <option key={s.name} value={s.name}>
                {s.display_name}
              </option>
            ))}
          </select>
          {chosenSignal?.description && <span class="muted small">{chosenSignal.description.replace(/``/g, "")}</span>}
        </label>
      )}
      {kind === "concept" && (
        <label class="field">
          <span>Concept</span>
          <select class="input" name="concept" value={concept} onChange={(e) => setConcept(e.currentTarget.value)}>
            {concepts.map((c) => (
              <option key={`${c.namespace}/${c.name}`} value={`${c.namespace}/${c.name}`}>
                {c.namespace}/{c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {kind === "cluster" && (
        <>
          <div class="field-row">
            <label class="field">
              <span>Embedding</span>
              <select class="input" name="cluster-embedding" value={clusterEmbedding} onChange={(e) => setClusterEmbedding(e.currentTarget.value)}>
                <option value="">{computed.length ? `computed (${computed[0]})` : "default"}</option>
                {embeddings.map((name) => (
                  <option key={name} value={name}>
                    {name}
                    {computed.includes(name) ? " (computed)" : ""}
                  </option>
                ))}
              </select>
            </label>
            <label class="field narrow">
              <span>Min cluster size</span>
              <input
                class="input"
                type="number"
                name="min_cluster_size"
                min={2}
                value={minClusterSize}
                onInput={(e) => setMinClusterSize(Math.max(2, Math.round(Number(e.currentTarget.value) || 2)))}
              />
            </label>
          </div>
          <label class="field">
            <span>Titles</span>
            <select class="input" name="titles" value={titles} onChange={(e) => setTitles(e.currentTarget.value as Titles)}>
              <option value="auto">An LLM if one is configured, else keywords</option>
              <option value="keywords">Keywords (offline)</option>
              <option value="llm">An LLM</option>
            </select>
          </label>
          {titles === "llm" && (
            <label class="field">
              <span>LLM</span>
              <select class="input" name="llm" value={llm} onChange={(e) => setLlm(e.currentTarget.value)}>
                <option value="">{defaultLlm ? `The configured LLM (${defaultLlm})` : "The configured LLM"}</option>
                {llms.map((m) => (
                  <option key={m.name} value={m.name}>
                    {modelLabel(m)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <span class="muted small">
            Groups similar rows of {path || "the column"} into clusters and categories, stored as {path ? `${path}__cluster` : "<path>__cluster"}; browse them in the Clusters panel.
          </span>
        </>
      )}
      {(kind === "embedding" || kind === "concept" || (kind === "signal" && chosenSignal?.on_embeddings)) && (
        <label class="field">
          <span>Embedding</span>
          <select class="input" name="embedding" value={embedding} onChange={(e) => setEmbedding(e.currentTarget.value)}>
            {embeddings.map((name) => (
              <option key={name} value={name}>
                {name}
                {computed.includes(name) ? " (computed)" : ""}
              </option>
            ))}
          </select>
        </label>
      )}
      {needsEmbedding && <div class="notice">This needs the {embedding} embedding of {path}: compute it first (Embedding tab).</div>}
      <label class="check">
        <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.currentTarget.checked)} />
        Replace an existing result
      </label>
      <ErrorBox error={error} />
    </Modal>
  );
}
