"""House rules checked as tests: the public namespace, the layers, private modules, a light import.

The layers (``docs/architecture.md`` draws them), bottom to top; a module may import its own layer
and the ones below, never one above::

    base        errors, schema, project, bounds, validation, registry, metadata, named_models
    engines     data, embed, llm, jobs
    features    signals, search, concepts, cluster, classify, evals, projection
    api         dataset (Lilac's Dataset over the features), demo, the package's __init__
    interfaces  cli, server, site
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import gristmill as gm

PACKAGE = Path(gm.__file__).parent
INTERFACES = ("gristmill.cli", "gristmill.server", "gristmill.site")


def _is_interface(module: str) -> bool:
    # By package, not by prefix: gristmill.clio (a feature) starts with "gristmill.cli".
    return any(module == name or module.startswith(f"{name}.") for name in INTERFACES)


LAYERS: dict[str, int] = {
    **dict.fromkeys(
        (
            "errors",
            "schema",
            "project",
            "bounds",
            "validation",
            "registry",
            "metadata",
            "named_models",
            "_lazy",
        ),
        0,
    ),
    **dict.fromkeys(("data", "embed", "llm", "jobs"), 1),
    **dict.fromkeys(
        ("signals", "search", "concepts", "cluster", "classify", "evals", "projection", "clio"),
        2,
    ),
    **dict.fromkeys(("dataset", "demo", "__init__"), 3),
    **dict.fromkeys(("cli", "server", "site", "__main__"), 4),
}
# Imports allowed to point up, each with its reason.
LAYER_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("gristmill", "gristmill.server"): "gm.start_server is Lilac's name; typed for editors only,"
    " loaded on first use",
}
# Private modules every package may use: the root package's own helpers.
SHARED_PRIVATE = ("gristmill._lazy",)


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    module: str  # the dotted module imported from
    names: tuple[str, ...]  # the names imported from it (empty for ``import x``)
    line: int
    in_function: bool
    source_line: str


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str:
    """The package a relative import starts from."""
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _gristmill_imports() -> list[Import]:
    found: list[Import] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = _module_name(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        in_function: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                pairs = [(alias.name, ()) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = _package_of(path).split(".")
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join([*base, module] if module else base)
                pairs = [(module, tuple(alias.name for alias in node.names))]
            else:
                continue
            for module, names in pairs:
                if module == "gristmill" or module.startswith("gristmill."):
                    found.append(
                        Import(
                            importer,
                            module,
                            names,
                            node.lineno,
                            id(node) in in_function,
                            lines[node.lineno - 1],
                        )
                    )
    return found


def _top(module: str) -> str:
    """``gristmill.data.query`` -> ``data``; the package itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _targets(item: Import) -> list[str]:
    """The modules an import reaches: ``from gristmill import evals`` reaches gristmill.evals."""
    if item.module == "gristmill" and item.names:
        return [f"gristmill.{name}" for name in item.names]
    return [item.module]


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


def test_every_package_has_a_layer() -> None:
    packages = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
    }
    assert packages - set(LAYERS) == set()


def test_imports_only_point_down_the_layers() -> None:
    offenders = []
    for item in _gristmill_imports():
        for target in _targets(item):
            here, there = _top(item.importer), _top(target)
            if here == there or (item.importer, target) in LAYER_EXCEPTIONS:
                continue
            if LAYERS[there] > LAYERS[here]:
                offenders.append(f"{item.importer}:{item.line} imports {target}")
    assert offenders == []


def test_no_package_imports_another_packages_private_modules() -> None:
    """``gristmill.x._y`` (and ``_name`` from ``gristmill.x``) belong to package ``x`` alone."""
    offenders = []
    for item in _gristmill_imports():
        for target in _targets(item):
            if target in SHARED_PRIVATE or _top(item.importer) == _top(target):
                continue
            private_module = any(part.startswith("_") for part in target.split(".")[1:])
            private_names = [n for n in item.names if n.startswith("_")]
            if private_module or (private_names and target != "gristmill"):
                offenders.append(f"{item.importer}:{item.line} imports {target} {item.names}")
    assert offenders == []


def test_each_function_local_import_of_our_modules_says_why() -> None:
    """Imports go at the top; one inside a function must carry its reason in a comment (it
    keeps a heavy dependency off a light path, or breaks a real cycle)."""
    offenders = []
    for item in _gristmill_imports():
        if not item.in_function:
            continue
        path = PACKAGE.parent / (item.importer.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / item.importer.replace(".", "/") / "__init__.py"
        lines = path.read_text(encoding="utf-8").splitlines()
        before = lines[item.line - 2].strip() if item.line >= 2 else ""
        if "#" not in item.source_line and not before.startswith("#"):
            offenders.append(f"{item.importer}:{item.line}: {item.source_line.strip()}")
    assert offenders == []


def test_the_top_level_names_agree() -> None:
    """``_EXPORTS`` (what loads lazily), ``__all__`` and the type checker's imports name the
    same things, from the same modules."""
    init = PACKAGE / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    typed.update({alias.name: inner.module for alias in inner.names})
    exports = dict(gm._EXPORTS)
    # A subpackage exported whole is typed `from gristmill import clio`; it lives in gristmill.clio.
    typed = {
        name: f"{home}.{name}" if exports.get(name) == f"{home}.{name}" else home
        for name, home in typed.items()
    }
    assert set(exports) == set(gm.__all__)
    assert typed == exports


def test_core_never_imports_the_interfaces() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if _is_interface(module) or module == "gristmill.__main__":
            continue
        if module == "gristmill.__init__":
            continue  # its one interface name is a listed exception (LAYER_EXCEPTIONS)
        for imported in _imports(path):
            if _is_interface(imported):
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
