"""write_site: chunks under the limit, every data file encrypted with a password, nothing
readable without it, the filter and the conversion honoured."""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import random
import zlib
from pathlib import Path
from typing import Any

import pytest

from gristmill.errors import InvalidInputError
from gristmill.site import ITERATIONS, SiteData, derive_key, write_site
from tests.site.synthetic import MARKER, conversation_text, node_name, synthetic_site

PASSWORD = "correct horse battery staple"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    # tmp_path holds the test's project folder already; the site goes into a folder of its own.
    return tmp_path / "site"


def _data_files(site: Path) -> list[Path]:
    return sorted((site / "data").iterdir())


def _read_plain(site: Path, name: str) -> Any:
    return json.loads(gzip.decompress((site / name).read_bytes()))


def _read_encrypted(site: Path, name: str, password: str) -> Any:
    manifest = json.loads((site / "site.json").read_text())
    kdf = manifest["kdf"]
    key = derive_key(password, base64.b64decode(kdf["salt"]), kdf["iterations"])
    return json.loads(gzip.decompress(key.decrypt((site / name).read_bytes(), name)))


def _table(site: Path, root: dict[str, Any], table: str, read: Any) -> list[Any]:
    return [row for part in root["tables"][table] for row in read(site, part["file"])]


def test_every_file_is_under_the_limit_and_the_tables_come_back_whole(out: Path) -> None:
    data = synthetic_site(600)
    info = write_site(data, out, max_file_bytes=4096)
    files = _data_files(out)
    assert len(files) == info.data_files > 6  # the tables really were split
    assert all(path.stat().st_size <= 4096 for path in files)
    manifest = json.loads((out / "site.json").read_text())
    assert manifest["encrypted"] is False
    root = _read_plain(out, manifest["root"])
    assert root["conversations"] == 600
    conversations = _table(out, root, "conversations", _read_plain)
    assert conversations == data.conversations
    points = _table(out, root, root["points"]["Request"], _read_plain)
    assert [row[2] for row in points] == data.points["Request"].node
    nodes = _table(out, root, root["trees"]["Request"], _read_plain)
    assert {node["id"] for node in nodes} == set(data.trees["Request"].nodes)
    values = _table(out, root, "values", _read_plain)
    column = root["value_facets"].index("Concerning")
    assert [row[column] for row in values] == data.facet_values["Concerning"]
    # Every asset is local: the page loads nothing from another host.
    index = (out / "index.html").read_text()
    assert "http://" not in index and "https://" not in index
    assert (out / "viewer.js").is_file() and (out / "viewer.css").is_file()


def test_a_row_over_the_limit_is_refused(out: Path) -> None:
    data = synthetic_site(4)
    data.conversations[0] = [{"role": "user", "content": random.Random(1).randbytes(4000).hex()}]
    with pytest.raises(InvalidInputError, match="file limit"):
        write_site(data, out, max_file_bytes=4096)


def _all_text_of(site: Path) -> list[bytes]:
    """Every file's bytes, and of each that is gzip or zlib, its decoded bytes too."""
    found = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        found.append(raw)
        for decode in (gzip.decompress, zlib.decompress):
            with contextlib.suppress(OSError, zlib.error, EOFError):
                found.append(decode(raw))
    return found


def test_an_encrypted_site_has_no_readable_data_in_any_file(out: Path) -> None:
    data = synthetic_site(300, title=f"{MARKER}Secret title")
    info = write_site(data, out, password=PASSWORD, max_file_bytes=4096)
    assert info.encrypted
    manifest = json.loads((out / "site.json").read_text())
    assert manifest["kdf"]["iterations"] >= 600_000 == ITERATIONS
    assert len(base64.b64decode(manifest["kdf"]["salt"])) == 16
    files = _data_files(out)
    assert files and all(path.suffix == ".bin" for path in files)
    for path in files:
        body = path.read_bytes()
        assert body[12:14] != b"\x1f\x8b"  # not gzip under the nonce: encrypted
    nonces = {path.read_bytes()[:12] for path in files}
    assert len(nonces) == len(files)  # a fresh nonce per file
    everything = _all_text_of(out)
    secrets = [
        MARKER,
        conversation_text(0, "user"),
        conversation_text(299, "assistant"),
        node_name("cooking", 2, 0),
        node_name("finance", 0, 3),
        "Secret title",
        "Concerning",
    ]
    for secret in secrets:
        for variant in (secret.encode(), secret.encode("utf-16-le")):
            assert not any(variant in blob for blob in everything), secret
    # No map coordinate in plain text either (the points are data too).
    x0 = f"{round(data.points['Request'].x[0], 4)}".encode()
    assert not any(x0 in blob for blob in everything)


def test_the_encrypted_site_decrypts_with_the_password_and_only_with_it(out: Path) -> None:
    data = synthetic_site(120)
    write_site(data, out, password=PASSWORD, max_file_bytes=4096)
    manifest = json.loads((out / "site.json").read_text())
    root = _read_encrypted(out, manifest["root"], PASSWORD)
    assert root["title"] == data.title

    def read(site: Path, name: str) -> Any:
        return _read_encrypted(site, name, PASSWORD)

    assert _table(out, root, "conversations", read) == data.conversations
    with pytest.raises(InvalidInputError, match="does not decrypt"):
        _read_encrypted(out, manifest["root"], "wrong password")
    # A file swapped for another one of the same site fails too (its name is authenticated).
    first, second = root["tables"]["conversations"][:2]
    key_salt = base64.b64decode(manifest["kdf"]["salt"])
    key = derive_key(PASSWORD, key_salt)
    with pytest.raises(InvalidInputError):
        key.decrypt((out / second["file"]).read_bytes(), first["file"])


def test_each_site_gets_its_own_salt(out: Path) -> None:
    data = synthetic_site(10)
    salts = set()
    for name in ("a", "b"):
        write_site(data, out / name, password=PASSWORD)
        salts.add(json.loads((out / name / "site.json").read_text())["kdf"]["salt"])
    assert len(salts) == 2


def test_rewriting_with_a_password_leaves_no_plain_file_behind(out: Path) -> None:
    data = synthetic_site(200)
    write_site(data, out, max_file_bytes=2048)
    write_site(data, out, password=PASSWORD)
    assert all(path.suffix == ".bin" for path in _data_files(out))
    assert not any(MARKER.encode() in blob for blob in _all_text_of(out))


def test_a_folder_holding_something_else_is_not_overwritten(out: Path) -> None:
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInputError, match="not empty"):
        write_site(synthetic_site(5), out)
    assert (out / "notes.txt").read_text() == "mine"


def test_the_filter_drops_conversations_from_every_file(out: Path) -> None:
    data = synthetic_site(40)
    seen: list[dict[str, Any]] = []

    def keep(conversation: Any, values: dict[str, Any]) -> bool:
        seen.append(values)
        concerning = values["Concerning"]
        return concerning is None or int(concerning) < 4

    info = write_site(data, out, conversation_filter=keep)
    kept = [
        i
        for i, value in enumerate(data.facet_values["Concerning"])
        if value is None or int(value) < 4
    ]
    assert len(seen) == 40 and set(seen[0]) == {"Request", "Concerning"}
    assert info.conversations == len(kept) < 40
    manifest = json.loads((out / "site.json").read_text())
    root = _read_plain(out, manifest["root"])
    conversations = _table(out, root, "conversations", _read_plain)
    assert conversations == [data.conversations[i] for i in kept]
    points = _table(out, root, root["points"]["Request"], _read_plain)
    assert [row[2] for row in points] == [data.points["Request"].node[i] for i in kept]
    dropped = next(i for i in range(40) if i not in kept)
    everything = _all_text_of(out)
    for text in (conversation_text(dropped, "user"), f"{MARKER}request{dropped:05d}"):
        assert not any(text.encode() in blob for blob in everything)


def test_data_to_json_shapes_the_conversations(out: Path) -> None:
    data = synthetic_site(8)
    data.conversations = [{"id": i, "text": f"row {i}"} for i in range(8)]

    def to_turns(item: Any) -> list[dict[str, Any]]:
        return [{"role": "record", "content": item["text"].upper()}]

    write_site(data, out / "converted", data_to_json=to_turns)
    write_site(data, out / "default")
    for name, expected in (
        ("converted", [{"role": "record", "content": "ROW 3"}]),
        ("default", [{"role": "data", "content": '{"id": 3, "text": "row 3"}'}]),
    ):
        site = out / name
        root = _read_plain(site, json.loads((site / "site.json").read_text())["root"])
        assert _table(site, root, "conversations", _read_plain)[3] == expected


def test_openai_messages_and_sharegpt_like_turns_become_chat_turns(out: Path) -> None:
    data = synthetic_site(2)
    data.conversations = [
        {"messages": [{"role": "user", "content": "hello"}]},
        [{"role": "user", "content": [{"type": "text", "text": "parts"}]}],
    ]
    write_site(data, out)
    root = _read_plain(out, json.loads((out / "site.json").read_text())["root"])
    turns = _table(out, root, "conversations", _read_plain)
    assert turns[0] == [{"role": "user", "content": "hello"}]
    assert turns[1][0]["role"] == "user" and "parts" in turns[1][0]["content"]


def test_site_data_refuses_misaligned_input() -> None:
    data = synthetic_site(5).model_dump()
    data["facet_values"]["Concerning"] = [1, 2]
    with pytest.raises(InvalidInputError, match="2 values for 5 conversations"):
        SiteData.model_validate(data)
    data = synthetic_site(5).model_dump()
    data["points"]["Request"]["node"][0] = "no-such-node"
    with pytest.raises(InvalidInputError, match="nodes its tree does not have"):
        SiteData.model_validate(data)
