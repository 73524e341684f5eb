// The datasets list with row counts, and loading a new dataset from a path or an upload.
import { deleteJson, datasetPath } from "../api/client";
import { refreshDatasets, useDatasets } from "../state/datasets";
import { emptyView, linkClick } from "../state/route";
import { formatCount } from "../lib/schema";
import { LoadPanel } from "./LoadPanel";
import { attempt, ErrorBox } from "./ui";

export function DatasetsPage() {
  const { datasets, error, readOnly } = useDatasets();
  return (
    <div class="page">
      <header class="page-head">
        <h1>Datasets</h1>
        <span class="muted">{datasets ? `${datasets.length} in this project` : "Loading…"}</span>
      </header>
      <ErrorBox error={error} />
      <div class="datasets-grid">
        <table class="table datasets-table">
          <thead>
            <tr>
              <th>Dataset</th>
              <th class="num">Rows</th>
              <th>Created</th>
              {!readOnly && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {datasets?.length === 0 && (
              <tr>
                <td colSpan={4} class="empty">
                  No datasets yet: load a file to start.
                </td>
              </tr>
            )}
            {(datasets ?? []).map((d) => (
              <tr key={`${d.namespace}/${d.name}`}>
                <td>
                  <a
                    class="dataset-link"
                    href={`/datasets/${d.namespace}/${d.name}`}
                    onClick={linkClick({ page: "dataset", namespace: d.namespace, name: d.name, view: emptyView() })}
                  >
                    <span class="ns">{d.namespace}/</span>
                    {d.name}
                  </a>
                </td>
                <td class="num">{formatCount(d.num_rows)}</td>
                <td class="muted">{new Date(d.created_at).toLocaleString()}</td>
                {!readOnly && (
                  <td class="actions">
                    <button
                      class="btn ghost small danger"
                      onClick={() => {
                        if (!confirm(`Delete the dataset ${d.namespace}/${d.name} and everything computed from it?`)) return;
                        void attempt(async () => {
                          await deleteJson(datasetPath(d.namespace, d.name));
                          await refreshDatasets();
                        });
                      }}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {!readOnly && <LoadPanel />}
      </div>
    </div>
  );
}
