"""A real OpenAI-compatible HTTP server on loopback that records every request it gets.

It answers ``POST .../chat/completions`` with a fixed reply (a rubric verdict when a JSON schema
is asked for) and ``POST .../embeddings`` with small vectors, so a test can check end to end
which server a request reached and which headers it carried (the Authorization header above
all). Used by the LLM, embedding and REST tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, object]


@dataclass
class RecordingServer:
    url: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def authorizations(self) -> list[str | None]:
        with self.lock:
            return [request.headers.get("authorization") for request in self.requests]


def _handler(server: RecordingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = {}
            headers = {key.lower(): value for key, value in self.headers.items()}
            with server.lock:
                server.requests.append(RecordedRequest("POST", self.path, headers, body))
            if self.path.endswith("/chat/completions"):
                self._answer(200, _chat_reply(body))
            elif self.path.endswith("/embeddings"):
                self._answer(200, _embeddings(body))
            else:
                self._answer(404, {"error": {"message": f"no route {self.path}"}})

        def do_GET(self) -> None:
            with server.lock:
                headers = {key.lower(): value for key, value in self.headers.items()}
                server.requests.append(RecordedRequest("GET", self.path, headers, {}))
            self._answer(404, {"error": {"message": "not here"}})

        def _answer(self, status: int, payload: dict[str, object]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            return

    return Handler


def _chat_reply(body: dict[str, object]) -> dict[str, object]:
    content = "a summary from the loopback server"
    if "response_format" in body:  # structured calls (LLM judges) get a rubric verdict
        content = json.dumps({"reason": "faithful and short", "score": 4})
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": body.get("model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 7, "completion_tokens": 6},
    }


def _embeddings(body: dict[str, object]) -> dict[str, object]:
    texts = body.get("input")
    items = texts if isinstance(texts, list) else [texts]
    data = [
        {"index": i, "embedding": [float(len(str(text))), float(str(text).count("e")), 1.0]}
        for i, text in enumerate(items)
    ]
    return {"object": "list", "data": data, "model": body.get("model")}


@contextmanager
def recording_server() -> Iterator[RecordingServer]:
    """A started server on 127.0.0.1 (a free port); stopped when the block ends."""
    server = RecordingServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
