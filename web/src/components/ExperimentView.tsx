// One experiment: its settings, the model x metric table (means with confidence-interval bars),
// a paired comparison of two models, and the rows behind the numbers (ExperimentSamples).
import { useEffect, useState } from "preact/hooks";
import {
  compareModels,
  getExperiment,
  type ExperimentDetail,
  type ModelComparison,
  type ResultCell,
} from "../api/experiments";
import { emptyView, linkClick } from "../state/route";
import { ExperimentSamples } from "./ExperimentSamples";
import { StatusBadge } from "./ExperimentsPage";
import { ErrorBox } from "./ui";

const POLL_MS = 1000;
const USAGE_SHOWN = ["latency_s", "output_tokens"];

export function ExperimentView(props: { name: string }) {
  const [detail, setDetail] = useState<ExperimentDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<{ model: string; metric: string } | null>(null);
  useEffect(() => {
    let timer: number | undefined;
    let alive = true;
    const load = () =>
      getExperiment(props.name)
        .then((d) => {
          if (!alive) return;
          setDetail(d);
          setError(null);
          // A running experiment's table fills in model by model.
          if (d.status === "running") timer = window.setTimeout(load, POLL_MS);
        })
        .catch((e) => alive && setError(e));
    void load();
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [props.name]);
  const [namespace, datasetName] = (detail?.config.dataset ?? "/").split("/");
  const completed = detail?.models.filter((m) => m.status === "completed") ?? [];
  const choice = selected ?? (completed[0] && detail?.metrics[0] ? { model: completed[0].model, metric: detail.metrics[0] } : null);
  return (
    <div class="page experiment-page">
      <header class="page-head">
        <a class="muted" href="/experiments" onClick={linkClick({ page: "experiments", name: null })}>
          Experiments /
        </a>
        <h1>{props.name}</h1>
        {detail && <StatusBadge status={detail.status} />}
      </header>
      <ErrorBox error={error} />
      {detail && (
        <>
          <div class="exp-meta muted small">
            <span>
              dataset{" "}
              <a href={`/datasets/${detail.config.dataset}`} onClick={linkClick({ page: "dataset", namespace, name: datasetName, view: emptyView() })}>
                {detail.config.dataset}
              </a>
            </span>
            <span>task {detail.config.task}</span>
            <span>
              input <code>{detail.config.input_column}</code> → references{" "}
              {detail.config.reference_columns.map((r) => (
                <code key={r}>{r} </code>
              ))}
            </span>
            <span>{detail.num_rows ?? "?"} rows</span>
          </div>
          {detail.error && <ErrorBox error={new Error(detail.error)} />}
          {Object.entries(detail.errors).map(([model, message]) => (
            <div key={model} class="error-box" role="alert">
              <strong>{model} failed:</strong> {message}
            </div>
          ))}
          <ResultsTable detail={detail} selected={choice} onSelect={setSelected} />
          {completed.length >= 2 && <Comparison name={props.name} models={completed.map((m) => m.model)} />}
          {choice && <ExperimentSamples detail={detail} model={choice.model} metric={choice.metric} onChange={setSelected} />}
        </>
      )}
    </div>
  );
}

function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "—" : value.toFixed(digits);
}

function ResultsTable(props: {
  detail: ExperimentDetail;
  selected: { model: string; metric: string } | null;
  onSelect: (choice: { model: string; metric: string }) => void;
}) {
  const { detail } = props;
  const cells = new Map(detail.table.map((c) => [`${c.model}\u0000${c.metric}`, c]));
  const usage = USAGE_SHOWN.filter((u) => detail.table.some((c) => c.metric === u));
  const columns = [...detail.metrics, ...usage];
  const confidence = Math.round((detail.config.confidence ?? 0.95) * 100);
  return (
    <section class="card exp-results" aria-label="Results">
      <div class="section-head">
        <h2>Results</h2>
        <span class="muted small">
          mean with its {confidence}% bootstrap confidence interval; click a score to see its best and worst rows
        </span>
      </div>
      <div class="exp-table-wrap">
        <table class="exp-table">
          <thead>
            <tr>
              <th>Model</th>
              {columns.map((m) => (
                <th key={m} class={usage.includes(m) ? "usage" : undefined}>
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {detail.models.map((model) => (
              <tr key={model.model}>
                <th scope="row">
                  {model.model}
                  {model.address !== model.model && <div class="muted small">{model.address}</div>}
                </th>
                {model.status !== "completed" ? (
                  <td colSpan={columns.length} class="exp-failed">
                    failed: {model.error}
                  </td>
                ) : (
                  columns.map((metric) => {
                    const cell = cells.get(`${model.model}\u0000${metric}`);
                    const isUsage = usage.includes(metric);
                    const active = props.selected?.model === model.model && props.selected.metric === metric;
                    return (
                      <td key={metric} class={`exp-cell ${active ? "active" : ""} ${isUsage ? "usage" : ""}`}>
                        {cell && !isUsage ? (
                          <button class="exp-cell-btn" aria-label={`${model.model} ${metric}`} onClick={() => props.onSelect({ model: model.model, metric })}>
                            <CellValue cell={cell} all={detail.table.filter((c) => c.metric === metric)} best={isBest(detail.table, cell)} />
                          </button>
                        ) : (
                          cell && <CellValue cell={cell} all={detail.table.filter((c) => c.metric === metric)} best={false} />
                        )}
                      </td>
                    );
                  })
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function isBest(table: ResultCell[], cell: ResultCell): boolean {
  const peers = table.filter((c) => c.metric === cell.metric && c.mean !== null);
  if (peers.length < 2 || cell.mean === null) return false;
  const means = peers.map((c) => c.mean as number);
  const target = cell.higher_is_better === false ? Math.min(...means) : Math.max(...means);
  return cell.mean === target && means.filter((m) => m === target).length === 1;
}

/** The mean, then a bar: the interval as a band on a scale shared by the column, the mean a tick. */
function CellValue(props: { cell: ResultCell; all: ResultCell[]; best: boolean }) {
  const { cell } = props;
  const lows = props.all.map((c) => c.ci_low ?? c.mean ?? 0);
  const highs = props.all.map((c) => c.ci_high ?? c.mean ?? 0);
  const lo = Math.min(0, ...lows);
  const hi = Math.max(...highs, lo + 1e-9);
  const at = (v: number) => `${(100 * (v - lo)) / (hi - lo)}%`;
  const digits = Math.abs(hi) >= 100 ? 1 : 3;
  return (
    <span class={`exp-value ${props.best ? "best" : ""}`}>
      <span class="exp-mean">{fmt(cell.mean, digits)}</span>
      <span class="exp-ci muted">
        [{fmt(cell.ci_low, digits)}, {fmt(cell.ci_high, digits)}]
      </span>
      {cell.mean !== null && (
        <span class="ci-bar" data-testid="ci-bar" title={`${fmt(cell.mean, digits)} [${fmt(cell.ci_low, digits)}, ${fmt(cell.ci_high, digits)}]`}>
          <span class="ci-band" style={{ left: at(cell.ci_low ?? cell.mean), width: `calc(${at(cell.ci_high ?? cell.mean)} - ${at(cell.ci_low ?? cell.mean)})` }} />
          <span class="ci-mean" style={{ left: at(cell.mean) }} />
        </span>
      )}
    </span>
  );
}

function Comparison(props: { name: string; models: string[] }) {
  const [a, setA] = useState(props.models[0]);
  const [b, setB] = useState(props.models[1]);
  const [result, setResult] = useState<ModelComparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (a === b) {
      setResult(null);
      return;
    }
    compareModels(props.name, a, b)
      .then((r) => {
        setResult(r);
        setError(null);
      })
      .catch(setError);
  }, [props.name, a, b]);
  const pick = (value: string, set: (v: string) => void, label: string) => (
    <select class="input" aria-label={label} value={value} onChange={(e) => set(e.currentTarget.value)}>
      {props.models.map((m) => (
        <option key={m}>{m}</option>
      ))}
    </select>
  );
  const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
  return (
    <section class="card exp-compare" aria-label="Compare models">
      <div class="section-head">
        <h2>Compare</h2>
        {pick(a, setA, "Model A")}
        <span class="muted">vs</span>
        {pick(b, setB, "Model B")}
        <span class="muted small">paired on the same rows: A − B with its interval, A's wins / ties / losses</span>
      </div>
      <ErrorBox error={error} />
      {a === b && <div class="muted small">Choose two different models.</div>}
      {result && (
        <div class="exp-table-wrap">
          <table class="exp-table compact">
            <thead>
              <tr>
                <th>Metric</th>
                <th class="num">A − B</th>
                <th class="num">interval</th>
                <th class="num">wins</th>
                <th class="num">ties</th>
                <th class="num">losses</th>
                <th class="num">p</th>
                <th class="num">n</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(result.metrics).map(([metric, c]) => {
                const significant = c.ci_low !== null && c.ci_high !== null && (c.ci_low > 0 || c.ci_high < 0);
                return (
                  <tr key={metric}>
                    <th scope="row">{metric}</th>
                    <td class={`num ${significant ? "signif" : ""}`}>{c.mean_difference === null ? "—" : (c.mean_difference >= 0 ? "+" : "") + c.mean_difference.toFixed(3)}</td>
                    <td class="num muted">
                      [{fmt(c.ci_low)}, {fmt(c.ci_high)}]
                    </td>
                    <td class="num">{pct(c.win_rate)}</td>
                    <td class="num">{pct(c.tie_rate)}</td>
                    <td class="num">{pct(c.loss_rate)}</td>
                    <td class="num">{c.p_value === null ? "—" : c.p_value.toPrecision(2)}</td>
                    <td class="num muted">{c.n}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
