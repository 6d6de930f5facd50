"""A real OpenAI-compatible HTTP server on 127.0.0.1 with fault injection, for tests and benchmarks.

POST /v1/chat/completions answers like a model that follows the prompt: it reads the person and the plan
from the Romanian prompt text alone (`read_prompt`) and writes the offline narrator's JSON for them.
Faults are queued per model (consumed one per request) or set sticky per model, through
POST /admin/faults {"model": "m" | "*", "faults": [fault, ...], "sticky": fault | null}, where a fault is
{"kind": "ok|500|503|429|401|403|404|slow|hang|reset|malformed|garbage|empty|length|huge|english|russian|
missing|extra|no_usage|unsafe|flap", "retry_after": s, "seconds": s}:
- 401/403: authentication/permission errors (401 echoes the key received, like some providers do);
- 404: the OpenAI "model does not exist" answer (an unknown model name);
- slow: answers after `seconds`; hang: never answers (until the client gives up);
- missing: two fields left out; extra: one key too many; no_usage: a valid answer whose response has no
  usage block, as some local servers send;
- unsafe: a valid answer whose text carries a phone number (a critical finding of the safety gate);
- flap: {"kind": "flap", "fail": "500", "every": 2, "window_s": 120}: for `window_s` seconds from the
  first request it sees, every `every`-th request of that model fails with `fail`, the others answer;
  after the window every request answers.
`closed_port_url()` gives a base URL nothing listens on (connection refused), `unresolvable_url()` one
whose host name does not resolve (DNS failure). GET /admin/log lists requests (with the response_format,
max_tokens, body keys and Authorization header each one carried); POST /admin/reset clears faults and log.
Run standalone: python fake_openai_server.py --port 0 --delay 1.0 (prints the base URL).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import hashlib
import json
import re
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ENGLISH = (
    "He works at the local market and lives with his family in a small house. The family has a garden and "
    "they grow vegetables for the winter. He is known for being reliable and for helping the neighbours. "
)
RUSSIAN = "Он работает на местном рынке и живёт с семьёй в небольшом доме. У семьи есть сад и огород. "


# Fault kinds answered without a chat completion (errors, resets, non-JSON bodies); all others get one.
ERROR_KINDS = {"500", "503", "429", "401", "403", "404", "reset", "garbage", "malformed", "hang"}
UNSAFE_SENTENCE = " Pentru o programare, oricine îl poate suna la +373 69 123 456."


@functools.lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    """Romanian text of the prompt -> codes (every gendered form), from the tables prompts.py renders."""
    from moldova_personas.narration import prompts
    from moldova_personas.narration.phrases import agree

    both = ("male", "female")
    out = {"label": {label: key for key, label in prompts.CORE_LABELS_RO}}
    for key, table in prompts.VALUE_LABELS_RO.items():
        out[key] = {agree(ro, sex): code for code, ro in table.items() for sex in both}
    out["move"] = {agree(h, sex): move for move, h in prompts.OPENING_HINTS_RO.items() for sex in both}
    out["kind"] = {ro: code for code, ro in prompts.ANCHOR_KINDS_RO.items()}
    out["theme"] = {ro: code for code, ro in prompts.CONSTRAINT_THEMES_RO.items()}
    return out


def _items(lines: list[str], start: int) -> list[str]:
    """The '  - ' items under the plan line at `start`."""
    out = []
    for line in lines[start + 1 :]:
        if not line.startswith("  - "):
            break
        out.append(line[4:])
    return out


def read_prompt(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The spec a writer can take from the rendered prompt alone: the person's facts, the plan, the repair
    hint and the attempt. Not in the text, so stood in for: the persona id (a hash of the facts, for the
    narrator's seed) and the ISCO group (the narrator then goes by the job title)."""
    labels = _labels()
    user = str(next(m["content"] for m in reversed(messages) if m.get("role") == "user"))
    lines = user.splitlines()
    core: dict[str, Any] = {}
    start = lines.index("## Date despre persoană (nu le contrazice)") + 1
    facts = []
    for line in lines[start:]:
        if not line.startswith("- "):
            break
        facts.append(line)
        label, value = line[2:].split(": ", 1)
        key = labels["label"][label]
        core[key] = labels.get(key, {}).get(value, value)
    core["age"] = int(core["age"])
    core["persona_id"] = "prompt-" + hashlib.sha256("\n".join(facts).encode()).hexdigest()[:16]
    core["isco_major"] = None
    plan: dict[str, Any] = {"constraints": [], "anchors": [], "behavioural_cues": []}
    for i, line in enumerate(lines):
        if line.startswith("- Deschiderea câmpului „persona”: "):
            plan["opening_move"] = labels["move"][line.split(": ", 1)[1].rstrip(".")]
        elif line.startswith("- Constrângeri de viață"):
            for item in _items(lines, i):
                theme, rest = item.split(": ", 1)
                detail, _, consequence = rest.partition("; consecință: ")
                plan["constraints"].append(
                    {"category": labels["theme"].get(theme, ""), "detail": detail, "consequence": consequence}
                )
        elif line.startswith("- Ancore locale"):
            for item in _items(lines, i):
                kind, text = item.split(": ", 1)
                plan["anchors"].append({"category": labels["kind"].get(kind, ""), "text": text})
        elif line.startswith("- Obiceiuri de arătat"):
            plan["behavioural_cues"] = _items(lines, i)
    hint = None
    if "## Corecturi cerute față de încercarea anterioară" in user:
        hint = user.split("## Corecturi cerute față de încercarea anterioară\n", 1)[1]
        hint = re.split(r"\n+Încercarea \d+:", hint)[0].strip()
    found = re.search(r"^Încercarea (\d+):", user, re.M)
    attempt = int(found.group(1)) if found else 1
    return {"core": core, "plan": plan, "repair_hint": hint, "attempt": attempt}


def narrator_answer(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Fields the offline narrator writes for what the prompt says."""
    from moldova_personas.narration.offline import narrator as offline

    return offline.write_fields(read_prompt(messages))


def _prompt_hash(messages: list[dict[str, Any]]) -> str:
    from moldova_personas.narration.prompts import prompt_hash

    try:
        return prompt_hash([{"role": m["role"], "content": str(m["content"])} for m in messages])
    except (KeyError, TypeError):
        return hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()


def _repair_hint(messages: list[dict[str, Any]]) -> str | None:
    try:
        return read_prompt(messages)["repair_hint"]
    except (ValueError, KeyError, IndexError, StopIteration):
        return None


class FakeOpenAIServer:
    """Threaded aiohttp server; `url` is the OpenAI base URL (…/v1)."""

    def __init__(self, delay: float = 0.0, port: int = 0) -> None:
        self.delay = delay
        self.port = port
        self.faults: dict[str, list[dict[str, Any]]] = {}
        self.sticky: dict[str, dict[str, Any]] = {}
        self.log: list[dict[str, Any]] = []
        self._flap: dict[str, dict[str, float]] = {}  # per model: window start, requests seen
        # per model: (match on "text" of the user message or prompt "hash", value, sticky fault)
        self.rules: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def admin(self) -> str:
        return f"http://127.0.0.1:{self.port}/admin"

    def _app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024**2)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_post("/admin/faults", self._set_faults)
        app.router.add_post("/admin/reset", self._reset)
        app.router.add_get("/admin/log", self._get_log)
        return app

    def start(self) -> FakeOpenAIServer:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self._app(), access_log=None)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", self.port, backlog=1024)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=serve, name="fake-openai", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        fut = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)  # type: ignore[union-attr]
        fut.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)  # type: ignore[union-attr]

    # -- admin (HTTP, and Python helpers calling it) --------------------------------------------------
    def set_faults(
        self,
        model: str,
        faults: list[dict[str, Any]] | None = None,
        sticky: dict | None = None,
        when: str | None = None,
        when_hash: str | None = None,
    ) -> None:
        """Queue `faults` (one per request) and/or set a `sticky` fault for `model`; with `when`, the
        sticky fault applies only to requests whose user message contains that text (one persona), with
        `when_hash` only to the prompt of that prompt_hash."""
        body = json.dumps(
            {"model": model, "faults": faults or [], "sticky": sticky, "when": when, "when_hash": when_hash}
        ).encode()
        req = urllib.request.Request(
            f"{self.admin}/faults", data=body, method="POST", headers={"content-type": "application/json"}
        )
        urllib.request.urlopen(req, timeout=5).read()

    def reset(self) -> None:
        urllib.request.urlopen(
            urllib.request.Request(f"{self.admin}/reset", data=b"{}", method="POST"), timeout=5
        ).read()

    def requests(self) -> list[dict[str, Any]]:
        return json.loads(urllib.request.urlopen(f"{self.admin}/log", timeout=5).read())

    async def _set_faults(self, request: web.Request) -> web.Response:
        data = await request.json()
        with self._lock:
            model = data.get("model", "*")
            if data.get("when") or data.get("when_hash"):
                match = ("hash", data["when_hash"]) if data.get("when_hash") else ("text", data["when"])
                self.rules.setdefault(model, []).append((*match, data.get("sticky") or {"kind": "ok"}))
                return web.json_response({"ok": True})
            if data.get("faults") is not None:
                self.faults[model] = list(data.get("faults") or [])
            if "sticky" in data:
                if data["sticky"]:
                    self.sticky[model] = data["sticky"]
                else:
                    self.sticky.pop(model, None)
                self._flap.pop(model, None)
        return web.json_response({"ok": True})

    async def _reset(self, request: web.Request) -> web.Response:
        with self._lock:
            self.faults.clear()
            self.sticky.clear()
            self.log.clear()
            self._flap.clear()
            self.rules.clear()
        return web.json_response({"ok": True})

    async def _get_log(self, request: web.Request) -> web.Response:
        with self._lock:
            return web.json_response(list(self.log))

    async def _models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    # -- chat --------------------------------------------------------------------------------------
    def _next_fault(self, model: str, user: str = "", digest: str = "") -> dict[str, Any]:
        with self._lock:
            for on, value, fault in self.rules.get(model, []) + self.rules.get("*", []):
                if (on == "text" and value in user) or (on == "hash" and value == digest):
                    return fault
            for key in (model, "*"):
                queue = self.faults.get(key)
                if queue:
                    return queue.pop(0)
            fault = self.sticky.get(model) or self.sticky.get("*") or {"kind": "ok"}
            if fault.get("kind") == "flap":
                fault = self._flap_fault(model, fault)
            return fault

    def _flap_fault(self, model: str, fault: dict[str, Any]) -> dict[str, Any]:
        """Every `every`-th request fails while the window lasts (caller holds the lock)."""
        state = self._flap.setdefault(model, {"start": time.monotonic(), "n": 0})
        state["n"] += 1
        in_window = time.monotonic() - state["start"] < float(fault.get("window_s", 120))
        if in_window and state["n"] % int(fault.get("every", 2)) == 0:
            return {"kind": str(fault.get("fail", "500")), "flap": True}
        return {"kind": "ok", "flap": True}

    @staticmethod
    def _content(kind: str, messages: list[dict[str, Any]]) -> tuple[str, str]:
        """(message content, finish_reason) of an answer of this kind."""
        if kind == "empty":
            return "", "stop"
        fields = narrator_answer(messages)
        if kind in ("english", "russian"):
            filler = ENGLISH if kind == "english" else RUSSIAN
            fields = {
                k: (v if isinstance(v, list) else (filler * (len(v) // len(filler) + 1))[: len(v)])
                for k, v in fields.items()
            }
        if kind == "missing":
            fields.pop("arts_persona")
            fields.pop("hobbies_and_interests_list")
        if kind == "extra":
            fields["notes"] = "text în plus"
        if kind == "unsafe":
            fields["professional_persona"] = fields["professional_persona"] + UNSAFE_SENTENCE
        if kind == "huge":
            fields["cultural_background"] = fields["cultural_background"] * 400
        content = json.dumps(fields, ensure_ascii=False)
        if kind == "length":
            return content[: len(content) // 3], "length"
        return content, "stop"

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        raw = await request.read()
        body = json.loads(raw)
        model = body.get("model", "")
        messages = body.get("messages", [])
        digest = _prompt_hash(messages)  # same key as the client's response store
        user = next((str(m.get("content", "")) for m in reversed(messages) if m.get("role") == "user"), "")
        fault = self._next_fault(model, user, digest)
        kind = str(fault.get("kind", "ok"))
        entry = {
            "model": model,
            "hash": digest,
            "kind": kind,
            "ts": time.time(),
            "completed": False,
            "repair_hint": _repair_hint(messages),
            "response_format": body.get("response_format"),
            "max_tokens": body.get("max_tokens"),
            "body_keys": sorted(body),
            "auth": request.headers.get("Authorization"),
        }
        with self._lock:
            self.log.append(entry)
        # The answer is written before waiting: a provider with `delay` latency answers `delay` after the
        # request, however long writing took (writing after the wait would queue 64 answers behind each
        # other on this single-threaded server and add their CPU time to every latency).
        content, finish = ("", "stop") if kind in ERROR_KINDS else self._content(kind, messages)
        remaining = started + self.delay - time.monotonic()
        if remaining > 0:
            await asyncio.sleep(remaining)
        if kind == "slow":
            await _sleep_while_connected(request, float(fault.get("seconds", 30)))
        if kind == "hang":  # never answers: the client's timeout (or its cancellation) ends the request
            await _sleep_while_connected(request, float(fault.get("seconds", 3600)))
            return web.json_response({"error": {"message": "gave up", "type": "timeout"}}, status=504)
        if kind in ("500", "503"):
            return web.json_response(
                {"error": {"message": "internal error", "type": "server_error"}}, status=int(kind)
            )
        if kind == "429":
            headers = {"Retry-After": str(fault.get("retry_after", 1))}
            return web.json_response(
                {"error": {"message": "Rate limit reached", "type": "rate_limit"}},
                status=429,
                headers=headers,
            )
        if kind == "401":
            key = request.headers.get("Authorization", "").removeprefix("Bearer ")
            return web.json_response(
                {
                    "error": {
                        "message": f"Incorrect API key provided: {key}",
                        "type": "invalid_request_error",
                        "code": "invalid_api_key",
                    }
                },
                status=401,
            )
        if kind == "403":
            return web.json_response(
                {"error": {"message": "This key has no access to the model", "type": "permission_denied"}},
                status=403,
            )
        if kind == "404":
            return web.json_response(
                {
                    "error": {
                        "message": f"The model `{model}` does not exist or you do not have access to it.",
                        "type": "invalid_request_error",
                        "code": "model_not_found",
                    }
                },
                status=404,
            )
        if kind == "reset":
            request.transport.close()  # type: ignore[union-attr]
            raise ConnectionResetError("injected reset")
        if kind == "garbage":  # a proxy's error page with status 200: not JSON at all
            return web.Response(text="<html><body>502 Bad Gateway</body></html>", content_type="text/html")
        if kind == "malformed":
            return web.Response(text='{"id": "x", "choices": [ {"message": ', content_type="application/json")
        prompt_chars = sum(len(str(m.get("content", ""))) for m in messages)
        payload = {
            "id": f"chatcmpl-{digest[:12]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}
            ],
            "usage": {
                "prompt_tokens": prompt_chars // 4 + 1,
                "completion_tokens": len(content) // 4 + 1,
                "total_tokens": prompt_chars // 4 + len(content) // 4 + 2,
            },
        }
        if kind == "no_usage":
            del payload["usage"]
        response = web.json_response(payload)
        await response.prepare(request)
        await response.write_eof()
        entry["completed"] = True
        return response


async def _sleep_while_connected(request: web.Request, seconds: float) -> None:
    """Wait `seconds`, or until the client hangs up (so stopping the server never waits on it)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        transport = request.transport
        if transport is None or transport.is_closing():
            return
        await asyncio.sleep(min(0.05, max(0.0, end - time.monotonic())))


def closed_port_url() -> str:
    """An OpenAI base URL on 127.0.0.1 where nothing listens: every connection is refused."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def unresolvable_url() -> str:
    """An OpenAI base URL whose host name cannot resolve (`.invalid` is reserved by RFC 2606)."""
    return "http://moldova-personas-no-such-host.invalid/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    server = FakeOpenAIServer(delay=args.delay, port=args.port).start()
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
