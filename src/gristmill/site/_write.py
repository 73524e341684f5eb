"""Writing a site: one folder a browser opens through any static file server.

::

    out_dir/
      index.html, viewer.js, viewer.css   the viewer (no CDN, nothing fetched from elsewhere)
      site.json                           the manifest: is it encrypted, and the PBKDF2 salt
      data/root.<ext>                     title, facets, and the files of each table
      data/<table>-<n>.<ext>              chunks of the tables, each at most max_file_bytes

Tables are lists of rows: the conversations, each facet's tree nodes and map points, and the
facet values. Each chunk is gzip JSON (``.json.gz``), or with a password that gzip encrypted
(``.bin``): then **every** data file, the root and the map points included, is unreadable
without the password, and only the manifest (no data in it) is plain.
"""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pydantic_core

from gristmill.errors import InvalidInputError
from gristmill.site._crypto import NONCE_BYTES, SiteKey, derive_key
from gristmill.site._data import FacetValue, SiteData

DEFAULT_MAX_FILE_BYTES = 10 * 2**20
MANIFEST = "site.json"
DATA_DIR = "data"
ASSETS = ("index.html", "viewer.js", "viewer.css")
FORMAT = "gristmill-site"
VERSION = 1
# AES-GCM's nonce and tag, and gzip's header and trailer, around a chunk's JSON.
_ENVELOPE_BYTES = NONCE_BYTES + 16 + 32
_MIN_FILE_BYTES = 1024

ConversationFilter = Callable[[Any, dict[str, FacetValue]], bool]
DataToJson = Callable[[Any], list[dict[str, Any]]]


@dataclass(frozen=True)
class SiteInfo:
    """What ``write_site`` wrote."""

    out_dir: Path
    conversations: int
    data_files: int
    total_bytes: int
    largest_file_bytes: int
    encrypted: bool


def write_site(
    data: SiteData,
    out_dir: str | Path,
    *,
    password: str | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    conversation_filter: ConversationFilter | None = None,
    data_to_json: DataToJson | None = None,
) -> SiteInfo:
    """Write ``data`` as a static site into ``out_dir`` (empty, or a site written before).

    ``conversation_filter(conversation, facet_values)`` keeps a conversation on the site when
    true (OpenClio's ``htmlConversationFilterFunc``); a dropped one is in no file. ``data_to_json``
    turns a conversation into ``[{role, content}, ...]`` turns (``htmlDataToJsonFunc``).
    """
    if max_file_bytes < _MIN_FILE_BYTES:
        raise InvalidInputError(
            f"max_file_bytes must be at least {_MIN_FILE_BYTES}, got {max_file_bytes}",
            hint="the default is 10 MiB",
        )
    target = Path(out_dir)
    _prepare_folder(target)
    key = derive_key(password) if password is not None else None
    writer = _ChunkWriter(target, key, max_file_bytes)

    kept = _kept_indices(data, conversation_filter)
    to_turns = data_to_json or conversation_turns
    tables: dict[str, list[dict[str, Any]]] = {}
    tables["conversations"] = writer.table(
        "conversations", [to_turns(data.conversations[i]) for i in kept]
    )
    value_facets = list(data.facet_values)
    tables["values"] = writer.table(
        "values", [[data.facet_values[name][i] for name in value_facets] for i in kept]
    )
    trees: dict[str, str] = {}
    for index, (name, tree) in enumerate(data.trees.items()):
        table = f"nodes{index}"
        trees[name] = table
        tables[table] = writer.table(table, [node.model_dump() for node in tree.nodes.values()])
    points: dict[str, str] = {}
    for index, (name, facet_points) in enumerate(data.points.items()):
        table = f"points{index}"
        points[name] = table
        tables[table] = writer.table(
            table,
            [
                [
                    _coordinate(facet_points.x[i]),
                    _coordinate(facet_points.y[i]),
                    facet_points.node[i],
                ]
                for i in kept
            ],
        )
    root = {
        "title": data.title,
        "facets": [facet.model_dump() for facet in data.facets],
        "roots": {name: tree.roots for name, tree in data.trees.items()},
        "conversations": len(kept),
        "value_facets": value_facets,
        "trees": trees,
        "points": points,
        "tables": tables,
    }
    root_name = writer.write("root", _json_bytes(root))
    _write_manifest(target, key, root_name)
    _copy_assets(target)
    return SiteInfo(
        out_dir=target,
        conversations=len(kept),
        data_files=len(writer.sizes),
        total_bytes=sum(writer.sizes),
        largest_file_bytes=max(writer.sizes),
        encrypted=key is not None,
    )


def conversation_turns(conversation: Any) -> list[dict[str, Any]]:
    """A conversation as chat turns: ``{role, content}`` lists (or OpenAI ``messages``) as they
    are; anything else as one turn holding its text."""
    if isinstance(conversation, dict) and isinstance(conversation.get("messages"), list):
        conversation = conversation["messages"]
    if isinstance(conversation, list) and all(
        isinstance(turn, dict) and "content" in turn for turn in conversation
    ):
        return [
            {"role": str(turn.get("role", "")), "content": _text(turn["content"])}
            for turn in conversation
        ]
    return [{"role": "data", "content": _text(conversation)}]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _kept_indices(data: SiteData, keep: ConversationFilter | None) -> list[int]:
    if keep is None:
        return list(range(len(data.conversations)))
    return [
        i
        for i, conversation in enumerate(data.conversations)
        if keep(conversation, {name: values[i] for name, values in data.facet_values.items()})
    ]


class _ChunkWriter:
    """Writes tables as chunk files under the size limit, encrypting each when there is a key."""

    def __init__(self, out_dir: Path, key: SiteKey | None, max_file_bytes: int) -> None:
        self.out_dir = out_dir
        self.key = key
        self.max_file_bytes = max_file_bytes
        self.sizes: list[int] = []
        (out_dir / DATA_DIR).mkdir()

    def table(self, name: str, rows: list[Any]) -> list[dict[str, Any]]:
        """Write ``rows`` in chunks; the chunks' file names and row counts, in order.

        A chunk is filled up to the limit times the compression seen so far, then halved until
        its file fits: files come out near the limit, so a big site needs few requests.
        """
        encoded = [_json_bytes(row) for row in rows]
        files: list[dict[str, Any]] = []
        budget = self.max_file_bytes - _ENVELOPE_BYTES
        ratio = 1.0
        start = 0
        while start < len(encoded):
            end, used = start, 2
            while end < len(encoded) and (
                end == start or used + len(encoded[end]) < budget * ratio
            ):
                used += len(encoded[end]) + 1
                end += 1
            while True:
                plain = b"[" + b",".join(encoded[start:end]) + b"]"
                file, body = self.seal(f"{name}-{len(files)}", plain)
                if len(body) <= self.max_file_bytes:
                    break
                if end - start == 1:
                    raise InvalidInputError(
                        f"one row of {name} takes {len(body)} bytes compressed, over the"
                        f" {self.max_file_bytes}-byte file limit",
                        hint="raise max_file_bytes, or shorten it with data_to_json",
                    )
                end = start + (end - start) // 2
            self.store(file, body)
            files.append({"file": file, "rows": end - start})
            # A margin under the ratio seen: the next chunk may compress less well.
            ratio = max(1.0, 0.8 * len(plain) / len(body))
            start = end
        return files

    def write(self, stem: str, plain: bytes) -> str:
        file, body = self.seal(stem, plain)
        if len(body) > self.max_file_bytes:
            raise InvalidInputError(
                f"{file} would take {len(body)} bytes, over the {self.max_file_bytes}-byte limit",
                hint="raise max_file_bytes",
            )
        self.store(file, body)
        return file

    def seal(self, stem: str, plain: bytes) -> tuple[str, bytes]:
        """The file name and bytes of one data file: gzip, then encrypted under the site key."""
        body = gzip.compress(plain, compresslevel=6, mtime=0)
        if self.key is None:
            return f"{DATA_DIR}/{stem}.json.gz", body
        name = f"{DATA_DIR}/{stem}.bin"
        return name, self.key.encrypt(body, name)

    def store(self, name: str, body: bytes) -> None:
        (self.out_dir / name).write_bytes(body)
        self.sizes.append(len(body))


def _json_bytes(value: Any) -> bytes:
    # pydantic-core's encoder: compact UTF-8 JSON, several times faster than json.dumps.
    return pydantic_core.to_json(value)


def _prepare_folder(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise InvalidInputError(f"{target} is a file", hint="give a folder for the site")
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise InvalidInputError(
            f"{target} is not empty and holds no site written before",
            hint="give an empty folder (or one written by write_site, which is replaced)",
        )
    # The old data goes first: a stale plain file must not survive next to an encrypted site.
    (target / MANIFEST).unlink(missing_ok=True)
    shutil.rmtree(target / DATA_DIR, ignore_errors=True)


def _write_manifest(target: Path, key: SiteKey | None, root: str) -> None:
    kdf = None
    if key is not None:
        kdf = {
            "name": "PBKDF2",
            "hash": "SHA-256",
            "iterations": key.iterations,
            "salt": base64.b64encode(key.salt).decode("ascii"),
        }
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "encrypted": key is not None,
        "cipher": "AES-GCM" if key is not None else None,
        "kdf": kdf,
        "root": root,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _copy_assets(target: Path) -> None:
    static = resources.files("gristmill.site") / "static"
    for name in ASSETS:
        (target / name).write_bytes((static / name).read_bytes())


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
