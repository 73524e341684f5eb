"""What starting the CLI costs: every command, even `gristmill --help`, imports gristmill.cli.

The CLI's command modules import some of gristmill lazily, each with its reason on the import
line (the server, the evals, the LLM layer, the source readers, the process pools); this test
keeps those reasons true.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Loaded by the command that needs them, never at startup.
HEAVY_PACKAGES = (
    "duckdb",
    "pandas",
    "pyarrow",
    "numpy",
    "faiss",
    "onnxruntime",
    "fastapi",
    "uvicorn",
    "multiprocessing",
)
LAZY_MODULES = (
    "gristmill.server",
    "gristmill.evals",
    "gristmill.llm",
    "gristmill.data.sources",
    "gristmill.demo",
    "gristmill.jobs._pool_backends",
)


def test_cli_startup_leaves_heavy_packages_and_lazy_parts_of_gristmill_out() -> None:
    names = HEAVY_PACKAGES + LAZY_MODULES
    script = textwrap.dedent(
        f"""
        import sys
        import gristmill.cli
        print(" ".join(name for name in {names!r} if name in sys.modules))
        """
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert output.split() == []
