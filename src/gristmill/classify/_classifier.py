"""``LLMClassifier``: a text classifier trained from class descriptions, real examples, or both.

::

    clf = LLMClassifier(llm='local', embedding='minilm')
    clf.prompt_train({'correct': 'Questions with correct answers.',
                      'incorrect': 'Questions with incorrect answers.'})
    clf.predict(['Q: What is 2+2? A: The answer is 3.'])    # -> ['incorrect']

``prompt_train`` generates examples for every class that has a description (``_generation``),
then trains; ``train`` uses the data alone. Class descriptions are also embedded and added as
one training example each ("anchors"), which helps most when a class has little data.

A text's features are its ``embedding`` vector joined with a second model's (``second_embedding``,
WordLlama by default, see ``_features``); ``second_embedding=None`` uses the first model alone.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.classify._calibration import apply_thresholds, calibrate
from gristmill.classify._dedup import embed_missing
from gristmill.classify._evaluation import evaluate, plot_precision_recall
from gristmill.classify._examples import Example, ExampleSet, check_class_name, read_examples_file
from gristmill.classify._features import (
    DEFAULT_SECOND_EMBEDDING,
    DEFAULT_SECOND_WEIGHT,
    FeatureSpace,
)
from gristmill.classify._generation import generate_examples
from gristmill.classify._persistence import load_classifier, save_classifier
from gristmill.classify._reports import (
    CalibrationReport,
    EvaluationReport,
    SelfTrainingReport,
    TrainingReport,
    generation_warnings,
)
from gristmill.classify._settings import (
    DEFAULT_FIT_MARGIN,
    DEFAULT_TIME_BUDGET_S,
    SELF_TRAIN_MIN_PROB,
    SELF_TRAIN_PER_CLASS,
    SELF_TRAIN_ROUNDS,
    SELF_TRAIN_WEIGHT,
    ClassifierSettings,
)
from gristmill.classify._training import LinearModel, TrainingSet, self_train, train
from gristmill.data.files import atomic_write_text
from gristmill.embed import get_embedding
from gristmill.errors import InvalidInputError, ProviderError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gristmill.embed import EmbeddingModel
    from gristmill.llm import LLM


class LLMClassifier:
    """Train from a prompt per class, add real data to boost it, predict, calibrate, save."""

    def __init__(
        self,
        llm: str | LLM | None = "local",
        embedding: str = "minilm",
        *,
        second_embedding: str | None = DEFAULT_SECOND_EMBEDDING,
        second_embedding_weight: float = DEFAULT_SECOND_WEIGHT,
        examples_per_class: int = 20,
        near_duplicate_threshold: float = 0.95,
        generated_weight: float = 1.0,
        description_weight: float = 1.0,
        regularization_c: float | None = None,
        seed: int = 0,
        max_rounds: int = 3,
        time_budget_s: float | None = DEFAULT_TIME_BUDGET_S,
        fit_margin: float | None = DEFAULT_FIT_MARGIN,
        saved_examples_path: str | os.PathLike[str] | None = None,
        show_progress: bool = True,
    ) -> None:
        self._llm_spec = llm
        self.embedding_name = embedding
        self.settings = ClassifierSettings(
            examples_per_class=examples_per_class,
            near_duplicate_threshold=near_duplicate_threshold,
            generated_weight=generated_weight,
            description_weight=description_weight,
            seed=seed,
            regularization_c=regularization_c,
            max_rounds=max_rounds,
            second_embedding=second_embedding,
            second_embedding_weight=second_embedding_weight,
            time_budget_s=time_budget_s,
            fit_margin=fit_margin,
        ).checked()
        # No default: the seed's /tmp default would read whatever another user left there.
        self._saved_examples_path: Path | None = None
        self.saved_examples_path = saved_examples_path
        self.show_progress = show_progress
        self.prompts: dict[str, str] = {}
        self.report: TrainingReport | None = None
        self.calibration: CalibrationReport | None = None
        self._examples = ExampleSet()
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._second_vectors: dict[str, npt.NDArray[np.float32]] = {}
        self._embedding: EmbeddingModel | None = None
        self._second_embedding: EmbeddingModel | None = None
        self._model: LinearModel | None = None
        self._thresholds: npt.NDArray[np.float64] | None = None
        self._out_of_fold: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]] | None = None

    def __repr__(self) -> str:
        state = f"classes={self.classes}" if self._model else "untrained"
        return f"LLMClassifier(llm={self.llm_label!r}, embedding={self.embedding_name!r}, {state})"

    @property
    def saved_examples_path(self) -> Path | None:
        return self._saved_examples_path

    @saved_examples_path.setter
    def saved_examples_path(self, value: str | os.PathLike[str] | None) -> None:
        # Lamini's README assigns a plain string; keep a Path so every use can rely on it.
        self._saved_examples_path = Path(value) if value is not None else None

    # -- data -------------------------------------------------------------------------------

    @property
    def classes(self) -> list[str]:
        """The trained classes, or before training every class named by a prompt or data."""
        if self._model is not None:
            return list(self._model.classes)
        return list(dict.fromkeys([*self.prompts, *self._examples.class_names]))

    @property
    def llm_label(self) -> str | None:
        spec = self._llm_spec
        if spec is None or isinstance(spec, str):
            return spec
        return f"{spec.settings.provider}/{spec.settings.model}".rstrip("/")

    def add_data_to_class(self, class_name: str, text_or_texts: str | Sequence[str]) -> int:
        """Add real examples to a class (a new class if unknown); returns how many were new."""
        check_class_name(class_name)
        texts = [text_or_texts] if isinstance(text_or_texts, str) else list(text_or_texts)
        if not texts:
            raise InvalidInputError(
                f"no examples given for class '{class_name}'",
                hint="pass a text or a non-empty list of texts",
            )
        return self._examples.add(class_name, texts, "real")

    def get_data(self) -> dict[str, list[str]]:
        """Every example per class, real and generated (``get_examples`` says which is which)."""
        return self._examples.as_dict()

    def get_examples(self) -> list[Example]:
        return list(self._examples)

    def save_examples(self, path: str | Path | None = None) -> Path:
        """Write the examples to ``path`` or ``saved_examples_path`` (examples.jsonl format)."""
        target = self._examples_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, self._examples.to_jsonl())
        return target

    def load_examples(self, path: str | Path | None = None) -> int:
        """Add the examples of an examples.jsonl file; returns how many were new."""
        return read_examples_file(self._examples, self._examples_path(path))

    def _examples_path(self, path: str | Path | None) -> Path:
        chosen = Path(path) if path is not None else self.saved_examples_path
        if chosen is None:
            raise InvalidInputError(
                "no examples file given",
                hint="set clf.saved_examples_path = 'examples.jsonl' or pass a path",
            )
        return chosen

    # -- training ---------------------------------------------------------------------------

    def prompt_train(self, class_prompts: dict[str, str]) -> TrainingReport:
        """Generate examples for every described class with the LLM, then train on all data."""
        prompts = self._check_prompts(class_prompts)
        self.prompts = dict(prompts)
        described = {name: text for name, text in prompts.items() if text.strip()}
        self._examples.drop_generated(described)
        llm = self._get_llm()
        generated, generation = generate_examples(
            llm,
            self.llm_label or "configured",
            described,
            self._examples,
            self._embedding_model(),
            self._vectors,
            per_class=self.settings.examples_per_class,
            near_duplicate_threshold=self.settings.near_duplicate_threshold,
            seed=self.settings.seed,
            max_rounds=self.settings.max_rounds,
            show_progress=self.show_progress,
            time_budget_s=self.settings.time_budget_s,
            fit_margin=self.settings.fit_margin,
        )
        for name, texts in generated.items():
            if texts:
                self._examples.add(name, texts, "generated")
        return self._train(generation, generation_warnings(generation, llm.settings.provider))

    def train(self, class_descriptions: dict[str, str] | None = None) -> TrainingReport:
        """Train on the examples alone (no generation); descriptions serve as anchors.

        ``class_descriptions`` (class -> description) replaces the prompts without generating
        from them: each description is embedded and added as one example of its class.
        """
        if class_descriptions is not None:
            self.prompts = self._check_prompts(class_descriptions)
        return self._train(None, [])

    def self_train(
        self,
        texts: Sequence[str] | None = None,
        *,
        vectors: npt.NDArray[np.float32] | None = None,
    ) -> TrainingReport:
        """Retrain with the unlabelled texts (or feature vectors) the model is surest of.

        The rows of the data the classifier will run on, taken as extra examples of the class
        they are confidently predicted as, down-weighted; see ``docs/classifier.md`` for what it
        gained. Thresholds from an earlier ``calibrate`` no longer fit and are reset.
        """
        import numpy as np

        self._trained()
        assert self.report is not None
        if vectors is None:
            if texts is None:
                raise InvalidInputError(
                    "self_train needs unlabelled texts or vectors",
                    hint="e.g. clf.self_train(texts_of_the_dataset)",
                )
            vectors = self.features().embed(_as_texts(texts))
        data = self._training_set()
        c = self.report.regularization_c
        model, taken = self_train(
            data,
            c,
            np.asarray(vectors, dtype=np.float32),
            per_class=SELF_TRAIN_PER_CLASS,
            weight=SELF_TRAIN_WEIGHT,
            rounds=SELF_TRAIN_ROUNDS,
            min_prob=SELF_TRAIN_MIN_PROB,
        )
        report = self.report.model_copy(deep=True)
        report.self_training = SelfTrainingReport(
            unlabelled=len(vectors),
            taken=dict(zip(data.classes, taken, strict=True)),
            rounds=SELF_TRAIN_ROUNDS,
            weight=SELF_TRAIN_WEIGHT,
            min_prob=SELF_TRAIN_MIN_PROB,
        )
        self._model, self.report = model, report
        self.reset_thresholds()
        return report

    def _check_prompts(self, class_prompts: object) -> dict[str, str]:
        if not isinstance(class_prompts, dict) or not class_prompts:
            raise InvalidInputError(
                "prompt_train needs a non-empty dict of class name -> description",
                hint="e.g. {'spam': 'Unsolicited ads.', 'ham': 'Personal messages.'}; to train on"
                " data alone, call train()",
            )
        for name, text in class_prompts.items():
            check_class_name(name)
            if not isinstance(text, str):
                raise InvalidInputError(
                    f"the prompt of class '{name}' is {type(text).__name__}, not a string",
                    hint="describe each class in words",
                )
            if not text.strip() and not self._examples.texts(name):
                raise InvalidInputError(
                    f"class '{name}' has neither a prompt nor examples",
                    hint=f"describe it, or add_data_to_class('{name}', ...) first",
                )
        return dict(class_prompts)

    def _train(self, generation: Any, notes: list[str]) -> TrainingReport:
        import numpy as np

        trainable = [name for name in self.classes if self._examples.texts(name)]
        for name in self.classes:
            if name not in trainable:
                notes.append(f"class '{name}' has no examples and is left out")
        if len(trainable) < 2:
            error = InvalidInputError if generation is None else ProviderError
            raise error(
                f"cannot train: only {len(trainable)} class(es) have examples"
                + (f" ({'; '.join(notes)})" if notes else ""),
                hint="a classifier needs examples of at least 2 classes: add data with"
                " add_data_to_class(), or generate with a capable LLM (an OpenAI-compatible"
                " server: GRISTMILL_LLM=openai:http://HOST:PORT/v1/MODEL)",
            )
        data = self._training_set(trainable)
        model, report, out_of_fold = train(data, self.settings.regularization_c)
        scored = data.real if report.cv_on == "real" else np.ones(len(data.labels), dtype=bool)
        self._out_of_fold = (
            (out_of_fold[scored], data.labels[scored]) if out_of_fold is not None else None
        )
        report.counts = {name: self._examples.counts()[name] for name in trainable}
        report.generation = generation
        report.warnings = [*notes, *report.warnings]
        for note in report.warnings:
            warnings.warn(note, UserWarning, stacklevel=3)
        self._model, self.report, self.calibration = model, report, None
        self._thresholds = np.zeros(len(trainable), dtype=np.float64)
        return report

    def _training_set(self, trainable: list[str] | None = None) -> TrainingSet:
        """Examples and description anchors of the trainable classes (default: the trained)."""
        import numpy as np

        trainable = trainable if trainable is not None else self.classes
        texts, labels, weights, real = [], [], [], []
        for index, name in enumerate(trainable):
            real_texts = set(self._examples.texts(name, "real"))
            for example in self._examples.texts(name):
                source_real = example in real_texts
                texts.append(example)
                labels.append(index)
                weights.append(1.0 if source_real else self.settings.generated_weight)
                real.append(source_real)
            description = self.prompts.get(name, "").strip()
            if description and self.settings.description_weight > 0:
                texts.append(description)
                labels.append(index)
                weights.append(self.settings.description_weight)
                real.append(False)
        return TrainingSet(
            self._embed_cached(texts),
            np.array(labels, dtype=np.int64),
            np.array(weights, dtype=np.float64),
            np.array(real, dtype=bool),
            list(trainable),
        )

    # -- prediction -------------------------------------------------------------------------

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Probabilities ``[len(texts), len(classes)]`` in the order of ``classes``."""
        model = self._trained()
        return model.predict_proba(self.features().embed(_as_texts(texts)))

    def predict_vectors(self, vectors: npt.NDArray[np.float32]) -> list[str | None]:
        """Predict from feature vectors made by ``features().embed(texts)`` (or ``join``)."""
        model = self._trained()
        if vectors.ndim != 2 or vectors.shape[1] != model.coef.shape[1]:
            raise InvalidInputError(
                f"expected feature vectors of shape [n, {model.coef.shape[1]}], got"
                f" {list(vectors.shape)}",
                hint="make them with clf.features().embed(texts); with a second embedding,"
                " join both models' vectors with clf.features().join(main, second)",
            )
        return self._labels(model.predict_proba(vectors))

    def predict(self, texts: Sequence[str]) -> list[str | None]:
        """The class of each text, or None where calibration says it is not sure enough."""
        return self._labels(self.predict_proba(texts))

    def classify(
        self, texts: Sequence[str], top_n: int | None = None
    ) -> list[list[dict[str, Any]]]:
        """Per text, ``[{'class_name': ..., 'prob': ...}, ...]`` most probable first."""
        if top_n is not None and top_n < 1:
            raise InvalidInputError(f"top_n must be at least 1, got {top_n}", hint="e.g. top_n=2")
        classes = self.classes
        results = []
        for row in self.predict_proba(texts):
            ranked = sorted(range(len(classes)), key=lambda i: -row[i])[:top_n]
            results.append([{"class_name": classes[i], "prob": float(row[i])} for i in ranked])
        return results

    def _labels(self, probs: npt.NDArray[np.float64]) -> list[str | None]:
        assert self._thresholds is not None
        classes = self.classes
        return [classes[i] if i >= 0 else None for i in apply_thresholds(probs, self._thresholds)]

    def _trained(self) -> LinearModel:
        if self._model is None:
            raise InvalidInputError(
                "the classifier is not trained yet",
                hint="call prompt_train({...}) or train() first, or LLMClassifier.load(path)",
            )
        return self._model

    # -- calibration and evaluation ---------------------------------------------------------

    @property
    def thresholds(self) -> dict[str, float]:
        if self._thresholds is None:
            return {}
        return dict(zip(self.classes, (float(t) for t in self._thresholds), strict=True))

    def calibrate(
        self,
        texts: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        *,
        target_precision: float | None = 0.9,
        target_recall: float | None = None,
    ) -> CalibrationReport:
        """Choose per-class thresholds on held-out labelled texts, else on cross-validation."""
        import numpy as np

        self._trained()
        if target_recall is not None:
            target_precision = None
        if texts is not None:
            probs = self.predict_proba(texts)
            truth = self._label_ids(texts, labels)
            source = "held-out"
        elif self._out_of_fold is not None:
            probs, truth = self._out_of_fold
            source = "cross-validation"
        else:
            raise InvalidInputError(
                "nothing to calibrate on: no held-out data given and too little data to"
                " cross-validate",
                hint="pass calibrate(texts, labels): labelled texts the model was not trained on",
            )
        report = calibrate(
            probs,
            truth,
            self.classes,
            target_precision=target_precision,
            target_recall=target_recall,
            source=source,
        )
        self._thresholds = np.array([item.threshold for item in report.classes])
        self.calibration = report
        return report

    def reset_thresholds(self) -> None:
        """Back to always predicting the most probable class."""
        import numpy as np

        self._thresholds = np.zeros(len(self.classes), dtype=np.float64)
        self.calibration = None

    def evaluate(self, texts: Sequence[str], labels: Sequence[str]) -> EvaluationReport:
        """Accuracy, macro-F1 and confusion matrix on labelled texts (abstentions count wrong)."""
        truth = self._label_ids(texts, labels, allow_unknown=True)
        return evaluate(self.classes, self.predict_proba(texts), self._thresholds, truth)

    def plot_precision_recall(self, path: str | Path) -> Path:
        """Write the per-class precision-recall curves of the last calibration as a PNG."""
        if self.calibration is None:
            raise InvalidInputError(
                "no precision-recall curves yet", hint="call clf.calibrate(...) first"
            )
        return plot_precision_recall(self.calibration, Path(path))

    def _label_ids(
        self, texts: Sequence[str], labels: Sequence[str] | None, *, allow_unknown: bool = False
    ) -> Any:
        """Class indices of the labels; with ``allow_unknown`` a label the model lacks (a class
        dropped for want of data) is -2, which no prediction ever equals."""
        import numpy as np

        if labels is None or len(labels) != len(texts):
            raise InvalidInputError(
                "give one label per text", hint="e.g. evaluate(['text a', 'text b'], ['x', 'y'])"
            )
        index = {name: i for i, name in enumerate(self.classes)}
        unknown = sorted({label for label in labels if label not in index})
        if unknown and not allow_unknown:
            raise InvalidInputError(
                f"labels {unknown} are not classes of this classifier",
                hint=f"its classes are {self.classes}",
            )
        return np.array([index.get(label, -2) for label in labels], dtype=np.int64)

    # -- saving -----------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the model, its data and reports to one zip file (JSON + .npy, no pickle)."""
        return save_classifier(self, Path(path))

    @classmethod
    def load(cls, path: str | Path, *, llm: str | LLM | None = None) -> LLMClassifier:
        """Load a saved classifier; fails clearly if its embedding model is not the same here."""
        return load_classifier(cls, Path(path), llm)

    # -- internals --------------------------------------------------------------------------

    def _get_llm(self) -> LLM:
        # Imported here: the CLI imports classify at startup; gristmill.llm waits until needed.
        from gristmill.llm import LLM, get_llm

        if isinstance(self._llm_spec, LLM):
            return self._llm_spec
        return get_llm(self._llm_spec)

    def _embedding_model(self) -> EmbeddingModel:
        if self._embedding is None:
            self._embedding = get_embedding(self.embedding_name)
        return self._embedding

    def features(self) -> FeatureSpace:
        """The feature space: the embedding, joined with the second embedding if any."""
        second_name = self.settings.second_embedding
        if second_name is not None and self._second_embedding is None:
            self._second_embedding = get_embedding(second_name)
        return FeatureSpace(
            self._embedding_model(),
            self._second_embedding if second_name is not None else None,
            self.settings.second_embedding_weight,
        )

    def _embed_cached(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Training features; both models' vectors are cached by text across retrains."""
        import numpy as np

        features = self.features()
        embed_missing(features.main, texts, self._vectors)
        main = np.stack([self._vectors[text] for text in texts])
        second = None
        if features.second is not None:
            embed_missing(features.second, texts, self._second_vectors)
            second = np.stack([self._second_vectors[text] for text in texts])
        return features.join(main, second)


def _as_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise InvalidInputError(
            "predict() takes a list of texts, got a single string", hint="wrap it: predict([text])"
        )
    return list(texts)
