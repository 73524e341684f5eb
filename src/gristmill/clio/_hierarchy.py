"""The hierarchy above the base clusters, OpenClio's way, made to always finish.

One level at a time, from the current clusters:

1. **neighbourhoods**: k-means over the clusters' vectors, ``nAverageClustersPerNeighborhood(n)``
   of them, each widened with its ``nSamplesOutsideNeighborhood`` nearest outside clusters;
2. **proposals**: the namer proposes ``nDesiredHigherLevelNamesPerClusterFunc(m)`` parent names
   per neighbourhood of m clusters;
3. **dedup across all neighbourhoods**: identical names become one; near-duplicates are grouped
   by k-means over their embeddings into at most ``nDesiredHigherLevelNamesPerClusterFunc(n)``
   (and always fewer than n) groups, each merged into one name. Without this step, neighbouring
   neighbourhoods propose the same parent under different words and the level does not shrink
   (Kura's hierarchy fails to converge this way);
4. **assignment**: each cluster is offered the parent names proposed around it plus the nearest
   others, ``nCategorizeSamples`` times; the majority of the answers that name an offered parent
   wins, and a cluster without a usable answer goes to the nearest parent by embedding;
5. **renaming**: each parent that got children is named again from samples of them
   (``maxChildrenForRenaming``, ``nRenameSamples`` draws, medoid kept), with the nearest
   clusters of other parents as contrast.

A namer without an LLM (``KeyphraseNamer``, which cannot do steps 2-4) gets levels grouped by
spherical k-means over the clusters' vectors into ``nDesiredHigherLevelNamesPerClusterFunc(n)``
parents, then step 5.

Levels stop once at most ``minTopLevelSize`` clusters remain. Each level has strictly fewer
clusters than the one below (step 3 caps the parents below n), so the number of levels is
bounded whatever the namer answers, and every cluster is assigned exactly one parent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from gristmill.clio._base import (
    naming_tasks,
    nearest_outside,
    settings_of,
    spherical_kmeans,
    unit_rows,
)
from gristmill.clio._config import OpenClioConfig
from gristmill.clio._naming import (
    Named,
    Namer,
    ProposingNamer,
    clean_name,
    name_key,
    pick_medoid,
    unique_names,
)
from gristmill.clio._tree import ClioNode, ClioTree
from gristmill.embed import EmbeddingModel, FakeEmbedding
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    Labels = npt.NDArray[np.int64]

# Parent names offered to one cluster at assignment (its neighbourhood's, then the nearest).
MAX_OPTIONS = 15
# Proposals kept per neighbourhood, as a multiple of the number asked for (a model that
# answers with a hundred names must not flood the dedup step).
MAX_PROPOSAL_FACTOR = 2
# A guard only: each level is strictly smaller, so n base clusters never need more than n.
MAX_LEVELS = 64


def build_hierarchy(
    base_nodes: Sequence[ClioNode],
    vectors: FloatMatrix,
    config: OpenClioConfig | None,
    namer: Namer,
    embed: EmbeddingModel | None = None,
    *,
    facet: str = "",
    resume: ClioTree | None = None,
    on_level: Callable[[ClioTree], None] | None = None,
) -> ClioTree:
    """The tree over ``base_nodes`` (level 0, ``vectors`` one unit vector per node).

    ``embed`` embeds parent names (for dedup and assignment); without it a hashed
    bag-of-words stands in. ``on_level`` is called with the tree after each level (a
    checkpoint); ``resume`` continues from such a checkpoint instead of starting over.
    """
    import numpy as np

    if len(vectors) != len(base_nodes):
        raise InvalidInputError(
            f"{len(base_nodes)} base clusters but {len(vectors)} vectors",
            hint="pass one vector per base cluster (e.g. its centroid)",
        )
    if not base_nodes:
        return ClioTree({}, facet=facet)
    settings = settings_of(config)
    name_embedding = embed if embed is not None else FakeEmbedding()
    base_vectors = unit_rows(np.asarray(vectors, dtype=np.float32))
    if resume is not None:
        tree = resume
        nodes = tree.nodes
    else:
        nodes = {
            node.id: ClioNode(**{**vars(node), "parent": None, "children": [], "level": 0})
            for node in base_nodes
        }
        tree = ClioTree(nodes, facet=facet)
    by_id = {node.id: index for index, node in enumerate(base_nodes)}
    current = tree.roots if resume is not None else list(nodes.values())
    current.sort(key=lambda node: _id_order(node.id))
    current_vectors = np.stack([_vector_of(tree, node, base_vectors, by_id) for node in current])
    level = max((node.level for node in current), default=0)
    top_size = max(1, settings.minTopLevelSize)
    while len(current) > top_size and level < MAX_LEVELS:
        level += 1
        parents, parent_vectors = _next_level(
            current, current_vectors, settings, namer, name_embedding, level, facet
        )
        for parent in parents:
            nodes[parent.id] = parent
        current, current_vectors = parents, parent_vectors
        if on_level is not None:
            on_level(tree)
    return tree


def _next_level(
    children: list[ClioNode],
    vectors: FloatMatrix,
    settings: OpenClioConfig,
    namer: Namer,
    embed: EmbeddingModel,
    level: int,
    facet: str,
) -> tuple[list[ClioNode], FloatMatrix]:
    import numpy as np

    n = len(children)
    named = [Named(child.name, child.summary) for child in children]
    seed = settings.seed + level
    # A level that would end below minTopLevelSize clusters ends at it instead: the top level
    # then holds as many clusters as the user asked to see (the default n // 3 takes 11
    # clusters to 3, where 5 were wanted), and the run still stops there.
    floor = min(max(1, settings.minTopLevelSize), n - 1)
    target = _clamp(max(settings.nDesiredHigherLevelNamesPerClusterFunc(n), floor), 1, n - 1)
    if isinstance(namer, ProposingNamer):
        labels, used = _group_by_names(named, vectors, settings, namer, embed, seed, target)
    else:
        # A namer without an LLM cannot judge which parent fits a cluster better than the
        # embeddings do (word overlap with proposed names put three quarters of the clusters
        # under one generic parent): its levels are grouped by k-means, then named by it.
        labels, _ = spherical_kmeans(vectors, target, seed)
        used = [named[int(np.flatnonzero(labels == g)[0])].name for g in range(labels.max() + 1)]
    # Weighted by size: a parent's vector is then (close to) the mean of its conversations'.
    sizes = np.asarray([max(child.size, 1) for child in children], dtype=np.float32)
    centroids = np.zeros((len(used), vectors.shape[1]), dtype=np.float32)
    np.add.at(centroids, labels, vectors * sizes[:, None])
    centroids = unit_rows(centroids)
    tasks = naming_tasks(
        [item.text() for item in named],
        vectors,
        labels,
        centroids,
        inside=settings.maxChildrenForRenaming,
        outside=settings.maxPointsToSampleOutsideCluster,
        draws=settings.nRenameSamples,
        seed=seed,
        weights=[child.size for child in children],
    )
    answers_named = namer.name_groups(tasks, level=level)
    final = [
        pick_medoid(candidates, embed) or Named(name, task.texts[0] if task.texts else "")
        for candidates, name, task in zip(answers_named, used, tasks, strict=True)
    ]
    unique = unique_names([item.name for item in final])
    parents = []
    for index, (item, name) in enumerate(zip(final, unique, strict=True)):
        parent = ClioNode(
            id=f"{level}.{index}", name=name, summary=item.summary, level=level, facet=facet
        )
        for child_index in np.flatnonzero(labels == index).tolist():
            child = children[child_index]
            child.parent = parent.id
            parent.children.append(child.id)
            parent.size += child.size
        parents.append(parent)
    return parents, centroids


def _group_by_names(
    named: list[Named],
    vectors: FloatMatrix,
    settings: OpenClioConfig,
    namer: ProposingNamer,
    embed: EmbeddingModel,
    seed: int,
    target: int,
) -> tuple[Labels, list[str]]:
    """Steps 1-4 of the module docstring: each cluster's parent index, and the parent names."""
    import numpy as np

    n = len(named)
    hood_count = _clamp(settings.nAverageClustersPerNeighborhood(n), 1, n)
    hoods, hood_centroids = spherical_kmeans(vectors, hood_count, seed)
    outside = nearest_outside(
        vectors, hoods, hood_centroids, max(0, settings.nSamplesOutsideNeighborhood)
    )
    members = [np.flatnonzero(hoods == h).tolist() for h in range(len(hood_centroids))]
    desired = [
        _clamp(settings.nDesiredHigherLevelNamesPerClusterFunc(len(m)), 1, len(m)) for m in members
    ]
    shown = [m + [i for i in out if i not in m] for m, out in zip(members, outside, strict=True)]
    proposed = namer.propose_names([[named[i] for i in ids] for ids in shown], desired)
    proposals = [
        _valid_proposals(answer, wanted, [named[i].name for i in ids])
        for answer, wanted, ids in zip(proposed, desired, members, strict=True)
    ]
    names, renamed = _dedup_names(proposals, min(target, max(1, sum(desired))), namer, embed, seed)
    name_vectors = unit_rows(embed.embed(names))
    child_vectors = unit_rows(embed.embed([item.text() for item in named]))
    options = [
        _options_for(child_vectors[i], name_vectors, names, {renamed[p] for p in proposals[h]})
        for i, h in enumerate(hoods.tolist())
    ]
    answers = namer.categorize(named, options, max(1, settings.nCategorizeSamples))
    chosen = [
        _majority(votes, offered, names) for votes, offered in zip(answers, options, strict=True)
    ]
    position = {name: i for i, name in enumerate(names)}
    used = sorted(set(chosen), key=position.__getitem__)
    index_of = {name: i for i, name in enumerate(used)}
    return np.asarray([index_of[name] for name in chosen], dtype=np.int64), used


def _valid_proposals(answer: Sequence[str], wanted: int, fallback: Sequence[str]) -> list[str]:
    """Distinct non-empty names, at most ``MAX_PROPOSAL_FACTOR * wanted``; when the namer gave
    none, the first members' own names stand in."""
    kept: dict[str, str] = {}
    for raw in answer:
        name = clean_name(raw)
        if name and name_key(name) and name_key(name) not in kept:
            kept[name_key(name)] = name
    result = list(kept.values())[: MAX_PROPOSAL_FACTOR * wanted]
    return result or list(dict.fromkeys(fallback))[:wanted]


def _dedup_names(
    proposals: Sequence[Sequence[str]],
    target: int,
    namer: ProposingNamer,
    embed: EmbeddingModel,
    seed: int,
) -> tuple[list[str], dict[str, str]]:
    """At most ``target`` distinct parent names from every neighbourhood's proposals, and which
    of them each proposal became."""
    import numpy as np

    first: dict[str, str] = {}
    for names in proposals:
        for name in names:
            first.setdefault(name_key(name), name)
    distinct = list(first.values())
    if len(distinct) <= target:
        return distinct, {name: first[name_key(name)] for names in proposals for name in names}
    labels, _ = spherical_kmeans(embed.embed(distinct), target, seed)
    groups = [[distinct[i] for i in np.flatnonzero(labels == g)] for g in range(labels.max() + 1)]
    plural = [g for g, names in enumerate(groups) if len(names) > 1]
    merged_answers = namer.merge_names([groups[g] for g in plural]) if plural else []
    merged = [names[0] for names in groups]
    for g, answer in zip(plural, merged_answers, strict=True):
        name = clean_name(answer)
        if name and name_key(name):
            merged[g] = name
    # A merged name may equal another group's: those groups become one parent.
    final: dict[str, str] = {}
    for name in merged:
        final.setdefault(name_key(name), name)
    of_group = [final[name_key(name)] for name in merged]
    became = {distinct[i]: of_group[int(labels[i])] for i in range(len(distinct))}
    mapping = {name: became[first[name_key(name)]] for names in proposals for name in names}
    return list(final.values()), mapping


def _options_for(
    vector: FloatMatrix, name_vectors: FloatMatrix, names: Sequence[str], local: set[str]
) -> list[str]:
    """The parents proposed around this cluster and the nearest others (at most
    ``MAX_OPTIONS``), nearest first."""
    import numpy as np

    order = np.argsort(-(name_vectors @ vector), kind="stable").tolist()
    near_local = [i for i in order if names[i] in local][:MAX_OPTIONS]
    others = [i for i in order[: 2 * MAX_OPTIONS] if names[i] not in local]
    picked = set(near_local) | set(others[: MAX_OPTIONS - len(near_local)])
    return [names[i] for i in order if i in picked]


def _majority(votes: Sequence[str], offered: Sequence[str], names: Sequence[str]) -> str:
    """The most voted known parent (offered ones first on ties, nearest first); the nearest
    offered parent when no vote names one."""
    known = {name_key(name): name for name in names}
    counted = Counter(known[key] for vote in votes if (key := name_key(clean_name(vote))) in known)
    if not counted:
        return offered[0]
    rank = {name: i for i, name in enumerate(offered)}
    return min(counted, key=lambda name: (-counted[name], rank.get(name, len(rank)), name))


def _vector_of(
    tree: ClioTree, node: ClioNode, base_vectors: FloatMatrix, by_id: dict[str, int]
) -> FloatMatrix:
    """A node's vector: its own for a base cluster, else the unit size-weighted mean of its
    children's (as ``_next_level`` makes it)."""
    import numpy as np

    if not node.children:
        own: FloatMatrix = base_vectors[by_id[node.id]]
        return own
    total = np.sum(
        [
            _vector_of(tree, tree.nodes[c], base_vectors, by_id) * max(tree.nodes[c].size, 1)
            for c in node.children
        ],
        axis=0,
    )
    mean: FloatMatrix = (total / max(float(np.linalg.norm(total)), 1e-12)).astype(np.float32)
    return mean


def _id_order(node_id: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in node_id.split("."))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(int(value), high))
