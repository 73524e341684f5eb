"""Built-in concepts: derive their examples, measure their quality, and time training/scoring.

    python benchmarks/bench_concepts.py build      # write resources/concepts/*.json + heldout/
    python benchmarks/bench_concepts.py evaluate   # held-out F1 / ROC-AUC table (docs/concepts.md)
    python benchmarks/bench_concepts.py speed      # 30-example train time, scoring rows/s
    python benchmarks/bench_concepts.py cross-source [DIR]  # train without a source, test on it

``build`` reads permissively licensed sets from ../shared/data (MIT, Apache-2.0, CC BY 4.0; never
the non-commercial ones) plus the examples written for Gristmill in resources/concepts/authored/,
and splits each concept's candidates into training examples (shipped) and held-out examples
(shipped separately, never trained on). Deterministic (seeded).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "gristmill" / "resources" / "concepts"
AUTHORED = OUT / "authored"
VERSION = 2

PROFANE = re.compile(
    r"\b(fuck\w*|f\*ck\w*|shit\w*|bullshit|bitch\w*|ass|asses|asshole\w*|dumbass|jackass|dick\w*|"
    r"pussy|pussies|cunt\w*|damn\w*|goddam\w*|bastard\w*|hoe|hoes|motherf\w*|crap|crappy|"
    r"piss\w*|twat\w*|wtf|prick\w*|slut\w*|whore\w*)\b",
    re.IGNORECASE,
)
CODE_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
PROGRAMMING = re.compile(
    r"\b(code|function|python|javascript|program|algorithm|variable|database|api|compiler|sql)\b",
    re.I,
)
Item = tuple[str, str]  # (text, source)


def _read(path: str) -> list[dict[str, Any]]:
    with open(DATA / path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _key(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _clean(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text.replace("&amp;", "&")).strip()


class Pools:
    """Candidate texts from each permissive source, tagged ``dataset#row``."""

    def __init__(self) -> None:
        from py3langid import langid

        self._lang = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        self.tweets = {0: [], 1: [], 2: []}  # type: dict[int, list[Item]]
        for row in _read("davidson_hate_offensive/labeled_data.jsonl"):
            text = _clean(row["tweet"])
            self.tweets[row["class"]].append((text, f"davidson_hate_offensive#id={row['id']}"))
        self.prose: list[Item] = []  # English paragraphs without code
        self.programming_prose: list[Item] = []
        self.code: list[Item] = []
        self.foreign: list[Item] = []
        for index, row in enumerate(_read("ultrafeedback_binarized/test_prefs.jsonl")):
            for message in [*row["chosen"][:2], *row["rejected"][1:2]]:
                self._add_document(message["content"], f"ultrafeedback_binarized#row={index}")
        for row in _read("mt_bench/question.jsonl"):
            for turn in row["turns"]:
                self._add_document(turn, f"mt_bench/question#id={row['question_id']}")
        for row in _read("mt_bench/reference_answer_gpt-4.jsonl"):
            for turn in row["choices"][0]["turns"]:
                self._add_document(turn, f"mt_bench/reference_answer#id={row['question_id']}")
        for row in _read("alpaca_seed_tasks/seed_tasks.jsonl"):
            self._add_document(row["instruction"], f"alpaca_seed_tasks#{row['id']}")
            for instance in row["instances"]:
                self._add_document(instance["output"], f"alpaca_seed_tasks#{row['id']}")
        self.sms = [
            (_clean(row["SMS"]), f"sms_spam#row={i}")
            for i, row in enumerate(_read("sms_spam/SMSSpamCollection.jsonl"))
            if row["Label"] == "ham" and len(row["SMS"]) > 15
        ]
        self.sms_profane = [s for s in self.sms if PROFANE.search(s[0])]
        self.chat_turns: list[Item] = []
        for i, row in enumerate(_read("hh_rlhf_harmless/harmless-base_test.jsonl")):
            for turn in re.findall(r"Human: (.*?)(?:\n\nAssistant:|$)", row["chosen"], re.S)[:2]:
                if 15 < len(turn) < 400:
                    self.chat_turns.append((_clean(turn), f"hh_rlhf_harmless#row={i}"))

    def _add_document(self, text: str, source: str) -> None:
        for block in CODE_FENCE.findall(text):
            for chunk in _code_chunks(block):
                self.code.append((chunk, source))
        prose = CODE_FENCE.sub("\n\n", text)
        for raw in re.split(r"\n\s*\n", prose):
            paragraph = raw.strip()
            if not 30 <= len(paragraph) <= 600 or "`" in paragraph or "{" in paragraph:
                continue
            lang, probability = self._lang.classify(paragraph)
            if lang != "en":
                letters = sum(ch.isalpha() for ch in paragraph)
                if probability > 0.95 and letters > 0.6 * len(paragraph):
                    self.foreign.append((paragraph, source))
                continue
            target = self.programming_prose if PROGRAMMING.search(paragraph) else self.prose
            target.append((paragraph, source))


def _code_chunks(block: str, limit: int = 600) -> list[str]:
    lines = block.strip("\n").splitlines()
    chunks, current = [], []  # type: list[str], list[str]
    for line in lines:
        if current and sum(len(x) + 1 for x in current) + len(line) > limit:
            chunks.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if len(c.strip()) >= 25]


def _authored(name: str) -> tuple[list[Item], list[Item]]:
    positives, negatives = [], []  # type: list[Item], list[Item]
    for number, line in enumerate((AUTHORED / f"{name}.txt").read_text().splitlines(), 1):
        if len(line) < 3:
            continue
        text = line[2:].replace("\\n", "\n").replace("\\\\", "\\")
        item = (text, f"authored/{name}.txt#line={number}")
        (positives if line[0] == "+" else negatives).append(item)
    return positives, negatives


def _legal_clauses() -> list[Item]:
    """Contract sentences composed from parts written for Gristmill (varied, grammatical)."""
    parties = [
        "the Licensee",
        "the Contractor",
        "the Tenant",
        "the Employee",
        "the Supplier",
        "the Borrower",
        "the Customer",
        "the Service Provider",
        "the Purchaser",
        "each Party",
    ]
    duties = [
        "shall comply with all applicable laws and regulations",
        "shall not disclose any Confidential Information to third parties",
        "shall maintain adequate insurance coverage at its own expense",
        "shall indemnify the other party against all losses arising from a breach",
        "shall provide written notice of any material breach",
        "may not assign its rights hereunder without prior written consent",
        "shall pay all invoices within thirty (30) days of receipt",
        "shall keep accurate records and permit reasonable audits",
        "waives any right to a jury trial to the extent permitted by law",
        "shall deliver the goods in accordance with the agreed specifications",
    ]
    conditions = [
        "during the Term of this Agreement",
        "unless otherwise agreed in writing",
        "subject to the limitations set forth in Section 9",
        "notwithstanding any provision to the contrary",
        "upon termination or expiration of this Agreement",
        "in accordance with the governing law of the jurisdiction",
    ]
    out = []
    for p, d, c in itertools.product(parties, duties, conditions):
        sentence = f"{p[0].upper()}{p[1:]} {d} {c}."
        out.append((sentence, "authored/legal-clauses (composed in benchmarks/bench_concepts.py)"))
    random.Random(7).shuffle(out)
    return out[:170]


def _split(items: list[Item], held_out_share: float) -> tuple[list[Item], list[Item]]:
    """Split by source document, so paragraphs of one document never land on both sides."""
    train, held = [], []  # type: list[Item], list[Item]
    for item in items:
        document = item[1].split("#line=")[0] if "#line=" not in item[1] else item[1]
        (held if _key(document) % 1000 < held_out_share * 1000 else train).append(item)
    return train, held


def _take(items: list[Item], n: int, seed: int, exclude: set[str] | None = None) -> list[Item]:
    seen = set(exclude or ())
    unique = []
    for item in items:
        if item[0] not in seen:
            seen.add(item[0])
            unique.append(item)
    random.Random(seed).shuffle(unique)
    return unique[:n]


def _tweets(pools: Pools, classes: tuple[int, ...], held: bool) -> list[Item]:
    items = [t for c in classes for t in pools.tweets[c]]
    return [t for t in items if (_key(t[1]) % 5 == 0) == held]


def _neutral(pools: Pools, held: bool, seed: int) -> list[Item]:
    """Everyday English: chat prompts and answers, task instructions, SMS."""
    prose_train, prose_held = _split(pools.prose, 0.25)
    sms_train, sms_held = _split(pools.sms, 0.25)
    prose, sms = (prose_held, sms_held) if held else (prose_train, sms_train)
    clean_sms = [s for s in sms if not PROFANE.search(s[0])]
    return _take(prose, 80 if held else 140, seed) + _take(clean_sms, 40 if held else 80, seed)


def assemble(name: str, pools: Pools) -> dict[str, list[tuple[Item, bool]]]:
    """Training and held-out examples of one built-in concept."""
    a_pos, a_neg = _authored(name)
    a_pos_train, a_pos_held = a_pos[1::4] + a_pos[2::4] + a_pos[3::4], a_pos[0::4]
    a_neg_train, a_neg_held = a_neg[1::4] + a_neg[2::4] + a_neg[3::4], a_neg[0::4]
    if name == "profanity":
        profane = [t for t in _tweets(pools, (0, 1), False) if PROFANE.search(t[0])]
        clean = [t for t in _tweets(pools, (2,), False) if not PROFANE.search(t[0])]
        chat_profane = [t for t in pools.chat_turns if PROFANE.search(t[0])]
        chat_clean = [t for t in pools.chat_turns if not PROFANE.search(t[0])]
        chat_pos_train, chat_pos_held = _split(chat_profane, 0.25)
        chat_neg_train, chat_neg_held = _split(chat_clean, 0.25)
        # Text messages swear in another register than tweets; version 1 had no such positives.
        sms_pos_train, sms_pos_held = _split(pools.sms_profane, 0.25)
        pos = (
            _take(profane, 330, 1)
            + _take(chat_pos_train, 60, 1)
            + _take(sms_pos_train, 80, 1)
            + a_pos_train
        )
        neg = (
            _take(clean, 260, 2)
            + _take(chat_neg_train, 50, 2)
            + _neutral(pools, False, 2)
            + a_neg_train
        )
        held_pos = (
            _take(_tweets(pools, (0, 1), True), 700, 3)
            + _take(chat_pos_held, 40, 3)
            + _take(sms_pos_held, 40, 3)
            + a_pos_held
        )
        held_neg = (
            _take(_tweets(pools, (2,), True), 700, 4)
            + _take(chat_neg_held, 40, 4)
            + _neutral(pools, True, 4)[:60]
            + a_neg_held
        )
    elif name == "toxicity":
        hateful = _tweets(pools, (0,), False)
        offensive = _tweets(pools, (1,), False)
        pos = _take(hateful, 250, 5) + _take(offensive, 120, 5) + a_pos_train
        neg = (
            _take(_tweets(pools, (2,), False), 250, 6)
            + _neutral(pools, False, 6)[:120]
            + a_neg_train
        )
        held_pos = (
            _take(_tweets(pools, (0,), True), 280, 7)
            + _take(_tweets(pools, (1,), True), 280, 7)
            + a_pos_held
        )
        held_neg = (
            _take(_tweets(pools, (2,), True), 500, 8) + _neutral(pools, True, 8)[:60] + a_neg_held
        )
    elif name == "legal":
        clauses = _legal_clauses()
        pos = clauses[:130] + a_pos_train
        neg = (
            _neutral(pools, False, 9)
            + _take(_tweets(pools, (2,), False), 60, 9)
            + _take(pools.programming_prose, 40, 9)
            + a_neg_train
        )
        held_pos = clauses[130:] + a_pos_held
        held_neg = _neutral(pools, True, 10) + a_neg_held
    elif name == "source-code":
        code_train, code_held = _split(pools.code, 0.25)
        prog_train, prog_held = _split(pools.programming_prose, 0.25)
        pos = _take(code_train, 260, 11) + a_pos_train
        neg = _take(prog_train, 100, 11) + _neutral(pools, False, 11) + a_neg_train
        held_pos = _take(code_held, 120, 12) + a_pos_held
        held_neg = _take(prog_held, 60, 12) + _neutral(pools, True, 12)[:80] + a_neg_held
    elif name == "non-english":
        foreign_train, foreign_held = _split(pools.foreign, 0.25)
        pos = _take(foreign_train, 220, 13) + a_pos_train
        neg = _neutral(pools, False, 13) + _take(_tweets(pools, (2,), False), 60, 13) + a_neg_train
        held_pos = _take(foreign_held, 80, 14) + a_pos_held
        held_neg = _neutral(pools, True, 14)[:100] + a_neg_held
    else:
        raise SystemExit(f"unknown built-in concept {name}")
    train = _dedupe([(x, True) for x in pos] + [(x, False) for x in neg], set())
    held = _dedupe(
        [(x, True) for x in held_pos] + [(x, False) for x in held_neg], {x[0][0] for x in train}
    )
    return {"train": train, "held_out": held}


def _dedupe(items: list[tuple[Item, bool]], exclude: set[str]) -> list[tuple[Item, bool]]:
    seen = set(exclude)
    out = []
    for item in items:
        if item[0][0] not in seen:
            seen.add(item[0][0])
            out.append(item)
    return out


DESCRIPTIONS = {
    "profanity": "Profane, obscene or vulgar language: swearing, curse words, crude insults.",
    "toxicity": "Rude, hateful, harassing or threatening text aimed at a person or a group.",
    "legal": "Legal language: contract clauses, statutes, court proceedings, legal rights.",
    "source-code": "Source code, shell commands, queries or markup (not prose about code).",
    "non-english": "Text written in a language other than English.",
}


def build() -> None:
    pools = Pools()
    (OUT / "heldout").mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict[str, dict[str, int]]] = {}
    for name, description in DESCRIPTIONS.items():
        parts = assemble(name, pools)
        examples = [
            {"id": f"{name}-{i:04d}", "text": text, "label": label, "source": source}
            for i, ((text, source), label) in enumerate(parts["train"])
        ]
        payload = {
            "name": name,
            "type": "text",
            "description": description,
            "version": VERSION,
            "examples": examples,
        }
        (OUT / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n")
        with open(OUT / "heldout" / f"{name}.jsonl", "w", encoding="utf-8") as handle:
            for (text, source), label in parts["held_out"]:
                handle.write(
                    json.dumps({"text": text, "label": label, "source": source}, ensure_ascii=False)
                    + "\n"
                )
        summary[name] = {}
        for split, items in parts.items():
            for (_, source), label in items:
                dataset = source.split("#")[0].split(" ")[0]
                row = summary[name].setdefault(f"{split}:{'pos' if label else 'neg'}", {})
                row[dataset] = row.get(dataset, 0) + 1
        print(name, {k: sum(v.values()) for k, v in summary[name].items()})
    (OUT / "heldout" / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")


def _metrics(labels: list[bool], scores: Any) -> dict[str, float]:
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    predicted = [s >= 0.5 for s in scores]
    return {
        "n": len(labels),
        "precision": precision_score(labels, predicted, zero_division=0),
        "recall": recall_score(labels, predicted, zero_division=0),
        "f1": f1_score(labels, predicted, zero_division=0),
        "roc_auc": roc_auc_score(labels, scores),
    }


def _row(title: str, m: dict[str, float]) -> str:
    return (
        f"| {title} | {m['n']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |"
        f" {m['roc_auc']:.3f} |"
    )


def evaluate(write_models: bool = False) -> None:
    """Score every built-in's held-out examples (and davidson views for profanity)."""
    from gristmill import project
    from gristmill.concepts import get_concept, load_held_out, train_model
    from gristmill.embed import get_embedding

    project.set_project_dir(tempfile.mkdtemp(prefix="gristmill-concepts-eval-"))
    embedder = get_embedding("minilm")
    embed = _Embeddings()
    lines = [
        "| concept / held-out set | n | precision | recall | F1 | ROC-AUC |",
        "|---|---|---|---|---|---|",
    ]
    for name in DESCRIPTIONS:
        concept = get_concept("gristmill", name)
        started = time.perf_counter()
        # What Concept.train does (examples in text order, the same training code), with the
        # vectors from the benchmark's disk cache instead of a fresh project's empty one.
        examples = sorted(concept.examples(), key=lambda x: x.text)
        model = train_model(
            embed([x.text for x in examples]),
            [x.label for x in examples],
            namespace=concept.namespace,
            name=name,
            draft="main",
            concept_version=concept.version,
            embedding="minilm",
            embedding_model_id=embedder.model_id,
        )
        print(
            f"{name}: trained on {model.metrics.num_examples} examples in"
            f" {time.perf_counter() - started:.1f}s (incl. embedding), CV {model.metrics}"
        )
        if write_models:
            target = OUT / "models" / f"{name}.minilm.json"
            target.parent.mkdir(exist_ok=True)
            target.write_text(model.record.model_dump_json(indent=0) + "\n")
        held = load_held_out(name)
        scores = model.score_vectors(embed([x.text for x in held]))
        labels = [x.label for x in held]
        lines.append(_row(f"{name}: all held-out", _metrics(labels, scores)))
        if name in ("profanity", "toxicity"):
            tweets = [i for i, x in enumerate(held) if x.source.startswith("davidson")]
            t_labels = [labels[i] for i in tweets]
            t_scores = [scores[i] for i in tweets]
            lines.append(
                _row(f"{name}: davidson tweets, class 0/1 vs 2", _metrics(t_labels, t_scores))
            )
            lexical = [bool(PROFANE.search(held[i].text)) for i in tweets]
            if name == "profanity":
                lines.append(
                    _row(
                        f"{name}: davidson tweets, profane words vs none",
                        _metrics(lexical, t_scores),
                    )
                )
    print("\n".join(lines))


def speed() -> None:
    """Train time of a 30-example concept (embeddings cached) and scoring throughput."""
    import numpy as np

    from gristmill import project
    from gristmill.concepts import create_concept, get_concept, load_held_out
    from gristmill.embed import get_embedding

    project.set_project_dir(tempfile.mkdtemp(prefix="gristmill-concepts-speed-"))
    held = load_held_out("profanity")
    pos = [x.text for x in held if x.label][:15]
    neg = [x.text for x in held if not x.label][:15]
    concept = create_concept("local", "speed")
    concept.add_examples(pos, label=True)
    concept.add_examples(neg, label=False)
    started = time.perf_counter()
    concept.train()
    print(
        f"30 examples, first train (loads MiniLM, embeds 30): {time.perf_counter() - started:.3f}s"
    )
    fresh = [_train_in_fresh_process(project.get_project_dir()) for _ in range(3)]
    print(
        "30 examples, train in a fresh process with cached embeddings (python -c, imports"
        f" included): median {sorted(fresh)[1]:.3f}s, min {min(fresh):.3f}s"
    )
    times = []
    for _ in range(5):
        started = time.perf_counter()
        concept.train()
        times.append(time.perf_counter() - started)
    print(
        f"30 examples, retrain with cached embeddings (incl. 5-fold CV + save):"
        f" median {sorted(times)[2] * 1000:.0f} ms, min {min(times) * 1000:.0f} ms"
    )
    concept.add_examples(["one more profane fucking example"], label=True)
    started = time.perf_counter()
    concept.model()
    print(f"after adding 1 example (embeds 1, retrains): {time.perf_counter() - started:.3f}s")
    model = get_concept("gristmill", "profanity").model()
    vectors = np.random.default_rng(0).normal(size=(100_000, model.dim)).astype(np.float32)
    started = time.perf_counter()
    model.score_vectors(vectors)
    elapsed = time.perf_counter() - started
    print(f"score_vectors: {len(vectors) / elapsed:,.0f} rows/s (100k precomputed vectors)")
    texts = [x.text for x in held][:1000]
    embedder = get_embedding("minilm")
    embedder.embed(texts[:10])
    started = time.perf_counter()
    get_concept("gristmill", "profanity").score(texts)
    elapsed = time.perf_counter() - started
    print(f"score(texts) incl. MiniLM embedding: {len(texts) / elapsed:,.0f} rows/s (1000 texts)")


def _train_in_fresh_process(project_dir: Path) -> float:
    """Wall time of ``python -c`` training the 'local/speed' concept: start, imports, train."""
    import subprocess

    code = (
        "from gristmill import project;"
        f"project.set_project_dir({str(project_dir)!r});"
        "from gristmill.concepts import get_concept;"
        "get_concept('local', 'speed').train()"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# Cross-source evaluation: train each built-in on its shipped examples minus one source and
# measure it on text from that source only, which it never saw. The in-distribution held-out
# figures (``evaluate``) flatter a concept built mostly from one data set; these do not.

EMBED_CACHE = Path(tempfile.gettempdir()) / "gristmill-bench-concepts-minilm.npz"
Labelled = list[tuple[str, bool]]


class _Embeddings:
    """MiniLM vectors cached on disk by text hash: this machine embeds ~100 texts/s."""

    def __init__(self) -> None:
        import numpy as np

        self._vectors: dict[str, Any] = {}
        if EMBED_CACHE.is_file():
            with np.load(EMBED_CACHE) as stored:
                self._vectors = {key: stored[key] for key in stored.files}
        self._dirty = False

    def __call__(self, texts: list[str]) -> Any:
        import numpy as np

        from gristmill.embed import get_embedding

        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors})
        if todo:
            by_key = dict(zip(keys, texts, strict=True))
            vectors = get_embedding("minilm").embed([by_key[k] for k in todo])
            for key, vector in zip(todo, vectors, strict=True):
                self._vectors[key] = np.asarray(vector, dtype=np.float32)
            self._dirty = True
            self.save()
        return np.stack([self._vectors[k] for k in keys])

    def save(self) -> None:
        import numpy as np

        if self._dirty:
            # Written aside and renamed: a reader in another process never sees half a file.
            partial = EMBED_CACHE.with_suffix(f".{os.getpid()}.npz")
            np.savez(partial, **self._vectors)
            os.replace(partial, EMBED_CACHE)
            self._dirty = False


def _qmsum_utterances(limit: int) -> list[str]:
    """Meeting talk (QMSum, MIT) that no built-in trains on: everyday spoken English from an
    unseen source. Turns about bills and laws are skipped (parliament sessions are legal-ish)."""
    out = set()
    for name in ("qmsum/test.jsonl", "qmsum/val.jsonl"):
        for row in _read(name):
            for turn in row["meeting_transcripts"]:
                text = _clean(re.sub(r"\{[^}]*\}", "", turn["content"]))
                legalish = re.search(
                    r"\b(bills?|laws?|legal\w*|legislat\w*|acts?|amendments?|courts?|statut\w*)\b",
                    text,
                    re.I,
                )
                if 60 <= len(text) <= 400 and not legalish:
                    out.add(text)
    return sorted(out, key=_key)[:limit]


def _hh_pairs(limit: int) -> Labelled:
    """Final assistant replies of hh-rlhf harmless pairs: the rejected one (judged more harmful
    by the annotator) is positive. A relative judgement, so a noisy absolute label."""
    out: Labelled = []
    for row in _read("hh_rlhf_harmless/harmless-base_test.jsonl"):
        chosen = row["chosen"].rsplit("\n\nAssistant:", 1)[-1].strip()
        rejected = row["rejected"].rsplit("\n\nAssistant:", 1)[-1].strip()
        if chosen != rejected and 20 < len(chosen) < 500 and 20 < len(rejected) < 500:
            out += [(rejected, True), (chosen, False)]
    return out[: limit * 2]


def _balanced(pos: list[str], neg: list[str], n_pos: int, n_neg: int, seed: int) -> Labelled:
    rng = random.Random(seed)
    pos, neg = sorted(set(pos)), sorted(set(neg) - set(pos))
    rng.shuffle(pos)
    rng.shuffle(neg)
    return [(t, True) for t in pos[:n_pos]] + [(t, False) for t in neg[:n_neg]]


Case = tuple[str, str, Any, Labelled, str]


def _cross_source_cases(pools: Pools) -> list[Case]:
    """(concept, test set, which training examples to drop, test examples, how labelled)."""

    def drop(*prefixes: str) -> Any:
        return lambda text, source: source.startswith(prefixes)

    tweets = {c: [t for t, s in pools.tweets[c] if _key(s) % 5 == 0] for c in (0, 1, 2)}
    davidson = _balanced(tweets[0] + tweets[1], tweets[2], 400, 400, 31)
    turns = [t for t, _ in pools.chat_turns]
    profane_turns = [t for t in turns if PROFANE.search(t)]
    hh_profane = _balanced(profane_turns, [t for t in turns if not PROFANE.search(t)], 150, 300, 32)
    sms = [t for t, _ in pools.sms]
    sms_profane = _balanced([t for t in sms if PROFANE.search(t)], sms, 120, 240, 35)
    meetings = _qmsum_utterances(200)
    clauses = [t for t, _ in _legal_clauses()]
    l_pos, l_neg = _authored("legal")

    def code_case(prefix: str, seed: int) -> Labelled:
        code = [t for t, s in pools.code if s.startswith(prefix)]
        prose = [t for t, s in pools.programming_prose + pools.prose if s.startswith(prefix)]
        return _balanced(code, prose, 150, 150, seed)

    tweet_label = "Davidson crowd label: hate or offensive (0/1) vs neither (2)"
    cases: list[Case] = [
        ("profanity", "Davidson tweets", drop("davidson"), davidson, tweet_label),
        (
            "profanity",
            "hh-rlhf red-team human turns",
            drop("hh_rlhf"),
            hh_profane,
            "a word of the PROFANE list in the turn (lexical)",
        ),
        (
            "profanity",
            "SMS (ham)",
            drop("sms_spam"),
            sms_profane,
            "a word of the PROFANE list in the message (lexical)",
        ),
        ("toxicity", "Davidson tweets", drop("davidson"), davidson, tweet_label),
        (
            "toxicity",
            "hh-rlhf final replies",
            drop("hh_rlhf"),
            _hh_pairs(200),
            "rejected reply (more harmful) vs chosen; relative, very noisy",
        ),
        (
            "legal",
            "composed contract clauses vs meeting talk",
            drop("authored/legal-clauses"),
            [(t, True) for t in clauses] + [(t, False) for t in meetings[:170]],
            "clauses positive, QMSum utterances negative",
        ),
        (
            "legal",
            "authored legal / non-legal lines",
            drop("authored/legal.txt"),
            [(t, True) for t, _ in l_pos] + [(t, False) for t, _ in l_neg],
            "the +/- marks of authored/legal.txt",
        ),
        (
            "source-code",
            "mt-bench code vs prose",
            drop("mt_bench"),
            code_case("mt_bench", 33),
            "fenced code blocks positive, paragraphs negative",
        ),
        (
            "source-code",
            "ultrafeedback code vs prose",
            drop("ultrafeedback"),
            code_case("ultrafeedback", 34),
            "fenced code blocks positive, paragraphs negative",
        ),
    ]
    from py3langid import langid

    identify = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    foreign = [t for t, _ in pools.foreign] + [t for t, _ in _authored("non-english")[0]]
    by_language: dict[str, list[str]] = {}
    for text in foreign:
        by_language.setdefault(identify.classify(text)[0], []).append(text)
    for code in sorted(by_language, key=lambda c: (-len(by_language[c]), c))[:4]:

        def same_language(text: str, source: str, code: str = code) -> bool:
            return bool(identify.classify(text)[0] == code)

        cases.append(
            (
                "non-english",
                f"language '{code}' vs meeting talk",
                same_language,
                [(t, True) for t in by_language[code]] + [(t, False) for t in meetings[:100]],
                f"py3langid says '{code}' (every such example dropped from training)",
            )
        )
    return cases


def cross_source(examples_dir: Path = OUT) -> None:
    """Train each built-in without one source (the project's training code), score that source.

    ``examples_dir`` holds the ``<concept>.json`` files to start from (a copy of an older build
    measures the recipe before a change)."""

    from gristmill.concepts import train_model

    pools = Pools()
    embed = _Embeddings()
    load = os.getloadavg()
    lines = [
        f"load average at start: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}",
        "",
        "| concept | test source (never trained on) | trained on | n (pos/neg) | F1 at 0.5 |"
        " ROC-AUC | label |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, title, excluded, test, how in _cross_source_cases(pools):
        examples = json.loads((examples_dir / f"{name}.json").read_text(encoding="utf-8"))[
            "examples"
        ]
        test_texts = {t for t, _ in test}
        kept = [
            x
            for x in examples
            if not excluded(x["text"], x["source"]) and x["text"] not in test_texts
        ]
        vectors = embed([x["text"] for x in kept])
        model = train_model(
            vectors,
            [x["label"] for x in kept],
            namespace="bench",
            name=name,
            draft="main",
            concept_version=0,
            embedding="minilm",
            embedding_model_id="minilm",
        )
        labels = [label for _, label in test]
        scores = model.score_vectors(embed([t for t, _ in test]))
        n_pos = sum(labels)
        if 0 < n_pos < len(labels):
            m = _metrics(labels, scores)
            quality = f"{m['f1']:.3f} | {m['roc_auc']:.3f}"
        else:
            quality = f"FP rate {float((scores >= 0.5).mean()):.3f} | -"
        lines.append(
            f"| {name} | {title} | {len(kept)} | {n_pos}/{len(labels) - n_pos} | {quality}"
            f" | {how} |"
        )
        print(lines[-1], flush=True)
    lines.append(f"load average at end: {os.getloadavg()[0]:.1f}")
    print("\n".join(lines))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "speed"
    if command == "build":
        build()
    elif command == "evaluate":
        evaluate(write_models="--write-models" in sys.argv)
    elif command == "speed":
        speed()
    elif command == "cross-source":
        cross_source(Path(sys.argv[2]) if len(sys.argv) > 2 else OUT)
    else:
        raise SystemExit(__doc__)
