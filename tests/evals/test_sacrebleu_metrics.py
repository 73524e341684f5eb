from __future__ import annotations

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

from gristmill.evals import BleuMetric, ChrfMetric, compute_corpus_scores, get_metric
from gristmill.evals.metrics._sacrebleu import reference_streams


def test_identical_sentence_scores_100() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    assert BleuMetric().score([text], [[text]])["bleu"][0] == pytest.approx(100.0)
    assert ChrfMetric().score([text], [[text]])["chrf"][0] == pytest.approx(100.0)


def test_unrelated_sentence_scores_near_0() -> None:
    scores = BleuMetric().score(["zebra quantum"], [["the cat sat on the mat"]])
    assert scores["bleu"][0] == pytest.approx(0.0, abs=1e-9)


def test_multi_reference_helps() -> None:
    metric = BleuMetric()
    one = metric.score(["the cat is on the mat"], [["there is a cat on the mat"]])["bleu"][0]
    two = metric.score(
        ["the cat is on the mat"], [["there is a cat on the mat", "the cat is on the mat"]]
    )["bleu"][0]
    assert one is not None and two is not None
    assert two == pytest.approx(100.0)
    assert one < two


def test_empty_and_missing_predictions() -> None:
    scores = BleuMetric().score(["", None], [["a b c"], ["a b c"]])
    assert scores["bleu"] == [0.0, None]
    assert ChrfMetric().score(["", None], [["a b c"], ["a b c"]])["chrf"] == [0.0, None]


def test_reference_streams_pad_short_rows() -> None:
    assert reference_streams([["a", "b"], ["c"]]) == [["a", "c"], ["b", None]]
    assert reference_streams([]) == []


def test_corpus_score_skips_unscorable_rows() -> None:
    metric = BleuMetric()
    hyps = ["the cat is on the mat", "a dog barks loudly at night"]
    refs = [["the cat is on the mat"], ["the dog barks loudly at night", "dogs bark"]]
    streams = [["the cat is on the mat", "the dog barks loudly at night"], [None, "dogs bark"]]
    expected = sacrebleu.corpus_bleu(hyps, streams).score
    got = metric.corpus_score([*hyps, None, "orphan"], [*refs, ["x"], []])
    assert got["bleu"] == pytest.approx(expected, abs=1e-6)
    assert metric.corpus_score([None], [["x"]]) == {"bleu": None}


def test_bleu_and_chrf_equal_sacrebleu_directly_on_real_summaries(
    summary_pairs: tuple[list[str], list[list[str]]],
) -> None:
    predictions, references = summary_pairs
    ours_bleu = get_metric("bleu").score(predictions, references)["bleu"]
    ours_chrf = get_metric("chrf").score(predictions, references)["chrf"]
    bleu = BLEU(effective_order=True)
    chrf = CHRF()
    for i, (prediction, row_references) in enumerate(zip(predictions, references, strict=True)):
        assert ours_bleu[i] == pytest.approx(
            bleu.sentence_score(prediction, row_references).score, abs=1e-6
        )
        assert ours_chrf[i] == pytest.approx(
            chrf.sentence_score(prediction, row_references).score, abs=1e-6
        )
    streams = [[r[0] for r in references], [r[1] for r in references]]
    corpus_bleu = get_metric("bleu").corpus_score(predictions, references)  # type: ignore[attr-defined]
    assert corpus_bleu["bleu"] == pytest.approx(
        sacrebleu.corpus_bleu(predictions, streams).score, abs=1e-6
    )
    corpus_chrf = get_metric("chrf").corpus_score(predictions, references)  # type: ignore[attr-defined]
    assert corpus_chrf["chrf"] == pytest.approx(
        sacrebleu.corpus_chrf(predictions, streams).score, abs=1e-6
    )


def test_chrf_plus_plus_differs_from_chrf() -> None:
    pair = (["the cats sat on mats"], [["the cat sat on the mat"]])
    plain = ChrfMetric().score(*pair)["chrf"][0]
    plus = ChrfMetric(word_order=2, name="chrf++").score(*pair)["chrf++"][0]
    assert plain is not None and plus is not None
    assert plain != pytest.approx(plus)


def test_compute_corpus_scores_covers_only_corpus_metrics() -> None:
    scores = compute_corpus_scores(["rouge", "bleu", "chrf"], ["a b c d"], [["a b c d"]])
    assert set(scores) == {"bleu", "chrf"}
    assert scores["bleu"] == pytest.approx(100.0)
