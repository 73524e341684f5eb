// A dataset's text fields, and which of them hold prose (an instruction, a dialogue, a message)
// rather than metadata stored as text (an id, a source name, a class label): forms that ask for
// "the text" default to the first prose field, not to whatever column comes first.
import { postJson } from "../api/client";
import type { DatasetManifest, SelectRowsResponse } from "../api/types";
import { isTextType, leavesOf, valueAt, type Leaf } from "./schema";

const SAMPLE_ROWS = 50;
// Ids, labels, sources and dates are short or have no space ('task_0', 'ham', 'evol_instruct');
// prose has spaces and runs longer. Set on the test fixtures (SMS, tasks, QMSum: metadata
// averages 3-15 characters without spaces, prose 77-900 with them) and checked on nine other
// sources (alpaca, code_alpaca, dialogsum, emotion, hh_rlhf...): each defaults to its prose field.
const PROSE_MIN_AVERAGE_LENGTH = 20;
const PROSE_MIN_SHARE_WITH_SPACES = 0.5;

/** Text leaves a form may offer: plain strings, not inside lists, not label columns. */
export function textLeavesOf(manifest: DatasetManifest): Leaf[] {
  const labels = new Set(manifest.labels);
  return leavesOf(manifest).filter((l) => isTextType(l.dtype) && !l.repeated && !labels.has(l.path.split(".")[0]));
}

/** Whether sampled values read as prose (see the constants above). */
export function looksLikeProse(values: unknown[]): boolean {
  const texts = values.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim());
  if (texts.length === 0) return false;
  const average = texts.reduce((sum, t) => sum + t.length, 0) / texts.length;
  const withSpaces = texts.filter((t) => /\s/.test(t)).length / texts.length;
  return average >= PROSE_MIN_AVERAGE_LENGTH && withSpaces >= PROSE_MIN_SHARE_WITH_SPACES;
}

/**
 * The first of `leaves` whose values (on the first rows) read as prose, preferring source
 * columns to computed ones; else (or when the rows cannot be read) the first source text field;
 * null when there is no text field.
 */
export async function firstProseField(base: string, leaves: Leaf[]): Promise<string | null> {
  if (leaves.length === 0) return null;
  const ordered = [...leaves.filter((l) => !l.derived), ...leaves.filter((l) => l.derived)];
  const paths = ordered.map((l) => l.path);
  let rows: SelectRowsResponse["rows"];
  try {
    rows = (await postJson<SelectRowsResponse>(`${base}/select_rows`, { columns: paths, limit: SAMPLE_ROWS })).rows;
  } catch {
    // A default is a convenience: a failed sample (the view shows the query's error) keeps
    // the first field rather than putting an error in a form.
    return paths[0];
  }
  const prose = paths.find((path) => looksLikeProse(rows.map((row) => valueAt(row, path))));
  return prose ?? paths[0];
}
