"""The UI's hand-written mirror of the server's vocabulary stays in step with the server."""

from __future__ import annotations

import re
from pathlib import Path

from gristmill.data.filters import FILTER_OPS

TYPES_TS = Path(__file__).resolve().parents[2] / "web" / "src" / "api" / "types.ts"


def _ts_string_array(name: str) -> list[str]:
    source = TYPES_TS.read_text(encoding="utf-8")
    found = re.search(rf"export const {name} = \[(.*?)\]", source, re.DOTALL)
    assert found, f"{name} is not in {TYPES_TS}"
    return re.findall(r'"([^"]+)"', found.group(1))


def test_the_ui_offers_exactly_the_servers_filter_ops() -> None:
    assert _ts_string_array("FILTER_OPS") == list(FILTER_OPS)
