"""Stage outputs of a multi-stage job, kept on disk so a crash resumes where it stopped.

A run's folder (``work/<job>-<column>/``: clustering, conversation insights) holds
``signature.json`` — the input, the models and every setting that shapes the result — and one
file per finished stage (arrays as ``.npz`` without pickle, the rest as JSON). A rerun with the
same signature loads the finished stages instead of recomputing them; a different signature
starts afresh. The folder is removed once the column is stored.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gristmill.data.files import atomic_write, atomic_write_text, claim_work_dir

if TYPE_CHECKING:
    import numpy.typing as npt


class StageStore:
    """The finished stages of one run."""

    def __init__(self, folder: Path, signature: dict[str, Any]) -> None:
        self.folder = folder
        claim_work_dir(folder, signature)

    def load_arrays(self, stage: str) -> dict[str, npt.NDArray[Any]] | None:
        import numpy as np

        path = self.folder / f"{stage}.npz"
        if not path.exists():
            return None
        try:
            with np.load(path) as stored:
                return {name: stored[name] for name in stored.files}
        except (OSError, ValueError):
            return None  # a torn or foreign file: recompute the stage

    def save_arrays(self, stage: str, **arrays: npt.NDArray[Any]) -> None:
        import numpy as np

        def write(tmp: Path) -> None:
            with tmp.open("wb") as file:
                np.savez(file, allow_pickle=False, **arrays)

        atomic_write(self.folder / f"{stage}.npz", write)

    def load_json(self, stage: str) -> Any:
        path = self.folder / f"{stage}.json"
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save_json(self, stage: str, value: Any) -> None:
        atomic_write_text(self.folder / f"{stage}.json", json.dumps(value, sort_keys=True))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
