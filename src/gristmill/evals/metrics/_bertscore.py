"""BERTScore (Zhang et al., 2020) on the local MiniLM token states, named for that model.

Each token of the prediction is matched greedily to its most similar reference token by cosine
similarity, and vice versa: precision is the mean best similarity over prediction tokens, recall
over reference tokens, F1 their harmonic mean. [CLS] and [SEP] are left out, as in the paper.
Optional IDF weights come from the references being scored: ``log((M + 1) / (df + 1))`` over the
M reference texts. Several references: precision, recall and F1 each take their maximum over the
references (the ``bert_score`` package's rule).

The values are not rescaled with a baseline (that needs a reference corpus run through the same
model), so MiniLM's scores sit high (unrelated sentences are often above 0.3): compare models with
each other rather than with published BERTScore figures, which come from larger models.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from gristmill.embed import minilm_token_states
from gristmill.errors import ProviderError, missing_dependency
from gristmill.evals.metrics._metric import BaseMetric

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatMatrix = npt.NDArray[np.float32]
    FloatVector = npt.NDArray[np.float64]

TokenStates = Callable[[Sequence[str]], list[Any]]
"""``texts -> one [n_tokens, dim] array per text``, without special tokens."""
TokenIds = Callable[[Sequence[str]], list[list[int]]]
"""``texts -> the token ids matching each text's states, one per row`` (for IDF weights)."""

# The MiniLM tokenizer and truncation used by gristmill.embed.minilm_token_states.
_MINILM_MAX_TOKENS = 256


def _minilm_token_states(texts: Sequence[str]) -> list[Any]:
    return list(minilm_token_states(texts))


def _minilm_token_ids(texts: Sequence[str]) -> list[list[int]]:
    """Word-piece ids of each text as the MiniLM states see them (no [CLS]/[SEP])."""
    try:
        import tokenizers
    except ImportError as exc:
        raise missing_dependency("tokenizers", "embed", "BERTScore IDF weights") from exc
    from importlib import resources

    tokenizer_json = (
        resources.files("gristmill")
        .joinpath("resources", "minilm-tokenizer", "tokenizer.json")
        .read_text(encoding="utf-8")
    )
    tokenizer = tokenizers.Tokenizer.from_str(tokenizer_json)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=_MINILM_MAX_TOKENS)
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=True)
    return [
        [i for i, special in zip(e.ids, e.special_tokens_mask, strict=True) if not special]
        for e in encodings
    ]


def idf_weights(reference_ids: Sequence[Sequence[int]]) -> tuple[dict[int, float], float]:
    """IDF per token id over the reference texts, and the weight of a token none of them has."""
    documents = len(reference_ids)
    frequency: Counter[int] = Counter()
    for ids in reference_ids:
        frequency.update(set(ids))
    weights = {token: math.log((documents + 1) / (df + 1)) for token, df in frequency.items()}
    return weights, math.log(documents + 1)


def _unit_rows(states: Any) -> FloatMatrix:
    import numpy as np

    matrix = np.asarray(states, dtype=np.float32)
    if matrix.ndim != 2:
        raise ProviderError(
            f"token states must be [tokens, dim] arrays, got shape {matrix.shape}",
            hint="return one 2-d array per text from the token_states function",
        )
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: FloatMatrix = matrix / np.maximum(norms, np.float32(1e-12))
    return normalised


def _weighted_mean(values: Any, weights: FloatVector | None) -> float:
    if weights is None:
        return float(values.mean())
    total = float(weights.sum())
    # Every token weighted 0 (each appears in all references) carries no information.
    return float((values * weights).sum() / total) if total > 0 else 0.0


def greedy_match(
    candidate: FloatMatrix,
    reference: FloatMatrix,
    candidate_weights: FloatVector | None = None,
    reference_weights: FloatVector | None = None,
) -> tuple[float, float, float]:
    """BERTScore precision, recall and F1 of two unit-normalised token matrices."""
    if candidate.shape[0] == 0 or reference.shape[0] == 0:
        return 0.0, 0.0, 0.0
    similarity = candidate @ reference.T
    precision = _weighted_mean(similarity.max(axis=1), candidate_weights)
    recall = _weighted_mean(similarity.max(axis=0), reference_weights)
    total = precision + recall
    f1 = 2 * precision * recall / total if total > 0 else 0.0
    return precision, recall, f1


class BertScoreMetric(BaseMetric):
    """BERTScore precision/recall/F1 from a model's token states (default: local MiniLM)."""

    higher_is_better = True

    def __init__(
        self,
        *,
        idf: bool = False,
        model_name: str = "minilm",
        token_states: TokenStates | None = None,
        token_ids: TokenIds | None = None,
        name: str | None = None,
    ) -> None:
        prefix = f"bertscore_{model_name}" + ("_idf" if idf else "")
        self.name = name or prefix
        self.sub_metrics = (f"{prefix}_precision", f"{prefix}_recall", f"{prefix}_f1")
        self.idf = idf
        self.model_name = model_name
        self.token_states: TokenStates = token_states or _minilm_token_states
        self.token_ids: TokenIds = token_ids or _minilm_token_ids
        weighting = "IDF-weighted" if idf else "unweighted"
        self.description = (
            f"BERTScore on {model_name} token states ({weighting} greedy cosine matching, "
            "max over references, no baseline rescaling)"
        )

    def score_rows(
        self, predictions: list[str], references: list[list[str]], inputs: list[str | None] | None
    ) -> dict[str, list[float]]:
        import numpy as np

        texts = list(dict.fromkeys([*predictions, *(r for row in references for r in row)]))
        states = self.token_states(texts)
        if len(states) != len(texts):
            raise ProviderError(
                f"the token states of '{self.model_name}' came back for {len(states)} of "
                f"{len(texts)} texts",
                hint="return one array per input text",
            )
        unit = {text: _unit_rows(state) for text, state in zip(texts, states, strict=True)}
        weights: dict[str, FloatVector] | None = None
        if self.idf:
            ids = dict(zip(texts, self.token_ids(texts), strict=True))
            table, unseen = idf_weights([ids[r] for row in references for r in row])
            weights = {}
            for text in texts:
                if len(ids[text]) != unit[text].shape[0]:
                    raise ProviderError(
                        f"'{self.model_name}' gave {unit[text].shape[0]} token states but "
                        f"{len(ids[text])} token ids for one text",
                        hint="token_ids must tokenise exactly as token_states does",
                    )
                weights[text] = np.array([table.get(t, unseen) for t in ids[text]])
        precision_name, recall_name, f1_name = self.sub_metrics
        result: dict[str, list[float]] = {precision_name: [], recall_name: [], f1_name: []}
        for prediction, row_references in zip(predictions, references, strict=True):
            matches = [
                greedy_match(
                    unit[prediction],
                    unit[reference],
                    None if weights is None else weights[prediction],
                    None if weights is None else weights[reference],
                )
                for reference in row_references
            ]
            result[precision_name].append(max(m[0] for m in matches))
            result[recall_name].append(max(m[1] for m in matches))
            result[f1_name].append(max(m[2] for m in matches))
        return result
