// The REST API's shapes under the names the UI uses. Each is an alias of a type generated from
// docs/openapi.json (schema.gen.ts, `make api-types`), so a change to a server model that the UI
// does not follow fails `tsc`. Only what the spec cannot say is written here (marked).
import type { components } from "./schema.gen";

type Schemas = components["schemas"];

export type DatasetInfo = Schemas["DatasetInfo"];
export type SchemaField = Schemas["SchemaField"];
export type Lineage = Schemas["Lineage"];
export type LineageKind = Lineage["kind"];
export type DerivedColumn = Schemas["DerivedColumn"];
export type DatasetManifest = Schemas["DatasetManifest"];

// Requests the UI builds are narrower than what the server takes: a path as dotted text (the
// server also takes a list of segments) and, for a search, the embedding named (the server has
// a default). Each is still the server's type, so a field the server renames fails tsc.
export type Filter = Schemas["Filter"] & { path: string };
export type FilterOp = Filter["op"];
// A runtime list for the filter menu, in the server's order (tests/ui/test_web_types.py); the
// two checks below make tsc fail when it misses an op or names one the server does not know.
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
] as const satisfies readonly FilterOp[];
type IsTrue<T extends true> = T;
export type EveryFilterOpListed = IsTrue<
  [Exclude<FilterOp, (typeof FILTER_OPS)[number]>] extends [never] ? true : false
>;

export type KeywordSearch = Schemas["KeywordSearch"] & { path: string };
export type SemanticSearch = Schemas["SemanticSearch"] & { path: string; embedding: string };
export type ConceptSearch = Schemas["ConceptSearch"] & { path: string; embedding: string };
export type Search = KeywordSearch | SemanticSearch | ConceptSearch;
export type SearchType = Search["type"];

export type SelectRowsRequest = Schemas["SelectRowsRequest"];
// Not in the spec's row type: the server includes `__rowid__` in every row it returns.
export type Row = Schemas["SelectRowsResponse"]["rows"][number] & { __rowid__: number };
export type SelectRowsResponse = Omit<Schemas["SelectRowsResponse"], "rows"> & { rows: Row[] };

export type GroupsResult = Schemas["GroupsResult"];

export type JobStatus = Schemas["JobStatus"];
export type JobInfo = Schemas["JobInfo"];
export type LoadStarted = Schemas["LoadStarted"];
export type Health = Schemas["Health"];
export type ErrorDetail = Schemas["ErrorDetail"];
export type EnrichmentStarted = Schemas["EnrichmentStarted"];
export type SignalInfo = Schemas["SignalInfo"];

export type ConceptInfo = Schemas["ConceptInfo"];
export type ConceptExample = Schemas["ConceptExample"];
export type ConceptMetrics = Schemas["ConceptMetrics"];
export type ConceptModelSummary = Schemas["ConceptModelSummary"];
export type ConceptDetail = Schemas["ConceptDetail"];

export type ClusterSummary = Schemas["ClusterSummary"];
export type CategorySummary = Schemas["CategorySummary"];
export type ClusterHierarchy = Schemas["ClusterHierarchy"];

export type DataDirList = Schemas["DataDirList"];

// GET /models: the models a request may name (gristmill.yml's models: block and the built-ins).
export type ModelInfo = Schemas["ModelInfo"];
export type ModelList = Schemas["ModelList"];
