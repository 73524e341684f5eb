from __future__ import annotations

import pytest

from tests.fixtures import real_texts as read_real_texts


@pytest.fixture(scope="session")
def real_texts() -> list[str]:
    """About 1,250 distinct texts people and models wrote: answers, instructions, chat turns,
    meeting turns and summaries, text messages (tests/fixtures/)."""
    return read_real_texts()


@pytest.fixture(scope="session")
def written_texts() -> list[str]:
    """The same without the text messages, whose spam comes in near-copies of its own (one
    message sent with other phone numbers)."""
    return read_real_texts(messages=False)
