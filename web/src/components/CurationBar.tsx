// Curating many rows at once: the checked rows, or every row the current filters match.
import { useState } from "preact/hooks";
import { formatCount } from "../lib/schema";
import { countOf, Popover } from "./ui";

interface Props {
  labels: string[];
  checked: Set<number>;
  total: number | null;
  filtered: boolean;
  showDeleted: boolean;
  /** Searches cannot choose rows for curation (the routes take filters), so 'all' is off. */
  searching: boolean;
  /** The query failed: there are no rows to choose, and 'all' would fail the same way. */
  failed: boolean;
  onClear: () => void;
  onCheckPage: () => void;
  onLabel: (name: string, all: boolean, remove: boolean) => void;
  onDelete: (all: boolean, restore: boolean) => void;
}

export function CurationBar(props: Props) {
  const count = props.checked.size;
  const all = count === 0;
  const target = all ? `all ${formatCount(props.total ?? 0)}${props.filtered ? " matching" : ""}` : `${formatCount(count)} selected`;
  // The same rows as a phrase with its noun: "1 selected row", "all 40 matching rows".
  const targetRows = all ? `all ${countOf(props.total ?? 0, props.filtered ? "matching row" : "row")}` : countOf(count, "selected row");
  const [newLabel, setNewLabel] = useState("");
  if (all && props.failed) {
    return (
      <div class="curation-bar" aria-label="Curation">
        <button class="link-btn" disabled>
          Select first page
        </button>
        <span class="muted small">Fix the query above to label or delete rows</span>
      </div>
    );
  }
  if (all && props.searching) {
    return (
      <div class="curation-bar" aria-label="Curation">
        <button class="link-btn" onClick={props.onCheckPage}>
          Select first page
        </button>
        <span class="muted small" title="A search ranks rows; filters choose them. Label or delete the rows you check.">Check rows to label or delete them</span>
      </div>
    );
  }
  return (
    <div class="curation-bar" aria-label="Curation">
      {count > 0 ? (
        <>
          <span class="selection-count">{formatCount(count)} selected</span>
          <button class="link-btn" onClick={props.onClear}>
            clear
          </button>
        </>
      ) : (
        <button class="link-btn" onClick={props.onCheckPage}>
          Select first page
        </button>
      )}
      <span class="spacer" />
      {all && <span class="muted small target">{props.filtered ? countOf(props.total ?? 0, "matching row") : `all ${countOf(props.total ?? 0, "row")}`}</span>}
      <Popover label="Label…" ariaLabel={`Label ${target}`} class="btn small" align="right">
        {(close) => (
          <div class="popover-menu" role="menu">
            {[...new Set(["good", "bad", ...props.labels])].map((name) => (
              <div key={name} class="menu-row">
                <button
                  role="menuitem"
                  class="menu-item"
                  onClick={() => {
                    props.onLabel(name, all, false);
                    close();
                  }}
                >
                  <span class={`chip label-${name}`}>{name}</span>
                </button>
                {props.labels.includes(name) && (
                  <button
                    class="link-btn small"
                    title={`Remove the label ${name} from ${targetRows}`}
                    onClick={() => {
                      props.onLabel(name, all, true);
                      close();
                    }}
                  >
                    remove
                  </button>
                )}
              </div>
            ))}
            <form
              class="menu-new"
              onSubmit={(event) => {
                event.preventDefault();
                if (!newLabel.trim()) return;
                props.onLabel(newLabel.trim(), all, false);
                setNewLabel("");
                close();
              }}
            >
              <input class="input small" placeholder="New label…" aria-label="New label name" value={newLabel} onInput={(e) => setNewLabel(e.currentTarget.value)} />
              <button class="btn small" type="submit">
                Add
              </button>
            </form>
          </div>
        )}
      </Popover>
      {props.showDeleted && (
        <button class="btn small" aria-label={`Restore ${target}`} onClick={() => props.onDelete(all, true)}>
          Restore
        </button>
      )}
      <button
        class="btn small danger"
        aria-label={`Delete ${target}`}
        onClick={() => {
          if (all && !confirm(`Delete ${targetRows}? You can restore them later.`)) return;
          props.onDelete(all, false);
        }}
      >
        Delete
      </button>
    </div>
  );
}
