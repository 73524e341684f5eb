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
