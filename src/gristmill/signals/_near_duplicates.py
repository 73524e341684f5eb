"""Near duplicates: MinHash LSH on word n-grams, verified, then connected components."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import pydantic

from gristmill.signals._components import connected_components, dense_groups
from gristmill.signals._minhash import (
    band_candidates,
    estimated_jaccard,
    lsh_parameters,
    shingle_hashes,
    signatures,
    string_hashes,
)
from gristmill.signals._normalize import normalized_words
from gristmill.signals._signal import Signal, SignalScope, present_positions, register_signal

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa


@register_signal
class NearDuplicateSignal(Signal):
    """Clusters of texts whose word n-gram sets have Jaccard similarity >= ``threshold``.

    Output ``{cluster_id, cluster_size}`` for every present row (a text with no near duplicate
    is a cluster of 1; ids number clusters by their first row). Texts are normalised (case,
    punctuation, NFKC) and cut into word ``ngram_size``-grams; LSH bands and rows are chosen
    from ``threshold`` and ``num_perm``; every LSH candidate pair is kept only if its MinHash
    Jaccard estimate reaches ``threshold``; clusters are the connected components of the kept
    pairs (so A~B and B~C puts A and C together).
    """

    name: ClassVar[str] = "near_duplicates"
    scope: ClassVar[SignalScope] = "dataset"

    threshold: float = pydantic.Field(default=0.8, gt=0.0, le=1.0)
    ngram_size: int = pydantic.Field(default=2, ge=1, le=8)
    num_perm: int = pydantic.Field(default=128, ge=8, le=1024)
    seed: int = 0

    def output_type(self) -> pa.DataType:
        import pyarrow as pa

        return pa.struct([("cluster_id", pa.int64()), ("cluster_size", pa.int64())])

    def lsh_bands(self) -> tuple[int, int]:
        """``(bands, rows)`` used for this threshold and number of permutations."""
        return lsh_parameters(self.threshold, self.num_perm)

    def compute(self, texts: Sequence[str | None]) -> list[Any]:
        outputs: list[Any] = [None] * len(texts)
        positions = present_positions(texts)
        if not positions:
            return outputs
        labels = self.cluster_labels([texts[i] for i in positions])  # type: ignore[misc]
        cluster_id, size, _ = dense_groups(labels)
        for position, cluster, count in zip(
            positions, cluster_id.tolist(), size.tolist(), strict=True
        ):
            outputs[position] = {"cluster_id": cluster, "cluster_size": count}
        return outputs

    def cluster_labels(self, texts: list[str]) -> np.ndarray[Any, Any]:
        """Per text, the smallest index of its near-duplicate cluster."""
        import numpy as np
        import pyarrow.compute as pc

        words = normalized_words(texts)
        word_offsets = np.asarray(words.offsets, dtype=np.int64)
        flat = pc.list_flatten(words)
        encoded = pc.dictionary_encode(flat)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        word_hashes = string_hashes(encoded.dictionary)[indices]
        shingles, shingle_offsets = shingle_hashes(
            word_hashes, word_offsets - word_offsets[0], self.ngram_size
        )
        # Punctuation-only texts normalise to one empty word and group together (as in
        # exact_duplicates); a text without any word would have no shingle: a cluster of its own.
        has_shingles = np.diff(shingle_offsets) > 0
        hashed = np.flatnonzero(has_shingles)
        labels = np.arange(len(texts), dtype=np.int64)
        if len(hashed) < 2:
            return labels
        signature = signatures(
            shingles, shingle_offsets[np.append(hashed, len(texts))], self.num_perm, self.seed
        )
        bands, rows = self.lsh_bands()
        by_text = np.ascontiguousarray(signature.T)
        components = np.arange(len(hashed), dtype=np.int64)
        for band in range(bands):
            first, second = band_candidates(signature, band, rows)
            # Pairs already joined through earlier bands need no check: on data full of
            # duplicates this skips most candidates after the first band.
            open_pair = components[first] != components[second]
            first, second = first[open_pair], second[open_pair]
            similar = estimated_jaccard(by_text, first, second) >= self.threshold
            components = connected_components(
                len(hashed), first[similar], second[similar], labels=components
            )
        labels[hashed] = hashed[components]
        return labels
