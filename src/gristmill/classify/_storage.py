"""The classifier file: a zip anyone can open and read, and nothing in it is executed.

::

    config.json      settings, classes, prompts, embedding model id, reports, thresholds
    coef.npy         float32 [classes, dim]   (NumPy format, loaded with allow_pickle=False;
                     dim covers the embedding, then the second embedding if any)
    intercept.npy    float32 [classes]
    examples.jsonl   the training data, real and generated (the seed's examples.jsonl format)

An unzipped copy of the same files (a folder) loads too. Writes go to a temporary file in the
target folder and are renamed into place, so a crash never leaves half a model behind.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from gristmill.classify._reports import CalibrationReport, TrainingReport
from gristmill.classify._settings import ClassifierSettings
from gristmill.data.files import temp_path_for
from gristmill.errors import InvalidInputError, NotFoundError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

FORMAT: Literal["gristmill-classifier"] = "gristmill-classifier"
FORMAT_VERSION = 1
_FILES = ("config.json", "coef.npy", "intercept.npy", "examples.jsonl")


class SavedClassifier(BaseModel):
    format: Literal["gristmill-classifier"] = FORMAT
    format_version: int = FORMAT_VERSION
    llm: str | None
    embedding: str
    embedding_model_id: str
    second_embedding_model_id: str | None = None
    settings: ClassifierSettings
    prompts: dict[str, str]
    classes: list[str] = Field(default_factory=list)
    thresholds: list[float] = Field(default_factory=list)
    report: TrainingReport | None = None
    calibration: CalibrationReport | None = None


@dataclass
class ClassifierFile:
    config: SavedClassifier
    coef: npt.NDArray[np.float32] | None
    intercept: npt.NDArray[np.float32] | None
    examples_jsonl: str


def write_classifier(path: Path, content: ClassifierFile) -> None:
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    staging = temp_path_for(path)  # the one temp-name rule, which no lister takes for data
    try:
        with zipfile.ZipFile(staging, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("config.json", content.config.model_dump_json(indent=2))
            for name, array in (("coef.npy", content.coef), ("intercept.npy", content.intercept)):
                if array is None:
                    continue
                buffer = io.BytesIO()
                np.save(buffer, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)
                archive.writestr(name, buffer.getvalue())
            archive.writestr("examples.jsonl", content.examples_jsonl)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)


def read_classifier(path: Path) -> ClassifierFile:
    if not path.exists():
        raise NotFoundError(
            f"classifier file {path} does not exist",
            hint="check the path, or train and save one: clf.save('model.gristmill')",
        )
    try:
        files = _read_folder(path) if path.is_dir() else _read_zip(path)
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise _corrupt(path, f"it cannot be read as a zip ({exc})") from None
    if "config.json" not in files:
        raise _corrupt(path, "config.json is missing")
    try:
        raw = json.loads(files["config.json"])
    except ValueError as exc:
        raise _corrupt(path, f"config.json is not JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _corrupt(path, f"config.json does not say format '{FORMAT}'")
    if raw.get("format_version") != FORMAT_VERSION:
        raise InvalidInputError(
            f"{path} uses classifier format version {raw.get('format_version')}, this Gristmill"
            f" reads version {FORMAT_VERSION}",
            hint="upgrade Gristmill, or retrain the classifier",
        )
    try:
        config = SavedClassifier.model_validate(raw)
    except ValidationError as exc:
        raise _corrupt(path, f"config.json is invalid: {exc.errors()[0]['msg']}") from None
    coef = _array(path, files, "coef.npy")
    intercept = _array(path, files, "intercept.npy")
    if config.classes:
        if coef is None or intercept is None:
            raise _corrupt(path, "the model arrays are missing")
        if (
            coef.ndim != 2
            or coef.shape[0] != len(config.classes)
            or intercept.shape != (len(config.classes),)
        ):
            raise _corrupt(path, "the model arrays do not match the classes")
        if len(config.thresholds) != len(config.classes):
            raise _corrupt(path, "there is not one threshold per class")
    examples = files.get("examples.jsonl", b"").decode("utf-8", errors="strict")
    return ClassifierFile(config, coef, intercept, examples)


def _read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name in _FILES}


def _read_folder(path: Path) -> dict[str, bytes]:
    return {name: (path / name).read_bytes() for name in _FILES if (path / name).is_file()}


def _array(path: Path, files: dict[str, bytes], name: str) -> Any:
    import numpy as np

    if name not in files:
        return None
    try:
        array = np.load(io.BytesIO(files[name]), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise _corrupt(path, f"{name} is not a NumPy array ({exc})") from None
    if array.dtype != np.float32 or not np.isfinite(array).all():
        raise _corrupt(path, f"{name} is not a finite float32 array")
    return array


def _corrupt(path: Path, why: str) -> InvalidInputError:
    return InvalidInputError(
        f"{path} is not a valid Gristmill classifier file: {why}",
        hint="it may be truncated or edited by hand; save the classifier again with clf.save()",
    )
