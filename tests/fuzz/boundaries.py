"""Boundary-value requests for every operation of an OpenAPI spec.

Each request starts from a valid one (``ValidValues``: names that exist on the server) and
changes one thing to an extreme: an integer to 0, -1, 2**31, 2**63, 10**20 or -2**63, a number
to ±1e308 or 5e-324, a string to '', 100,000 characters (8,000 in a URL), a NUL, an unpaired
surrogate or a path traversal, a list to ``items`` items and an object to half as many keys, a
field or the whole body to 1,000 levels of nesting; an upload gets empty, unreadable and deeply
nested files and hostile file names. Items of list fields (a filter, a search) get the same
treatment one level down, so ``filters[0].value`` meets 2**63 too.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

INTEGERS: tuple[int, ...] = (0, -1, 2**31, 2**63, 10**20, -(2**63))
FLOATS: tuple[float, ...] = (1e308, -1e308, 5e-324, 0.5)
STRINGS: tuple[str, ...] = (
    "",
    "x" * 100_000,
    "nul\x00byte",
    "é東🙂\u202e\u0301",
    "\ud800",  # an unpaired surrogate: valid JSON text, not encodable as UTF-8
    "../../etc/passwd",
)
# A request head (line and headers) may hold 16 KiB in uvicorn's HTTP parser, which refuses
# longer ones itself, before the app; so URLs carry this much, bodies the 100,000 above.
URL_STRINGS: tuple[str, ...] = tuple("x" * 8_000 if len(s) > 8_000 else s for s in STRINGS)
NESTING_DEPTH = 1_000
# Stands in for text spliced into the serialised body (deep nesting, which json.dumps would
# need a deep recursion to write).
_SPLICE = "\x00gristmill-fuzz-splice\x00"


@dataclass(frozen=True)
class Probe:
    """One request: which operation, what was pushed to its limit, and the request itself."""

    operation: str
    change: str
    method: str
    target: str  # path and query, percent-encoded
    body: bytes | None = None
    content_type: str | None = "application/json"
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    form: dict[str, bytes] = field(default_factory=dict)

    def reproduction(self, base_url: str) -> str:
        """A curl command, or a description when the request is too large to print."""
        if len(self.target) > 500 or (self.body is not None and len(self.body) > 500):
            return f"{self.method} {self.operation.split(' ', 1)[1]} with {self.change}"
        parts = ["curl", "-X", self.method, "-H", "X-Gristmill-Request: 1"]
        parts += [f"-F{name}={value.decode(errors='replace')}" for name, value in self.form.items()]
        parts += [f"-F{name}=@{filename}" for name, (filename, _) in self.files.items()]
        if self.body is not None:
            parts += ["-H", f"Content-Type: {self.content_type}", "--data-binary"]
            parts.append(self.body.decode("utf-8", "backslashreplace"))
        parts.append(base_url + self.target)
        return shlex.join(parts)


@dataclass(frozen=True)
class ValidValues:
    """Values that make an operation's request valid and name things that exist."""

    path: dict[str, str]
    fields: dict[str, Any]  # query, body and form fields; these are also sent when optional


def probes(
    spec: dict[str, Any], valid: Callable[[str, str], ValidValues], *, items: int
) -> Iterator[Probe]:
    """Every boundary probe of every operation in ``spec``; deletions last, so the things
    they delete are there for the other operations."""
    operations = [
        (path, method.upper(), operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    operations.sort(key=lambda item: (item[1] == "DELETE", -len(item[0])))
    for path, method, operation in operations:
        yield from _operation_probes(spec, path, method, operation, valid(method, path), items)


def _operation_probes(
    spec: dict[str, Any],
    path: str,
    method: str,
    operation: dict[str, Any],
    valid: ValidValues,
    items: int,
) -> Iterator[Probe]:
    label = f"{method} {path}"
    parameters = operation.get("parameters", [])
    path_values = {
        p["name"]: valid.path.get(p["name"], "x") for p in parameters if p["in"] == "path"
    }
    query_values = {
        p["name"]: _valid_value(spec, p["name"], p["schema"], valid.fields)
        for p in parameters
        if p["in"] == "query" and (p.get("required") or p["name"] in valid.fields)
    }
    content = operation.get("requestBody", {}).get("content", {})
    body_schema = (
        _resolve(spec, content["application/json"]["schema"])
        if "application/json" in content
        else None
    )
    form_schema = (
        _resolve(spec, content["multipart/form-data"]["schema"])
        if "multipart/form-data" in content
        else None
    )
    base_body = _valid_object(spec, body_schema, valid.fields) if body_schema is not None else None

    def probe(
        change: str,
        *,
        path_with: dict[str, str] | None = None,
        query_with: dict[str, Any] | None = None,
        **request: Any,
    ) -> Probe:
        values = {**path_values, **(path_with or {})}
        target = path.format(**{k: _quote(v) for k, v in values.items()})
        query = {**query_values, **(query_with or {})}
        if query:
            target += "?" + "&".join(
                f"{_quote(k)}={_quote(_query_text(v))}" for k, v in query.items()
            )
        if base_body is not None:
            request.setdefault("body", json.dumps(base_body).encode())
        if request.get("body") is None:
            request["content_type"] = None
        return Probe(operation=label, change=change, method=method, target=target, **request)

    yield probe("nothing (the valid request)")
    for name in path_values:
        for text in URL_STRINGS:
            yield probe(f"path {name} = {_show(text)}", path_with={name: text})
    for parameter in (p for p in parameters if p["in"] == "query"):
        name = parameter["name"]
        for value in _boundaries(spec, parameter["schema"], in_url=True):
            yield probe(f"query {name} = {_show(value)}", query_with={name: value})
    if base_body is not None and body_schema is not None:
        for change, body in _body_variants(spec, body_schema, base_body, items):
            yield probe(change, body=body)
    if form_schema is not None:
        yield from _upload_probes(spec, form_schema, valid.fields, probe)


def _body_variants(
    spec: dict[str, Any], schema: dict[str, Any], base: dict[str, Any], items: int
) -> Iterator[tuple[str, bytes]]:
    deep_list = "[" * NESTING_DEPTH + "]" * NESTING_DEPTH
    yield f"the whole body a list nested {NESTING_DEPTH} deep", deep_list.encode()
    yield "the whole body not JSON", b'{"unterminated": '
    yield "the whole body NaN", b"NaN"
    for name, prop in schema.get("properties", {}).items():
        for change, value in _field_variants(spec, prop, f"body.{name}", items):
            yield change, _splice({**base, name: value[0]}, value[1])
        item_schema = _resolve(spec, _non_null(spec, prop)).get("items")
        item = _resolve(spec, item_schema) if isinstance(item_schema, dict) else None
        if item is not None and "properties" in item:
            first = base.get(name) or [_valid_object(spec, item, _ITEM_DEFAULTS)]
            template = first[0] if isinstance(first[0], dict) else {}
            for inner, inner_prop in item["properties"].items():
                where = f"body.{name}[0].{inner}"
                for change, value in _field_variants(spec, inner_prop, where, items):
                    listed = [{**template, inner: value[0]}]
                    yield change, _splice({**base, name: listed}, value[1])


def _field_variants(
    spec: dict[str, Any], schema: dict[str, Any], where: str, items: int
) -> Iterator[tuple[str, tuple[Any, str | None]]]:
    """(change, (value, text spliced in for _SPLICE)) for one field."""
    for value in _boundaries(spec, schema):
        yield f"{where} = {_show(value)}", (value, None)
    deep_list = "[" * NESTING_DEPTH + "]" * NESTING_DEPTH
    deep_object = '{"a":' * NESTING_DEPTH + "{}" + "}" * NESTING_DEPTH
    yield f"{where} = a list nested {NESTING_DEPTH} deep", (_SPLICE, deep_list)
    yield f"{where} = an object nested {NESTING_DEPTH} deep", (_SPLICE, deep_object)
    kinds = _kinds(spec, schema)
    if "array" in kinds:
        item_schema = _resolve(spec, _non_null(spec, schema)).get("items", {})
        item_kinds = _kinds(spec, item_schema) if isinstance(item_schema, dict) else set()
        sample: Any = 1 if item_kinds & {"integer", "number"} else "text"
        yield f"{where} = {items:,} items", ([sample] * items, None)
    if "object" in kinds:
        huge_object = {f"k{i}": i for i in range(items // 2)}
        yield f"{where} = an object of {items // 2:,} keys", (huge_object, None)


def _upload_probes(
    spec: dict[str, Any], schema: dict[str, Any], fields: dict[str, Any], probe: Any
) -> Iterator[Probe]:
    form = {
        name: _query_text(_valid_value(spec, name, prop, fields))
        for name, prop in schema.get("properties", {}).items()
        if name != "file" and (name in schema.get("required", []) or name in fields)
    }
    rows = b'{"text": "a"}\n{"text": "b"}\n'
    file = {"file": ("rows.jsonl", rows)}
    yield probe("an upload", form=_encoded(form), files=file)
    for name in form:
        for text in STRINGS:
            changed = _encoded({**form, name: text})
            yield probe(f"form {name} = {_show(text)}", form=changed, files=file)
    deep = ("[" * NESTING_DEPTH + "]" * NESTING_DEPTH).encode()
    for change, filename, content in (
        ("an empty file", "rows.jsonl", b""),
        ("a file of one line nested 1,000 deep", "rows.jsonl", b'{"a": ' + deep + b"}\n"),
        ("a file that is not JSON", "rows.jsonl", b"\x00\xff\xfe not json"),
        ("a file name '../../etc/passwd.jsonl'", "../../etc/passwd.jsonl", rows),
        ("a file name of NUL and no extension", "nul\x00", rows),
        ("a file name of 100,000 characters", "x" * 100_000 + ".jsonl", rows),
    ):
        yield probe(change, form=_encoded(form), files={"file": (filename, content)})


# Items of list fields built from their schema (a filter, a search) get these.
_ITEM_DEFAULTS: dict[str, Any] = {"path": "text", "op": "exists", "type": "keyword"}


def _valid_object(spec: dict[str, Any], schema: dict[str, Any], known: dict[str, Any]) -> Any:
    required = schema.get("required", [])
    properties = schema.get("properties", {})
    return {
        name: _valid_value(spec, name, prop, known)
        for name, prop in properties.items()
        if name in required or name in known
    }


def _valid_value(
    spec: dict[str, Any], name: str, schema: dict[str, Any], known: dict[str, Any]
) -> Any:
    if name in known:
        return known[name]
    resolved = _resolve(spec, _non_null(spec, schema))
    if "enum" in resolved:
        return resolved["enum"][0]
    kinds = _kinds(spec, resolved)
    if "string" in kinds:
        return "text"
    if kinds & {"integer", "number"}:
        return max(1, resolved.get("minimum", 1))
    if "boolean" in kinds:
        return False
    if "array" in kinds:
        return []
    if "object" in kinds:
        return _valid_object(spec, resolved, known) if "properties" in resolved else {}
    return None


def _boundaries(spec: dict[str, Any], schema: dict[str, Any], *, in_url: bool = False) -> list[Any]:
    kinds = _kinds(spec, schema)
    values: list[Any] = []
    if kinds & {"integer", "number"}:
        values += INTEGERS
    if "number" in kinds:
        values += FLOATS
    if "string" in kinds or not kinds:
        values += URL_STRINGS if in_url else STRINGS
    return values


def _kinds(spec: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(spec, schema)
    if "type" in schema:
        kind = schema["type"]
        return set(kind) if isinstance(kind, list) else {kind}
    if "enum" in schema:
        return {"string"}
    found: set[str] = set()
    for option in schema.get("anyOf", []) + schema.get("oneOf", []):
        found |= _kinds(spec, option)
    return found


def _non_null(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    options = [o for o in schema.get("anyOf", []) if _resolve(spec, o).get("type") != "null"]
    return options[0] if len(options) == 1 else schema


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _splice(body: dict[str, Any], text: str | None) -> bytes:
    serialised = json.dumps(body)
    if text is not None:
        serialised = serialised.replace(json.dumps(_SPLICE), text)
    return serialised.encode("utf-8", "surrogatepass")


def _quote(text: str) -> str:
    # surrogatepass: an unpaired surrogate goes out as the invalid UTF-8 it encodes to.
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _encoded(form: dict[str, str]) -> dict[str, bytes]:
    return {name: value.encode("utf-8", "surrogatepass") for name, value in form.items()}


def _query_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:1]!r} * {len(value):,}"
    if isinstance(value, int) and abs(value) > 2**20:
        for base, exp in ((2, 31), (2, 63), (10, 20)):
            if abs(value) == base**exp:
                return f"{'-' if value < 0 else ''}{base}**{exp}"
    return repr(value)
