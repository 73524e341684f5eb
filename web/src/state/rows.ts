// Server-side paging for the row list: pages of PAGE_SIZE rows fetched on demand for the
// visible range (and a page ahead), cached per query. A 1M-row dataset never loads more than
// what is on screen. A page that failed is remembered with its error and not asked for again
// until the query (or the data) changes or the user retries: the list re-renders, and asks
// for its visible pages, many times a second, and a query that fails once fails every time.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { postJson } from "../api/client";
import type { Filter, Row, Search, SelectRowsResponse } from "../api/types";

export const PAGE_SIZE = 50;

export interface RowQuery {
  filters: Filter[];
  searches: Search[];
  sortBy: string | null;
  sortOrder: "ASC" | "DESC";
  includeDeleted: boolean;
}

export interface RowPages {
  total: number | null;
  rowAt: (index: number) => Row | undefined;
  indexOf: (rowid: number) => number;
  /** Fetch the pages covering rows [from, to). */
  ensure: (from: number, to: number) => void;
  searchColumns: string[];
  error: unknown;
  /** ms from the query's start to its first page (for the status bar and tests). */
  firstPageMs: number | null;
  /** Forget the failed pages and fetch the visible ones again (the user's Retry). */
  retry: () => void;
}

export function selectBody(query: RowQuery, limit: number, offset: number) {
  return {
    // Deleted rows are shown marked, so a view that includes them asks for the flag.
    columns: query.includeDeleted ? ["*", "__deleted__"] : null,
    filters: query.filters,
    searches: query.searches,
    sort_by: query.sortBy ? [query.sortBy] : [],
    sort_order: query.sortOrder,
    include_deleted: query.includeDeleted,
    limit,
    offset,
  };
}

export function useRowPages(base: string, query: RowQuery, version: number): RowPages {
  const key = JSON.stringify(query);
  const pages = useRef(new Map<number, Row[]>());
  const inFlight = useRef(new Set<number>());
  const failed = useRef(new Set<number>());
  const generation = useRef(0);
  const started = useRef(0);
  const [state, setState] = useState<{ total: number | null; searchColumns: string[]; error: unknown; firstPageMs: number | null }>({
    total: null,
    searchColumns: [],
    error: null,
    firstPageMs: null,
  });
  const [, setTick] = useState(0);
  // The previous query's pages, shown until this query's first page arrives.
  const stale = useRef<Map<number, Row[]> | null>(null);

  const fetchPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inFlight.current.has(page) || failed.current.has(page)) return;
      inFlight.current.add(page);
      const mine = generation.current;
      postJson<SelectRowsResponse>(`${base}/select_rows`, selectBody(query, PAGE_SIZE, page * PAGE_SIZE))
        .then((response) => {
          if (mine !== generation.current) return;
          pages.current.set(page, response.rows);
          setState((s) => ({
            total: response.total_num_rows,
            searchColumns: response.search_columns ?? [],
            // Another page's failure still stands (its rows are missing until a retry).
            error: failed.current.size ? s.error : null,
            firstPageMs: s.firstPageMs ?? Math.round(performance.now() - started.current),
          }));
          setTick((t) => t + 1);
        })
        .catch((error: unknown) => {
          if (mine !== generation.current) return;
          failed.current.add(page);
          // With no page of this query, the previous query's rows must not pass for its results.
          const nothing = pages.current.size === 0;
          if (nothing) stale.current = null;
          setState((s) => ({ ...s, total: nothing ? null : s.total, error }));
        })
        .finally(() => {
          if (mine === generation.current) inFlight.current.delete(page);
        });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [base, key, version],
  );

  // A new query (or a data change) starts from an empty cache; the old rows stay on screen
  // until the first new page replaces them, so the list does not flash.
  useEffect(() => {
    generation.current++;
    stale.current = pages.current.size ? pages.current : null;
    pages.current = new Map();
    inFlight.current = new Set();
    failed.current = new Set();
    started.current = performance.now();
    setState((s) => ({ ...s, error: null, firstPageMs: null }));
    fetchPage(0);
  }, [fetchPage]);

  const rowAt = (index: number) => {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = pages.current.get(page) ?? (pages.current.size === 0 ? stale.current?.get(page) : undefined);
    return rows?.[index % PAGE_SIZE];
  };
  const indexOf = (rowid: number) => {
    for (const [page, rows] of pages.current) {
      const at = rows.findIndex((r) => r.__rowid__ === rowid);
      if (at >= 0) return page * PAGE_SIZE + at;
    }
    return -1;
  };
  const ensure = (from: number, to: number) => {
    const last = state.total === null ? 0 : Math.max(0, Math.ceil(state.total / PAGE_SIZE) - 1);
    for (let page = Math.floor(from / PAGE_SIZE); page <= Math.min(last, Math.floor(Math.max(from, to - 1) / PAGE_SIZE)); page++) {
      fetchPage(page);
    }
  };
  const retry = () => {
    failed.current = new Set();
    setState((s) => ({ ...s, error: null }));
    // The list asks for its visible pages on the next render; page 0 is asked for here in case
    // no list is showing (the first page of a query is fetched without one).
    fetchPage(0);
  };
  return { ...state, rowAt, indexOf, ensure, retry };
}
