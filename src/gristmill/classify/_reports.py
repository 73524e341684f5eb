"""What training, generation, calibration and evaluation report: plain pydantic models, so the
same shape is printed, saved inside the model file and returned by the CLI's ``--json`` — and the
plain warnings a generation report turns into."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ClassGeneration(BaseModel):
    """Generated data for one class: asked, returned, dropped (repeats or off-class), kept."""

    class_name: str
    requested: int = 0
    summaries: int = 0
    generated: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    off_class: int = Field(
        default=0,
        description="dropped for not fitting the class: not closer to its own description than"
        " to every other class's by the margin",
    )
    failed_calls: int = 0
    kept: int = 0
    diversity: float | None = Field(
        default=None, description="1 - mean pairwise cosine of the kept generations"
    )


class GenerationReport(BaseModel):
    llm: str
    classes: list[ClassGeneration] = Field(default_factory=list)
    calls: int = 0
    cached_calls: int = 0
    failed_calls: int = 0
    seconds: float = 0.0

    time_budget_s: float | None = None
    stopped_early: bool = Field(
        default=False, description="generation stopped because the time budget ran out"
    )
    skipped_calls: int = Field(default=0, description="calls not made once the budget ran out")

    @property
    def kept(self) -> int:
        return sum(item.kept for item in self.classes)

    def lines(self) -> list[str]:
        """One line per class: generated, kept, and why the rest was dropped."""
        return [
            f"{item.class_name}: {item.generated} generated, {item.kept} kept, dropped"
            f" {item.off_class} off-class and {item.exact_duplicates + item.near_duplicates}"
            f" repeats ({item.failed_calls} failed calls)"
            for item in self.classes
        ]


class SelfTrainingReport(BaseModel):
    """Unlabelled rows used as extra examples (``LLMClassifier.self_train``)."""

    unlabelled: int
    taken: dict[str, int] = Field(description="rows taken per class in the last round")
    rounds: int
    weight: float
    min_prob: float


class TrainingReport(BaseModel):
    """Cross-validated quality of the trained model and what it was trained on.

    ``cv_on`` says which examples the out-of-fold scores are measured on: ``'real'`` when at
    least two classes have real examples (generated text is easier than real text, so scoring on
    it would flatter the model), else ``'all'``.
    """

    classes: list[str]
    counts: dict[str, dict[str, int]]
    regularization_c: float
    folds: int = 0
    cv_on: str = "all"
    cv_accuracy: float | None = None
    cv_macro_f1: float | None = None
    cv_accuracy_interval: list[float] | None = Field(
        default=None, description="95% Wilson interval of cv_accuracy over the scored examples"
    )
    chance_accuracy: float | None = Field(
        default=None, description="1 / number of classes: what guessing scores"
    )
    confusion_matrix: list[list[int]] = Field(default_factory=list)
    train_seconds: float = 0.0
    generation: GenerationReport | None = None
    self_training: SelfTrainingReport | None = None
    warnings: list[str] = Field(default_factory=list)


class ClassThreshold(BaseModel):
    """The probability a class needs before it is predicted, and what it achieved."""

    class_name: str
    threshold: float
    precision: float | None = None
    recall: float | None = None
    support: int = 0
    reached_target: bool = True
    curve_precision: list[float] = Field(default_factory=list)
    curve_recall: list[float] = Field(default_factory=list)
    curve_thresholds: list[float] = Field(default_factory=list)


class CalibrationReport(BaseModel):
    target_precision: float | None = None
    target_recall: float | None = None
    source: str = Field(description="'held-out' data or 'cross-validation' of the training data")
    num_examples: int = 0
    classes: list[ClassThreshold] = Field(default_factory=list)
    # Over the calibration data: share of items answered and precision of those answers.
    coverage: float | None = None
    precision: float | None = None


class EvaluationReport(BaseModel):
    """Quality on labelled texts; abstentions (None) and labels that are not classes of the
    model count as wrong in accuracy and F1 (the confusion matrix covers the model's classes)."""

    classes: list[str]
    num_examples: int
    accuracy: float
    macro_f1: float
    confusion_matrix: list[list[int]]
    num_abstained: int = 0
    coverage: float = 1.0
    answered_accuracy: float | None = None


# Fewer kept generations than this share of those asked for means the LLM is not up to it.
MIN_KEPT_SHARE = 0.5
CAPABLE_LLM_HINT = (
    "a capable LLM is needed: run an OpenAI-compatible server (vLLM, llama.cpp, Ollama) and set"
    " `llm: openai:http://HOST:PORT/v1/MODEL` in gristmill.yml (or"
    " GRISTMILL_LLM=openai:http://HOST:PORT/v1/MODEL), or add real examples with"
    " add_data_to_class()"
)


def generation_warnings(generation: GenerationReport, provider: str) -> list[str]:
    """Plain warnings about what generation did not deliver, and what to do about it."""
    notes = [
        f"the LLM produced no usable examples for class '{item.class_name}'"
        f" ({item.failed_calls} failed calls, {item.off_class} off-class)"
        for item in generation.classes
        if item.kept == 0
    ]
    if generation.failed_calls:
        notes.append(f"{generation.failed_calls} of {generation.calls} LLM calls failed")
    if generation.stopped_early:
        notes.append(
            f"generation stopped at the time budget of {generation.time_budget_s:g} s"
            f" ({generation.skipped_calls} LLM calls not made); raise time_budget_s to get more"
        )
    short = [item for item in generation.classes if item.kept < MIN_KEPT_SHARE * item.requested]
    reasons = []
    if short:
        reasons.append(
            "too few generated examples survived ("
            + "; ".join(
                f"{item.class_name}: {item.kept} kept of {item.requested} asked,"
                f" {item.off_class} off-class, {item.exact_duplicates + item.near_duplicates}"
                " repeats"
                for item in short
            )
            + ")"
        )
    if provider == "local":
        reasons.append(
            "the embedded local model (SmolLM2-135M) writes weak, often off-class examples"
        )
    if reasons:
        notes.append("; ".join(reasons) + f": {CAPABLE_LLM_HINT}")
    return notes
