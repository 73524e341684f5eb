from __future__ import annotations

import json
from pathlib import Path

import pytest

ALPACA = Path(__file__).resolve().parents[3] / "shared/data/alpaca_subset/alpaca_data_5k.jsonl"


@pytest.fixture(scope="session")
def alpaca_outputs() -> list[str]:
    if not ALPACA.exists():
        pytest.skip(f"real test data not found at {ALPACA}")
    with ALPACA.open() as file:
        return [json.loads(line)["output"] for line in file if line.strip()]
