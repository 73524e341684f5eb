"""``gristmill classify``: train a classifier from prompts (and examples), predict with it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gristmill.classify import LLMClassifier
from gristmill.cli._app import app
from gristmill.cli._datasets import open_dataset
from gristmill.cli._errors import handle_errors
from gristmill.cli._render import print_record, print_rows
from gristmill.errors import InvalidInputError

classify_app = typer.Typer(
    help="Classifiers trained from a prompt per class.", no_args_is_help=True
)
app.add_typer(classify_app, name="classify")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _read_prompts(path: Path) -> dict[str, str]:
    import yaml

    if not path.is_file():
        raise InvalidInputError(f"{path} does not exist", hint="write a YAML file: class: prompt")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise InvalidInputError(
            f"{path} must map each class name to its description",
            hint="e.g.\n  spam: Unsolicited ads and scams.\n  ham: Personal messages.",
        )
    return {str(key): value for key, value in loaded.items()}


@classify_app.command("train")
@handle_errors
def train(
    prompts: Annotated[Path, typer.Option(help="YAML file: class name -> description.")],
    out: Annotated[Path, typer.Option(help="Where to write the model (a .gristmill zip).")],
    examples: Annotated[
        Path | None, typer.Option(help="examples.jsonl with real examples per class.")
    ] = None,
    llm: Annotated[
        str | None, typer.Option(help="LLM address ('local', 'openai/...'); default: configured.")
    ] = None,
    embedding: Annotated[str, typer.Option(help="Embedding model name.")] = "minilm",
    second_embedding: Annotated[
        str | None,
        typer.Option(
            help="A second embedding joined to the first ('none': the first alone);"
            " default: the classifier's (wordllama)."
        ),
    ] = None,
    second_embedding_weight: Annotated[
        float | None,
        typer.Option(help="The second embedding's share of the features, in (0, 1); default 0.3."),
    ] = None,
    examples_per_class: Annotated[int, typer.Option(help="Examples to generate per class.")] = 20,
    time_budget: Annotated[
        float | None,
        typer.Option(
            help="Seconds generation may take before it stops and trains on what it has;"
            " default 300."
        ),
    ] = None,
    fit_margin: Annotated[
        float | None,
        typer.Option(
            help="How much closer (cosine) a generated example must be to its own class's"
            " description than to any other's to be kept; default 0."
        ),
    ] = None,
    generate: Annotated[
        bool,
        typer.Option(
            help="Generate examples with the LLM; --no-generate trains on --examples with the"
            " descriptions as anchors."
        ),
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Generate examples for each described class, train, and save the model."""
    classes = _read_prompts(prompts)
    # Only what was given is passed: the classifier owns the defaults.
    features: dict[str, Any] = {}
    if second_embedding is not None:
        features["second_embedding"] = None if second_embedding == "none" else second_embedding
    if second_embedding_weight is not None:
        features["second_embedding_weight"] = second_embedding_weight
    if time_budget is not None:
        features["time_budget_s"] = time_budget
    if fit_margin is not None:
        features["fit_margin"] = fit_margin
    clf = LLMClassifier(
        llm=llm, embedding=embedding, examples_per_class=examples_per_class, **features
    )
    if examples is not None:
        clf.load_examples(examples)
    report = clf.prompt_train(classes) if generate else clf.train(classes)
    clf.save(out)
    summary: dict[str, Any] = {
        "model": str(out),
        "classes": report.classes,
        "cv_accuracy": report.cv_accuracy,
        "cv_macro_f1": report.cv_macro_f1,
        "counts": report.counts,
        "warnings": report.warnings,
    }
    print_record(summary if not as_json else report.model_dump(mode="json"), as_json)


@classify_app.command("predict")
@handle_errors
def predict(
    model: Annotated[Path, typer.Option(help="A saved classifier (.gristmill).")],
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to classify.")] = None,
    dataset: Annotated[
        str | None, typer.Option(help="Classify a dataset column (NAMESPACE/NAME).")
    ] = None,
    path: Annotated[str | None, typer.Option(help="The text column of --dataset.")] = None,
    overwrite: Annotated[bool, typer.Option(help="Recompute an existing column.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Predict the class of TEXTs, or store predictions as a column of a dataset."""
    clf = LLMClassifier.load(model)
    if dataset is not None:
        if path is None or texts:
            raise InvalidInputError(
                "--dataset needs --path and no TEXT arguments",
                hint="gristmill classify predict --model m.gristmill --dataset ns/name --path text",
            )
        result = open_dataset(dataset).compute_classifier(clf, path, overwrite=overwrite)
        print_record(
            {"column": result.column, "computed": result.num_computed, "kept": result.num_resumed},
            as_json,
        )
        return
    if not texts:
        raise InvalidInputError(
            "nothing to classify", hint="pass TEXT arguments, or --dataset NS/NAME --path COLUMN"
        )
    rows = [
        {"text": text, "class_name": label, "prob": round(ranked[0]["prob"], 4)}
        for text, label, ranked in zip(texts, clf.predict(texts), clf.classify(texts), strict=True)
    ]
    print_rows(rows, as_json)
