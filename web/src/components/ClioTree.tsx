// A facet's hierarchy as a drill-down tree: each node with its name, its number of
// conversations and its summary; a toggle opens its children, a click on its name selects it
// (which filters the rows). The breadcrumb shows where the selected node sits.
import type { ClioFacetView, ClioViewNode } from "../api/clio";
import { ancestry, nodesById } from "../lib/clio";
import { formatCount } from "../lib/schema";

interface Props {
  view: ClioFacetView;
  selected: ClioViewNode | null;
  expanded: Set<string>;
  onToggle: (id: string) => void;
  onSelect: (node: ClioViewNode | null) => void;
}

export function ClioBreadcrumb(props: { view: ClioFacetView; selected: ClioViewNode | null; onSelect: (node: ClioViewNode | null) => void }) {
  const chain = props.selected ? ancestry(nodesById(props.view), props.selected.id) : [];
  return (
    <nav class="clio-breadcrumb small" aria-label="Selected cluster">
      <button class="link-btn" onClick={() => props.onSelect(null)} aria-current={chain.length === 0 ? "true" : undefined}>
        All {props.view.facet.toLowerCase()} clusters
      </button>
      {chain.map((node, i) => (
        <span key={node.id}>
          <span class="clio-crumb-sep">›</span>
          {i === chain.length - 1 ? (
            <b aria-current="true">{node.name}</b>
          ) : (
            <button class="link-btn" onClick={() => props.onSelect(node)}>
              {node.name}
            </button>
          )}
        </span>
      ))}
    </nav>
  );
}

export function ClioTree(props: Props) {
  const byId = nodesById(props.view);
  const item = (node: ClioViewNode) => {
    const open = props.expanded.has(node.id);
    const isSelected = props.selected?.id === node.id;
    const share = props.view.points.rowid.length ? node.size / props.view.points.rowid.length : 0;
    return (
      <li
        key={node.id}
        role="treeitem"
        aria-label={`${node.name}, ${formatCount(node.size)} conversations`}
        aria-expanded={node.children.length ? open : undefined}
        aria-selected={isSelected}
        class={`clio-node${isSelected ? " selected" : ""}`}
        data-node-id={node.id}
      >
        <div class="clio-node-row">
          {node.children.length ? (
            <button class="clio-toggle" aria-label={`${open ? "Collapse" : "Expand"} ${node.name}`} onClick={() => props.onToggle(node.id)}>
              {open ? "▾" : "▸"}
            </button>
          ) : (
            <span class="clio-toggle-gap" />
          )}
          <button class="clio-node-name" title={`Show the ${formatCount(node.size)} conversations of ${node.name}`} onClick={() => props.onSelect(node)}>
            {node.name}
          </button>
          <span class="clio-node-count" data-testid="clio-node-count">
            {formatCount(node.size)}
          </span>
        </div>
        <div class="clio-node-bar" style={{ width: `${Math.max(2, Math.round(share * 100))}%` }} />
        {node.summary && (
          <div class="clio-node-summary muted small" title={node.summary}>
            {node.summary}
          </div>
        )}
        {open && node.children.length > 0 && (
          <ul role="group" class="clio-children">
            {node.children.map((id) => byId.get(id)).filter((n): n is ClioViewNode => !!n).map(item)}
          </ul>
        )}
      </li>
    );
  };
  return (
    <ul role="tree" class="clio-tree" aria-label={`${props.view.facet} clusters`} data-testid="clio-tree">
      {props.view.roots.map((id) => byId.get(id)).filter((n): n is ClioViewNode => !!n).map(item)}
    </ul>
  );
}
