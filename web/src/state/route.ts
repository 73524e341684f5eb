// The URL is the whole view state: a link reproduces the dataset, filters, searches, sort,
// compare fields, selected row and side panel. Components read it with useRoute() and change it
// with navigate()/updateView(); nothing else holds view state that a link should carry.
import { useEffect, useState } from "preact/hooks";
import type { Filter, Search } from "../api/types";

export interface ViewState {
  filters: Filter[];
  searches: Search[];
  sortBy: string | null;
  sortOrder: "ASC" | "DESC";
  compare: [string, string] | null;
  row: number | null;
  showDeleted: boolean;
  /** Schema fields whose histogram is open. */
  open: string[];
  /** The side panel shows clusters instead of the schema: this cluster column ("" = the first). */
  clusters: string | null;
  /** The map replaces the row list: this mapped field ("" = the first map); null = the rows. */
  map: string | null;
  /** The map's colouring field: null = the default, "" = one colour. */
  mapColor: string | null;
  /** Conversation insights replace the row list: this facet ("column|facet", "" = the first). */
  insights: string | null;
}

export type Route =
  | { page: "datasets" }
  | { page: "jobs" }
  | { page: "concepts"; namespace: string | null; name: string | null }
  | { page: "experiments"; name: string | null }
  | { page: "dataset"; namespace: string; name: string; view: ViewState };

export const emptyView = (): ViewState => ({
  filters: [],
  searches: [],
  sortBy: null,
  sortOrder: "DESC",
  compare: null,
  row: null,
  showDeleted: false,
  open: [],
  clusters: null,
  map: null,
  mapColor: null,
  insights: null,
});

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function parseRoute(location: { pathname: string; search: string }): Route {
  const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(location.search);
  if (parts[0] === "datasets" && parts.length >= 3) {
    const compare = query.get("compare")?.split("|");
    const row = query.get("row");
    return {
      page: "dataset",
      namespace: parts[1],
      name: parts[2],
      view: {
        filters: parseJson<Filter[]>(query.get("filters"), []),
        searches: parseJson<Search[]>(query.get("searches"), []),
        sortBy: query.get("sort"),
        sortOrder: query.get("order") === "ASC" ? "ASC" : "DESC",
        compare: compare && compare.length === 2 ? [compare[0], compare[1]] : null,
        row: row !== null && /^\d+$/.test(row) ? Number(row) : null,
        showDeleted: query.get("deleted") === "1",
        open: query.get("open")?.split(",").filter(Boolean) ?? [],
        clusters: query.get("clusters"),
        map: query.get("map"),
        mapColor: query.get("color"),
        insights: query.get("insights"),
      },
    };
  }
  if (parts[0] === "jobs") return { page: "jobs" };
  if (parts[0] === "experiments") return { page: "experiments", name: parts[1] ?? null };
  if (parts[0] === "concepts") {
    return { page: "concepts", namespace: parts[1] ?? null, name: parts[2] ?? null };
  }
  return { page: "datasets" };
}

export function routeUrl(route: Route): string {
  switch (route.page) {
    case "datasets":
      return "/";
    case "jobs":
      return "/jobs";
    case "experiments":
      return route.name ? `/experiments/${encodeURIComponent(route.name)}` : "/experiments";
    case "concepts":
      return route.namespace && route.name
        ? `/concepts/${encodeURIComponent(route.namespace)}/${encodeURIComponent(route.name)}`
        : "/concepts";
    case "dataset": {
      const { view } = route;
      const query = new URLSearchParams();
      if (view.filters.length) query.set("filters", JSON.stringify(view.filters));
      if (view.searches.length) query.set("searches", JSON.stringify(view.searches));
      if (view.sortBy) query.set("sort", view.sortBy);
      if (view.sortBy && view.sortOrder === "ASC") query.set("order", "ASC");
      if (view.compare) query.set("compare", view.compare.join("|"));
      if (view.row !== null) query.set("row", String(view.row));
      if (view.showDeleted) query.set("deleted", "1");
      if (view.open.length) query.set("open", view.open.join(","));
      if (view.clusters !== null) query.set("clusters", view.clusters);
      if (view.map !== null) query.set("map", view.map);
      if (view.map !== null && view.mapColor !== null) query.set("color", view.mapColor);
      if (view.insights !== null) query.set("insights", view.insights);
      const text = query.toString();
      const base = `/datasets/${encodeURIComponent(route.namespace)}/${encodeURIComponent(route.name)}`;
      return text ? `${base}?${text}` : base;
    }
  }
}

const listeners = new Set<() => void>();

export function navigate(route: Route, { replace = false } = {}): void {
  const url = routeUrl(route);
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const listener of listeners) listener();
}

/** Change part of the current dataset view (a new history entry unless `replace`). */
export function updateView(change: Partial<ViewState>, options: { replace?: boolean } = {}): void {
  const route = parseRoute(location);
  if (route.page !== "dataset") return;
  navigate({ ...route, view: { ...route.view, ...change } }, options);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location));
  useEffect(() => {
    const listener = () => setRoute(parseRoute(location));
    listeners.add(listener);
    window.addEventListener("popstate", listener);
    return () => {
      listeners.delete(listener);
      window.removeEventListener("popstate", listener);
    };
  }, []);
  return route;
}

/** A click handler for <a href> links that navigates without reloading the page. */
export function linkClick(route: Route) {
  return (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(route);
  };
}
