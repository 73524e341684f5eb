"""Synthetic instruction/response rows for the core benchmarks, deterministic for a given seed.

Each row is ``{instruction, response, category, source, score, turns}``:

- text is cut from one long Zipf-distributed word stream at random offsets, so rows differ but
  share a realistic vocabulary (a few very common words, a long tail of rare ones);
- instruction lengths are log-normal around 80 characters, clipped to 20-300; responses are
  log-normal around 500 characters, clipped to 50-3000;
- ~15% of responses carry a fenced python code block; ~5% of rows are exact copies of an
  earlier row (the duplicates a curation pass would look for);
- ``score`` is uniform in [0, 1) so ``score < 0.1`` picks ~10% of rows for label/delete.

    .venv/bin/python benchmarks/synthetic.py 100000   # writes benchmarks/.work/synthetic-...
    .venv/bin/python benchmarks/synthetic.py 100000 --parquet   # and the same rows as Parquet

Both files are written in bounded memory (rows one by one; the Parquet copy by DuckDB under a
memory limit), so the 10M-row file (~9.6 GB of JSONL) is made the same way as the small ones.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

WORK_DIR = Path(__file__).resolve().parent / ".work"
GENERATOR_VERSION = 1
DEFAULT_SEED = 20240611

CODE_FRACTION = 0.15
DUPLICATE_FRACTION = 0.05
# Earlier rows kept as duplicate candidates: enough to spread copies across the file.
DUPLICATE_POOL = 10_000
STREAM_WORDS = 3_000_000
PARQUET_MEMORY_LIMIT = "1GB"

_COMMON_TEXT = (
    "the of and to a in is that for it as with was on be by this are or from at an not which "
    "but have you can all your if will one more has their there when what so about use data "
    "model how time would also each like than some into other these first make function value "
    "list number file user text write explain example code step answer question result should "
    "used need work two between because most using way new any well only then them may such "
    "where people could over after where system information important different following"
)
_SYLLABLES_TEXT = (
    "ka ri to men sa lo ve dra qui ne por tal zen bi ru fa mo gel sti pra ex un con der ion "
    "ta lu vi ko re na il st ph or an ce ly ment able ish"
)
_COMMON = _COMMON_TEXT.split()
_SYLLABLES = _SYLLABLES_TEXT.split()
_CATEGORIES = (
    ("open_qa", 25),
    ("brainstorming", 15),
    ("coding", 15),
    ("summarization", 10),
    ("classification", 8),
    ("closed_qa", 8),
    ("creative_writing", 7),
    ("information_extraction", 5),
    ("rewriting", 4),
    ("math", 3),
)
_SOURCES = ("human", "self_instruct", "distilled")
_QUESTION_OPENERS = (
    "Explain",
    "Write",
    "Summarize",
    "List",
    "How do I",
    "What is",
    "Describe",
    "Compare",
    "Give an example of",
    "Why does",
)
_CODE_TEMPLATES = (
    'def {name}({arg}):\n    """{doc}."""\n    return [{arg} * {k} for {arg} in range({n})]\n',
    "import {mod}\n\n\ndef {name}({arg}, limit={n}):\n    total = 0\n"
    "    for item in {arg}[:limit]:\n        total += {mod}.{fn}(item)\n    return total\n",
    "class {cls}:\n    def __init__(self, {arg}):\n        self.{arg} = {arg}\n\n"
    "    def {name}(self):\n        return sorted(self.{arg}, key=len)[:{k}]\n",
    "with open('{arg}.txt') as handle:\n    lines = [line.strip() for line in handle]\n"
    "print(len(lines), '{doc}')\n",
)
_MODULES = ("math", "json", "re", "statistics", "itertools")
_MODULE_FUNCTIONS = ("sqrt", "dumps", "escape", "mean", "count")


def dataset_path(num_rows: int, seed: int = DEFAULT_SEED) -> Path:
    return WORK_DIR / f"synthetic-v{GENERATOR_VERSION}-seed{seed}-{num_rows}.jsonl"


def ensure_dataset(num_rows: int, seed: int = DEFAULT_SEED) -> Path:
    """The JSONL file of ``num_rows`` rows, generated once and reused afterwards."""
    path = dataset_path(num_rows, seed)
    if not path.exists():
        write_rows(path, num_rows, seed)
    return path


def parquet_path(num_rows: int, seed: int = DEFAULT_SEED) -> Path:
    return dataset_path(num_rows, seed).with_suffix(".parquet")


def ensure_parquet(num_rows: int, seed: int = DEFAULT_SEED) -> Path:
    """The same rows as a zstd Parquet file (what a Parquet source usually looks like)."""
    path = parquet_path(num_rows, seed)
    if not path.exists():
        write_parquet(ensure_dataset(num_rows, seed), path)
    return path


def write_parquet(jsonl: Path, path: Path) -> None:
    import duckdb

    partial = path.with_suffix(".parquet-partial")
    connection = duckdb.connect(config={"memory_limit": PARQUET_MEMORY_LIMIT})
    try:
        connection.execute("SET enable_progress_bar = false")
        # Rows keep their file order (DuckDB's default, stated because the copy must match).
        connection.execute("SET preserve_insertion_order = true")
        connection.execute(
            f"COPY (SELECT * FROM read_json(?, records = 'true')) TO '{partial}'"
            " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)",
            [str(jsonl)],
        )
    finally:
        connection.close()
    os.replace(partial, path)


def write_rows(path: Path, num_rows: int, seed: int) -> None:
    """Write to a temporary name first, so an interrupted run never leaves a short file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    generator = _RowGenerator(seed)
    with partial.open("w", encoding="utf-8") as handle:
        for _ in range(num_rows):
            handle.write(generator.next_line())
    os.replace(partial, path)


class _RowGenerator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = self._vocabulary()
        self.stream = self._word_stream()
        self.earlier: list[str] = []
        self.categories = [name for name, _ in _CATEGORIES]
        self.category_weights = [weight for _, weight in _CATEGORIES]

    def _vocabulary(self) -> list[str]:
        """Common English words first (the head of the Zipf curve), made-up words after."""
        made_up = {
            "".join(self.rng.choices(_SYLLABLES, k=self.rng.randint(1, 4))) for _ in range(8000)
        }
        return list(_COMMON) + sorted(made_up - set(_COMMON))

    def _word_stream(self) -> str:
        weights = [1.0 / rank for rank in range(1, len(self.vocabulary) + 1)]
        words = self.rng.choices(self.vocabulary, weights=weights, k=STREAM_WORDS)
        # Sentence breaks every ~12 words give the text punctuation and capitals to match on.
        for index in range(0, len(words), 12):
            words[index] = words[index].capitalize()
            if index:
                words[index - 1] += "."
        return " ".join(words)

    def _text(self, median: float, sigma: float, low: int, high: int) -> str:
        length = int(min(high, max(low, self.rng.lognormvariate(0.0, sigma) * median)))
        start = self.rng.randrange(0, len(self.stream) - high - 64)
        # Start and end on word boundaries so the text reads as words, not fragments.
        start = self.stream.find(" ", start) + 1
        end = self.stream.find(" ", start + length)
        if end - start > high:
            end = self.stream.rfind(" ", start, start + high)
        return self.stream[start:end]

    def _code_block(self) -> str:
        rng = self.rng
        template = rng.choice(_CODE_TEMPLATES)
        code = template.format(
            name=f"{rng.choice(self.vocabulary[:300])}_{rng.choice(self.vocabulary[:300])}",
            arg=rng.choice(("items", "values", "rows", "text", "numbers")),
            cls=rng.choice(self.vocabulary[100:400]).capitalize() + "Store",
            doc=rng.choice(self.vocabulary[:200]),
            k=rng.randint(2, 9),
            n=rng.randint(3, 100),
            mod=rng.choice(_MODULES),
            fn=rng.choice(_MODULE_FUNCTIONS),
        )
        return f"```python\n{code}```"

    def next_line(self) -> str:
        rng = self.rng
        if self.earlier and rng.random() < DUPLICATE_FRACTION:
            return rng.choice(self.earlier)
        instruction = f"{rng.choice(_QUESTION_OPENERS)} {self._text(80, 0.6, 20, 290)}?"
        response = self._text(500, 0.9, 50, 3000)
        if rng.random() < CODE_FRACTION:
            block = self._code_block()
            # Keep the whole block inside the 3000-character cap, between two words.
            response = response[: 3000 - len(block) - 4]
            cut = max(0, response.rfind(" ", 0, rng.randint(0, len(response))))
            response = f"{response[:cut]}\n\n{block}\n\n{response[cut:].lstrip()}"
        row = {
            "instruction": instruction,
            "response": response,
            "category": rng.choices(self.categories, weights=self.category_weights)[0],
            "source": rng.choice(_SOURCES),
            "score": round(rng.random(), 4),
            "turns": rng.randint(1, 5),
        }
        line = json.dumps(row, ensure_ascii=False) + "\n"
        if len(self.earlier) < DUPLICATE_POOL:
            self.earlier.append(line)
        else:
            self.earlier[rng.randrange(DUPLICATE_POOL)] = line
        return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("num_rows", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--parquet", action="store_true", help="also write the Parquet copy")
    args = parser.parse_args()
    print(ensure_dataset(args.num_rows, args.seed))
    if args.parquet:
        print(ensure_parquet(args.num_rows, args.seed))


if __name__ == "__main__":
    main()
