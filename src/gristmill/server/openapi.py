"""The committed OpenAPI spec (docs/openapi.json): generate it, or check it for drift.

Regenerate after changing a route or a model, with the UI's types generated from it
(``web/src/api/schema.gen.ts``)::

    make api-types

which runs ``python -m gristmill.server.openapi`` (this module: the spec alone), then
``npm run gen:types`` in ``web/``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gristmill.server._app import create_app

REGENERATE_COMMAND = "make api-types"
# src/gristmill/server/openapi.py -> the repository root
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def openapi_spec() -> dict[str, Any]:
    """The spec of the app with default settings (settings change no route or model)."""
    spec: dict[str, Any] = create_app(static_dir=None).openapi()
    return spec


def render_spec(spec: dict[str, Any]) -> str:
    # Sorted keys and a trailing newline: a stable text that diffs well in review.
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_spec(path: Path = DEFAULT_SPEC_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_spec(openapi_spec()), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_SPEC_PATH
    print(f"wrote {write_spec(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
