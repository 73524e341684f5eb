// Left navigation: datasets with their row counts, concepts, experiments, and the live jobs panel.
import { emptyView, linkClick, type Route } from "../state/route";
import { useDatasets } from "../state/datasets";
import { formatCount } from "../lib/schema";
import { JobsPanel } from "./JobsPanel";

export function Sidebar(props: { route: Route }) {
  const { datasets, readOnly } = useDatasets();
  const { route } = props;
  const current = route.page === "dataset" ? `${route.namespace}/${route.name}` : null;
  return (
    <nav class="sidebar" aria-label="Main">
      <a class="brand" href="/" onClick={linkClick({ page: "datasets" })}>
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="currentColor" />
          <path d="M9 22l7-12 7 12z" fill="#f3e9d2" />
        </svg>
        Gristmill
        {readOnly && <span class="badge ro">read-only</span>}
      </a>
      <div class="nav-section">
        <a
          class={`nav-head ${route.page === "datasets" ? "active" : ""}`}
          href="/"
          onClick={linkClick({ page: "datasets" })}
        >
          Datasets
        </a>
        <ul class="nav-list">
          {(datasets ?? []).map((d) => {
            const ref = `${d.namespace}/${d.name}`;
            const target: Route = { page: "dataset", namespace: d.namespace, name: d.name, view: emptyView() };
            return (
              <li key={ref}>
                <a class={`nav-item ${current === ref ? "active" : ""}`} href={`/datasets/${ref}`} onClick={linkClick(target)} title={ref}>
                  <span class="nav-name">
                    <span class="ns">{d.namespace}/</span>
                    {d.name}
                  </span>
                  <span class="count">{formatCount(d.num_rows)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </div>
      <div class="nav-section">
        <a
          class={`nav-head ${route.page === "concepts" ? "active" : ""}`}
          href="/concepts"
          onClick={linkClick({ page: "concepts", namespace: null, name: null })}
        >
          Concepts
        </a>
        <a
          class={`nav-head ${route.page === "experiments" ? "active" : ""}`}
          href="/experiments"
          onClick={linkClick({ page: "experiments", name: null })}
        >
          Experiments
        </a>
        <a class={`nav-head ${route.page === "jobs" ? "active" : ""}`} href="/jobs" onClick={linkClick({ page: "jobs" })}>
          Jobs
        </a>
      </div>
      <JobsPanel />
    </nav>
  );
}
