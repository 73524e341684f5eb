"""OpenClio's configuration and facets: every field of the seed, its default, aliases, checks."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from typing import Any

import pytest

import gristmill as gm
from gristmill.clio import (
    Facet,
    OpenClioConfig,
    genericSummaryFacets,
    mainFacets,
    shouldMakeFacetClusters,
)
from gristmill.errors import InvalidInputError

# Every field the issue lists, with the issue's default (OpenClio's code where its doc is silent).
DEFAULTS: dict[str, Any] = {
    "seed": 27,
    "verbose": True,
    "llmBatchSize": 1000,
    "embedBatchSize": 1000,
    "dedupData": True,
    "dedupKeyFunc": None,
    "maxConversationTokens": 8000,
    "maxPointsToSampleInsideCluster": 10,
    "maxPointsToSampleOutsideCluster": 10,
    "nNameDescriptionSamplesPerCluster": 5,
    "minTopLevelSize": 5,
    "nSamplesOutsideNeighborhood": 5,
    "nCategorizeSamples": 5,
    "maxChildrenForRenaming": 10,
    "nRenameSamples": 5,
    "tokenizerArgs": {"enable_thinking": False},
    "password": None,
    "htmlMaxSizePerFile": 10 * 2**20,
    "htmlConversationFilterFunc": None,
    "htmlDataToJsonFunc": None,
    "webuiPort": 8421,
}
# Gristmill's own privacy fields, beyond the seed's.
PRIVACY = {"minClusterConversations": 5, "scrubPII": True, "privacyAuditThreshold": 3}
FUNCTIONS = (
    "getConversationFunc",
    "nBaseClustersFunc",
    "nAverageClustersPerNeighborhood",
    "nDesiredHigherLevelNamesPerClusterFunc",
)


def test_every_field_the_issue_lists_exists_with_its_default() -> None:
    config = OpenClioConfig()
    fields = {f.name for f in dataclasses.fields(OpenClioConfig)}
    assert fields == set(DEFAULTS) | set(FUNCTIONS) | set(PRIVACY) | {"llmExtraInferenceArgs"}
    for name, default in {**DEFAULTS, **PRIVACY}.items():
        assert getattr(config, name) == default, name
    assert config.llmExtraInferenceArgs["max_tokens"] == 1000


def test_a_facet_has_openclios_fields() -> None:
    assert [f.name for f in dataclasses.fields(Facet)] == [
        "name",
        "question",
        "prefill",
        "summaryCriteria",
        "numeric",
        "getFacetPrompt",
    ]


def test_the_size_functions_follow_openclio() -> None:
    config = OpenClioConfig()
    assert config.getConversationFunc({"x": 1}) == {"x": 1}
    assert [config.nBaseClustersFunc(n) for n in (5, 95, 2000)] == [0, 9, 200]
    assert [config.nAverageClustersPerNeighborhood(n) for n in (3, 40, 200)] == [1, 4, 20]
    assert [config.nDesiredHigherLevelNamesPerClusterFunc(n) for n in (2, 9, 30)] == [1, 3, 10]


def test_snake_case_reads_and_replace() -> None:
    config = OpenClioConfig(llmBatchSize=50)
    assert config.llm_batch_size == 50
    assert config.max_conversation_tokens == 8000
    assert config.html_max_size_per_file == 10 * 2**20
    assert config.webui_port == 8421
    changed = config.replace(llm_batch_size=7, maxConversationTokens=100)
    assert (changed.llmBatchSize, changed.maxConversationTokens) == (7, 100)
    assert config.llmBatchSize == 50
    with pytest.raises(AttributeError):
        _ = config.no_such_field
    with pytest.raises(InvalidInputError, match="no field batch"):
        config.replace(batch=3)


@pytest.mark.parametrize(
    "changes",
    [
        {"llmBatchSize": 0},
        {"maxConversationTokens": -1},
        {"nRenameSamples": 1.5},
        {"seed": -1},
        {"nBaseClustersFunc": 10},
        {"webuiPort": 70000},
    ],
)
def test_bad_values_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        OpenClioConfig(**changes)


def test_main_facets_are_the_papers_four() -> None:
    assert [f.name for f in mainFacets] == ["Request", "Language", "Task", "Concerning"]
    by_name = {f.name: f for f in mainFacets}
    assert by_name["Concerning"].numeric == (1, 5)
    assert by_name["Request"].prefill.startswith("The user's overall request")
    assert by_name["Task"].prefill == "The task is to"
    assert [shouldMakeFacetClusters(f) for f in mainFacets] == [True, False, True, False]
    assert all(f.numeric is None for f in mainFacets if f.name != "Concerning")
    assert [f.name for f in genericSummaryFacets] == ["Summary"]
    assert shouldMakeFacetClusters(genericSummaryFacets[0])


def test_facet_fields_and_checks() -> None:
    facet = Facet(name="Mood", question="How does the user feel?", summaryCriteria="A mood")
    assert (facet.prefill, facet.numeric, facet.getFacetPrompt) == ("", None, None)
    assert facet.summary_criteria == "A mood"
    assert Facet(name="Score", numeric=[0, 10]).numeric == (0, 10)  # type: ignore[arg-type]
    for numeric in ((5, 1), (1, 2, 3), ("a", "b"), (1.5, 2)):
        with pytest.raises(InvalidInputError, match="numeric"):
            Facet(name="Bad", numeric=numeric)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="name"):
        Facet(name=" ")
    with pytest.raises(dataclasses.FrozenInstanceError):
        facet.name = "Other"  # type: ignore[misc]


def test_gm_clio_is_the_package() -> None:
    assert "clio" in gm.__all__
    assert gm.clio.OpenClioConfig is OpenClioConfig
    assert gm.clio.mainFacets is mainFacets


def test_gm_clio_loads_on_first_use_and_stays_light() -> None:
    code = (
        "import sys, gristmill as gm; before = 'gristmill.clio' in sys.modules;"
        "gm.clio.OpenClioConfig(); heavy = [m for m in ('numpy', 'pandas', 'duckdb', 'pyarrow')"
        " if m in sys.modules]; print(before, ','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False"]
