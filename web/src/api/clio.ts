// The conversation-insights routes (issue 15, server/_clio_models.py), as aliases of the types
// generated from docs/openapi.json (schema.gen.ts), and the calls that use them.
import { getJson, postJson } from "./client";
import type { components } from "./schema.gen";
import type { EnrichmentStarted } from "./types";

type Schemas = components["schemas"];

/** A facet of a stored run; `key` is its field in the stored struct (`<column>.<key>`). */
export type ClioFacetInfo = Schemas["ClioFacetInfo"];
export type HistogramBar = Schemas["HistogramBar"];
/** A stored run: the chats it read (`path`), its mode, facets and numeric histograms. */
export type ClioColumnInfo = Schemas["ClioColumnInfo"];
export type ClioList = Schemas["ClioList"];
/** A shown node; its rows have `<column>.<key>_cluster` in `base_ids`. */
export type ClioViewNode = Schemas["ClioViewNode"];
/** The map's points (columnar); `node` is each point's shown node (null: none). */
export type ClioPoints = Schemas["ClioPoints"];
export type ClioFacetView = Schemas["ClioFacetView"];
export type ComputeClioRequest = Schemas["ComputeClioRequest"];

export function listClio(base: string): Promise<ClioList> {
  return getJson<ClioList>(`${base}/clio`);
}

export function fetchClioFacet(base: string, column: string, facet: string): Promise<ClioFacetView> {
  return getJson<ClioFacetView>(`${base}/clio/${encodeURIComponent(column)}/${encodeURIComponent(facet)}`);
}

export function computeClio(base: string, request: ComputeClioRequest): Promise<EnrichmentStarted> {
  return postJson<EnrichmentStarted>(`${base}/compute_clio`, request);
}
