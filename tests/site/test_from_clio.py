"""site_data_from_clio: a site shows only what the privacy settings allow."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.clio import (
    OTHER_NAME,
    WITHHELD_NAME,
    ClioNode,
    ClioResult,
    ClioTree,
    Facet,
    FacetClusters,
    FacetResult,
    OpenClioConfig,
)
from gristmill.site import site_data_from_clio, start_site_server, write_site
from tests.ui.conftest import TIMEOUT_MS, VIEWPORT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EMAIL = "jane.roe@example.org"
PHONE = "+1 415 555 0132"
# Base clusters and their sizes, under two roots: 40 conversations in all.
CLUSTERS = {"cook": {"soup": 8, "bread": 7, "jam": 2}, "code": {"python": 12, "rust": 9, "go": 2}}


def clio_result() -> ClioResult:
    """A run's result over 40 chats; conversation 0 and its cluster carry an email and a phone."""
    nodes: dict[str, ClioNode] = {}
    base_ids: list[str | None] = []
    for root, children in CLUSTERS.items():
        nodes[root] = ClioNode(root, f"Help with {root}", f"Requests about {root}.", 1)
        for child, count in children.items():
            nodes[child] = ClioNode(child, f"Ask about {child}", f"About {child}.", 0, root)
            nodes[root].children.append(child)
            nodes[child].size = count
            base_ids += [child] * count
        nodes[root].size = sum(children.values())
    nodes["soup"].name = f"Ask {EMAIL} about soup"
    nodes["rust"].summary = f"People who want a call at {PHONE}."
    tree = ClioTree(nodes, facet="Request")
    tree.check()
    n = len(base_ids)
    conversations = [
        [
            {"role": "user", "content": f"Question {i} about {base_ids[i]}, please."},
            {"role": "assistant", "content": f"Answer {i}."},
        ]
        for i in range(n)
    ]
    conversations[0][0]["content"] = f"My email is {EMAIL}, my phone {PHONE}: soup ideas?"
    facets = [Facet("Request", summaryCriteria="a request"), Facet("Concerning", numeric=(1, 5))]
    requests: list[str | int | None] = [f"The user asks about {b}." for b in base_ids]
    requests[0] = f"The user, {EMAIL}, asks for soup ideas."
    values = FacetResult(
        facets=facets,
        values={"Request": requests, "Concerning": [1 + i % 5 for i in range(n)]},
        mode="llm",
        distinct=n,
    )
    rng = random.Random(0)
    clusters = FacetClusters(
        "Request",
        tree,
        base_ids,
        [rng.random() for _ in range(n)],
        [rng.random() for _ in range(n)],
    )
    return ClioResult(facets, values, list(conversations), {"Request": clusters}, mode="llm")


def read_site(site: Path) -> dict[str, list[Any]]:
    """The tables of a plain site, as a browser reads them."""
    manifest = json.loads((site / "site.json").read_text(encoding="utf-8"))
    root = json.loads(gzip.decompress((site / manifest["root"]).read_bytes()))
    return {
        table: [
            row
            for part in parts
            for row in json.loads(gzip.decompress((site / part["file"]).read_bytes()))
        ]
        for table, parts in root["tables"].items()
    }


def site_text(site: Path) -> str:
    """Every file of a site as text, data files unzipped."""
    texts = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            texts.append((gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8"))
    return "\n".join(texts)


def test_a_tiny_threshold_shows_every_cluster(tmp_path: Path) -> None:
    result = clio_result()
    config = OpenClioConfig(minClusterConversations=1)
    data = site_data_from_clio(result, "Insights", config)
    tree = data.trees["Request"]
    assert set(tree.nodes) == set(result.hierarchy.nodes)
    assert data.points["Request"].node == result.clusters["Request"].base_ids
    write_site(data, tmp_path / "site")
    shown = {row["id"] for row in read_site(tmp_path / "site")["nodes0"]}
    assert shown == set(result.hierarchy.nodes)


def test_a_large_threshold_shows_only_other(tmp_path: Path) -> None:
    # Each root holds at most 23 conversations; all 40 together make one "Other".
    data = site_data_from_clio(clio_result(), config=OpenClioConfig(minClusterConversations=30))
    write_site(data, tmp_path / "site")
    tables = read_site(tmp_path / "site")
    assert [(row["id"], row["name"], row["size"]) for row in tables["nodes0"]] == [
        ("other", OTHER_NAME, 40)
    ]
    assert {row[2] for row in tables["points0"]} == {"other"}


def test_the_default_threshold_folds_small_clusters_and_counts_stay() -> None:
    result = clio_result()
    data = site_data_from_clio(result)  # 5 conversations at least, by default
    nodes = data.trees["Request"].nodes
    assert "jam" not in nodes and "go" not in nodes
    # jam (2) and go (2) are each alone among their siblings: counted in their parents.
    assert nodes["cook"].size == 17 and nodes["code"].size == 23
    assert nodes["cook"].children == ["soup", "bread"]
    node_of = data.points["Request"].node
    assert node_of[15:17] == ["cook", "cook"]
    assert result.hierarchy.node("jam").size == 2  # the stored result keeps the truth


def test_repeated_conversations_count_once() -> None:
    result = clio_result()
    # The five first conversations of "bread" (rows 8-12) become one conversation repeated.
    for row in range(9, 13):
        result.conversations[row] = result.conversations[8]
    config = OpenClioConfig(minClusterConversations=5)
    assert "bread" not in site_data_from_clio(result, config=config).trees["Request"].nodes
    keys = list(range(len(result.conversations)))  # a caller's own keys win
    assert "bread" in site_data_from_clio(result, config=config, keys=keys).trees["Request"].nodes


def test_withheld_names_do_not_reach_the_site() -> None:
    result = clio_result()
    result.hierarchy.nodes["python"].privacy = 1
    result.hierarchy.nodes["rust"].privacy = 4
    data = site_data_from_clio(result, config=OpenClioConfig(minClusterConversations=1))
    nodes = data.trees["Request"].nodes
    assert (nodes["python"].name, nodes["python"].summary, nodes["python"].size) == (
        WITHHELD_NAME,
        "",
        12,
    )
    assert nodes["rust"].name == "Ask about rust"


def test_no_email_or_phone_in_any_file_of_a_site_when_scrubbing(tmp_path: Path) -> None:
    result = clio_result()
    config = OpenClioConfig(minClusterConversations=1)
    write_site(site_data_from_clio(result, config=config), tmp_path / "scrubbed")
    text = site_text(tmp_path / "scrubbed")
    assert EMAIL not in text and PHONE not in text
    assert "My email is [EMAIL], my phone [PHONE]: soup ideas?" in text
    assert "Ask [EMAIL] about soup" in text and "The user, [EMAIL], asks" in text
    # Without scrubbing the same site holds them: the check above can fail.
    raw = config.replace(scrubPII=False)
    write_site(site_data_from_clio(result, config=raw), tmp_path / "raw")
    assert EMAIL in site_text(tmp_path / "raw")
    assert result.conversations[0] is not None
    assert EMAIL in result.conversations[0][0]["content"]  # the run itself is unchanged


def test_the_viewer_shows_a_folded_tree_with_its_true_counts(
    browser: Browser, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    # k = 8: under "cook", bread (7) and jam (2) make an Other of 9; under "code", go (2) alone
    # is too few for an Other and counts in "code" itself.
    config = OpenClioConfig(minClusterConversations=8)
    write_site(site_data_from_clio(clio_result(), config=config), tmp_path / "site")
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        with start_site_server(tmp_path / "site", port=0) as server:
            page.goto(server.url)
            expect(page.locator("#map")).to_have_attribute("data-points", "40")
            page.locator("button.node", has_text="Help with cook").click()
            expect(page.locator("#map")).to_have_attribute("data-highlighted", "17")
            expect(page.locator("button.node", has_text="Ask about bread")).to_have_count(0)
            page.locator("button.node", has_text=OTHER_NAME).click()
            expect(page.locator("#detail h2")).to_have_text(OTHER_NAME)
            expect(page.locator("#map")).to_have_attribute("data-highlighted", "9")
            expect(page.get_by_test_id("conversation-list").locator("li")).to_have_count(9)
            page.locator("button.node", has_text="Help with code").click()
            expect(page.locator("#map")).to_have_attribute("data-highlighted", "23")
            expect(page.locator("button.node", has_text="Ask about go")).to_have_count(0)
    finally:
        context.close()
    assert not errors, errors


def test_write_clio_site_honours_the_configs_site_fields(tmp_path: Path) -> None:
    from gristmill.site import write_clio_site

    seen: list[Any] = []

    def only_code(conversation: Any, values: dict[str, Any]) -> bool:
        seen.append(values)
        return "python" in conversation[0]["content"] or "rust" in conversation[0]["content"]

    def shouting(conversation: Any) -> list[dict[str, Any]]:
        return [{**turn, "content": str(turn["content"]).upper()} for turn in conversation]

    config = OpenClioConfig(
        verbose=False,
        minClusterConversations=1,
        htmlConversationFilterFunc=only_code,
        htmlDataToJsonFunc=shouting,
    )
    info = write_clio_site(clio_result(), tmp_path / "plain", config, title="Chats")
    assert info.conversations == 12 + 9 and not info.encrypted and seen
    shown = read_site(tmp_path / "plain")["conversations"]
    assert all(turn["content"].isupper() for chat in shown for turn in chat)

    locked = write_clio_site(clio_result(), tmp_path / "locked", config.replace(password="pw"))
    assert locked.encrypted  # what an encrypted site holds is checked in test_write.py
