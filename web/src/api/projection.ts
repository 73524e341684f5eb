// The data map's REST shapes (issue 14 item 5), as aliases of the types generated from
// docs/openapi.json (schema.gen.ts), and the calls that use them.
import { getJson, postJson } from "./client";
import type { components } from "./schema.gen";
import type { EnrichmentStarted } from "./types";

type Schemas = components["schemas"];

/** One stored projection: the 2-D map of `path` under one embedding. */
export type ProjectionSummary = Schemas["ProjectionInfo"];
export type ProjectionList = Schemas["ProjectionList"];
export type ComputeProjectionRequest = Schemas["ComputeProjectionRequest"];
export type ProjectionRequest = Schemas["ProjectionRequest"];
/** Per point: an index into `categories` (categorical) or the number (numeric); null = no value. */
export type ProjectionColor = Schemas["PointColors"];
export type ColorKind = ProjectionColor["kind"];
/** The points (columnar), their colours, and whether each passes the view's filters. */
export type ProjectionResponse = Schemas["ProjectionView"];

export function listProjections(base: string): Promise<ProjectionList> {
  return getJson<ProjectionList>(`${base}/projections`);
}

export function fetchProjection(base: string, request: ProjectionRequest): Promise<ProjectionResponse> {
  return postJson<ProjectionResponse>(`${base}/projection`, request);
}

export function computeProjection(base: string, request: ComputeProjectionRequest): Promise<EnrichmentStarted> {
  return postJson<EnrichmentStarted>(`${base}/compute_projection`, request);
}
