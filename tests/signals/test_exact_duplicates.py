from __future__ import annotations

import pyarrow as pa

from gristmill.signals import ExactDuplicateSignal


def test_groups_texts_equal_after_normalisation() -> None:
    texts = [
        "Hello, World!",
        "unique text",
        "hello world",
        "  HELLO   world ",
        None,
        "Ｈｅｌｌｏ　ｗｏｒｌｄ",  # full-width forms and an ideographic space: NFKC folds them
        "",
        "hello worlds",
    ]
    signal = ExactDuplicateSignal()
    outputs = signal.compute(texts)
    assert outputs[0] == {"dup_group_id": 0, "dup_count": 4, "is_first": True}
    assert outputs[1] == {"dup_group_id": 1, "dup_count": 1, "is_first": True}
    for index in (2, 3, 5):
        assert outputs[index] == {"dup_group_id": 0, "dup_count": 4, "is_first": False}
    assert outputs[4] is None
    assert outputs[6] is None
    assert outputs[7] == {"dup_group_id": 2, "dup_count": 1, "is_first": True}
    pa.array(outputs, type=signal.output_type())


def test_other_scripts_and_punctuation_only() -> None:
    outputs = ExactDuplicateSignal().compute(
        ["你好，世界。", "你好 世界", "你好世界!", "!!!", "???"]
    )
    assert outputs[0]["dup_count"] == 3
    assert outputs[1]["dup_group_id"] == outputs[0]["dup_group_id"]
    # Text made only of punctuation normalises to nothing: such rows group together.
    assert outputs[3]["dup_group_id"] == outputs[4]["dup_group_id"]


def test_real_data_duplicates_are_found(real_texts: list[str]) -> None:
    texts = real_texts[:1000] + [text.upper() for text in real_texts[:100]]
    outputs = ExactDuplicateSignal().compute(texts)
    for i in range(100):
        copy = outputs[1000 + i]
        if copy is None:
            continue
        assert copy["dup_group_id"] == outputs[i]["dup_group_id"]
        assert not copy["is_first"]
        assert copy["dup_count"] >= 2
