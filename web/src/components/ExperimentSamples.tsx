// The rows behind an experiment's numbers: a model's best and worst rows by a metric, and every
// row's prediction against its reference as a diff (the compare view's DiffView: code line by
// line, prose word by word), with a link to the dataset view sorted by the metric's column.
import { useEffect, useState } from "preact/hooks";
import {
  getBestWorst,
  getExperimentRows,
  type BestWorst,
  type ExperimentDetail,
  type ExperimentRows,
  type SampleRow,
} from "../api/experiments";
import { emptyView, linkClick, routeUrl, type Route } from "../state/route";
import { DiffView } from "./DiffView";
import { ErrorBox } from "./ui";

const SAMPLES = 3;
const PAGE = 10;
const INPUT_PREVIEW = 280;

export function ExperimentSamples(props: {
  detail: ExperimentDetail;
  model: string;
  metric: string;
  onChange: (choice: { model: string; metric: string }) => void;
}) {
  const { detail, model, metric } = props;
  const [tab, setTab] = useState<"bestworst" | "rows">("bestworst");
  const outcome = detail.models.find((m) => m.model === model);
  const completed = detail.models.filter((m) => m.status === "completed");
  const column = outcome?.score_columns[metric];
  const higher = detail.table.find((c) => c.model === model && c.metric === metric)?.higher_is_better !== false;
  const datasetRoute = (order: "ASC" | "DESC"): Route | null => {
    const [namespace, name] = detail.config.dataset.split("/");
    if (!column || !outcome) return null;
    const reference = detail.config.reference_columns[0];
    return {
      page: "dataset",
      namespace,
      name,
      view: {
        ...emptyView(),
        filters: [{ path: column, op: "exists" }],
        sortBy: column,
        sortOrder: order,
        compare: reference ? [reference, `${outcome.prediction_column}.text`] : null,
      },
    };
  };
  const sorted = datasetRoute(higher ? "DESC" : "ASC");
  return (
    <section class="card exp-samples" aria-label="Samples">
      <div class="section-head">
        <h2>Rows</h2>
        <select class="input" aria-label="Model" value={model} onChange={(e) => props.onChange({ model: e.currentTarget.value, metric })}>
          {completed.map((m) => (
            <option key={m.model}>{m.model}</option>
          ))}
        </select>
        <select class="input" aria-label="Metric" value={metric} onChange={(e) => props.onChange({ model, metric: e.currentTarget.value })}>
          {detail.metrics.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <div class="tabs" role="tablist">
          <button role="tab" class={`tab ${tab === "bestworst" ? "active" : ""}`} aria-selected={tab === "bestworst"} onClick={() => setTab("bestworst")}>
            Best &amp; worst
          </button>
          <button role="tab" class={`tab ${tab === "rows" ? "active" : ""}`} aria-selected={tab === "rows"} onClick={() => setTab("rows")}>
            All rows
          </button>
        </div>
        <span class="spacer" />
        {sorted && (
          <a class="btn small" href={routeUrl(sorted)} onClick={linkClick(sorted)} data-testid="open-in-dataset">
            Open in dataset, sorted by {metric}
          </a>
        )}
      </div>
      {tab === "bestworst" ? (
        <BestWorstRows name={detail.config.name} model={model} metric={metric} />
      ) : (
        <AllRows name={detail.config.name} model={model} metric={metric} />
      )}
    </section>
  );
}

function BestWorstRows(props: { name: string; model: string; metric: string }) {
  const [found, setFound] = useState<BestWorst | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setFound(null);
    getBestWorst(props.name, props.model, props.metric, SAMPLES)
      .then((r) => {
        setFound(r);
        setError(null);
      })
      .catch(setError);
  }, [props.name, props.model, props.metric]);
  return (
    <>
      <ErrorBox error={error} />
      {found && (
        <div class="bw-grid">
          <div class="bw-column" aria-label="Best rows" data-testid="best-rows">
            <h3 class="bw-head best">Best by {found.metric}</h3>
            {found.best.map((row) => (
              <SampleCard key={row.rowid} row={row} model={props.model} metric={found.metric} />
            ))}
          </div>
          <div class="bw-column" aria-label="Worst rows" data-testid="worst-rows">
            <h3 class="bw-head worst">Worst by {found.metric}</h3>
            {found.worst.map((row) => (
              <SampleCard key={row.rowid} row={row} model={props.model} metric={found.metric} />
            ))}
          </div>
        </div>
      )}
    </>
  );
}

function AllRows(props: { name: string; model: string; metric: string }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<ExperimentRows | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setOffset(0), [props.model]);
  useEffect(() => {
    getExperimentRows(props.name, props.model, offset, PAGE)
      .then((r) => {
        setPage(r);
        setError(null);
      })
      .catch(setError);
  }, [props.name, props.model, offset]);
  const total = page?.total_num_rows ?? 0;
  return (
    <>
      <ErrorBox error={error} />
      <div class="exp-pager">
        <button class="btn small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ← Previous
        </button>
        <span class="muted small">
          rows {total ? offset + 1 : 0}–{Math.min(offset + PAGE, total)} of {total}
        </span>
        <button class="btn small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Next →
        </button>
      </div>
      <div class="exp-rows" data-testid="experiment-rows">
        {page?.rows.map((row) => <SampleCard key={row.rowid} row={row} model={props.model} metric={props.metric} />)}
      </div>
    </>
  );
}

function SampleCard(props: { row: SampleRow; model: string; metric: string }) {
  const { row } = props;
  const [showInput, setShowInput] = useState(false);
  const [reference, setReference] = useState(0);
  const input = typeof row.input === "string" ? row.input : JSON.stringify(row.input, null, 2);
  const score = row.scores[props.metric];
  return (
    <article class="sample" data-testid="sample">
      <div class="sample-head">
        <span class="muted small">row {row.rowid}</span>
        <span class="score-chip" title={props.metric}>
          {props.metric} {score === null || score === undefined ? "—" : score.toFixed(3)}
        </span>
        {Object.entries(row.scores)
          .filter(([name]) => name !== props.metric)
          .map(([name, value]) => (
            <span key={name} class="muted small">
              {name} {value === null ? "—" : value.toFixed(3)}
            </span>
          ))}
        {row.references.length > 1 && (
          <span class="ref-pick">
            {row.references.map((_, i) => (
              <button key={i} class={`link-btn ${i === reference ? "active" : ""}`} onClick={() => setReference(i)}>
                ref {i + 1}
              </button>
            ))}
          </span>
        )}
      </div>
      <div class={`sample-input ${showInput ? "open" : ""}`}>
        {showInput || input.length <= INPUT_PREVIEW ? input : `${input.slice(0, INPUT_PREVIEW)}…`}
        {input.length > INPUT_PREVIEW && (
          <button class="link-btn" onClick={() => setShowInput(!showInput)}>
            {showInput ? "less" : "more"}
          </button>
        )}
      </div>
      {row.error && <div class="job-error">{row.error}</div>}
      <DiffView before={row.references[reference] ?? null} after={row.prediction} left={`reference ${reference + 1}`} right={props.model} />
    </article>
  );
}
