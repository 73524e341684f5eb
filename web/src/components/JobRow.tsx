// One job: what it does, a live progress bar, its error, and a cancel button while it runs.
import type { JobInfo } from "../api/types";
import { formatCount } from "../lib/schema";
import { cancelJob, isActive } from "../state/jobs";
import { attempt, ProgressBar } from "./ui";

export function JobRow(props: { job: JobInfo; compact?: boolean }) {
  const { job } = props;
  const active = isActive(job);
  const done = job.status === "completed";
  const count = job.total ? `${formatCount(job.progress)} / ${formatCount(job.total)}` : formatCount(job.progress);
  return (
    <div class={`job ${job.status}`} data-job-id={job.id} data-status={job.status}>
      <div class="job-head">
        <span class="job-kind">{job.kind}</span>
        <span class="job-desc" title={job.description}>
          {job.description}
        </span>
        {active && (
          <button
            class="icon-btn small"
            title="Cancel this job"
            aria-label="Cancel job"
            disabled={job.cancel_requested}
            onClick={() => void attempt(() => cancelJob(job.id))}
          >
            ×
          </button>
        )}
      </div>
      <ProgressBar value={done ? 1 : job.progress} total={done ? 1 : job.total} status={job.status} />
      <div class="job-foot">
        <span class={`job-status ${job.status}`}>{job.cancel_requested && active ? "cancelling" : job.status}</span>
        {!props.compact && job.dataset && <span class="muted">{job.dataset}</span>}
        <span class="muted">{count}</span>
      </div>
      {job.error && <div class="job-error">{job.error}</div>}
      {!job.error && job.message && !props.compact && <div class="muted small">{job.message}</div>}
    </div>
  );
}
