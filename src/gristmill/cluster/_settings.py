"""The knobs of the clustering pipeline, with defaults tuned on labelled data (see benchmarks)."""

from __future__ import annotations

from pydantic import Field

from gristmill.validation import InputModel


class ClusterSettings(InputModel):
    """UMAP and HDBSCAN settings; ``ds.cluster`` exposes the common ones as arguments."""

    min_cluster_size: int = Field(default=5, ge=2)
    min_samples: int | None = Field(default=None, ge=1)
    selection_method: str = Field(default="leaf", pattern="^(leaf|eom)$")
    selection_epsilon: float = Field(default=0.0, ge=0.0)
    umap_components: int = Field(default=5, ge=2)
    umap_neighbors: int = Field(default=15, ge=2)
    umap_min_dist: float = Field(default=0.0, ge=0.0)
    # 100 epochs from a PCA start: the same purity as UMAP's 200 from a spectral start on the
    # emotion and davidson sets, in a third of the time (docs/clustering.md).
    umap_epochs: int | None = Field(default=100, ge=10)
    umap_init: str = Field(default="pca", pattern="^(pca|spectral|random)$")
    max_fit_rows: int = Field(default=20_000, ge=100)
    seed: int = 42
