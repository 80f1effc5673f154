"""Start a local llama-cpp-python OpenAI-compatible server (tests, benchmarks, demos)."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from shopmind.core.errors import ConfigError
from shopmind.models.llm.errors import LLMError
from shopmind.models.llm.files import DEFAULT_GGUF_SHA256, default_model_path, verify_sha256


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def llama_server(
    model_path: Path | None = None,
    *,
    port: int | None = None,
    threads: int = 2,
    context: int = 2048,
    wait_s: float = 60.0,
    hash_cache_dir: Path | None = None,
) -> Iterator[str]:
    """Run ``python -m llama_cpp.server`` on 127.0.0.1 and yield its base URL (``…/v1``).

    The default model is sha256-checked first. The server is stopped on exit.
    """
    if model_path is None:
        model_path = default_model_path()
        verify_sha256(model_path, DEFAULT_GGUF_SHA256, cache_dir=hash_cache_dir)
    elif not model_path.is_file():
        raise ConfigError(f"model file {model_path} does not exist")
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path), "--host", "127.0.0.1", "--port", str(port),
        "--n_threads", str(threads), "--n_ctx", str(context),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            _wait_ready(base, proc, log, wait_s)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], log: object, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise LLMError(f"llama_cpp.server exited with {proc.returncode}: {_tail(log)}")
        try:
            if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise LLMError(f"llama_cpp.server did not answer {base}/models within {wait_s:g} s")


def _tail(log: object) -> str:
    if hasattr(log, "seek") and hasattr(log, "read"):
        log.seek(0)
        data: bytes = log.read()
        return data.decode(errors="replace")[-2000:]
    return ""
