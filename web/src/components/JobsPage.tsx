// Every job the server knows: progress, errors and cancel.
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/client";
import type { JobInfo } from "../api/types";
import { useJobs } from "../state/jobs";
import { JobRow } from "./JobRow";
import { ErrorBox } from "./ui";

export function JobsPage() {
  const live = useJobs();
  const [history, setHistory] = useState<JobInfo[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    getJson<{ jobs: JobInfo[] }>("/jobs?limit=200")
      .then((r) => setHistory(r.jobs))
      .catch(setError);
  }, []);
  // Live events win over the snapshot for jobs in both.
  const byId = new Map(history.map((job) => [job.id, job]));
  for (const job of live.jobs) byId.set(job.id, job);
  const jobs = [...byId.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return (
    <div class="page">
      <header class="page-head">
        <h1>Jobs</h1>
        <span class="muted">Loads, embeddings, signals, concepts and maps, from this server and any other process on the project.</span>
      </header>
      <ErrorBox error={error} />
      <div class="job-list">
        {jobs.length === 0 && <div class="empty">No jobs yet.</div>}
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} />
        ))}
      </div>
    </div>
  );
}
