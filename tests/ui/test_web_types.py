"""The UI's types come from the server's spec and cannot drift from it.

The chain is: pydantic models -> docs/openapi.json (tests/server/test_openapi.py checks it against
the server) -> web/src/api/schema.gen.ts (checked here) -> web/src/api/types.ts (aliases of the
generated types, so `tsc` fails when the UI reads a field the server no longer sends).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gristmill.data.filters import FILTER_OPS
from gristmill.server.openapi import DEFAULT_SPEC_PATH, REGENERATE_COMMAND, openapi_spec

WEB = Path(__file__).resolve().parents[2] / "web"
TYPES_TS = WEB / "src" / "api" / "types.ts"
SCHEMA_GEN_TS = WEB / "src" / "api" / "schema.gen.ts"
GENERATOR = WEB / "scripts" / "gen-types.mjs"


def _ts_string_array(name: str) -> list[str]:
    source = TYPES_TS.read_text(encoding="utf-8")
    found = re.search(rf"export const {name} = \[(.*?)\]", source, re.DOTALL)
    assert found, f"{name} is not in {TYPES_TS}"
    return re.findall(r'"([^"]+)"', found.group(1))


def test_the_ui_offers_exactly_the_servers_filter_ops() -> None:
    assert _ts_string_array("FILTER_OPS") == list(FILTER_OPS)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref.rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _reached(spec: dict[str, Any], roots: list[Any]) -> set[str]:
    schemas = spec["components"]["schemas"]
    seen: set[str] = set()
    todo = [name for root in roots for name in _refs(root)]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_refs(schemas[name]))
    return seen


def _operations(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path_item in spec["paths"].values():
        yield from (op for op in path_item.values() if isinstance(op, dict) and "responses" in op)


def test_response_schemas_mark_every_field_required() -> None:
    # The server sends every field of a response, defaults included: the generated types must
    # not make the UI guard against a missing one (nor let it forget a null).
    spec = openapi_spec()
    responses = [op["responses"] for op in _operations(spec)]
    schemas = spec["components"]["schemas"]
    optional = {
        name: sorted(set(schemas[name]["properties"]) - set(schemas[name].get("required", [])))
        for name in sorted(_reached(spec, responses))
        if "properties" in schemas[name]
    }
    assert {name: fields for name, fields in optional.items() if fields} == {}, (
        "response models with optional fields: give each model"
        " ConfigDict(json_schema_serialization_defaults_required=True)"
        " (server models: subclass server._models.ResponseBody)"
    )


def test_request_bodies_keep_defaulted_fields_optional() -> None:
    schemas = openapi_spec()["components"]["schemas"]
    assert schemas["SelectRowsRequest"].get("required", []) == []
    assert schemas["CreateExperimentRequest"]["required"] == ["dataset", "input_column"]
    # A model that is both sent and received is split: optional going in, required coming out.
    assert schemas["ModelConfig-Input"]["required"] == ["address"]
    assert set(schemas["ModelConfig-Output"]["required"]) == set(
        schemas["ModelConfig-Output"]["properties"]
    )


def _spec_hash() -> str:
    text = DEFAULT_SPEC_PATH.read_text(encoding="utf-8").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_generated_types_come_from_the_committed_spec() -> None:
    # No Node needed: the generator writes the hash of the spec it read into the file's header.
    assert SCHEMA_GEN_TS.exists(), f"web/src/api/schema.gen.ts is missing: run {REGENERATE_COMMAND}"
    header = SCHEMA_GEN_TS.read_text(encoding="utf-8")[:400]
    found = re.search(r"openapi\.json sha256: ([0-9a-f]{64})", header)
    assert found, f"schema.gen.ts has no spec hash in its header: run {REGENERATE_COMMAND}"
    assert found.group(1) == _spec_hash(), (
        f"web/src/api/schema.gen.ts is stale (docs/openapi.json changed): run {REGENERATE_COMMAND}"
    )


@pytest.mark.skipif(
    shutil.which("node") is None or not (WEB / "node_modules" / "openapi-typescript").exists(),
    reason="needs Node and web/node_modules (cd web && npm ci)",
)
def test_generated_types_are_what_the_generator_writes() -> None:
    # Catches a hand edit of schema.gen.ts, which the hash alone would not.
    result = subprocess.run(
        ["node", str(GENERATOR), "--check"],
        check=False,
        cwd=WEB,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_types_ts_writes_no_api_shape_by_hand() -> None:
    source = TYPES_TS.read_text(encoding="utf-8")
    assert 'from "./schema.gen"' in source
    assert not re.search(r"^export interface ", source, re.MULTILINE), (
        "types.ts declares an interface: alias the generated type (components['schemas'][...])"
    )
