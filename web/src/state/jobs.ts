// One live view of every job, fed by GET /jobs/events, shared by the jobs panel, the load
// dialog and the dataset view (which refreshes when a job on its dataset finishes).
import { useEffect, useState } from "preact/hooks";
import { getJson, postJson } from "../api/client";
import { readEvents } from "../api/events";
import type { JobInfo } from "../api/types";

type Listener = () => void;
type FinishListener = (job: JobInfo) => void;

const jobs = new Map<string, JobInfo>();
const listeners = new Set<Listener>();
const finishListeners = new Set<FinishListener>();
// Jobs this UI started: their end is announced even if no running state was ever seen (a fast
// job can finish before the request that started it has answered).
const watched = new Set<string>();
const announced = new Set<string>();
// Callers of whenFinished(), by job id.
const waiting = new Map<string, ((job: JobInfo) => void)[]>();
let started = false;
let connected = false;

export const isActive = (job: JobInfo) => job.status === "pending" || job.status === "running";

function notify() {
  for (const listener of listeners) listener();
}

function update(job: JobInfo) {
  const before = jobs.get(job.id);
  jobs.set(job.id, job);
  const sawItRun = watched.has(job.id) || (before !== undefined && isActive(before));
  if (!isActive(job) && sawItRun && !announced.has(job.id)) {
    announced.add(job.id);
    for (const listener of finishListeners) listener(job);
  }
  const resolvers = waiting.get(job.id);
  if (resolvers && !isActive(job)) {
    waiting.delete(job.id);
    for (const resolve of resolvers) resolve(job);
  }
  notify();
}

export function startJobEvents(): void {
  if (started) return;
  started = true;
  const abort = new AbortController();
  void readEvents(
    "/jobs/events",
    (message) => {
      if (message.event === "job") update(JSON.parse(message.data) as JobInfo);
    },
    abort.signal,
    (now) => {
      connected = now;
      notify();
    },
  );
}

/** Record a job the UI just started, so it shows before its first event arrives. */
export async function trackJob(jobId: string): Promise<void> {
  watched.add(jobId);
  const job = await getJson<JobInfo>(`/jobs/${encodeURIComponent(jobId)}`);
  const known = jobs.get(job.id);
  // An event may have brought a newer state while this request was on its way.
  if (!known || known.updated_at <= job.updated_at) update(job);
}

/** The job once it has finished (at once if it already has); pair it with trackJob(). */
export function whenFinished(jobId: string): Promise<JobInfo> {
  const known = jobs.get(jobId);
  if (known && !isActive(known)) return Promise.resolve(known);
  return new Promise((resolve) => waiting.set(jobId, [...(waiting.get(jobId) ?? []), resolve]));
}

export async function cancelJob(jobId: string): Promise<void> {
  update(await postJson<JobInfo>(`/jobs/${encodeURIComponent(jobId)}/cancel`, {}));
}

export function allJobs(): JobInfo[] {
  return [...jobs.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

export function useJobs(): { jobs: JobInfo[]; connected: boolean } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((t) => t + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { jobs: allJobs(), connected };
}

export function useJob(jobId: string | null): JobInfo | null {
  const { jobs: list } = useJobs();
  return jobId ? (list.find((job) => job.id === jobId) ?? null) : null;
}

/** Call `listener` whenever a job finishes (completed, failed or cancelled). */
export function useJobFinished(listener: FinishListener, deps: unknown[]): void {
  useEffect(() => {
    finishListeners.add(listener);
    return () => void finishListeners.delete(listener);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
