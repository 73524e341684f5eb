// The models a form may offer: requests name a model only as GET /models lists it.
import { getJson } from "./client";
import type { ModelInfo, ModelList } from "./types";

export const listModels = () => getJson<ModelList>("/models");

/** What an option shows: the name, what it stands for, and a missing key. */
export function modelLabel(model: ModelInfo): string {
  const target = model.model ? `${model.provider}/${model.model}` : model.provider;
  const detail = target === model.name ? "" : ` (${target})`;
  return `${model.name}${detail}${model.key_set === false ? " (no key set)" : ""}`;
}
