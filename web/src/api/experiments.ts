// The experiment routes' shapes (aliases of the types generated from docs/openapi.json; the
// pydantic models in server/_experiment_models.py are the source) and their calls.
import { getJson, postJson } from "./client";
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type ExperimentInfo = Schemas["ExperimentInfo"];
// As an experiment's config reports it (every field sent); a request takes Schemas["ModelConfig-Input"].
export type ModelConfig = Schemas["ModelConfig-Output"];
export type ExperimentConfig = Schemas["ExperimentConfig"];
export type ModelOutcome = Schemas["ModelOutcome"];
export type ResultCell = Schemas["ResultCell"];
export type ExperimentDetail = Schemas["ExperimentDetail"];
export type SampleRow = Schemas["SampleRow"];
export type BestWorst = Schemas["BestWorst"];
export type ExperimentRows = Schemas["ExperimentRows"];
export type PairedComparison = Schemas["PairedComparison"];
export type ModelComparison = Schemas["ModelComparison"];
export type CreateExperiment = Schemas["CreateExperimentRequest"];
export type ExperimentStarted = Schemas["ExperimentStarted"];

const base = (name: string) => `/experiments/${encodeURIComponent(name)}`;
const query = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export const listExperiments = () => getJson<Schemas["ExperimentList"]>("/experiments");
export const getExperiment = (name: string) => getJson<ExperimentDetail>(base(name));
export const getBestWorst = (name: string, model: string, metric: string, n: number) =>
  getJson<BestWorst>(`${base(name)}/best_worst?${query({ model, metric, n })}`);
export const getExperimentRows = (name: string, model: string, offset: number, limit: number) =>
  getJson<ExperimentRows>(`${base(name)}/rows?${query({ model, offset, limit })}`);
export const compareModels = (name: string, a: string, b: string) =>
  getJson<ModelComparison>(`${base(name)}/compare?${query({ a, b })}`);
export const createExperiment = (body: CreateExperiment) =>
  postJson<ExperimentStarted>("/experiments", body);
