"""The models a request may name: ``GET /models``, which the UI's forms offer as choices."""

from __future__ import annotations

from fastapi import APIRouter

from gristmill.server._model_catalog import ModelList, model_list

router = APIRouter(tags=["models"])


@router.get("/models", name="list_models")
def models() -> ModelList:
    """The LLMs and embeddings requests may name: the project's named models (gristmill.yml's
    ``models:`` block) and the embedded ones, with whether each remote model's key is set.
    Never a key, a key variable, a URL or a file path."""
    return model_list()
