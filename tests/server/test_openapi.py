"""The committed OpenAPI spec matches the code (the UI's types are generated from it)."""

from __future__ import annotations

from gristmill.server.openapi import (
    DEFAULT_SPEC_PATH,
    REGENERATE_COMMAND,
    openapi_spec,
    render_spec,
)


def test_committed_spec_has_not_drifted() -> None:
    assert DEFAULT_SPEC_PATH.exists(), f"docs/openapi.json is missing: run {REGENERATE_COMMAND}"
    committed = DEFAULT_SPEC_PATH.read_text(encoding="utf-8")
    assert committed == render_spec(openapi_spec()), (
        f"docs/openapi.json is out of date with the server's routes: run {REGENERATE_COMMAND}"
    )


def test_spec_documents_the_error_shape_and_clean_operation_ids() -> None:
    spec = openapi_spec()
    select_rows = spec["paths"]["/api/v1/datasets/{namespace}/{name}/select_rows"]["post"]
    assert select_rows["operationId"] == "select_rows"
    error_ref = select_rows["responses"]["404"]["content"]["application/json"]["schema"]
    assert error_ref == {"$ref": "#/components/schemas/ErrorResponse"}
    assert "/api/v1/datasets/{namespace}/{name}/map" not in spec["paths"]
