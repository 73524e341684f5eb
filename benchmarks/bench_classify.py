"""Benchmark of gristmill.classify on real labelled data (used in place, never shipped).

For each of sms_spam, emotion and davidson_hate_offensive: a fixed held-out split, then
plain logistic regression (scikit-learn defaults) on MiniLM embeddings of 25 real examples per
class, against LLMClassifier with prompts only (local LLM), the same 25 real examples only, and
both. Also: generation examples/s, train time, predict rows/s, and calibration (thresholds for
precision 0.9 chosen on a calibration split, precision achieved on the test split).
"real, minilm only" is ours without the second (WordLlama) embedding, i.e. the old default.

With ``--seeds 0,1,2,3,4`` every seed draws another split (other 25 examples per class, other
test rows) and a last line per dataset gives mean ± std of accuracy and macro-F1 per setting.

    .venv/bin/python benchmarks/bench_classify.py [--per-class 25] [--generate 4] [--no-llm]
        [--seeds 0,1,2,3,4]

``--semi`` (issue 13, item 5) compares, over 5 seeds of 25 real examples per class, plain
logistic regression (MiniLM, and the joined MiniLM + WordLlama features) with ours, ours with
the class descriptions as anchors, and ours self-trained on the unlabelled rows. Each dataset is
4,000 rows (fixed shuffle); the unlabelled rows are every row not drawn for training (as
``compute_classifier(self_train=True)`` sees the whole dataset), the test is the first 1,000 of
them. Settings are chosen on emotion's *validation* file (``emotion_val``) and reported on the
test files. Vectors are cached in ``--cache`` (default /tmp/gristmill-bench-classify-cache).

    .venv/bin/python benchmarks/bench_classify.py --semi \
        --datasets emotion_val,emotion,sms_spam,davidson_hate_offensive
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

PROMPTS: dict[str, dict[str, str]] = {
    "sms_spam": {
        "spam": "Unsolicited SMS text messages: prize or cash offers, paid premium services,"
        " adverts, 'text WIN to 80086' style calls to action.",
        "ham": "Ordinary personal SMS text messages between friends or family: plans,"
        " greetings, everyday chat, often informal with abbreviations.",
    },
    "emotion": {
        "sadness": "A short first-person sentence where the writer feels sad, lonely or hurt.",
        "joy": "A short first-person sentence where the writer feels happy, glad or content.",
        "love": "A short first-person sentence where the writer feels love, tenderness or"
        " affection for someone.",
        "anger": "A short first-person sentence where the writer feels angry or irritated.",
        "fear": "A short first-person sentence where the writer feels afraid, anxious or scared.",
        "surprise": "A short first-person sentence where the writer feels surprised or amazed.",
    },
    "davidson_hate_offensive": {
        "hate": "A tweet with hate speech: attacks a group for race, religion, gender or"
        " sexuality, often with slurs.",
        "offensive": "A tweet with offensive, vulgar or profane language that is not hate"
        " speech against a group.",
        "neither": "An ordinary tweet with neither hate speech nor offensive language.",
    },
}


def load(name: str) -> list[tuple[str, str]]:
    if name == "sms_spam":
        path, text, label = DATA / "sms_spam/SMSSpamCollection.jsonl", "SMS", "Label"
    elif name == "emotion":
        path, text, label = DATA / "emotion/test.jsonl", "text", "label"
    else:
        path, text, label = DATA / "davidson_hate_offensive/labeled_data.jsonl", "tweet", "class"
    names = {0: "hate", 1: "offensive", 2: "neither"}
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return [(r[text], names.get(r[label], r[label])) for r in rows]  # type: ignore[call-overload]


def split(rows: list[tuple[str, str]], per_class: int, seed: int = 0) -> Any:
    rows = rows[:]
    random.Random(seed).shuffle(rows)
    classes = sorted({label for _, label in rows})
    train = [r for c in classes for r in [x for x in rows if x[1] == c][:per_class]]
    used = {t for t, _ in train}
    rest = [r for r in rows if r[0] not in used]
    return train, rest[:300], rest[300:1300]  # train, calibration, test (natural class mix)


def plain_lr(train: Any, test: Any) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from gristmill.embed import get_embedding

    model = get_embedding("minilm")
    lr = LogisticRegression(max_iter=2000).fit(
        model.embed([t for t, _ in train]), [label for _, label in train]
    )
    predicted = lr.predict(model.embed([t for t, _ in test]))
    truth = [label for _, label in test]
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
    }


def ours(name: str, train: Any, test: Any, setting: str, generate: int) -> dict[str, Any]:
    from gristmill.classify import LLMClassifier

    extra: dict[str, Any] = {"second_embedding": None} if setting == "real, minilm only" else {}
    clf = LLMClassifier(
        llm="local", examples_per_class=generate, max_rounds=1, show_progress=False, **extra
    )
    if setting != "prompts":
        for text, label in train:
            clf.add_data_to_class(label, text)
    started = time.perf_counter()
    if setting in ("real", "real, minilm only"):
        report = clf.train()
    elif setting == "real+descriptions":
        clf.prompts = dict(PROMPTS[name])
        report = clf.train()
    else:
        report = clf.prompt_train(PROMPTS[name])
    seconds = time.perf_counter() - started
    result = clf.evaluate([t for t, _ in test], [label for _, label in test])
    out: dict[str, Any] = {
        "accuracy": result.accuracy,
        "macro_f1": result.macro_f1,
        "seconds": round(seconds, 2),
        "train_seconds": report.train_seconds,
        "C": report.regularization_c,
    }
    if report.generation is not None:
        generation = report.generation
        out["generated_kept"] = generation.kept
        out["generation_seconds"] = generation.seconds
        out["generated_per_s"] = round(generation.kept / max(generation.seconds, 1e-9), 3)
        out["llm_calls"] = generation.calls
        out["failed_calls"] = generation.failed_calls
        out["diversity"] = {c.class_name: c.diversity for c in generation.classes}
        out["dropped_duplicates"] = sum(
            c.exact_duplicates + c.near_duplicates for c in generation.classes
        )
    return {"result": out, "classifier": clf}


def semi_rows(name: str) -> list[tuple[str, str]]:
    if name == "emotion_val":
        path = DATA / "emotion/validation.jsonl"
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        pairs = [(r["text"], r["label"]) for r in rows]
    else:
        pairs = load(name)
    random.Random(123).shuffle(pairs)
    return pairs[:4000]


def semi_vectors(name: str, cache: Path) -> Any:
    """Joined features of the dataset's rows and of its class descriptions (cached)."""
    import numpy as np

    from gristmill.embed import get_embedding

    path = cache / f"{name}.npz"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        rows = semi_rows(name)
        prompts = PROMPTS["emotion" if name.startswith("emotion") else name]
        mini, second = get_embedding("minilm"), get_embedding("wordllama")
        texts, descriptions = [t for t, _ in rows], list(prompts.values())
        np.savez(
            path,
            mini=mini.embed(texts),
            wl=second.embed(texts),
            dmini=mini.embed(descriptions),
            dwl=second.embed(descriptions),
            labels=np.array([label for _, label in rows]),
            classes=np.array(list(prompts)),
        )
    z = np.load(path)
    classes = list(z["classes"])
    labels = np.array([classes.index(label) for label in z["labels"]])
    joined = np.hstack([np.sqrt(0.7) * z["mini"], np.sqrt(0.3) * z["wl"]]).astype(np.float32)
    anchors = np.hstack([np.sqrt(0.7) * z["dmini"], np.sqrt(0.3) * z["dwl"]]).astype(np.float32)
    return z["mini"], joined, anchors, labels, classes


SELF_TRAINING = {
    "self-trained (100/class, 1 round, shipped opt-in)": (100, 0.3, 1, 0.6),
    "self-trained (400/class, 2 rounds, best on emotion_val)": (400, 0.3, 2, 0.6),
}


def semi_seed(name: str, seed: int, per_class: int, cache: Path) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from gristmill.classify._training import TrainingSet, self_train, train

    mini, joined, anchors, labels, classes = semi_vectors(name, cache)
    k = len(classes)
    order = np.random.RandomState(seed).permutation(len(labels))
    picked = np.concatenate([order[labels[order] == c][:per_class] for c in range(k)])
    unlabelled = order[~np.isin(order, picked)]
    test = unlabelled[:1000]
    truth = labels[test]
    line: dict[str, Any] = {"dataset": name, "seed": seed}

    def score(setting: str, predicted: Any) -> None:
        line[setting] = {
            "accuracy": round(float(accuracy_score(truth, predicted)), 4),
            "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
        }

    for setting, features in (("plain LR, MiniLM", mini), ("plain LR, joined", joined)):
        lr = LogisticRegression(max_iter=2000).fit(features[picked], labels[picked])
        score(setting, lr.predict(features[test]))

    def training_set(with_anchors: bool) -> TrainingSet:
        vectors, ids = joined[picked], labels[picked]
        real = np.ones(len(ids), dtype=bool)
        if with_anchors:
            vectors = np.vstack([vectors, anchors])
            ids = np.concatenate([ids, np.arange(k)])
            real = np.concatenate([real, np.zeros(k, dtype=bool)])
        return TrainingSet(vectors, ids.astype(np.int64), np.ones(len(ids)), real, classes)

    model, _, _ = train(training_set(False), None)
    score("ours", model.predict_proba(joined[test]).argmax(axis=1))
    data = training_set(True)
    model, report, _ = train(data, None)
    score("ours + descriptions", model.predict_proba(joined[test]).argmax(axis=1))
    for setting, (count, weight, rounds, min_prob) in SELF_TRAINING.items():
        model, _ = self_train(
            data,
            report.regularization_c,
            joined[unlabelled],
            per_class=count,
            weight=weight,
            rounds=rounds,
            min_prob=min_prob,
        )
        score(f"ours + descriptions + {setting}", model.predict_proba(joined[test]).argmax(axis=1))
    return line


def semi_main(args: Any) -> None:
    import os

    import numpy as np

    print(json.dumps({"load_average": os.getloadavg()}), flush=True)
    for name in args.datasets.split(","):
        lines = [
            semi_seed(name, int(seed), args.per_class, Path(args.cache))
            for seed in args.seeds.split(",")
        ]
        settings = [key for key in lines[0] if key not in ("dataset", "seed")]
        out: dict[str, Any] = {"dataset": name, "seeds": len(lines)}
        for setting in settings:
            accuracy = np.array([line[setting]["accuracy"] for line in lines])
            f1 = np.array([line[setting]["macro_f1"] for line in lines])
            gain = 100 * (
                accuracy - np.array([line["plain LR, joined"]["accuracy"] for line in lines])
            )
            out[setting] = (
                f"acc {accuracy.mean():.3f} ± {accuracy.std():.3f} / F1 {f1.mean():.3f} ±"
                f" {f1.std():.3f} / gain over plain LR (joined) {gain.mean():+.1f} ±"
                f" {gain.std():.1f}"
            )
        print(json.dumps(out, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-class", type=int, default=25)
    parser.add_argument("--generate", type=int, default=4)
    parser.add_argument("--no-llm", action="store_true")
    parser.add_argument("--datasets", default="sms_spam,emotion,davidson_hate_offensive")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--semi", action="store_true")
    parser.add_argument("--cache", default="/tmp/gristmill-bench-classify-cache")
    args = parser.parse_args()
    if args.semi:
        semi_main(args)
        return
    import gristmill as gm

    gm.set_project_dir(Path(tempfile.mkdtemp(prefix="gm-bench-classify-")))
    settings = ["real, minilm only", "real", "real+descriptions"]
    settings += [] if args.no_llm else ["prompts", "both"]
    seeds = [int(seed) for seed in args.seeds.split(",")]
    for name in args.datasets.split(","):
        lines = [run_seed(name, seed, settings, args) for seed in seeds]
        if len(lines) > 1:
            print(json.dumps(summary(name, lines, ["plain_lr", *settings])), flush=True)


def summary(name: str, lines: list[dict[str, Any]], settings: list[str]) -> dict[str, Any]:
    import numpy as np

    out: dict[str, Any] = {"dataset": name, "seeds": [line["seed"] for line in lines]}
    for setting in settings:
        for metric in ("accuracy", "macro_f1"):
            values = np.array([line[setting][metric] for line in lines])
            out[f"{setting} {metric}"] = f"{values.mean():.3f} ± {values.std():.3f}"
        if setting != "plain_lr":
            gain = np.array(
                [line[setting]["accuracy"] - line["plain_lr"]["accuracy"] for line in lines]
            )
            out[f"{setting} accuracy gain over plain LR"] = f"{gain.mean():+.3f} ± {gain.std():.3f}"
    return out


def run_seed(name: str, seed: int, settings: list[str], args: Any) -> dict[str, Any]:
    train, calibration, test = split(load(name), args.per_class, seed)
    line: dict[str, Any] = {"dataset": name, "seed": seed, "test_rows": len(test)}
    line["plain_lr"] = plain_lr(train, test)
    for setting in settings:
        run = ours(name, train, test, setting, args.generate)
        line[setting] = run["result"]
        if setting == "real+descriptions":
            clf = run["classifier"]
            texts = [t for t, _ in test]
            started = time.perf_counter()
            clf.predict(texts)
            line["predict_rows_per_s"] = round(len(texts) / (time.perf_counter() - started), 1)
            report = clf.calibrate(
                [t for t, _ in calibration],
                [label for _, label in calibration],
                target_precision=0.9,
            )
            held = clf.evaluate(texts, [label for _, label in test])
            line["calibration"] = {
                "target_precision": 0.9,
                "thresholds": clf.thresholds,
                "calibration_split_precision": report.precision,
                "test_precision_of_answers": held.answered_accuracy,
                "test_coverage": held.coverage,
            }
    print(json.dumps(line), flush=True)
    return line


if __name__ == "__main__":
    main()
