// The experiment routes' shapes (from docs/openapi.json; the pydantic models in
// server/_experiment_models.py are the source) and their calls.
import { getJson, postJson } from "./client";

export interface ExperimentInfo {
  name: string;
  dataset: string;
  task: string;
  models: string[];
  metrics: string[];
  status: string;
  num_rows: number | null;
  created_at: string;
  updated_at: string;
}

export interface ModelConfig {
  address: string;
  label?: string | null;
  system_prompt?: string | null;
}

export interface ExperimentConfig {
  name: string;
  dataset: string;
  input_column: string;
  reference_columns: string[];
  task: string;
  models: ModelConfig[];
  metrics: string[];
  max_samples: number | null;
  confidence: number;
}

export interface ModelOutcome {
  model: string;
  address: string;
  status: string;
  error: string | null;
  prediction_column: string;
  score_columns: Record<string, string>;
  n_rows: number | null;
  n_errors: number | null;
}

export interface ResultCell {
  model: string;
  metric: string;
  kind: "metric" | "usage";
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
  n_missing: number;
  corpus: number | null;
  higher_is_better: boolean | null;
}

export interface ExperimentDetail {
  config: ExperimentConfig;
  status: string;
  error: string | null;
  job_id: string | null;
  num_rows: number | null;
  models: ModelOutcome[];
  metrics: string[];
  table: ResultCell[];
  errors: Record<string, string>;
}

export interface SampleRow {
  rowid: number;
  input: unknown;
  references: string[];
  prediction: string | null;
  error: string | null;
  scores: Record<string, number | null>;
}

export interface BestWorst {
  model: string;
  metric: string;
  higher_is_better: boolean;
  column: string;
  best: SampleRow[];
  worst: SampleRow[];
}

export interface ExperimentRows {
  model: string;
  rows: SampleRow[];
  total_num_rows: number;
  limit: number;
  offset: number;
}

export interface PairedComparison {
  n: number;
  mean_difference: number | null;
  ci_low: number | null;
  ci_high: number | null;
  win_rate: number | null;
  tie_rate: number | null;
  loss_rate: number | null;
  p_value: number | null;
}

export interface ModelComparison {
  model_a: string;
  model_b: string;
  metrics: Record<string, PairedComparison>;
}

export interface CreateExperiment {
  dataset: string;
  input_column: string;
  reference_columns: string[];
  models: string[];
  metrics: string[] | null;
  max_samples: number | null;
  name: string | null;
}

const base = (name: string) => `/experiments/${encodeURIComponent(name)}`;
const query = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export const listExperiments = () => getJson<{ experiments: ExperimentInfo[] }>("/experiments");
export const getExperiment = (name: string) => getJson<ExperimentDetail>(base(name));
export const getBestWorst = (name: string, model: string, metric: string, n: number) =>
  getJson<BestWorst>(`${base(name)}/best_worst?${query({ model, metric, n })}`);
export const getExperimentRows = (name: string, model: string, offset: number, limit: number) =>
  getJson<ExperimentRows>(`${base(name)}/rows?${query({ model, offset, limit })}`);
export const compareModels = (name: string, a: string, b: string) =>
  getJson<ModelComparison>(`${base(name)}/compare?${query({ a, b })}`);
export const createExperiment = (body: CreateExperiment) =>
  postJson<{ name: string; dataset: string; job_id: string | null }>("/experiments", body);
