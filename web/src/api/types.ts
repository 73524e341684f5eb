// The REST API's shapes, written from docs/openapi.json (the pydantic models are the source).

export interface DatasetInfo {
  namespace: string;
  name: string;
  num_rows: number;
  created_at: string;
}

export interface SchemaField {
  dtype: string;
  fields?: Record<string, SchemaField> | null;
  repeated_field?: SchemaField | null;
  derived?: boolean;
}

export type LineageKind =
  | "map"
  | "signal"
  | "embedding"
  | "concept"
  | "cluster"
  | "prediction"
  | "metric";

export interface Lineage {
  kind: LineageKind;
  producer: string;
  input_path?: string | null;
  params?: Record<string, unknown>;
  num_rows?: number;
  created_at: string;
}

export interface DerivedColumn {
  name: string;
  lineage: Lineage;
}

export interface DatasetManifest {
  namespace: string;
  dataset_name: string;
  data_schema: { fields: Record<string, SchemaField> };
  num_items: number;
  num_deleted: number;
  source: Record<string, unknown>;
  created_at: string;
  derived_columns: DerivedColumn[];
  labels: string[];
}

export const FILTER_OPS = [
  "equals",
  "not_equal",
  "greater",
  "greater_equal",
  "less",
  "less_equal",
  "in",
  "exists",
  "not_exists",
  "regex_matches",
  "not_regex_matches",
  "length_longer",
  "length_shorter",
  "ilike",
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface Filter {
  path: string;
  op: FilterOp;
  value?: unknown;
}

export type SearchType = "keyword" | "semantic" | "concept";

export interface KeywordSearch {
  type: "keyword";
  path: string;
  query: string;
}
export interface SemanticSearch {
  type: "semantic";
  path: string;
  query: string;
  embedding: string;
}
export interface ConceptSearch {
  type: "concept";
  path: string;
  concept_namespace: string;
  concept_name: string;
  embedding: string;
}
export type Search = KeywordSearch | SemanticSearch | ConceptSearch;

export type Row = Record<string, unknown> & { __rowid__: number };

export interface SelectRowsRequest {
  columns?: string[] | null;
  filters?: Filter[];
  searches?: Search[];
  sort_by?: string[];
  sort_order?: "ASC" | "DESC";
  limit?: number;
  offset?: number;
  include_deleted?: boolean;
}

export interface SelectRowsResponse {
  rows: Row[];
  total_num_rows: number;
  limit: number;
  offset: number;
  search_columns?: string[];
}

export interface GroupsResult {
  path: string;
  kind: "categorical" | "boolean" | "numeric" | "length";
  counts: [unknown, number][];
  bins?: [string, number | null, number | null][] | null;
  too_many_distinct?: boolean;
}

export type JobStatus = "pending" | "running" | "completed" | "failed" | "cancelled";

export interface JobInfo {
  id: string;
  kind: string;
  description: string;
  status: JobStatus;
  progress: number;
  total?: number | null;
  message?: string | null;
  error?: string | null;
  dataset?: string | null;
  cancel_requested?: boolean;
  created_at: string;
  updated_at: string;
  finished_at?: string | null;
}

export interface LoadStarted {
  job_id: string;
  dataset: string;
}

export interface Health {
  status: "ok";
  version: string;
  read_only: boolean;
}

export interface ErrorDetail {
  code: string;
  message: string;
  hint?: string | null;
}

export interface EnrichmentStarted {
  job_id: string | null;
  kind: string;
  dataset: string;
}

export interface SignalInfo {
  name: string;
  scope: "row" | "dataset";
  version: number;
  on_embeddings: boolean;
  description: string | null;
  parameters: Record<string, unknown>;
}

export interface ConceptInfo {
  namespace: string;
  name: string;
  description?: string | null;
  builtin?: boolean;
  version?: number;
  num_positive?: number;
  num_negative?: number;
  updated_at?: string | null;
}

export interface ConceptExample {
  id: string;
  text: string;
  label: boolean;
  draft?: string;
  source?: string | null;
}

export interface ConceptMetrics {
  num_examples: number;
  num_positive: number;
  num_negative: number;
  folds: number;
  f1?: number | null;
  precision?: number | null;
  recall?: number | null;
  roc_auc?: number | null;
  note?: string | null;
}

export interface ConceptModelSummary {
  embedding: string;
  embedding_model_id: string;
  concept_version: number;
  metrics: ConceptMetrics;
  trained_at: string;
}

export interface ConceptDetail {
  info: ConceptInfo;
  examples: ConceptExample[];
  model: ConceptModelSummary | null;
}

export interface ClusterSummary {
  id: number;
  title: string;
  count: number;
  mean_membership: number;
}

export interface CategorySummary {
  id: number;
  title: string;
  count: number;
  mean_membership: number;
  clusters: ClusterSummary[];
}

export interface ClusterHierarchy {
  column: string;
  input_path: string | null;
  titles_from: string | null;
  num_rows: number;
  num_clusters: number;
  num_categories: number;
  categories: CategorySummary[];
}

export interface DataDirList {
  data_dirs: string[];
}

// GET /models: the models a request may name (gristmill.yml's models: block and the built-ins).
export interface ModelInfo {
  name: string;
  kind: "llm" | "embedding";
  provider: string;
  model: string | null;
  remote: boolean;
  key_set: boolean | null;
}

export interface ModelList {
  llms: ModelInfo[];
  embeddings: ModelInfo[];
  default_llm: string | null;
  default_embedding: string;
}
