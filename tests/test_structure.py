"""House rules checked as tests: the public namespace, the import direction, a light import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gristmill as gm

PACKAGE = Path(gm.__file__).parent
INTERFACES = ("gristmill.cli", "gristmill.server", "gristmill.site")

DOCUMENTED_API = [
    "set_project_dir",
    "get_project_dir",
    "DatasetConfig",
    "create_dataset",
    "get_dataset",
    "list_datasets",
    "delete_dataset",
    "Dataset",
    "Filter",
    "JSONSource",
    "CSVSource",
    "ParquetSource",
    "PandasSource",
    "HuggingFaceSource",
    "list_jobs",
    "get_job",
    "cancel_job",
]


def test_top_level_exports_what_the_docs_promise() -> None:
    for name in DOCUMENTED_API:
        assert name in gm.__all__, name
        assert getattr(gm, name) is not None
    for name in gm.__all__:
        getattr(gm, name)  # every export resolves


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_never_imports_the_interfaces() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if module.startswith(INTERFACES) or module == "gristmill.__main__":
            continue
        for imported in _imports(path):
            if imported.startswith(INTERFACES):
                offenders.append(f"{module} imports {imported}")
    assert offenders == []


def test_import_is_light() -> None:
    code = (
        "import sys, gristmill as gm; gm.set_project_dir;"
        "heavy = [m for m in ('pandas', 'duckdb', 'pyarrow', 'numpy', 'sqlalchemy', 'onnxruntime')"
        " if m in sys.modules]; print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
