// Experiments: the list (with status), a form that starts one, and the page of one experiment.
import { useEffect, useState } from "preact/hooks";
import { datasetPath, getJson } from "../api/client";
import { createExperiment, listExperiments, type ExperimentInfo } from "../api/experiments";
import { listModels, modelLabel } from "../api/models";
import type { DatasetManifest, ModelList } from "../api/types";
import type { Leaf } from "../lib/schema";
import { firstProseField, textLeavesOf } from "../lib/textFields";
import { useDatasets } from "../state/datasets";
import { linkClick, navigate } from "../state/route";
import { ExperimentView } from "./ExperimentView";
import { attempt, ErrorBox } from "./ui";
import "../experiments.css";

export function ExperimentsPage(props: { name: string | null }) {
  if (props.name) return <ExperimentView key={props.name} name={props.name} />;
  return <ExperimentList />;
}

function ExperimentList() {
  const [experiments, setExperiments] = useState<ExperimentInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    listExperiments()
      .then((r) => setExperiments(r.experiments))
      .catch(setError);
  }, []);
  return (
    <div class="page experiments-page">
      <header class="page-head">
        <h1>Experiments</h1>
        <span class="muted">Models answer the same rows; each is scored against the references.</span>
      </header>
      <ErrorBox error={error} />
      <div class="datasets-grid">
        <div>
          {experiments && experiments.length === 0 ? (
            <div class="card empty">No experiments yet: start one here, or with gm.Experiment(...).run().</div>
          ) : (
            <table class="table" aria-label="Experiments">
              <thead>
                <tr>
                  <th>Experiment</th>
                  <th>Dataset</th>
                  <th>Models</th>
                  <th>Metrics</th>
                  <th class="num">Rows</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {[...(experiments ?? [])].reverse().map((e) => (
                  <tr key={e.name}>
                    <td>
                      <a class="dataset-link" href={`/experiments/${encodeURIComponent(e.name)}`} onClick={linkClick({ page: "experiments", name: e.name })}>
                        {e.name}
                      </a>
                      <div class="muted small">{new Date(e.created_at + (e.created_at.endsWith("Z") ? "" : "Z")).toLocaleString()}</div>
                    </td>
                    <td>{e.dataset}</td>
                    <td>{e.models.join(", ")}</td>
                    <td>{e.metrics.join(", ")}</td>
                    <td class="num">{e.num_rows ?? "—"}</td>
                    <td>
                      <StatusBadge status={e.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <CreateExperimentForm />
      </div>
    </div>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={`exp-status ${props.status}`}>{props.status}</span>;
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

function CreateExperimentForm() {
  const { datasets, readOnly } = useDatasets();
  const [dataset, setDataset] = useState("");
  const chosen = dataset || (datasets?.[0] ? `${datasets[0].namespace}/${datasets[0].name}` : "");
  // The columns come from the chosen dataset's schema: its text fields, the first prose one
  // (not an id or a label) as the input until the user picks another.
  const [fields, setFields] = useState<Leaf[] | null>(null);
  const [fieldsError, setFieldsError] = useState<unknown>(null);
  const [input, setInput] = useState("");
  const [references, setReferences] = useState<string[]>([]);
  useEffect(() => {
    if (!chosen) return;
    let current = true;
    setFields(null);
    setFieldsError(null);
    setInput("");
    setReferences([]);
    const [namespace, name] = chosen.split("/");
    const base = datasetPath(namespace, name);
    getJson<DatasetManifest>(base)
      .then(async (manifest) => {
        const leaves = textLeavesOf(manifest);
        if (!current) return;
        setFields(leaves);
        const prose = await firstProseField(base, leaves);
        if (current) setInput((picked) => picked || (prose ?? ""));
      })
      .catch((caught: unknown) => current && setFieldsError(caught));
    return () => {
      current = false;
    };
  }, [chosen]);
  const toggleReference = (path: string, on: boolean) =>
    setReferences((picked) => (on ? [...picked, path] : picked.filter((p) => p !== path)));
  // Models are chosen among those the server offers; none chosen means its configured LLM.
  const [offered, setOffered] = useState<ModelList | null>(null);
  const [models, setModels] = useState<string[]>([]);
  const [modelsError, setModelsError] = useState<unknown>(null);
  useEffect(() => {
    listModels().then(setOffered).catch(setModelsError);
  }, []);
  const toggleModel = (name: string, on: boolean) =>
    setModels((chosenModels) => (on ? [...chosenModels, name] : chosenModels.filter((m) => m !== name)));
  // An address the server accepts that its list does not name (it refuses one it does not allow).
  const [otherModel, setOtherModel] = useState("");
  const [metrics, setMetrics] = useState("");
  const [maxSamples, setMaxSamples] = useState("20");
  const [name, setName] = useState("");
  if (readOnly) return <div class="card muted small">This server is read-only: experiments cannot be started here.</div>;
  return (
    <form
      class="card load-panel"
      aria-label="New experiment"
      onSubmit={(event) => {
        event.preventDefault();
        void attempt(async () => {
          const started = await createExperiment({
            dataset: chosen,
            input_column: input,
            reference_columns: references.filter((r) => r !== input),
            models: otherModel.trim() ? [...models, otherModel.trim()] : models,
            metrics: metrics.trim() ? splitList(metrics) : null,
            max_samples: maxSamples.trim() ? Number(maxSamples) : null,
            name: name.trim() || null,
          });
          navigate({ page: "experiments", name: started.name });
        });
      }}
    >
      <h3>New experiment</h3>
      <label class="field">
        <span class="muted small">Dataset</span>
        <select class="input" aria-label="Dataset" value={chosen} onChange={(e) => setDataset(e.currentTarget.value)}>
          {(datasets ?? []).map((d) => (
            <option key={`${d.namespace}/${d.name}`}>{`${d.namespace}/${d.name}`}</option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="muted small">Input column</span>
        <select class="input" aria-label="Input column" value={input} disabled={!fields?.length} onChange={(e) => setInput(e.currentTarget.value)}>
          {(fields ?? []).map((f) => (
            <option key={f.path} value={f.path}>
              {f.path}
            </option>
          ))}
        </select>
      </label>
      <fieldset class="field model-pick" aria-label="Reference columns">
        <legend class="muted small">Reference columns (the ground truth each answer is scored against)</legend>
        {(fields ?? [])
          .filter((f) => f.path !== input)
          .map((f) => (
            <label key={f.path} class="check">
              <input type="checkbox" name="reference" value={f.path} checked={references.includes(f.path)} onChange={(e) => toggleReference(f.path, e.currentTarget.checked)} />
              {f.path}
            </label>
          ))}
        {fields && fields.length === 0 && <span class="muted small">This dataset has no text field.</span>}
        <ErrorBox error={fieldsError} />
      </fieldset>
      <fieldset class="field model-pick" aria-label="Models">
        <legend class="muted small">
          Models (none chosen: {offered?.default_llm ? `the configured LLM, ${offered.default_llm}` : "the configured LLM"})
        </legend>
        {(offered?.llms ?? []).map((m) => (
          <label key={m.name} class="check">
            <input type="checkbox" name="model" value={m.name} checked={models.includes(m.name)} onChange={(e) => toggleModel(m.name, e.currentTarget.checked)} />
            {modelLabel(m)}
          </label>
        ))}
        {offered && offered.llms.length === 0 && (
          <span class="muted small">This server offers no LLM: its operator names them in the models: block of gristmill.yml.</span>
        )}
        <label class="field">
          <span class="muted small">Other model</span>
          <input class="input" aria-label="Other model" placeholder="another address the server allows" value={otherModel} onInput={(e) => setOtherModel(e.currentTarget.value)} />
        </label>
        <ErrorBox error={modelsError} />
      </fieldset>
      <div class="field-row">
        <label class="field">
          <span class="muted small">Metrics (blank: the task's)</span>
          <input class="input" aria-label="Metrics" placeholder="rouge, bleu" value={metrics} onInput={(e) => setMetrics(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="muted small">Rows</span>
          <input class="input" aria-label="Max samples" type="number" min={1} value={maxSamples} onInput={(e) => setMaxSamples(e.currentTarget.value)} />
        </label>
      </div>
      <label class="field">
        <span class="muted small">Name (optional)</span>
        <input class="input" aria-label="Experiment name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <div class="actions-row">
        <button class="btn primary" type="submit" disabled={!chosen || !input}>
          Run experiment
        </button>
      </div>
    </form>
  );
}
