// Reading a dataset's schema and rows: leaf paths ('a.b', 'messages.*.content'), their types,
// the lineage of derived columns, and values at a path inside a nested row.
import type { DatasetManifest, Lineage, SchemaField } from "../api/types";

export interface Leaf {
  path: string;
  dtype: string;
  derived: boolean;
  lineage: Lineage | null;
  /** The leaf sits inside a list ('*' in its path): filters match any item. */
  repeated: boolean;
}

export interface FieldNode {
  name: string;
  path: string;
  field: SchemaField;
  children: FieldNode[];
}

export const ROWID = "__rowid__";

export function fieldTree(fields: Record<string, SchemaField>, prefix = ""): FieldNode[] {
  return Object.entries(fields).map(([name, field]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    let inner = field;
    let innerPath = path;
    // A list's items are one level down, at 'path.*'.
    while (inner.repeated_field) {
      inner = inner.repeated_field;
      innerPath = `${innerPath}.*`;
    }
    return { name, path, field, children: inner.fields ? fieldTree(inner.fields, innerPath) : [] };
  });
}

export function leavesOf(manifest: DatasetManifest): Leaf[] {
  const lineage = new Map(manifest.derived_columns.map((c) => [c.name, c.lineage]));
  const leaves: Leaf[] = [];
  const walk = (field: SchemaField, path: string, derived: boolean, repeated: boolean) => {
    const isDerived = derived || !!field.derived;
    if (field.repeated_field) {
      const item = field.repeated_field;
      if (!item.fields && !item.repeated_field) {
        // A list of scalars is itself a leaf (filters match any item).
        leaves.push({ path, dtype: `list<${item.dtype}>`, derived: isDerived, lineage: lineageFor(lineage, path), repeated: true });
        return;
      }
      walk(item, `${path}.*`, isDerived, true);
      return;
    }
    if (field.fields) {
      for (const [name, child] of Object.entries(field.fields)) {
        walk(child, `${path}.${name}`, isDerived, repeated);
      }
      return;
    }
    leaves.push({ path, dtype: field.dtype, derived: isDerived, lineage: lineageFor(lineage, path), repeated });
  };
  for (const [name, field] of Object.entries(manifest.data_schema.fields)) walk(field, name, false, false);
  return leaves;
}

function lineageFor(lineage: Map<string, Lineage>, path: string): Lineage | null {
  // A derived column's lineage is recorded under its top name; its sub-fields share it.
  let at = path;
  for (;;) {
    const found = lineage.get(at);
    if (found) return found;
    const dot = at.lastIndexOf(".");
    if (dot < 0) return null;
    at = at.slice(0, dot);
  }
}

export function lineageOf(manifest: DatasetManifest, path: string): Lineage | null {
  return lineageFor(new Map(manifest.derived_columns.map((c) => [c.name, c.lineage])), path);
}

/** The derived column holding `path` (its top name, or a parent of a nested path). */
function derivedColumnOf(lineage: Map<string, Lineage>, path: string): string | null {
  let at = path;
  for (;;) {
    if (lineage.has(at)) return at;
    const dot = at.lastIndexOf(".");
    if (dot < 0) return null;
    at = at.slice(0, dot);
  }
}

/**
 * The derived columns that are internal steps rather than something a person asked for: those
 * whose lineage names the column they are part of (the text a clustering embeds), and those
 * computed from such a step for anything else (the embedding of that text).
 */
export function internalColumns(manifest: DatasetManifest): Set<string> {
  const lineage = new Map(manifest.derived_columns.map((c) => [c.name, c.lineage]));
  const ownerOf = (name: string, depth: number): string | null => {
    const found = lineage.get(name);
    if (!found || depth > lineage.size) return null;
    if (found.part_of) return found.part_of;
    const input = found.input_path ? derivedColumnOf(lineage, found.input_path) : null;
    if (input === null || input === name) return null;
    const owner = ownerOf(input, depth + 1);
    // The column a step was computed for is itself what the person asked for.
    return owner === name ? null : owner;
  };
  return new Set([...lineage.keys()].filter((name) => ownerOf(name, 0) !== null));
}

const EMBEDDING_NAMES: Record<string, string> = { minilm: "MiniLM", wordllama: "WordLlama", openai: "OpenAI" };
const SIGNAL_LABELS: Record<string, string> = {
  lang_detection: "Language of",
  pii: "PII in",
  text_statistics: "Text statistics of",
  exact_duplicates: "Exact duplicates of",
  near_duplicates: "Near duplicates of",
  semantic_duplicates: "Semantic duplicates of",
};

function embeddingName(name: unknown): string {
  const text = String(name ?? "");
  return EMBEDDING_NAMES[text] ?? text.replace(/^sentence-transformers\//, "");
}

function capitalised(text: string): string {
  const words = text.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * What a derived column means, in the words of what the person chose to compute ("MiniLM
 * embedding of prompt", "Clusters of prompt", "Language of text", "Concept profanity on text").
 * A column computed over its own internal step (a clustering of rendered text) names what that
 * step was computed from. A map is named by its output column: the person chose that name.
 */
export function columnMeaning(manifest: DatasetManifest, name: string): string {
  const lineage = new Map(manifest.derived_columns.map((c) => [c.name, c.lineage]));
  const found = lineage.get(name);
  if (!found) return name;
  const sourceOf = (path: string | null | undefined, depth: number): string => {
    if (!path) return "rows";
    const column = derivedColumnOf(lineage, path);
    const step = column === null ? undefined : lineage.get(column);
    // Through the steps this very column was computed over (the text a clustering embeds).
    if (step?.part_of === name && depth < lineage.size) return sourceOf(step.input_path, depth + 1);
    return path;
  };
  const input = sourceOf(found.input_path, 0);
  const params = found.params ?? {};
  switch (found.kind) {
    case "embedding":
      return `${embeddingName(params.embedding)} embedding of ${input}`;
    case "signal": {
      const signal = String(params.signal ?? found.producer.split("@")[0]);
      return `${SIGNAL_LABELS[signal] ?? `${capitalised(signal)} of`} ${input}`;
    }
    case "concept": {
      const concept = String(params.concept ?? found.producer.split("@")[0]);
      return `Concept ${concept.split("/").pop()} on ${input}`;
    }
    case "cluster":
      return `Clusters of ${input}`;
    case "projection":
      return `2-D map of ${input}`;
    case "prediction": {
      if (Array.isArray(params.classes)) return `Classifier (${params.classes.join(", ")}) on ${input}`;
      const model = String(params.model ?? found.producer.replace(/^model:/, ""));
      return params.role === "ground_truth" ? `Reference answers of ${model} for ${input}` : `Answers of ${model} to ${input}`;
    }
    case "metric":
      return `${capitalised(found.producer.replace(/^metric:/, ""))} score of ${input}`;
    default:
      return name;
  }
}

/** A list of records carrying `start` and `end`: character offsets of spans in a text. */
function isSpanList(field: SchemaField): boolean {
  const item = field.repeated_field;
  return !!item?.fields && "start" in item.fields && "end" in item.fields;
}

/**
 * A field inside a derived column that is machinery rather than meaning: span offsets, the
 * per-item lists behind a score (a concept's spans, a classifier's per-class probabilities), a
 * clustering's ids and memberships beside its titles, a map's coordinates.
 */
export function isInternalField(kind: string | null, name: string, field: SchemaField): boolean {
  if (kind === null || kind === "label") return false;
  if (isSpanList(field)) return true;
  if (kind === "map") return false;
  if (kind === "projection" || kind === "embedding") return true;
  if (field.repeated_field?.fields) return true;
  return kind === "cluster" && (name.endsWith("_id") || name.endsWith("_membership_prob"));
}

export const isTextType = (dtype: string) => dtype === "string" || dtype === "large_string" || dtype === "str";
export const isNumericType = (dtype: string) => /^(u?int|float|double|decimal)/.test(dtype);

/** The value at a dotted path; '*' maps over a list (the result is then a list). */
export function valueAt(row: unknown, path: string): unknown {
  if (row && typeof row === "object" && path in (row as object)) {
    return (row as Record<string, unknown>)[path];
  }
  let values: unknown[] = [row];
  let many = false;
  for (const part of path.split(".")) {
    if (part === "*") {
      many = true;
      values = values.flatMap((v) => (Array.isArray(v) ? v : []));
    } else {
      values = values.map((v) => (v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined));
    }
  }
  return many ? values : values[0];
}

export function textAt(row: unknown, path: string): string | null {
  const value = valueAt(row, path);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === "string").join("\n\n");
  if (value === null || value === undefined) return null;
  return typeof value === "object" ? JSON.stringify(value, null, 2) : String(value);
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? formatCount(value) : value.toPrecision(4);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A value as one line of text for previews: chats as "role: content" turns. */
export function previewText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        if (item && typeof item === "object") {
          const record = item as Record<string, unknown>;
          const role = record.role ?? record.from;
          const content = record.content ?? record.value;
          if (typeof role === "string" && typeof content === "string") return `${role}: ${content}`;
        }
        return previewText(item) ?? "";
      })
      .join("  ·  ");
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${key}: ${previewText(item) ?? "null"}`)
      .join("  ·  ");
  }
  return String(value);
}

/**
 * The fields most worth previewing in the row list: the longest texts on the first page
 * (an 'instruction' or a chat rather than an 'id'), after the fields being searched or compared.
 */
export function choosePreviewFields(rows: Record<string, unknown>[], candidates: string[], first: string[], count = 2): string[] {
  // Plain text reads best in a one-line preview; records and lists count for less.
  const weight = (value: unknown) => (typeof value === "string" ? 1 : 0.3);
  const average = (path: string) =>
    rows.reduce((sum, row) => {
      const value = valueAt(row, path);
      return sum + (previewText(value)?.length ?? 0) * weight(value);
    }, 0) / Math.max(1, rows.length);
  const ranked = candidates
    .map((path) => ({ path, length: average(path) }))
    .filter((c) => c.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((c) => c.path);
  return [...new Set([...first, ...ranked])].slice(0, count);
}
