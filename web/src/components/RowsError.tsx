// The row list's error, with the action that fixes it where the error's code says what is
// wrong: a search on a field without its embedding offers to compute that embedding; a filter
// the server refused is marked and offered for removal. Failed pages are not fetched again on
// their own (see state/rows.ts), so every error also offers Retry.
import { ApiError } from "../api/client";
import type { DatasetManifest, Filter, Search } from "../api/types";
import { filterText, embeddingsFor } from "./Toolbar";
import { ErrorBox } from "./ui";

/** The codes of errors.py whose fix is an action in this view. */
const MISSING_EMBEDDING = "missing_embedding";
const FILTER_CODES = ["invalid_filter", "invalid_path"];

/** The searches that need an embedding the dataset does not have (the first one per path). */
export function searchesMissingEmbedding(manifest: DatasetManifest, searches: Search[]): { path: string; embedding: string }[] {
  const missing = new Map<string, string>();
  for (const search of searches) {
    if (search.type === "keyword" || missing.has(search.path)) continue;
    if (!embeddingsFor(manifest, search.path).includes(search.embedding)) missing.set(search.path, search.embedding);
  }
  return [...missing].map(([path, embedding]) => ({ path, embedding }));
}

/** The filter an error names: the server quotes the path ('a.b') in its message. */
export function filterNamedBy(error: unknown, filters: Filter[]): number | null {
  if (!(error instanceof ApiError) || !FILTER_CODES.includes(error.code)) return null;
  const index = filters.findIndex((f) => error.message.includes(`'${f.path}'`));
  return index >= 0 ? index : null;
}

export function RowsError(props: {
  error: unknown;
  manifest: DatasetManifest;
  searches: Search[];
  filters: Filter[];
  readOnly: boolean;
  onComputeEmbedding: (path: string, embedding: string) => void;
  onRemoveFilter: (index: number) => void;
  onRetry: () => void;
}) {
  const { error } = props;
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : null;
  const missing = code === MISSING_EMBEDDING && !props.readOnly ? searchesMissingEmbedding(props.manifest, props.searches) : [];
  const badFilter = filterNamedBy(error, props.filters);
  const showFilter = (index: number) => {
    const pill = document.querySelector<HTMLElement>(`[data-testid=filter-pill][data-index="${index}"] button`);
    pill?.focus();
  };
  return (
    <ErrorBox error={error}>
      {missing.map(({ path, embedding }) => (
        <button key={path} class="btn primary small" data-testid="compute-embedding" onClick={() => props.onComputeEmbedding(path, embedding)}>
          Compute {embedding} embedding of {path}
        </button>
      ))}
      {badFilter !== null && (
        <>
          <button class="btn small" data-testid="show-filter" onClick={() => showFilter(badFilter)}>
            Show filter
          </button>
          <button class="btn small" data-testid="remove-filter" onClick={() => props.onRemoveFilter(badFilter)}>
            Remove filter {filterText(props.filters[badFilter])}
          </button>
        </>
      )}
      <button class="btn ghost small" data-testid="retry-rows" onClick={props.onRetry}>
        Retry
      </button>
    </ErrorBox>
  );
}
