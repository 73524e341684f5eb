// Concepts: list, create, add and remove examples, train and see the model's metrics.
// Scoring a dataset with a concept is started from the dataset's Enrich dialog.
import { useEffect, useState } from "preact/hooks";
import { deleteJson, getJson, postJson } from "../api/client";
import type { ConceptDetail, ConceptInfo, ConceptModelSummary } from "../api/types";
import { linkClick, navigate } from "../state/route";
import { attempt, ErrorBox, toast } from "./ui";

const conceptPath = (ns: string, name: string) => `/concepts/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

export function ConceptsPage(props: { namespace: string | null; name: string | null }) {
  const [concepts, setConcepts] = useState<ConceptInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    getJson<{ concepts: ConceptInfo[] }>("/concepts")
      .then((r) => setConcepts(r.concepts))
      .catch(setError);
  }, [version]);
  return (
    <div class="page concepts-page">
      <header class="page-head">
        <h1>Concepts</h1>
        <span class="muted">Teach a concept with examples; score or search a dataset with it.</span>
      </header>
      <ErrorBox error={error} />
      <div class="concepts-layout">
        <div class="card concept-list">
          <ul>
            {(concepts ?? []).map((c) => {
              const active = c.namespace === props.namespace && c.name === props.name;
              return (
                <li key={`${c.namespace}/${c.name}`}>
                  <a class={`concept-item ${active ? "active" : ""}`} href={conceptPath(c.namespace, c.name)} onClick={linkClick({ page: "concepts", namespace: c.namespace, name: c.name })}>
                    <span>
                      <span class="ns">{c.namespace}/</span>
                      {c.name}
                    </span>
                    <span class="muted small">
                      {c.builtin ? "built-in · " : ""}
                      {c.num_positive ?? 0}+ / {c.num_negative ?? 0}−
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
          <CreateConcept onCreated={() => setVersion((v) => v + 1)} />
        </div>
        {props.namespace && props.name ? (
          <ConceptEditor key={`${props.namespace}/${props.name}`} namespace={props.namespace} name={props.name} onChanged={() => setVersion((v) => v + 1)} />
        ) : (
          <div class="card empty">Choose a concept, or create one.</div>
        )}
      </div>
    </div>
  );
}

function CreateConcept(props: { onCreated: () => void }) {
  const [namespace, setNamespace] = useState("local");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  return (
    <form
      class="create-concept"
      aria-label="Create a concept"
      onSubmit={(event) => {
        event.preventDefault();
        void attempt(async () => {
          await postJson("/concepts", { namespace, name, description: description || null });
          props.onCreated();
          navigate({ page: "concepts", namespace, name });
          setName("");
          setDescription("");
        });
      }}
    >
      <h3>New concept</h3>
      <div class="field-row">
        <input class="input" aria-label="Namespace" value={namespace} onInput={(e) => setNamespace(e.currentTarget.value)} />
        <input class="input" aria-label="Concept name" placeholder="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <input class="input wide" aria-label="Description" placeholder="What it means (optional)" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <button class="btn primary small" type="submit" disabled={!namespace || !name}>
        Create
      </button>
    </form>
  );
}

function metric(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toFixed(2);
}

function ConceptEditor(props: { namespace: string; name: string; onChanged: () => void }) {
  const path = conceptPath(props.namespace, props.name);
  const [detail, setDetail] = useState<ConceptDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState("");
  const [training, setTraining] = useState(false);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    getJson<ConceptDetail>(`${path}?embedding=minilm`)
      .then((d) => {
        setDetail(d);
        setError(null);
      })
      .catch(setError);
  }, [path, version]);
  const changed = () => {
    setVersion((v) => v + 1);
    props.onChanged();
  };
  const add = (label: boolean) => {
    const examples = text
      .split("\n")
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => ({ text: t, label }));
    if (!examples.length) return;
    // Cleared at once, so the next examples can be typed while these are saved.
    setText("");
    void attempt(async () => {
      await postJson(`${path}/examples`, { examples });
      changed();
    }).then((ok) => ok || setText(text));
  };
  if (!detail) {
    return <div class="card concept-editor">{error ? <ErrorBox error={error} /> : "Loading…"}</div>;
  }
  const builtin = !!detail.info.builtin;
  const positives = detail.examples.filter((e) => e.label);
  const negatives = detail.examples.filter((e) => !e.label);
  const model = detail.model;
  return (
    <div class="card concept-editor">
      <div class="concept-head">
        <div>
          <h2>
            <span class="ns">{detail.info.namespace}/</span>
            {detail.info.name}
          </h2>
          {detail.info.description && <p class="muted">{detail.info.description}</p>}
          <span class="muted small">
            version {detail.info.version ?? 0}
            {builtin ? " · built-in (read-only)" : ""}
          </span>
        </div>
        <div class="actions-row">
          <button
            class="btn small"
            disabled={training}
            onClick={() => {
              setTraining(true);
              void attempt(async () => {
                const summary = await postJson<ConceptModelSummary>(`${path}/train`, { embedding: "minilm" });
                toast(`Trained: F1 ${metric(summary.metrics.f1)}`);
                changed();
              }).finally(() => setTraining(false));
            }}
          >
            {training ? "Training…" : "Train (minilm)"}
          </button>
          {!builtin && (
            <button
              class="btn small danger ghost"
              onClick={() => {
                if (!confirm(`Delete the concept ${detail.info.namespace}/${detail.info.name}?`)) return;
                void attempt(async () => {
                  await deleteJson(path);
                  props.onChanged();
                  navigate({ page: "concepts", namespace: null, name: null });
                });
              }}
            >
              Delete
            </button>
          )}
        </div>
      </div>
      <div class="metrics" aria-label="Model metrics">
        {model ? (
          <>
            {(["f1", "precision", "recall", "roc_auc"] as const).map((k) => (
              <div key={k} class="metric">
                <div class="metric-value">{metric(model.metrics[k])}</div>
                <div class="metric-name">{k === "roc_auc" ? "ROC AUC" : k}</div>
              </div>
            ))}
            <div class="metric">
              <div class="metric-value">{model.metrics.folds}</div>
              <div class="metric-name">CV folds</div>
            </div>
            {model.metrics.note && <div class="muted small">{model.metrics.note}</div>}
          </>
        ) : (
          <span class="muted">Not trained for this version yet: train it to see cross-validated metrics.</span>
        )}
      </div>
      {!builtin && (
        <div class="add-examples">
          <textarea class="input wide" rows={3} aria-label="New examples" placeholder="One example per line…" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <div class="actions-row">
            <button class="btn small positive" disabled={!text.trim()} onClick={() => add(true)}>
              Add as positive
            </button>
            <button class="btn small negative" disabled={!text.trim()} onClick={() => add(false)}>
              Add as negative
            </button>
          </div>
        </div>
      )}
      <div class="examples-cols">
        {[
          ["Positive", positives],
          ["Negative", negatives],
        ].map(([title, list]) => (
          <div key={title as string} class="examples">
            <h3>
              {title as string} <span class="muted small">{(list as typeof positives).length}</span>
            </h3>
            <ul>
              {(list as typeof positives).slice(0, 300).map((example) => (
                <li key={example.id}>
                  <span>{example.text}</span>
                  {!builtin && (
                    <button
                      class="icon-btn small"
                      aria-label={`Remove example ${example.text}`}
                      onClick={() =>
                        void attempt(async () => {
                          await postJson(`${path}/examples/remove`, { ids: [example.id] });
                          changed();
                        })
                      }
                    >
                      ×
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}
