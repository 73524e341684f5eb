"""A small generator of site data for the tests: a three-level tree, a map, chats, numbers.

Every conversation's text and every node's name carries a marker (``MARKER``) no file format
or random bytes would contain by chance, so a test can look for any of them in a written site.
"""

from __future__ import annotations

import random

from gristmill.site import SiteData

MARKER = "Xq7"
TOPICS = ["cooking", "travel", "python", "finance"]


def node_name(topic: str, level: int, index: int) -> str:
    return f"{MARKER}{topic.title()}L{level}N{index}"


def conversation_text(i: int, role: str) -> str:
    return f"{MARKER}conv{i:05d}{role} asks about {TOPICS[i % len(TOPICS)]} in detail"


def synthetic_site(n: int = 200, *, seed: int = 0, title: str = "Synthetic insights") -> SiteData:
    """``n`` conversations under 4 top-level nodes, each with 2 children of 2 base nodes."""
    rng = random.Random(seed)
    nodes: dict[str, dict[str, object]] = {}
    roots: list[str] = []
    base_of_topic: dict[str, list[str]] = {}
    for t, topic in enumerate(TOPICS):
        top = f"t{t}"
        roots.append(top)
        nodes[top] = _node(top, node_name(topic, 2, 0), 2, None, topic)
        for m in range(2):
            middle = f"t{t}m{m}"
            nodes[middle] = _node(middle, node_name(topic, 1, m), 1, top, topic)
            nodes[top]["children"].append(middle)  # type: ignore[attr-defined]
            for b in range(2):
                base = f"t{t}m{m}b{b}"
                nodes[base] = _node(base, node_name(topic, 0, 2 * m + b), 0, middle, topic)
                nodes[middle]["children"].append(base)  # type: ignore[attr-defined]
                base_of_topic.setdefault(topic, []).append(base)
    conversations = []
    xs, ys, base_ids, requests, concerning = [], [], [], [], []
    for i in range(n):
        t = i % len(TOPICS)
        topic = TOPICS[t]
        base = base_of_topic[topic][rng.randrange(4)]
        for node_id in (base, nodes[base]["parent"], f"t{t}"):
            nodes[str(node_id)]["size"] += 1  # type: ignore[operator]
        conversations.append(
            [
                {"role": "user", "content": conversation_text(i, "user")},
                {"role": "assistant", "content": conversation_text(i, "assistant")},
            ]
        )
        xs.append(t * 10 + rng.gauss(0, 1))
        ys.append((t % 2) * 10 + rng.gauss(0, 1))
        base_ids.append(base)
        requests.append(f"{MARKER}request{i:05d} on {topic}")
        concerning.append(1 + (i % 5) if i % 7 else None)
    return SiteData.model_validate(
        {
            "title": title,
            "facets": [
                {"name": "Request", "numeric": None},
                {"name": "Concerning", "numeric": [1, 5]},
            ],
            "trees": {"Request": {"nodes": nodes, "roots": roots}},
            "points": {"Request": {"x": xs, "y": ys, "node": base_ids}},
            "conversations": conversations,
            "facet_values": {"Request": requests, "Concerning": concerning},
        }
    )


def _node(node_id: str, name: str, level: int, parent: str | None, topic: str) -> dict[str, object]:
    return {
        "id": node_id,
        "name": name,
        "summary": f"{MARKER}summary of {name} about {topic}",
        "level": level,
        "parent": parent,
        "children": [],
        "size": 0,
    }
