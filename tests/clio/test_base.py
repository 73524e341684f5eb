"""Base clusters: seeded spherical k-means, contrast samples, draws and the medoid answer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from gristmill.clio import (
    KeyphraseNamer,
    LLMNamer,
    Named,
    NamingTask,
    OpenClioConfig,
    base_clusters,
    cluster_centroids,
)
from gristmill.clio._base import nearest_outside, spherical_kmeans
from gristmill.clio._naming import pick_medoid
from gristmill.embed import FakeEmbedding
from gristmill.llm import get_llm
from tests.clio.conftest import TOPICS, constant_llm


class RecordingNamer:
    """Answers each draw with a fixed list of candidates and keeps the tasks it was given."""

    mode = "llm"
    calls = 0

    def __init__(self, answers: Sequence[Named] | None = None) -> None:
        self.answers = list(answers) if answers is not None else None
        self.tasks: list[NamingTask] = []

    def name_groups(self, tasks: Sequence[NamingTask], *, level: int) -> list[list[Named]]:
        self.tasks = list(tasks)
        if self.answers is not None:
            return [list(self.answers) for _ in tasks]
        return [[Named(f"about {task.texts[0]}", "")] for task in tasks]

    def propose_names(
        self, neighbourhoods: Sequence[Sequence[Named]], desired: Sequence[int]
    ) -> list[list[str]]:
        raise AssertionError("not asked at level 0")

    def merge_names(self, groups: Sequence[Sequence[str]]) -> list[str]:
        raise AssertionError("not asked at level 0")

    def categorize(
        self, children: Sequence[Named], options: Sequence[Sequence[str]], samples: int
    ) -> list[list[str]]:
        raise AssertionError("not asked at level 0")


def test_seeded_kmeans_gives_identical_labels_twice(topic_data: Any) -> None:
    values, _, vectors = topic_data
    config = OpenClioConfig(seed=5)
    first, nodes_a = base_clusters(values, vectors, config, KeyphraseNamer())
    second, nodes_b = base_clusters(values, vectors, config, KeyphraseNamer())
    assert first.tolist() == second.tolist()
    assert [n.name for n in nodes_a] == [n.name for n in nodes_b]
    assert len(nodes_a) == len(values) // 10  # nBaseClustersFunc's default n // 10


def test_nodes_count_every_value_once(topic_data: Any) -> None:
    values, _, vectors = topic_data
    labels, nodes = base_clusters(values, vectors, None, KeyphraseNamer(), facet="Task")
    assert len(labels) == len(values)
    assert sum(node.size for node in nodes) == len(values)
    assert [node.size for node in nodes] == np.bincount(labels).tolist()
    assert all(node.level == 0 and node.facet == "Task" for node in nodes)
    assert len({node.name.lower() for node in nodes}) == len(nodes)


def test_contrast_samples_are_the_nearest_points_of_other_clusters() -> None:
    # Three clusters on a circle: A at 0 degrees, B at 40, C at 180. A's nearest outside
    # points are B's, and its contrast must be those, nearest first.
    angles = {"a": [0, 4, 8], "b": [32, 40, 48], "c": [176, 180, 184]}
    points, labels, texts = [], [], []
    for index, (name, degrees) in enumerate(angles.items()):
        for degree in degrees:
            radians = np.radians(degree)
            points.append([np.cos(radians), np.sin(radians)])
            labels.append(index)
            texts.append(f"{name}{degree}")
    vectors = np.asarray(points, dtype=np.float32)
    label_array = np.asarray(labels)
    centroids = cluster_centroids(vectors, label_array)
    contrast = nearest_outside(vectors, label_array, centroids, 2)
    assert [texts[i] for i in contrast[0]] == ["b32", "b40"]
    assert [texts[i] for i in contrast[2]] == ["b48", "b40"]
    assert all(labels[i] != cluster for cluster, ids in enumerate(contrast) for i in ids)


def test_tasks_hold_draws_from_the_cluster_and_contrast_from_its_neighbours(
    topic_data: Any,
) -> None:
    values, _, vectors = topic_data
    config = OpenClioConfig(
        maxPointsToSampleInsideCluster=3,
        maxPointsToSampleOutsideCluster=4,
        nNameDescriptionSamplesPerCluster=6,
    )
    namer = RecordingNamer()
    labels, _nodes = base_clusters(values, vectors, config, namer)
    centroids = cluster_centroids(vectors, labels)
    for cluster, task in enumerate(namer.tasks):
        members = {values[i] for i in np.flatnonzero(labels == cluster)}
        assert len(task.draws) == 6
        assert all(len(draw) <= 3 and set(draw) <= members for draw in task.draws)
        assert set(task.texts) <= members
        assert len(task.contrast) == 4
        # Brute force: the 4 values of other clusters most similar to this centroid.
        similarity = vectors @ centroids[cluster]
        outside = [i for i in np.argsort(-similarity, kind="stable") if labels[i] != cluster]
        best = float(similarity[outside[3]])
        assert all(v not in members for v in task.contrast)
        shown = [i for i in outside if values[i] in task.contrast]
        assert all(similarity[i] >= best - 1e-6 for i in shown)


def test_the_medoid_answer_is_kept() -> None:
    answers = [
        Named("Bread baking at home", ""),
        Named("Tax law", ""),
        Named("Bread baking", ""),
        Named("Bread baking tips", ""),
    ]
    assert pick_medoid(answers) == answers[2]
    assert pick_medoid(answers, FakeEmbedding()) == answers[2]
    assert pick_medoid([]) is None


def test_empty_and_duplicate_answers_still_give_distinct_names(topic_data: Any) -> None:
    values, _, vectors = topic_data
    _, nodes = base_clusters(values, vectors, None, RecordingNamer([Named("Same", "")]))
    assert len({node.name.lower() for node in nodes}) == len(nodes)
    _, nodes = base_clusters(values, vectors, None, RecordingNamer([]))
    assert all(node.name for node in nodes)  # the most central value stands in
    assert len({node.name.lower() for node in nodes}) == len(nodes)


def test_llm_free_names_come_from_the_cluster_topic(topic_data: Any) -> None:
    values, topics, vectors = topic_data
    labels, nodes = base_clusters(values, vectors, None, KeyphraseNamer(FakeEmbedding()))
    named_after_topic = 0
    for cluster, node in enumerate(nodes):
        topic = Counter(t for t, label in zip(topics, labels, strict=True) if label == cluster)
        words = set(TOPICS[topic.most_common(1)[0][0]])
        named_after_topic += bool(words & set(node.name.lower().split()))
    assert named_after_topic == len(nodes)


def test_llm_calls_grow_with_clusters_not_values(topic_data: Any) -> None:
    values, _, vectors = topic_data
    namer = LLMNamer(get_llm("fake"))
    _, nodes = base_clusters(values, vectors, OpenClioConfig(), namer)
    assert namer.calls == len(nodes) * OpenClioConfig().nNameDescriptionSamplesPerCluster
    assert all(node.name for node in nodes)


def test_an_llm_that_answers_nothing_usable_still_names_every_cluster(topic_data: Any) -> None:
    values, _, vectors = topic_data
    namer = LLMNamer(constant_llm("I cannot help with that."))
    config = OpenClioConfig(nNameDescriptionSamplesPerCluster=1)
    _, nodes = base_clusters(values, vectors, config, namer)
    assert all(node.name for node in nodes)
    assert len({node.name.lower() for node in nodes}) == len(nodes)


def test_kmeans_drops_empty_clusters_and_caps_k() -> None:
    vectors = np.asarray([[1, 0], [1, 0], [0, 1]], dtype=np.float32)
    labels, centroids = spherical_kmeans(vectors, 10, seed=1)
    assert len(centroids) == len(set(labels.tolist())) <= 3
    assert base_clusters([], np.zeros((0, 2), np.float32), None, KeyphraseNamer())[1] == []


def test_mismatched_vectors_are_refused() -> None:
    from gristmill.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        base_clusters(["a", "b"], np.zeros((1, 2), np.float32), None, KeyphraseNamer())


def test_llm_draws_are_sampled_with_different_seeds_and_contrast_in_the_prompt() -> None:
    llm = constant_llm('{"summary": "Asked about bread.", "name": "Bread baking"}')
    namer = LLMNamer(llm, criteria="the user's request", seed=3, temperature=0.7)
    task = NamingTask(
        draws=[["bake bread"], ["sourdough bread"]],
        contrast=["fix my bike"],
        texts=["bake bread", "sourdough bread"],
        size=2,
    )
    answers = namer.name_groups([task], level=0)
    assert answers == [[Named("Bread baking", "Asked about bread")] * 2]
    calls = llm.provider.calls
    assert [call.seed for call in calls] == [3, 4]
    assert all(call.temperature == 0.7 for call in calls)
    prompt = calls[0].messages[-1]["content"]
    assert "fix my bike" in prompt and "bake bread" in prompt and "the user's request" in prompt
