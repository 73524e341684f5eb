// The list of datasets (left nav and datasets page), refreshed after loads and deletes.
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api/client";
import type { DatasetInfo, Health } from "../api/types";

let datasets: DatasetInfo[] | null = null;
let error: unknown = null;
let health: Health | null = null;
const listeners = new Set<() => void>();

export async function refreshDatasets(): Promise<void> {
  try {
    const [list, status] = await Promise.all([
      getJson<{ datasets: DatasetInfo[] }>("/datasets"),
      health ? Promise.resolve(health) : getJson<Health>("/health"),
    ]);
    datasets = list.datasets;
    health = status;
    error = null;
  } catch (caught) {
    error = caught;
  }
  listeners.forEach((l) => l());
}

export function useDatasets(): { datasets: DatasetInfo[] | null; error: unknown; readOnly: boolean } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    if (datasets === null) void refreshDatasets();
    return () => void listeners.delete(l);
  }, []);
  return { datasets, error, readOnly: health?.read_only ?? false };
}
