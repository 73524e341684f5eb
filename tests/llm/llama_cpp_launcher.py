"""Run llama-cpp-python's OpenAI-compatible server on 127.0.0.1, as a user runs
``python -m llama_cpp.server``, with the embedded model's AMX workaround applied first.

    python llama_cpp_launcher.py MODEL.gguf ALIAS PORT_FILE

The port is chosen by the system (no race for a free one) and written to PORT_FILE once the
model is loaded and the socket listens.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path


def main() -> None:
    model, alias, port_file = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    # The local provider's workaround: without it a native build segfaults on CPUs with AMX at
    # the first prompt longer than one token, and the server dies on its first chat request.
    from gristmill.llm._local import _apply_amx_fix

    _apply_amx_fix()
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    app = create_app(
        server_settings=ServerSettings(host="127.0.0.1", port=0),
        model_settings=[ModelSettings(model=model, model_alias=alias, n_ctx=2048, verbose=False)],
    )
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    listening.listen(64)
    written = port_file.with_suffix(".tmp")
    written.write_text(str(listening.getsockname()[1]))
    written.replace(port_file)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


if __name__ == "__main__":
    main()
