// Start an enrichment job on a text column: an embedding (for semantic and concept search),
// a signal (PII, language, duplicates, text statistics...) or a concept's scores.
import { useEffect, useState } from "preact/hooks";
import { getJson, postJson } from "../api/client";
import type { ConceptInfo, DatasetManifest, EnrichmentStarted, SignalInfo } from "../api/types";
import type { Leaf } from "../lib/schema";
import { trackJob } from "../state/jobs";
import { embeddingsFor } from "./Toolbar";
import { ErrorBox, Modal, toast } from "./ui";

type Kind = "embedding" | "signal" | "concept";

export function EnrichDialog(props: { base: string; manifest: DatasetManifest; textLeaves: Leaf[]; onClose: () => void; onStarted: () => void }) {
  const [kind, setKind] = useState<Kind>("signal");
  const [path, setPath] = useState(props.textLeaves[0]?.path ?? "");
  const [signals, setSignals] = useState<SignalInfo[]>([]);
  const [signal, setSignal] = useState("");
  const [embeddings, setEmbeddings] = useState<string[]>(["minilm"]);
  const [embedding, setEmbedding] = useState("minilm");
  const [concepts, setConcepts] = useState<ConceptInfo[]>([]);
  const [concept, setConcept] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    getJson<{ signals: SignalInfo[] }>("/signals")
      .then((r) => {
        setSignals(r.signals);
        setSignal(r.signals.find((s) => s.name === "text_statistics")?.name ?? r.signals[0]?.name ?? "");
      })
      .catch(setError);
    getJson<{ embeddings: string[]; default: string }>("/embeddings")
      .then((r) => {
        setEmbeddings(r.embeddings);
        setEmbedding(r.default);
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
  const needsEmbedding = (kind === "concept" || !!chosenSignal?.on_embeddings) && !computed.includes(embedding);

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
      } else {
        const [namespace, name] = concept.split("/");
        started = await postJson(`${props.base}/compute_concept`, { path, namespace, name, embedding, overwrite });
      }
      if (started.job_id) {
        await trackJob(started.job_id);
        toast(`Started: ${started.kind} on ${path}`);
      } else {
        toast(`Already computed: ${started.kind} on ${path}`);
      }
      props.onStarted();
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
        {(["signal", "embedding", "concept"] as Kind[]).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={kind === k} class={kind === k ? "active" : ""} onClick={() => setKind(k)}>
            {k === "signal" ? "Signal" : k === "embedding" ? "Embedding" : "Concept score"}
          </button>
        ))}
      </div>
      <label class="field">
        <span>Text column</span>
        <select class="input" name="path" value={path} onChange={(e) => setPath(e.currentTarget.value)}>
          {props.textLeaves.map((l) => (
            <option key={l.path} value={l.path}>
              {l.path}
            </option>
          ))}
        </select>
      </label>
      {kind === "signal" && (
        <label class="field">
          <span>Signal</span>
          <select class="input" name="signal" value={signal} onChange={(e) => setSignal(e.currentTarget.value)}>
            {signals.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
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
      {(kind !== "signal" || chosenSignal?.on_embeddings) && (
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
