"""Saving and loading an :class:`LLMClassifier` through the file format of ``_storage``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gristmill.classify._storage import (
    ClassifierFile,
    SavedClassifier,
    read_classifier,
    write_classifier,
)
from gristmill.classify._training import LinearModel
from gristmill.embed import get_embedding
from gristmill.errors import InvalidInputError

if TYPE_CHECKING:
    from gristmill.classify._classifier import LLMClassifier
    from gristmill.llm import LLM


def save_classifier(clf: LLMClassifier, path: Path) -> Path:
    model = clf._model
    second = clf.features().second
    config = SavedClassifier(
        llm=clf.llm_label,
        embedding=clf.embedding_name,
        embedding_model_id=clf._embedding_model().model_id,
        second_embedding_model_id=second.model_id if second is not None else None,
        settings=clf.settings,
        prompts=clf.prompts,
        classes=list(model.classes) if model is not None else [],
        thresholds=[float(t) for t in clf._thresholds] if clf._thresholds is not None else [],
        report=clf.report,
        calibration=clf.calibration,
    )
    content = ClassifierFile(
        config=config,
        coef=model.coef if model is not None else None,
        intercept=model.intercept if model is not None else None,
        examples_jsonl=clf._examples.to_jsonl(),
    )
    write_classifier(path, content)
    return path


def load_classifier(cls: type[LLMClassifier], path: Path, llm: str | LLM | None) -> LLMClassifier:
    import numpy as np

    saved = read_classifier(path)
    config = saved.config
    embedding = get_embedding(config.embedding)
    if embedding.model_id != config.embedding_model_id:
        raise InvalidInputError(
            f"{path} was trained on embeddings from {config.embedding_model_id}, but"
            f" '{config.embedding}' here is {embedding.model_id}",
            hint="vectors of different models are not comparable: install the same embedding"
            " model, or retrain with clf.train() after loading the examples",
        )
    settings = config.settings
    second = None
    if settings.second_embedding is not None:
        second = get_embedding(settings.second_embedding)
        if second.model_id != config.second_embedding_model_id:
            raise InvalidInputError(
                f"{path} was trained with second embeddings from"
                f" {config.second_embedding_model_id}, but '{settings.second_embedding}' here is"
                f" {second.model_id}",
                hint="vectors of different models are not comparable: install the same embedding"
                " model, or retrain with clf.train() after loading the examples",
            )
    clf = cls(
        llm=llm if llm is not None else config.llm,
        embedding=config.embedding,
        examples_per_class=settings.examples_per_class,
        near_duplicate_threshold=settings.near_duplicate_threshold,
        generated_weight=settings.generated_weight,
        description_weight=settings.description_weight,
        regularization_c=settings.regularization_c,
        seed=settings.seed,
        max_rounds=settings.max_rounds,
        second_embedding=settings.second_embedding,
        second_embedding_weight=settings.second_embedding_weight,
        time_budget_s=settings.time_budget_s,
        fit_margin=settings.fit_margin,
    )
    clf.prompts = dict(config.prompts)
    clf._examples.read_jsonl(saved.examples_jsonl, f"{path}:examples.jsonl")
    clf._embedding = embedding
    clf._second_embedding = second
    clf.report = config.report
    clf.calibration = config.calibration
    if config.classes:
        assert saved.coef is not None and saved.intercept is not None
        dim = clf.features().dim
        if saved.coef.shape[1] != dim:
            raise InvalidInputError(
                f"{path} holds {saved.coef.shape[1]}-d weights but its embeddings here make"
                f" {dim}-d vectors",
                hint="retrain the classifier with this embedding",
            )
        clf._model = LinearModel(list(config.classes), saved.coef, saved.intercept)
        clf._thresholds = np.array(config.thresholds, dtype=np.float64)
    return clf
