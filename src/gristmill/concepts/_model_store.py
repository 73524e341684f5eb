"""Trained concept models on disk: one JSON file per (concept, draft, version, embedding).

JSON holds the coefficients exactly (floats round-trip through repr) and cannot run code when
loaded, unlike a pickle. Files are written atomically (temp file, fsync, rename), so a crash
leaves either the old model or the new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from gristmill.concepts._model import ConceptModel
from gristmill.concepts._schema import ConceptModelRecord
from gristmill.data.files import atomic_write_stream, data_files
from gristmill.project import get_project_dir

MODELS_FOLDER = "concepts"
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def model_folder(namespace: str, name: str, embedding_model_id: str) -> Path:
    # The model id's hash keeps two different models registered under one name apart.
    digest = hashlib.sha256(embedding_model_id.encode("utf-8")).hexdigest()[:12]
    slug = _UNSAFE.sub("_", embedding_model_id)[-48:]
    return get_project_dir() / MODELS_FOLDER / namespace / name / "models" / f"{slug}-{digest}"


def model_path(namespace: str, name: str, draft: str, version: int, model_id: str) -> Path:
    return model_folder(namespace, name, model_id) / f"{draft}.v{version}.json"


def load_model(
    namespace: str, name: str, draft: str, version: int, embedding_model_id: str
) -> ConceptModel | None:
    """The saved model for exactly this concept version and embedding, or None."""
    path = model_path(namespace, name, draft, version, embedding_model_id)
    return _read(path, embedding_model_id, version)


def load_packaged_model(
    name: str, embedding: str, version: int, embedding_model_id: str
) -> ConceptModel | None:
    """A built-in concept's model trained at release time (spares the first user the training)."""
    resource = resources.files("gristmill") / "resources" / "concepts" / "models"
    target = resource / f"{name}.{embedding}.json"
    if not target.is_file():
        return None
    try:
        record = ConceptModelRecord.model_validate_json(target.read_bytes())
    except ValidationError:
        return None
    return _matching(record, embedding_model_id, version)


def save_model(model: ConceptModel) -> Path:
    """Write the model and drop older versions of the same draft and embedding."""
    r = model.record
    path = model_path(r.namespace, r.name, r.draft, r.concept_version, r.embedding_model_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = r.model_dump_json(indent=1).encode("utf-8")
    atomic_write_stream(path, lambda handle: handle.write(payload))
    for old in data_files(path.parent, f"{r.draft}.v*.json"):
        if old != path:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
    return path


def delete_models(namespace: str, name: str) -> None:
    """Remove every saved model of a concept (when the concept is deleted)."""
    import shutil

    folder = get_project_dir() / MODELS_FOLDER / namespace / name
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rmdir(folder.parent)


def _read(path: Path, embedding_model_id: str, version: int) -> ConceptModel | None:
    try:
        record = ConceptModelRecord.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except ValidationError:
        # A file from an incompatible release or damaged by hand: retrain rather than fail.
        return None
    return _matching(record, embedding_model_id, version)


def _matching(
    record: ConceptModelRecord, embedding_model_id: str, version: int
) -> ConceptModel | None:
    if record.embedding_model_id != embedding_model_id or record.concept_version != version:
        return None
    return ConceptModel(record)
