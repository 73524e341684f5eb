// The jobs panel in the left nav: running jobs and the last few finished ones, live.
import { linkClick } from "../state/route";
import { isActive, useJobs } from "../state/jobs";
import { JobRow } from "./JobRow";

const RECENT_FINISHED = 3;
const RECENT_MS = 10 * 60 * 1000;

export function JobsPanel() {
  const { jobs, connected } = useJobs();
  const active = jobs.filter(isActive);
  const now = Date.now();
  const recent = jobs
    .filter((job) => !isActive(job) && now - Date.parse(job.updated_at) < RECENT_MS)
    .slice(0, RECENT_FINISHED);
  return (
    <section class="jobs-panel" aria-label="Jobs">
      <div class="jobs-panel-head">
        <a href="/jobs" onClick={linkClick({ page: "jobs" })}>
          Activity
        </a>
        {active.length > 0 && <span class="badge">{active.length} running</span>}
        <span class={`dot ${connected ? "on" : ""}`} title={connected ? "live updates connected" : "connecting to live updates"} />
      </div>
      {active.length === 0 && recent.length === 0 && <div class="muted small">No recent jobs</div>}
      {[...active, ...recent].map((job) => (
        <JobRow key={job.id} job={job} compact />
      ))}
    </section>
  );
}
