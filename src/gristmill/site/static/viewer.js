"use strict";
// The static site's viewer: plain TypeScript, no dependencies, compiled once by `node build.mjs`
// into src/gristmill/site/static/viewer.js. It reads the folder gristmill.site.write_site wrote:
// site.json, then data/root, then the tables (gzip JSON, AES-GCM encrypted with a password).
const PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
];
const LISTED_CONVERSATIONS = 100;
const encoder = new TextEncoder();
let key = null;
let root = null;
let values = [];
const facetViews = new Map();
const conversationChunks = new Map();
const state = { facet: null, node: null, conv: null };
function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        // The page's content security policy refuses style attributes; the CSSOM is allowed.
        if (name === "style")
            node.style.cssText = value;
        else
            node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
}
function byId(id) {
    const found = document.getElementById(id);
    if (!found)
        throw new Error(`the page has no #${id}`);
    return found;
}
function showError(message) {
    const box = byId("error");
    box.textContent = message;
    box.hidden = false;
}
// ---- loading and decrypting ----
async function fetchBytes(name) {
    const response = await fetch(name, { cache: "no-cache" });
    if (!response.ok)
        throw new Error(`${name}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
}
async function gunzip(bytes) {
    // A server may already have undone the gzip (Content-Encoding): then the JSON is plain.
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b)
        return bytes;
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
}
async function loadFile(name) {
    let bytes = await fetchBytes(name);
    if (key) {
        const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: encoder.encode(name) }, key, bytes.slice(12));
        bytes = new Uint8Array(plain);
    }
    return JSON.parse(new TextDecoder().decode(await gunzip(bytes)));
}
async function loadTable(files) {
    const parts = await Promise.all(files.map((file) => loadFile(file.file)));
    return parts.flat();
}
async function deriveKey(password, kdf) {
    const salt = Uint8Array.from(atob(kdf.salt), (c) => c.charCodeAt(0));
    const material = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey({ name: "PBKDF2", hash: kdf.hash, salt, iterations: kdf.iterations }, material, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
}
function conversation(index) {
    const files = root ? root.tables["conversations"] ?? [] : [];
    let start = 0;
    for (let chunk = 0; chunk < files.length; chunk++) {
        const file = files[chunk];
        if (index < start + file.rows) {
            let rows = conversationChunks.get(chunk);
            if (!rows) {
                rows = loadFile(file.file);
                conversationChunks.set(chunk, rows);
            }
            const offset = start;
            return rows.then((loaded) => loaded[index - offset] ?? []);
        }
        start += file.rows;
    }
    return Promise.resolve([]);
}
async function facetView(name) {
    const cached = facetViews.get(name);
    if (cached)
        return cached;
    const data = root;
    const nodeTable = data.trees[name];
    const nodes = new Map();
    if (nodeTable) {
        for (const node of await loadTable(data.tables[nodeTable] ?? []))
            nodes.set(node.id, node);
    }
    const pointTable = data.points[name];
    const rows = pointTable ? await loadTable(data.tables[pointTable] ?? []) : [];
    const roots = [...(data.roots[name] ?? [])].sort((a, b) => (nodes.get(b)?.size ?? 0) - (nodes.get(a)?.size ?? 0));
    const colourOf = new Map();
    roots.forEach((rootId, index) => {
        for (const leaf of leavesOf(nodes, rootId))
            colourOf.set(leaf, index);
    });
    const view = {
        nodes,
        roots,
        xs: Float32Array.from(rows, (row) => row[0] ?? NaN),
        ys: Float32Array.from(rows, (row) => row[1] ?? NaN),
        base: rows.map((row) => row[2]),
        colourOf,
    };
    facetViews.set(name, view);
    return view;
}
function leavesOf(nodes, id) {
    const found = new Set();
    const stack = [id];
    const seen = new Set();
    while (stack.length) {
        const current = stack.pop();
        if (seen.has(current))
            continue; // a malformed tree must not loop forever
        seen.add(current);
        found.add(current);
        for (const child of nodes.get(current)?.children ?? [])
            stack.push(child);
    }
    return found;
}
function members(view, id) {
    if (id === null)
        return view.base.map((_, i) => i);
    const under = leavesOf(view.nodes, id);
    const found = [];
    view.base.forEach((node, i) => {
        if (node !== null && under.has(node))
            found.push(i);
    });
    return found;
}
// ---- the URL hash holds the view, so a link shows the same thing ----
function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    state.facet = params.get("facet");
    state.node = params.get("node");
    const conv = params.get("conv");
    state.conv = conv !== null && /^\d+$/.test(conv) ? Number(conv) : null;
}
function writeHash() {
    const params = new URLSearchParams();
    if (state.facet !== null)
        params.set("facet", state.facet);
    if (state.node !== null)
        params.set("node", state.node);
    if (state.conv !== null)
        params.set("conv", String(state.conv));
    history.replaceState(null, "", `#${params.toString()}`);
}
function navigate(change) {
    Object.assign(state, change);
    writeHash();
    void render();
}
// ---- rendering ----
async function render() {
    const data = root;
    const treeFacets = data.facets.filter((facet) => data.trees[facet.name] !== undefined);
    if (state.facet === null || !data.facets.some((facet) => facet.name === state.facet)) {
        state.facet = (treeFacets[0] ?? data.facets[0])?.name ?? null;
    }
    renderFacetTabs(treeFacets);
    const view = state.facet !== null ? await facetView(state.facet) : null;
    if (view && state.node !== null && !view.nodes.has(state.node))
        state.node = null;
    const selected = view ? members(view, state.node) : [];
    renderTree(view);
    renderDetail(view, selected);
    renderMap(view, selected);
    renderHistograms(view ? selected : values.map((_, i) => i));
    await renderConversation();
}
function renderFacetTabs(facets) {
    const tabs = byId("facets");
    tabs.replaceChildren(...facets.map((facet) => {
        const button = el("button", { type: "button", role: "tab" }, facet.name);
        button.setAttribute("aria-selected", String(facet.name === state.facet));
        button.addEventListener("click", () => navigate({ facet: facet.name, node: null }));
        return button;
    }));
}
function renderTree(view) {
    const tree = byId("tree");
    if (!view || view.roots.length === 0) {
        tree.replaceChildren(el("p", { class: "muted" }, "No hierarchy for this facet."));
        return;
    }
    const open = new Set();
    for (let id = state.node; id !== null; id = view.nodes.get(id)?.parent ?? null) {
        if (open.has(id))
            break;
        open.add(id);
    }
    const list = (ids, depth) => {
        const ul = el("ul", { role: depth === 0 ? "tree" : "group" });
        const sorted = [...ids].sort((a, b) => (view.nodes.get(b)?.size ?? 0) - (view.nodes.get(a)?.size ?? 0));
        for (const id of sorted) {
            const node = view.nodes.get(id);
            if (!node)
                continue;
            const colour = PALETTE[(view.colourOf.get(id) ?? 0) % PALETTE.length];
            const button = el("button", { type: "button", class: "node", "data-node": id, title: node.summary }, el("span", { class: "swatch", style: `background:${colour}` }), el("span", { class: "name" }, node.name), el("span", { class: "count" }, node.size.toLocaleString()));
            if (node.children.length)
                button.prepend(el("span", { class: "caret" }, open.has(id) ? "▾" : "▸"));
            if (id === state.node)
                button.classList.add("selected");
            button.addEventListener("click", () => navigate({ node: id === state.node ? node.parent : id, conv: null }));
            const li = el("li", { role: "treeitem" }, button);
            if (node.children.length && open.has(id))
                li.append(list(node.children, depth + 1));
            ul.append(li);
        }
        return ul;
    };
    tree.replaceChildren(list(view.roots, 0));
}
function renderDetail(view, selected) {
    const detail = byId("detail");
    const node = view && state.node !== null ? view.nodes.get(state.node) : undefined;
    const heading = node
        ? el("h2", {}, node.name)
        : el("h2", {}, `All ${selected.length.toLocaleString()} conversations`);
    const parts = [heading];
    if (node) {
        parts.push(el("p", { class: "summary" }, node.summary));
        parts.push(el("p", { class: "muted" }, `${node.size.toLocaleString()} conversations`));
    }
    const valueIndex = root.value_facets.indexOf(state.facet ?? "");
    const list = el("ol", { class: "conversations", "data-testid": "conversation-list" });
    for (const index of selected.slice(0, LISTED_CONVERSATIONS)) {
        const value = valueIndex >= 0 ? values[index]?.[valueIndex] : null;
        const button = el("button", { type: "button", "data-conv": String(index) }, `#${index + 1}`, el("span", { class: "value" }, value === null || value === undefined ? "" : String(value)));
        button.addEventListener("click", () => navigate({ conv: index }));
        list.append(el("li", {}, button));
    }
    parts.push(list);
    if (selected.length > LISTED_CONVERSATIONS) {
        parts.push(el("p", { class: "muted" }, `First ${LISTED_CONVERSATIONS} of ${selected.length.toLocaleString()}.`));
    }
    detail.replaceChildren(...parts);
}
function renderMap(view, selected) {
    const canvas = byId("map");
    const context = canvas.getContext("2d");
    if (!context)
        return;
    const width = canvas.clientWidth || 480;
    const height = canvas.clientHeight || 360;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    canvas.dataset["points"] = "0";
    if (!view || view.xs.length === 0)
        return;
    const project = projection(view, width, height);
    const highlight = state.node !== null ? new Set(selected) : null;
    const colour = (i) => {
        const base = view.base[i];
        return PALETTE[(base !== null && base !== undefined ? view.colourOf.get(base) ?? 0 : 0) % PALETTE.length];
    };
    let drawn = 0;
    for (let i = 0; i < view.xs.length; i++) {
        if (Number.isNaN(view.xs[i]))
            continue;
        const [x, y] = project(i);
        context.fillStyle = highlight && !highlight.has(i) ? "#d9d9d9" : colour(i);
        context.fillRect(x - 1, y - 1, 2.5, 2.5);
        drawn++;
    }
    if (highlight) {
        for (const i of selected) {
            if (Number.isNaN(view.xs[i]))
                continue;
            const [x, y] = project(i);
            context.fillStyle = colour(i);
            context.fillRect(x - 2, y - 2, 4, 4);
        }
    }
    canvas.dataset["points"] = String(drawn);
    canvas.dataset["highlighted"] = String(highlight ? selected.length : 0);
}
function projection(view, width, height) {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < view.xs.length; i++) {
        if (Number.isNaN(view.xs[i]))
            continue;
        minX = Math.min(minX, view.xs[i]);
        maxX = Math.max(maxX, view.xs[i]);
        minY = Math.min(minY, view.ys[i]);
        maxY = Math.max(maxY, view.ys[i]);
    }
    const pad = 8;
    const sx = (width - 2 * pad) / (maxX - minX || 1);
    const sy = (height - 2 * pad) / (maxY - minY || 1);
    return (i) => [pad + (view.xs[i] - minX) * sx, height - pad - (view.ys[i] - minY) * sy];
}
function onMapClick(event) {
    const view = state.facet !== null ? facetViews.get(state.facet) : undefined;
    if (!view)
        return;
    const canvas = event.currentTarget;
    const rect = canvas.getBoundingClientRect();
    const project = projection(view, canvas.clientWidth, canvas.clientHeight);
    const cx = event.clientX - rect.left;
    const cy = event.clientY - rect.top;
    let best = -1;
    let bestDistance = 64; // within 8 px
    for (let i = 0; i < view.xs.length; i++) {
        const [x, y] = project(i);
        const distance = (x - cx) ** 2 + (y - cy) ** 2;
        if (distance < bestDistance) {
            best = i;
            bestDistance = distance;
        }
    }
    if (best >= 0)
        navigate({ node: view.base[best] ?? null, conv: best });
}
function renderHistograms(selected) {
    const box = byId("histograms");
    const data = root;
    const charts = [];
    for (const facet of data.facets) {
        const column = data.value_facets.indexOf(facet.name);
        if (!facet.numeric || column < 0)
            continue;
        const [lo, hi] = facet.numeric;
        const integer = Number.isInteger(lo) && Number.isInteger(hi) && hi - lo <= 20;
        const bins = integer ? hi - lo + 1 : 10;
        const counts = new Array(bins).fill(0);
        for (const i of selected) {
            const value = values[i]?.[column];
            if (typeof value !== "number")
                continue;
            const bin = integer ? Math.round(value) - lo : Math.floor(((value - lo) / (hi - lo || 1)) * bins);
            counts[Math.min(bins - 1, Math.max(0, bin))]++;
        }
        const top = Math.max(1, ...counts);
        const bars = counts.map((count, bin) => {
            const label = integer ? String(lo + bin) : (lo + ((hi - lo) * bin) / bins).toFixed(1);
            return el("div", { class: "bar", title: `${label}: ${count}`, "data-count": String(count) }, el("span", { class: "fill", style: `height:${(100 * count) / top}%` }), el("span", { class: "label" }, label));
        });
        charts.push(el("figure", { "data-testid": `histogram-${facet.name}` }, el("figcaption", {}, facet.name), el("div", { class: "bars" }, ...bars)));
    }
    box.replaceChildren(...charts);
}
async function renderConversation() {
    const panel = byId("conversation");
    if (state.conv === null) {
        panel.hidden = true;
        panel.replaceChildren();
        return;
    }
    const index = state.conv;
    const turns = await conversation(index);
    if (state.conv !== index)
        return; // another one was opened meanwhile
    const close = el("button", { type: "button", class: "close", "aria-label": "Close" }, "×");
    close.addEventListener("click", () => navigate({ conv: null }));
    const facets = root.value_facets.map((name, column) => el("li", {}, el("b", {}, `${name}: `), String(values[index]?.[column] ?? "—")));
    panel.replaceChildren(el("header", {}, el("h2", {}, `Conversation #${index + 1}`), close), el("ul", { class: "facet-values" }, ...facets), ...turns.map((turn) => el("div", { class: `turn role-${turn.role.replace(/[^a-z]/gi, "")}` }, el("div", { class: "role" }, turn.role), el("div", { class: "content" }, turn.content))));
    panel.hidden = false;
}
// ---- start ----
async function openSite() {
    root = await loadFile(manifest.root);
    values = await loadTable(root.tables["values"] ?? []);
    document.title = root.title;
    byId("title").textContent = root.title;
    byId("unlock").hidden = true;
    byId("site").hidden = false;
    readHash();
    byId("map").addEventListener("click", onMapClick);
    window.addEventListener("hashchange", () => {
        readHash();
        void render();
    });
    await render();
}
let manifest = null;
async function unlock(event) {
    event.preventDefault();
    const input = byId("password");
    const error = byId("unlock-error");
    error.hidden = true;
    const button = byId("unlock-button");
    button.disabled = true;
    try {
        key = await deriveKey(input.value, manifest.kdf);
        await openSite();
    }
    catch {
        // AES-GCM's tag check fails on a wrong key: nothing was decrypted, nothing is shown.
        key = null;
        root = null;
        values = [];
        error.textContent = "Wrong password: the data could not be decrypted.";
        error.hidden = false;
        input.select();
    }
    finally {
        button.disabled = false;
    }
}
async function main() {
    try {
        manifest = await (await fetch("site.json", { cache: "no-cache" })).json();
        if (manifest.encrypted) {
            if (!crypto.subtle) {
                showError("This page needs a secure context (https or localhost) to decrypt the data.");
                return;
            }
            byId("unlock").hidden = false;
            byId("unlock").addEventListener("submit", (event) => void unlock(event));
            byId("password").focus();
            return;
        }
        await openSite();
    }
    catch (error) {
        showError(`The site could not be loaded: ${String(error)}. Serve the folder over HTTP (gristmill clio serve-site).`);
    }
}
void main();
