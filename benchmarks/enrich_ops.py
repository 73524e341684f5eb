"""The enrichment suite's ops: untimed set-up steps and the timed ops that enrich.py runs.

Each op runs in its own process against ``bench/enrich_100000`` in the project folder
``benchmarks/.work/enrich-project``; a ``prepare`` step, run in a process of its own first, puts
the state the op needs in place (embeddings computed, FTS index dropped or built, concept trained),
so any subset runs in any order.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import synthetic

HERE = Path(__file__).resolve().parent
if TYPE_CHECKING:
    from gristmill.dataset import Dataset

SIZE = 100_000
SLICE = 5_000  # rows embedded with MiniLM: all 100k would take tens of minutes on 2 cores
NAMESPACE, NAME = "bench", f"enrich_{SIZE}"
PROJECT = synthetic.WORK_DIR / "enrich-project"
ALPACA = HERE.parents[1] / "shared/data/alpaca_subset/alpaca_data_5k.jsonl"
CONCEPTS_DOC = HERE.parent / "docs/concepts.md"

TEXT = "instruction"  # embedded and searched; signals run on the longer 'response'
LIMIT = 100
MODEL_ONLY_ROWS = 1_000
WARM_REPEATS = 20
CATEGORY_FILTER = ("category", "equals", "coding")
SLICE_FILTER = ("__rowid__", "less", SLICE)
KEYWORD_QUERY = "explain the function value"
SEMANTIC_QUERY = "How do I write a function that sorts a list of numbers?"
CONCEPT = ("bench", "code_requests")  # 30 examples from alpaca instructions
CODE_WORDS = re.compile(r"\b(code|program|function|python|sql|algorithm|script)\b", re.I)

Info = dict[str, Any]


@dataclass(frozen=True)
class EnrichOp:
    name: str
    description: str
    run: Callable[[], Info]
    prepare: Callable[[], None] | None = None
    # Imported and loaded before the timer (model load time goes to the notes as load_s).
    preload: tuple[str, ...] = ()
    # Timed in a process that imported nothing but gristmill: what a script's first call costs.
    cold: bool = False


def dataset() -> Dataset:
    import gristmill as gm

    return gm.get_dataset(NAMESPACE, NAME)


# --- set-up (untimed) -----------------------------------------------------------------------


def setup() -> None:
    import gristmill as gm

    if any(d.namespace == NAMESPACE and d.name == NAME for d in gm.list_datasets()):
        return
    source = gm.JSONSource(filepaths=[str(synthetic.ensure_dataset(SIZE))])
    gm.create_dataset(
        gm.DatasetConfig(namespace=NAMESPACE, name=NAME, source=source), show_progress=False
    )


def _ensure_embeddings() -> None:
    dataset().compute_embedding("wordllama", TEXT, show_progress=False)
    dataset().compute_embedding("minilm", TEXT, filters=[SLICE_FILTER], show_progress=False)


def _drop_fts() -> None:
    shutil.rmtree(dataset().store.root / "fts", ignore_errors=True)


def _ensure_fts() -> None:
    # Queries never build the index (they scan without one): a load's background job or this.
    dataset().compute_keyword_index(TEXT, show_progress=False)


def _concept_examples() -> tuple[list[str], list[str]]:
    with ALPACA.open(encoding="utf-8") as handle:
        instructions = [json.loads(line)["instruction"] for line in handle if line.strip()]
    positives = [t for t in instructions if CODE_WORDS.search(t)][:15]
    negatives = [t for t in instructions if not CODE_WORDS.search(t)][:15]
    return positives, negatives


def _drop_concept() -> None:
    import gristmill as gm
    from gristmill.errors import NotFoundError

    with contextlib.suppress(NotFoundError):
        gm.delete_concept(*CONCEPT)


def _make_concept(embedding: str) -> Info:
    import gristmill as gm

    positives, negatives = _concept_examples()
    concept = gm.create_concept(*CONCEPT)
    concept.add_examples(positives, label=True)
    concept.add_examples(negatives, label=False)
    f1 = concept.model(embedding).metrics.f1
    return {
        "examples": len(positives) + len(negatives),
        "cv_f1": None if f1 is None else round(f1, 3),
    }


def _prepare_uncached() -> None:
    from gristmill.concepts import clear_example_embeddings

    _drop_concept()
    clear_example_embeddings()


def _prepare_cached() -> None:
    _drop_concept()
    _make_concept("minilm")  # fills the example-embedding cache
    _drop_concept()


def _ensure_concept(embedding: str) -> Callable[[], None]:
    def prepare() -> None:
        import gristmill as gm
        from gristmill.errors import NotFoundError

        _ensure_embeddings()
        try:
            gm.get_concept(*CONCEPT).model(embedding)
        except NotFoundError:
            _make_concept(embedding)

    return prepare


def _prepare_profanity() -> None:
    import gristmill as gm

    _ensure_embeddings()
    gm.get_concept("gristmill", "profanity").model("wordllama")  # trained once, then saved


# --- the timed operations ---------------------------------------------------------------------


def _embed(embedding: str, filters: list[Any] | None, rows: int) -> Callable[[], Info]:
    def op() -> Info:
        from gristmill.search import load_index

        started = time.perf_counter()
        dataset().compute_embedding(
            embedding, TEXT, filters=filters, overwrite=True, show_progress=False
        )
        seconds = time.perf_counter() - started
        spans = len(load_index(dataset(), TEXT, embedding)[0])
        return {
            "_seconds": seconds,  # the model-only figure below is measured after the timer
            "rows": rows,
            "sentences": spans,
            "sentences_per_s": round(spans / seconds),
            "rows_per_s": round(rows / seconds),
            "model_only_texts_per_s": _model_only_rate(embedding),
        }

    return op


def _model_only_rate(embedding: str) -> int:
    """``embed()`` alone on MODEL_ONLY_ROWS texts: what the job, spans and index add is the rest."""
    from gristmill.embed import get_embedding

    texts = [row[TEXT] for row in dataset().select_rows([TEXT], limit=MODEL_ONLY_ROWS)]
    started = time.perf_counter()
    get_embedding(embedding).embed(texts)
    return round(len(texts) / (time.perf_counter() - started))


def _limited(search: Any, filtered: bool) -> Info:
    filters = [CATEGORY_FILTER] if filtered else None
    found = (
        dataset()
        .select_rows(["__rowid__", "category"], searches=[search], filters=filters, limit=LIMIT)
        .to_list()
    )
    info: Info = {"rows": len(found)}
    if filtered:
        info["all_match_filter"] = all(row["category"] == CATEGORY_FILTER[2] for row in found)
    return info


def _keyword(filtered: bool) -> Info:
    import gristmill as gm

    return _limited(gm.KeywordSearch(path=TEXT, query=KEYWORD_QUERY), filtered)


def _keyword_all_rows() -> Info:
    """Lilac's "keyword search over all rows": every matching row, with its highlights."""
    import gristmill as gm

    search = gm.KeywordSearch(path=TEXT, query=KEYWORD_QUERY)
    rows = sum(1 for _ in dataset().select_rows(["*"], searches=[search]))
    return {"rows": rows}


def _semantic(embedding: str, filtered: bool) -> Info:
    import gristmill as gm

    search = gm.SemanticSearch(path=TEXT, query=SEMANTIC_QUERY, embedding=embedding)
    return _limited(search, filtered)


def _profanity() -> Info:
    import gristmill as gm

    search = gm.ConceptSearch(
        path=TEXT, concept_namespace="gristmill", concept_name="profanity", embedding="wordllama"
    )
    return _limited(search, filtered=False)


def _warm(query: Callable[[], Info]) -> Callable[[], Info]:
    """Median of WARM_REPEATS calls after one untimed call (``_seconds`` replaces the total)."""

    def op() -> Info:
        info = query()
        times = []
        for _ in range(WARM_REPEATS):
            started = time.perf_counter()
            query()
            times.append(time.perf_counter() - started)
        return {**info, "_seconds": statistics.median(times), "max_s": round(max(times), 4)}

    return op


def _train() -> Info:
    return _make_concept("minilm")


def _score(embedding: str, filters: list[Any] | None, rows: int) -> Callable[[], Info]:
    def op() -> Info:
        started = time.perf_counter()
        dataset().compute_concept(
            *CONCEPT,
            embedding=embedding,
            path=TEXT,
            filters=filters,
            overwrite=True,
            show_progress=False,
        )
        return {"rows": rows, "rows_per_s": round(rows / (time.perf_counter() - started))}

    return op


def _signal(make: Callable[[], Any], path: str = "response") -> Callable[[], Info]:
    def op() -> Info:
        result = dataset().compute_signal(make(), path, overwrite=True, show_progress=False)
        return {"rows": SIZE, "column": result.column}

    return op


def _near_duplicate_quality() -> Info:
    """bench_signals.py's measure: 2,000 real alpaca outputs plus a 4%-edited copy of every 4th."""
    import bench_signals
    from gristmill.signals import NearDuplicateSignal

    texts, truth = bench_signals.planted_near_duplicates(bench_signals.load_outputs(ALPACA))
    signal = NearDuplicateSignal(threshold=0.8)
    cluster_ids = [row["cluster_id"] if row else None for row in signal.compute(texts)]
    predicted = bench_signals.clustered_pairs(cluster_ids)
    hits = len(predicted & truth)
    return {
        "texts": len(texts),
        "planted": len(truth),
        "precision": round(hits / max(len(predicted), 1), 3),
        "recall": round(hits / len(truth), 3),
    }


def _signals_ops() -> list[EnrichOp]:
    import gristmill as gm

    def semantic() -> Any:
        return gm.SemanticDuplicateSignal(embedding="wordllama")

    made: list[tuple[str, Callable[[], Any], str]] = [
        ("text_statistics", gm.TextStatisticsSignal, "response"),
        ("lang_detection", gm.LangDetectionSignal, "response"),
        ("pii", gm.PIISignal, "response"),
        ("exact_duplicates", gm.ExactDuplicateSignal, "response"),
        ("near_duplicates", lambda: gm.NearDuplicateSignal(threshold=0.8), "response"),
        ("semantic_duplicates", semantic, TEXT),
    ]
    return [
        EnrichOp(
            f"signal_{name}",
            f"compute_signal({name}, '{path}') on 100k rows",
            _signal(make, path),
            _ensure_embeddings if path == TEXT else None,
        )
        for name, make, path in made
    ]


def ops() -> list[EnrichOp]:
    slice_filters: list[Any] = [SLICE_FILTER]
    found = [
        EnrichOp(
            "embed_wordllama",
            f"compute_embedding('wordllama', '{TEXT}'), 100k rows",
            _embed("wordllama", None, SIZE),
            preload=("wordllama",),
        ),
        EnrichOp(
            "embed_minilm_5k",
            f"compute_embedding('minilm', '{TEXT}'), rows 0-4999",
            _embed("minilm", slice_filters, SLICE),
            preload=("minilm",),
        ),
        EnrichOp(
            "keyword_cold_build",
            "KeywordSearch, fresh process, no index (a scan)",
            lambda: _keyword(False),
            _drop_fts,
            cold=True,
        ),
        EnrichOp(
            "keyword_all_rows",
            "KeywordSearch, every matching row iterated (index)",
            _keyword_all_rows,
            _ensure_fts,
        ),
        EnrichOp(
            "keyword_cold",
            "KeywordSearch, fresh process, FTS index on disk",
            lambda: _keyword(False),
            _ensure_fts,
            cold=True,
        ),
        EnrichOp(
            "keyword_cold_filter",
            "KeywordSearch + category filter, fresh process",
            lambda: _keyword(True),
            _ensure_fts,
            cold=True,
        ),
        EnrichOp(
            "keyword_warm",
            "KeywordSearch, warm (median of 20)",
            _warm(lambda: _keyword(False)),
            _ensure_fts,
        ),
        EnrichOp(
            "keyword_warm_filter",
            "KeywordSearch + category filter, warm (median)",
            _warm(lambda: _keyword(True)),
            _ensure_fts,
        ),
    ]
    for emb, label in (("wordllama", "wordllama 100k"), ("minilm", "minilm 5k")):
        key = emb if emb == "wordllama" else "minilm_5k"
        found += [
            EnrichOp(
                f"semantic_{key}_cold",
                f"SemanticSearch {label}, fresh process",
                lambda e=emb: _semantic(e, False),
                _ensure_embeddings,
                cold=True,
            ),
            EnrichOp(
                f"semantic_{key}_cold_filter",
                f"SemanticSearch {label} + filter, fresh",
                lambda e=emb: _semantic(e, True),
                _ensure_embeddings,
                cold=True,
            ),
            EnrichOp(
                f"semantic_{key}_warm",
                f"SemanticSearch {label}, warm (median of 20)",
                _warm(lambda e=emb: _semantic(e, False)),
                _ensure_embeddings,
            ),
            EnrichOp(
                f"semantic_{key}_warm_filter",
                f"SemanticSearch {label} + filter, warm",
                _warm(lambda e=emb: _semantic(e, True)),
                _ensure_embeddings,
            ),
        ]
    found += [
        EnrichOp(
            "concept_train_uncached",
            "create + 30 examples + model('minilm'), not cached",
            _train,
            _prepare_uncached,
            preload=("minilm",),
        ),
        EnrichOp(
            "concept_train_cached",
            "the same with the example embeddings cached",
            _train,
            _prepare_cached,
            preload=("minilm",),
        ),
        EnrichOp(
            "concept_score_minilm_5k",
            "compute_concept on minilm, rows 0-4999",
            _score("minilm", slice_filters, SLICE),
            _ensure_concept("minilm"),
        ),
        EnrichOp(
            "concept_score_wordllama",
            "compute_concept on wordllama, 100k rows",
            _score("wordllama", None, SIZE),
            _ensure_concept("wordllama"),
        ),
        EnrichOp(
            "concept_search_profanity_cold",
            "ConceptSearch gristmill/profanity (wordllama)",
            _profanity,
            _prepare_profanity,
            cold=True,
        ),
        EnrichOp(
            "concept_search_profanity_warm",
            "the same, warm (median of 20)",
            _warm(_profanity),
            _prepare_profanity,
        ),
        *_signals_ops(),
        EnrichOp(
            "near_duplicate_quality",
            "NearDuplicateSignal(0.8) on 2,000 alpaca + 500 copies",
            _near_duplicate_quality,
        ),
    ]
    return found
