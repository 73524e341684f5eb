// Small building blocks shared by every page: modal dialogs, drop-down popovers, toasts,
// progress bars, the error box and the field-path picker.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { formatCount, type Leaf } from "../lib/schema";

/** "1 row", "2,000 rows": a count with its noun, singular for exactly one. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  wide?: boolean;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") props.onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [props.onClose]);
  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class={`modal${props.wide ? " wide" : ""}`} role="dialog" aria-label={props.title}>
        <div class="modal-head">
          <h2>{props.title}</h2>
          <button class="icon-btn" aria-label="Close" onClick={props.onClose}>
            ×
          </button>
        </div>
        <div class="modal-body">{props.children}</div>
        {props.footer && <div class="modal-foot">{props.footer}</div>}
      </div>
    </div>
  );
}

/** A button that opens a panel below it; the panel closes on outside click or Escape. */
export function Popover(props: {
  label: ComponentChildren;
  class?: string;
  title?: string;
  ariaLabel?: string;
  align?: "left" | "right";
  children: (close: () => void) => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const onDown = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  return (
    <div class="popover-anchor" ref={ref}>
      <button
        class={props.class ?? "btn"}
        title={props.title}
        aria-label={props.ariaLabel}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {props.label}
      </button>
      {open && (
        <div class={`popover ${props.align === "right" ? "align-right" : ""}`}>
          {props.children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

export function ProgressBar(props: { value: number; total: number | null | undefined; status?: string }) {
  const known = !!props.total && props.total > 0;
  const percent = known ? Math.min(100, (100 * props.value) / props.total!) : 0;
  return (
    <div
      class={`progress ${props.status ?? ""} ${known ? "" : "indeterminate"}`}
      role="progressbar"
      aria-valuenow={known ? Math.round(percent) : undefined}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div class="progress-fill" style={{ width: known ? `${percent}%` : undefined }} />
    </div>
  );
}

/** An error's message and hint; ``children`` are the buttons of the actions that fix it. */
export function ErrorBox(props: { error: unknown; children?: ComponentChildren }) {
  if (!props.error) return null;
  const error = props.error;
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiError ? error.hint : null;
  return (
    <div class="error-box" role="alert">
      <strong>{message}</strong>
      {hint && <div class="hint">{hint}</div>}
      {props.children && <div class="error-actions">{props.children}</div>}
    </div>
  );
}

// --- toasts ---------------------------------------------------------------------------------

interface Toast {
  id: number;
  text: string;
  hint?: string | null;
  kind: "info" | "error";
}
let toasts: Toast[] = [];
let nextId = 1;
const toastListeners = new Set<() => void>();

export function toast(text: string, kind: Toast["kind"] = "info", hint: string | null = null): void {
  const item = { id: nextId++, text, hint, kind };
  toasts = [...toasts, item];
  toastListeners.forEach((l) => l());
  setTimeout(() => {
    toasts = toasts.filter((t) => t.id !== item.id);
    toastListeners.forEach((l) => l());
  }, kind === "error" ? 8000 : 3500);
}

export function toastError(error: unknown): void {
  if (error instanceof ApiError) toast(error.message, "error", error.hint);
  else toast(error instanceof Error ? error.message : String(error), "error");
}

export function Toasts() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    toastListeners.add(l);
    return () => void toastListeners.delete(l);
  }, []);
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast ${t.kind}`}>
          <div>{t.text}</div>
          {t.hint && <div class="hint">{t.hint}</div>}
        </div>
      ))}
    </div>
  );
}

/** Run an async action, reporting its error as a toast; returns whether it succeeded. */
export async function attempt(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    toastError(error);
    return false;
  }
}

/** A drop-down of field paths: the text fields a search, a comparison or an enrichment uses. */
export function PathSelect(props: { leaves: Leaf[]; value: string; onChange: (path: string) => void; name?: string; label?: string; class?: string }) {
  return (
    <select class={props.class ?? "input"} name={props.name} aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {props.leaves.map((l) => (
        <option key={l.path} value={l.path}>
          {l.path}
        </option>
      ))}
    </select>
  );
}
