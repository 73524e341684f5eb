"""Privacy beyond OpenClio: what any view or export of a Clio run may show.

OpenClio relies on its prompts' rules (no PII, no proper nouns). Gristmill adds three checks,
applied together by :func:`private_view`, the one entry point of every view and export:

- **k-anonymity** (:func:`fold_small_clusters`): a cluster is shown only when it holds at least
  ``minClusterConversations`` distinct conversations; smaller ones are folded into "Other".
- **PII scrubbing** (:func:`scrub_texts`, :func:`scrub_tree`): personal data in facet texts and
  cluster names is replaced by its kind (``[EMAIL]``) with the PII signal.
- **The privacy auditor** (:func:`audit_tree`): with an LLM, the Clio paper's auditor rates each
  cluster's name and summary from 1 (identifies someone) to 5 (fully general); names scored
  below ``privacyAuditThreshold`` are withheld.

The stored tree is the truth and is never changed by a view (the auditor only records its
score on it); every function here returns a new tree.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

from pydantic import BaseModel, Field

from gristmill.clio import _prompts
from gristmill.clio._config import OpenClioConfig
from gristmill.clio._tree import ClioNode, ClioTree
from gristmill.errors import InvalidInputError, ProviderUnreachableError
from gristmill.llm import LLM, Completion, CompletionRequest, get_llm
from gristmill.signals import PIISignal

OTHER_NAME = "Other"
WITHHELD_NAME = "Withheld (privacy)"
AUDIT_CONCURRENCY = 4

# A facet's value as the facet step gives it (``FacetResult``); repeated here because the facet
# module imports this one (its extractors scrub what they keep).
FacetValue = str | int | float | None


# -- PII scrubbing ----------------------------------------------------------------------------


def scrub_texts(texts: Sequence[str | None]) -> list[str | None]:
    """``texts`` with each span of personal data replaced by its kind: ``[EMAIL]``, ``[PHONE]``.

    The PII signal's cheap triggers run over all texts at once, so only the few texts that
    may hold personal data pay for the exact patterns.
    """
    found = PIISignal().compute(texts)
    scrubbed: list[str | None] = []
    for text, pii in zip(texts, found, strict=True):
        if text is None or pii is None or not pii["spans"]:
            scrubbed.append(text)
            continue
        pieces: list[str] = []
        end = 0
        for span in pii["spans"]:  # sorted by start, without overlaps
            pieces.append(text[end : span["start"]])
            pieces.append(f"[{span['type'].upper()}]")
            end = span["end"]
        pieces.append(text[end:])
        scrubbed.append("".join(pieces))
    return scrubbed


def scrub_tree(tree: ClioTree) -> ClioTree:
    """A copy of ``tree`` with personal data scrubbed from every name and summary."""
    result = copy.deepcopy(tree)
    _scrub_nodes(list(result.nodes.values()))
    return result


def _scrub_nodes(nodes: Sequence[ClioNode]) -> None:
    names = scrub_texts([node.name for node in nodes])
    summaries = scrub_texts([node.summary for node in nodes])
    for node, name, summary in zip(nodes, names, summaries, strict=True):
        node.name = name or ""
        node.summary = summary or ""


def scrub_values(values: Sequence[FacetValue]) -> list[FacetValue]:
    """A facet's values with the texts among them scrubbed (numbers and None as they are)."""
    positions = [i for i, value in enumerate(values) if isinstance(value, str)]
    scrubbed = scrub_texts([value for value in values if isinstance(value, str)])
    result = list(values)
    for position, text in zip(positions, scrubbed, strict=True):
        result[position] = text
    return result


# -- k-anonymity ------------------------------------------------------------------------------


def fold_small_clusters(
    tree: ClioTree,
    base_ids: Sequence[str | None],
    min_conversations: int,
    keys: Sequence[Hashable] | None = None,
) -> tuple[ClioTree, list[str | None]]:
    """A new tree in which every node holds at least ``min_conversations`` distinct
    conversations, and per data point the id of the node now shown for it.

    ``base_ids[i]`` is data point i's node (its base cluster; None: no value for the facet);
    ``keys[i]`` its dedup key (the same conversation twice, or a user's conversations when the
    key is the user, count once); without keys each data point counts.

    Going down from the roots, the children of each shown node (and the roots) that hold fewer
    than ``min_conversations`` are folded together into one "Other" under the same parent,
    whose members are theirs. So that no shown node reveals a group smaller than the threshold,
    "Other" included:

    - an "Other" that would itself hold too few conversations is not shown: its members are
      counted in the parent alone (they show as the parent's own; at the top level, where there
      is no parent, they show in no cluster and their id is None);
    - a node none of whose children is big enough shows none of them (an "Other" holding all
      of the parent's conversations would say nothing): it becomes a leaf.

    The counts stay true: ``size`` counts data points (not keys, which may be shared across
    clusters and so do not add up), and a node's size is the sum of its shown children's plus
    the data points shown as its own (that remainder has no name or summary: it says only
    that a few of the parent's conversations fit none of its shown children). The nodes kept
    are copies, under their old ids; an "Other" is a leaf named ``OTHER_NAME`` with a new id.
    ``tree`` is not changed.
    ``min_conversations <= 1`` returns a copy of the tree and of ``base_ids``.
    """
    if keys is not None and len(keys) != len(base_ids):
        raise InvalidInputError(
            f"{len(keys)} dedup keys for {len(base_ids)} data points",
            hint="give one key per data point, or none",
        )
    unknown = sorted({b for b in base_ids if b is not None and b not in tree.nodes})
    if unknown:
        raise InvalidInputError(
            f"data points name nodes the hierarchy of {tree.facet or 'this facet'} does not"
            f" have: {unknown[:5]}",
            hint="give each data point the id of its base cluster in this tree",
        )
    if min_conversations <= 1:
        return copy.deepcopy(tree), list(base_ids)
    members = _distinct_members(tree, base_ids, keys)
    folder = _Folder(tree, min_conversations, members)
    folder.place(None, tree.roots)
    shown_ids = [folder.target[b] if b is not None else None for b in base_ids]
    shown = ClioTree(folder.nodes, facet=tree.facet)
    _count_sizes(shown, shown_ids)
    return shown, shown_ids


def _distinct_members(
    tree: ClioTree, base_ids: Sequence[str | None], keys: Sequence[Hashable] | None
) -> dict[str, set[Hashable]]:
    """Per node, the dedup keys of the data points under it."""
    members: dict[str, set[Hashable]] = {node_id: set() for node_id in tree.nodes}
    for index, node_id in enumerate(base_ids):
        if node_id is not None:
            members[node_id].add(keys[index] if keys is not None else index)
    # Children before their parents: each node's set is complete when its parent reads it.
    for node in reversed(list(tree.walk())):
        for child in node.children:
            members[node.id] |= members[child]
    return members


class _Folder:
    """Builds the folded tree top down; ``target`` maps every old id to the id shown for it."""

    def __init__(self, tree: ClioTree, k: int, members: dict[str, set[Hashable]]) -> None:
        self.tree = tree
        self.k = k
        self.members = members
        self.nodes: dict[str, ClioNode] = {}
        self.target: dict[str, str | None] = {}

    def place(self, parent: ClioNode | None, group: Sequence[ClioNode]) -> None:
        pending = [(parent, list(group))]
        while pending:
            parent, group = pending.pop()
            big = [node for node in group if len(self.members[node.id]) >= self.k]
            small = [node for node in group if len(self.members[node.id]) < self.k]
            if parent is not None and not big:
                self._hide(small, parent.id)
                continue
            for node in big:
                shown = replace(node, parent=parent.id if parent else None, children=[], size=0)
                self._add(shown)
                pending.append((shown, [self.tree.nodes[child] for child in node.children]))
            if not small:
                continue
            together = set().union(*(self.members[node.id] for node in small))
            if len(together) < self.k:
                self._hide(small, parent.id if parent is not None else None)
                continue
            other = ClioNode(
                id=self._other_id(parent),
                name=OTHER_NAME,
                summary=f"Smaller clusters, each with fewer than {self.k} conversations.",
                level=max(node.level for node in small),
                parent=parent.id if parent is not None else None,
                facet=self.tree.facet or small[0].facet,
            )
            self._add(other)
            self._hide(small, other.id)

    def _add(self, node: ClioNode) -> None:
        self.nodes[node.id] = node
        self.target[node.id] = node.id
        if node.parent is not None:
            self.nodes[node.parent].children.append(node.id)

    def _hide(self, group: Sequence[ClioNode], into: str | None) -> None:
        for node in group:
            for hidden in self.tree.walk(node):
                self.target[hidden.id] = into

    def _other_id(self, parent: ClioNode | None) -> str:
        base = "other" if parent is None else f"{parent.id}/other"
        candidate, number = base, 2
        while candidate in self.tree.nodes or candidate in self.nodes:
            candidate = f"{base}-{number}"
            number += 1
        return candidate


def _count_sizes(tree: ClioTree, shown_ids: Sequence[str | None]) -> None:
    for node in tree.nodes.values():
        node.size = 0
    for node_id in shown_ids:
        if node_id is not None:
            tree.nodes[node_id].size += 1
    for node in reversed(list(tree.walk())):
        if node.parent is not None:
            tree.nodes[node.parent].size += node.size


# -- the privacy auditor ----------------------------------------------------------------------


# No docstring: pydantic shows it to the model, which may copy it.
class PrivacyAnswer(BaseModel):
    reason: str = Field(description="one sentence: what, if anything, could identify someone")
    rating: int = Field(ge=1, le=5, description="1 identifies someone ... 5 fully general")


@dataclass(frozen=True)
class AuditResult:
    """What an audit cost: LLM requests made, and the nodes left without a score because the
    answer could not be read (out of range or not the asked shape, after the client's
    re-asks)."""

    calls: int
    failures: int


def audit_tree(tree: ClioTree, llm: LLM | str, config: OpenClioConfig | None = None) -> AuditResult:
    """Ask the Clio paper's privacy auditor about each node's name and summary, one structured
    call per node, and record its 1-5 score in ``node.privacy`` (in place: the score is part of
    the stored result; a node without a readable answer gets None).

    The stored name is audited, not a scrubbed one: what a view shows is then at most as
    revealing as what was rated.
    """
    config = config if config is not None else OpenClioConfig()
    client = get_llm(llm) if isinstance(llm, str) else llm
    nodes = [node for node in tree.nodes.values() if node.name.strip()]
    requests = [
        CompletionRequest(
            prompt=_prompts.privacy_audit_prompt(node.name, node.summary),
            # A judge, not a writer: the same name gets the same score in every run.
            **{**config.sampling(), "temperature": 0.0},
        )
        for node in nodes
    ]
    results = client.complete_batch(
        requests,
        response_format=PrivacyAnswer,
        concurrency=AUDIT_CONCURRENCY,
        return_exceptions=True,
    )
    failures = 0
    for node, result in zip(nodes, results, strict=True):
        if isinstance(result, ProviderUnreachableError):
            raise result  # the address or the server needs fixing; a rerun resumes from cache
        answer = result.parsed if isinstance(result, Completion) else None
        node.privacy = answer.rating if isinstance(answer, PrivacyAnswer) else None
        failures += node.privacy is None
    return AuditResult(calls=len(requests), failures=failures)


# -- the one entry point of every view and export ---------------------------------------------


@dataclass
class PrivateView:
    """A tree as it may be shown: ``tree`` folded, withheld and scrubbed; ``base_ids`` per data
    point the id of its shown node (None: in no shown cluster); ``folded`` the clusters of the
    stored tree not shown; ``withheld`` the names withheld by the privacy auditor's score;
    ``scrubbed`` whether names and summaries were scrubbed of personal data."""

    tree: ClioTree
    base_ids: list[str | None]
    folded: int
    withheld: int
    scrubbed: bool


def private_view(
    tree: ClioTree,
    base_ids: Sequence[str | None],
    config: OpenClioConfig | None = None,
    *,
    keys: Sequence[Hashable] | None = None,
) -> PrivateView:
    """What a view or an export of ``tree`` may show under ``config``'s privacy settings.

    Clusters with fewer than ``minClusterConversations`` distinct conversations (``keys``, see
    :func:`fold_small_clusters`) are folded into "Other"; a name the auditor scored below
    ``privacyAuditThreshold`` reads ``WITHHELD_NAME`` with no summary (its node and counts
    stay; a node never audited is shown); with ``scrubPII`` personal data in names and
    summaries is replaced by its kind. ``tree`` itself is not changed.
    """
    config = config if config is not None else OpenClioConfig()
    shown, shown_ids = fold_small_clusters(tree, base_ids, config.minClusterConversations, keys)
    folded = sum(1 for node_id in tree.nodes if node_id not in shown.nodes)
    withheld = 0
    for node in shown.nodes.values():
        if node.privacy is not None and node.privacy < config.privacyAuditThreshold:
            node.name, node.summary = WITHHELD_NAME, ""
            withheld += 1
    if config.scrubPII:
        _scrub_nodes(list(shown.nodes.values()))
    return PrivateView(shown, shown_ids, folded, withheld, config.scrubPII)


# -- names without an LLM ---------------------------------------------------------------------

# A word written with a capital where a sentence does not start is a name (of a person, a place,
# a product): the Clio paper keeps proper nouns out of cluster names. Short all-capital words
# (AI, SQL, USB) are kinds of things far more often than names of someone.
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_SENTENCE_START = re.compile(r"(^|[.!?:;\n]\s*|[\"“(]\s*)$")
ACRONYM_LETTERS = 4


def proper_nouns(texts: Sequence[str]) -> frozenset[str]:
    """The words (lower-cased) that ``texts`` write capitalised mid-sentence more often than
    not: the names a cluster's name must not carry."""
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group()
            lowered = _bare(word.lower())
            if lowered == "i" or lowered.startswith("i'"):
                continue
            mid_sentence = not _SENTENCE_START.search(text[: match.start()])
            if not mid_sentence:
                continue
            seen[lowered] += 1
            if word[0].isupper() and not (word.isupper() and len(word) <= ACRONYM_LETTERS):
                capital[lowered] += 1
    return frozenset(word for word, count in capital.items() if 2 * count > seen[word])


def shareable_phrases(
    candidates: Sequence[tuple[str, float]], texts: Sequence[str], names: frozenset[str]
) -> list[tuple[str, float]]:
    """The phrases fit for a cluster's name: each found in at least two of ``texts`` (when
    there are two: a phrase of one conversation could point at it) and holding none of
    ``names`` (``proper_nouns``)."""
    lowered = [" ".join(_bare(w) for w in _WORD.findall(text.lower())) for text in texts]
    needed = 2 if len(texts) >= 2 else 1
    kept = []
    for phrase, score in candidates:
        words = [_bare(word) for word in _WORD.findall(phrase.lower())]
        if not words or any(word in names for word in words):
            continue
        pattern = re.compile(r"(?<![a-z'\-])" + re.escape(" ".join(words)) + r"(?![a-z'\-])")
        if sum(1 for text in lowered if pattern.search(text)) >= needed:
            kept.append((phrase, score))
    return kept


def _bare(word: str) -> str:
    """A word without its possessive: "reynolds's" and "reynolds" are one name."""
    return word[:-2] if word.endswith("'s") else word
