"""The only module importing litellm: the offline provider, the gateway to the providers, one event loop.

litellm is used through its public API only: `litellm.acompletion` with every option passed per call,
`litellm.custom_provider_map` (documented registration of a custom provider), its exception classes,
`litellm.get_llm_provider`, `litellm.get_model_info`, `litellm.supports_response_schema`,
`litellm.token_counter` and `litellm.register_model` (documented custom prices). Nothing of litellm is
patched or subclassed beyond `CustomLLM`, which is how litellm asks for a custom provider to be written.

- `OfflineNarrator`: a litellm CustomLLM (sync + async) under provider `offline`; it reads the persona's
  spec (prompts.build_spec) from the call's litellm metadata, never from the prompt, and answers with
  `offline.narrator.write_fields(spec)` as JSON text; its token counts come from litellm's tokenizer.
- `response_format_of(alias)`: the answer's JSON schema (answer.py) as `response_format` where litellm
  says the model supports it, or as the alias's output_mode says.
- `Gateway(settings)`: one run's way to the providers. Fallbacks along `settings.chain()` (creative ->
  balanced -> fast, offline only by opt-in), one circuit breaker per server, backoff retries of transient
  errors, error classes, a stop of the run on configuration errors of the primary, counters for the
  provider summary and the calls in flight for the progress line. Every failed HTTP attempt is returned
  with the result (`LLMResult.failures`), so the attempt log gets one row per failure.
- `run(coro)`: runs a coroutine on the single event loop thread (litellm's logging state breaks when
  several loops call it in parallel, e.g. two dbt threads each calling asyncio.run()).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlparse

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm  # noqa: E402
from litellm import CustomLLM  # noqa: E402
from litellm.types.utils import Choices, Message, ModelResponse, Usage  # noqa: E402

from moldova_personas.narration.answer import response_format  # noqa: E402
from moldova_personas.narration.settings import ModelAlias, NarrationSettings  # noqa: E402

T = TypeVar("T")
litellm.suppress_debug_info = True
litellm.telemetry = False
# The offline provider declares this cost per call: litellm treats a zero cost as "price unknown" and
# then runs a pricing lookup and zero-cost diagnostic (~1-2 ms of CPU per call). It rounds to 0.0 in
# every record (costs are rounded to 8 decimals).
OFFLINE_NOMINAL_COST_USD = 1e-12

# --------------------------------------------------------------------------------------------------
# One event loop thread per process
# --------------------------------------------------------------------------------------------------
LOOP_THREAD = "moldova-llm-loop"
_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def event_loop() -> asyncio.AbstractEventLoop:
    """The process-wide event loop, running forever on a daemon thread."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def _serve() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            threading.Thread(target=_serve, name=LOOP_THREAD, daemon=True).start()
            ready.wait()
            _loop = loop
        return _loop


def run(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run `coro` on the process-wide loop and wait for its result (from any thread but that one)."""
    loop = event_loop()
    if threading.current_thread().name == LOOP_THREAD:
        raise RuntimeError("llm.run() called from the LLM loop thread; await the coroutine instead")
    return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)


# --------------------------------------------------------------------------------------------------
# Offline provider
# --------------------------------------------------------------------------------------------------
def count_tokens(model: str, messages: list[dict[str, Any]] | None = None, text: str | None = None) -> int:
    """Tokens of a prompt (`messages`) or of a completion (`text`) by litellm's tokenizer for `model`
    (the model's own where litellm knows it, else its default, tiktoken cl100k_base): deterministic."""
    if text is not None:
        return int(litellm.token_counter(model=model, text=text, count_response_tokens=True))
    return int(litellm.token_counter(model=model, messages=messages or []))


# Key of the persona's spec (prompts.build_spec) in a call's litellm metadata, read by the offline
# provider; litellm does not send metadata to real providers.
SPEC_KEY = "narration_spec"


class OfflineSpecMissing(ValueError):
    """A call reached the offline narrator without the persona's spec in its metadata."""


def _spec_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    metadata = (kwargs.get("litellm_params") or {}).get("metadata") or {}
    spec = metadata.get(SPEC_KEY)
    if not isinstance(spec, dict):
        raise OfflineSpecMissing(
            f"the offline narrator needs the persona's spec in the call's metadata[{SPEC_KEY!r}] "
            "(llm.acomplete(..., spec=prompts.build_spec(...))); this call carried none"
        )
    return spec


def _offline_tokens(model: str, messages: list[dict[str, Any]], text: str) -> tuple[int, int]:
    """(prompt, completion) tokens of an offline answer by litellm's tokenizer (deterministic)."""
    return count_tokens(model, messages=messages), count_tokens(model, text=text)


def offline_answer(
    spec: dict[str, Any], model: str, messages: list[dict[str, Any]]
) -> tuple[str, tuple[int, int]]:
    """The offline narrator's answer and its (prompt, completion) tokens: one job of the worker pool.

    Counting the tokens next to the answer, in the worker process, keeps tiktoken off the event loop's
    process: on a thread there it took ~1 ms of CPU per persona and competed with the loop for the GIL
    and the cores (measured on 3,000 personas: 218/s -> 236/s, CPU of the loop's process 13.7 s -> 8.5 s;
    the answers and counts are the same)."""
    from moldova_personas.narration.offline import narrator as offline

    text = offline.answer(spec)
    return text, _offline_tokens(model, messages, text)


class OfflineNarrator(CustomLLM):
    """litellm provider `offline`: deterministic Romanian text from the template narrator."""

    def _respond(self, model: str, text: str, tokens: tuple[int, int]) -> ModelResponse:
        usage = Usage(prompt_tokens=tokens[0], completion_tokens=tokens[1])
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens
        response = ModelResponse(
            model=model,
            choices=[Choices(index=0, finish_reason="stop", message=Message(role="assistant", content=text))],
            usage=usage,
        )
        # A cost set here spares litellm its per-call price lookup (see OFFLINE_NOMINAL_COST_USD).
        response._hidden_params["response_cost"] = OFFLINE_NOMINAL_COST_USD
        return response

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:  # type: ignore[override]
        return self._respond(model, *offline_answer(_spec_of(kwargs), model, messages))

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:  # type: ignore[override]
        # the template narrator and the token count run in the worker process pool, off the loop thread
        from moldova_personas.narration import workers

        return self._respond(model, *await workers.run_cpu(offline_answer, _spec_of(kwargs), model, messages))


_offline_handler = OfflineNarrator()


def register_offline_provider() -> None:
    """Register provider `offline` once, the documented way (litellm reads `custom_provider_map`)."""
    if not any(item.get("provider") == "offline" for item in litellm.custom_provider_map):
        litellm.custom_provider_map = [
            *litellm.custom_provider_map,
            {"provider": "offline", "custom_handler": _offline_handler},
        ]


# --------------------------------------------------------------------------------------------------
# Error classes
# --------------------------------------------------------------------------------------------------
# A configuration error: retrying cannot help; on the primary it stops the run.
FATAL_CLASSES = ("auth", "permission", "model_not_found", "dns", "config")
# Worth a backoff retry (and counted by the circuit breaker).
TRANSIENT_CLASSES = ("rate_limit", "server_error", "timeout", "connection", "bad_response")
# About this one request (e.g. a 400 for this prompt): not retried, the next alias may take it.
REQUEST_CLASSES = ("bad_request", "other")


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and the chain of its causes/contexts."""
    out: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def _status(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None


def classify(exc: BaseException) -> str:
    """Error class of a failed call: one of FATAL_CLASSES, TRANSIENT_CLASSES or REQUEST_CLASSES.

    litellm reports a refused connection and an unresolvable host alike ("Connection error.", status
    500); the chain of causes tells them apart (socket.gaierror is a DNS failure)."""
    chain = _causes(exc)
    names = {type(e).__name__ for e in chain}
    text = str(exc)
    if any(isinstance(e, socket.gaierror) for e in chain) or "ClientConnectorDNSError" in names:
        return "dns"
    if isinstance(exc, litellm.Timeout | asyncio.TimeoutError | TimeoutError) or "APITimeoutError" in names:
        return "timeout"
    status = _status(exc)
    if isinstance(exc, litellm.AuthenticationError) or status == 401:
        return "auth"
    if isinstance(exc, litellm.PermissionDeniedError) or status == 403:
        return "permission"
    if isinstance(exc, litellm.NotFoundError) or status == 404:
        return "model_not_found"
    if isinstance(exc, litellm.RateLimitError) or status == 429:
        return "rate_limit"
    if "LLM Provider NOT provided" in text:
        return "config"
    if any(isinstance(e, OfflineSpecMissing) for e in chain):
        # litellm wraps what a custom provider raises as a connection error; a call without its spec
        # fails the same way every time, so it is this request's error, not one worth retrying
        return "bad_request"
    if (
        isinstance(exc, litellm.APIConnectionError)
        or "APIConnectionError" in names
        or any(isinstance(e, ConnectionError) for e in chain)
    ):
        return "connection"
    if isinstance(exc, litellm.BadRequestError) or status in (400, 413, 422):
        return "bad_request"
    if status in (408, 409) or (status is not None and status >= 500):
        # a 200 with a body that is not a chat completion (a proxy's error page, a cut JSON) comes back
        # from litellm as a 500 naming the parse problem
        if "Expecting value" in text or "invalid response" in text.lower() or "JSONDecodeError" in names:
            return "bad_response"
        return "server_error"
    return "other"


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds from a Retry-After / retry-after-ms header of the failed response, if any."""
    headers: Any = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    if not headers:
        return None
    try:
        if headers.get("retry-after-ms"):
            return float(headers.get("retry-after-ms")) / 1000
        value = headers.get("retry-after") or headers.get("Retry-After")
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def error_text(exc: BaseException) -> str:
    """'ExceptionName: message', without litellm's repeated prefixes, at most 600 characters."""
    text = " ".join(str(exc).split())
    for prefix in ("litellm.", f"{type(exc).__name__}: "):
        text = text.removeprefix(prefix)
    return f"{type(exc).__name__}: {text.removeprefix(type(exc).__name__ + ': ')}"[:600]


class FatalProviderError(RuntimeError):
    """A configuration error of the primary (or a provider that never answers): the run stops.

    `str()` is one line naming the alias, the model and the setting to fix."""

    def __init__(self, line: str, failures: list[AttemptFailure] | None = None) -> None:
        super().__init__(line)
        self.failures = failures or []


def alias_env(name: str) -> str:
    return f"MOLDOVA_LLM_{name.upper()}"


def fix_hint(name: str, alias: ModelAlias, cls: str, api_base: str | None) -> str:
    """One line: what failed for which alias/model, and the setting to change."""
    where = f"alias '{name}' ({alias.model}" + (f" at {api_base})" if api_base else ")")
    base_var = f"MOLDOVA_LLM_API_BASE (or {alias_env(name)}_API_BASE)"
    key_var = alias.api_key_env
    if cls in ("auth", "permission"):
        what = "rejected the API key" if cls == "auth" else "refused access to the model with this key"
        if key_var and os.environ.get(key_var, "").strip():
            fix = f"put a valid key in {key_var}"
        elif key_var:
            fix = f"export {key_var}=<your key> (it is unset, so no key was sent)"
        else:
            fix = "name the variable holding the key in MOLDOVA_LLM_API_KEY_ENV"
        return f"{where}: the provider {what}. Fix: {fix}."
    if cls == "model_not_found":
        listing = f" (the server lists its models at {api_base.rstrip('/')}/models)" if api_base else ""
        return (
            f"{where}: the provider does not know model {alias.model.split('/', 1)[-1]!r}. "
            f"Fix: {alias_env(name)}=<provider>/<model>{listing}."
        )
    if cls == "dns":
        host = urlparse(api_base).hostname if api_base else "the provider's host"
        return f"{where}: host {host!r} does not resolve (DNS). Fix: {base_var}, or the network/DNS."
    if cls == "connection":
        return (
            f"{where}: nothing answers there (connection refused or reset on every call, none ever "
            f"succeeded). Fix: start the server, or point {base_var} at it."
        )
    if cls == "config":
        return f"{where}: litellm cannot call this model string. Fix: {alias_env(name)}=<provider>/<model>."
    return f"{where}: {cls}."


# --------------------------------------------------------------------------------------------------
# Deployments and circuit breakers
# --------------------------------------------------------------------------------------------------
class Breaker:
    """Circuit breaker of one server: opens after `allowed_fails` + 1 consecutive transient failures,
    keeps the server out for `cooldown_s`, then lets one probe call through; a success closes it, a
    failure opens it again. Consecutive, not per minute: a server failing every other call stays in."""

    def __init__(self, allowed_fails: int, cooldown_s: float) -> None:
        self.allowed_fails = allowed_fails
        self.cooldown_s = cooldown_s
        self.failures = 0
        self.open_until = 0.0  # 0: closed
        self.probing = False
        self.openings = 0

    def is_closed(self) -> bool:
        return self.open_until == 0.0

    def can_probe(self, now: float) -> bool:
        return not self.is_closed() and now >= self.open_until and not self.probing

    def success(self) -> None:
        self.failures, self.open_until, self.probing = 0, 0.0, False

    def failure(self, now: float) -> bool:
        """Count a transient failure; True when this one opened the breaker."""
        self.failures += 1
        was_probe, self.probing = self.probing, False
        if was_probe or (self.is_closed() and self.failures > self.allowed_fails):
            self.open_until = now + self.cooldown_s
            self.openings += 1
            return True
        return False

    def release_probe(self) -> None:
        """A probe that ended without a verdict (cancelled, or a request-level error)."""
        self.probing = False


@dataclass
class Deployment:
    """One server of an alias (a comma-separated api_base is a pool of servers)."""

    alias: str
    conf: ModelAlias
    api_base: str | None
    params: dict[str, Any]
    breaker: Breaker
    in_flight: int = 0

    def call_kwargs(self) -> dict[str, Any]:
        """Per-call litellm options; the key is read from the environment now, never stored."""
        kwargs = dict(self.params)
        env = self.conf.api_key_env
        key = os.environ.get(env, "").strip() if env else ""
        if key:
            kwargs["api_key"] = key
        elif not self.conf.is_offline and self.conf.provider not in ("ollama", "ollama_chat"):
            kwargs["api_key"] = "no-key"  # a local OpenAI-compatible server ignores it; the SDK needs one
        return kwargs


def output_mode_of(alias: ModelAlias) -> str:
    """The output mode an alias's calls use (settings.OUTPUT_MODES without 'auto')."""
    if alias.provider == "offline":
        return "none"  # the template narrator writes the schema's fields by construction
    if alias.output_mode != "auto":
        return alias.output_mode
    # An OpenAI-compatible server at api_base (vLLM, llama.cpp, Ollama) serves a model litellm cannot
    # know: JSON mode unless the user names a mode.
    local = alias.provider == "openai" and alias.api_base
    if not local and litellm.supports_response_schema(model=alias.model, custom_llm_provider=None):
        return "schema"
    return "json_object" if alias.json_mode else "none"


def response_format_of(alias: ModelAlias) -> dict[str, Any] | None:
    """The response_format of an alias's calls (None: none is sent)."""
    return response_format(output_mode_of(alias))


def call_params(alias: ModelAlias) -> dict[str, Any]:
    """litellm options of one call to this alias (without messages, api_base and key)."""
    params: dict[str, Any] = {
        "model": alias.model,
        "timeout": alias.timeout_s,
        "max_retries": 0,  # retries are the gateway's, so each failed attempt is seen and logged
        "temperature": alias.temperature,
        "max_tokens": alias.max_tokens,
    }
    if not alias.is_offline:
        params["drop_params"] = True
    fmt = response_format_of(alias)
    if fmt is not None:
        params["response_format"] = fmt
    return params


def deployments_of(name: str, alias: ModelAlias, settings: NarrationSettings) -> list[Deployment]:
    """One deployment per server of the alias (comma-separated api_base = a pool of servers)."""
    servers = [b.strip() for b in str(alias.api_base or "").split(",") if b.strip()] or [None]
    out = []
    for server in servers:
        params = call_params(alias)
        if server:
            params["api_base"] = server
        breaker = Breaker(settings.allowed_fails, settings.cooldown_time_s)
        out.append(Deployment(name, alias, server, params, breaker))
    return out


def _known_price(model: str) -> bool:
    try:
        info = litellm.get_model_info(model)
    except Exception:  # noqa: BLE001 - unknown model
        return False
    return bool(info.get("input_cost_per_token") or info.get("output_cost_per_token"))


def register_prices(alias: ModelAlias) -> None:
    """Configured per-token prices go to litellm once (documented `register_model`), so its own cost
    calculation uses them; models litellm prices itself keep its price map."""
    if alias.price_per_1k_prompt_usd is None and alias.price_per_1k_completion_usd is None:
        return
    provider = alias.provider
    litellm.register_model(
        {
            alias.model: {
                "input_cost_per_token": (alias.price_per_1k_prompt_usd or 0.0) / 1000,
                "output_cost_per_token": (alias.price_per_1k_completion_usd or 0.0) / 1000,
                "litellm_provider": provider,
                "mode": "chat",
            }
        }
    )


def preflight(name: str, alias: ModelAlias) -> None:
    """Raise FatalProviderError before any call when litellm cannot route the model string."""
    if alias.is_offline:
        return
    try:
        litellm.get_llm_provider(alias.model, api_base=(alias.api_base or "").split(",")[0] or None)
    except Exception as exc:  # noqa: BLE001 - litellm raises BadRequestError for unknown providers
        raise FatalProviderError(
            fix_hint(name, alias, "config", alias.api_base) + f" ({error_text(exc)[:200]})"
        ) from None


# --------------------------------------------------------------------------------------------------
# Results and counters
# --------------------------------------------------------------------------------------------------
@dataclass
class AttemptFailure:
    """One failed HTTP attempt (one row of the attempt log)."""

    alias: str
    model: str
    error_class: str
    message: str
    latency_ms: int


@dataclass
class LLMResult:
    """Outcome of one logical call (after fallbacks and backoff)."""

    text: str | None
    model_used: str | None
    alias_used: str | None
    latency_ms: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    finish_reason: str | None
    error: str | None
    retries: int = 0
    error_class: str | None = None
    failures: list[AttemptFailure] = field(default_factory=list)


@dataclass
class AliasStats:
    """Counters of one alias for the provider summary."""

    model: str
    calls: int = 0
    successes: int = 0
    fallback_answers: int = 0  # calls answered by this alias for a persona another alias failed first
    cancelled: int = 0  # calls abandoned because the run stopped
    failures: Counter = field(default_factory=Counter)
    first_message: dict[str, str] = field(default_factory=dict)
    disabled: str | None = None  # why the alias was taken out of the chain for the rest of the run


# --------------------------------------------------------------------------------------------------
# Gateway
# --------------------------------------------------------------------------------------------------
class Gateway:
    """One run's way to the providers (see the module docstring). Use on the event loop thread."""

    def __init__(self, settings: NarrationSettings, secrets: list[str] | None = None) -> None:
        from moldova_personas.narration.attempt_log import mask_text

        self.settings = settings
        self.chain = settings.chain()
        self.primary = self.chain[0]
        self._mask = lambda text: mask_text(text, secrets or settings.secret_values())
        register_offline_provider()
        self.deployments: dict[str, list[Deployment]] = {}
        for name in self.chain:
            alias = settings.alias(name)
            preflight(name, alias)
            register_prices(alias)
            self.deployments[name] = deployments_of(name, alias, settings)
        self.stats = {name: AliasStats(settings.alias(name).model) for name in self.chain}
        self.all_offline = all(settings.alias(n).is_offline for n in self.chain)
        self.has_offline = any(settings.alias(n).is_offline for n in self.chain)
        self._slots = asyncio.Semaphore(settings.max_concurrency)
        self._ids = itertools.count()
        self.in_flight: dict[int, tuple[float, str]] = {}  # call id -> (monotonic start, alias)
        self.waiting_for_breaker = 0
        self.started = time.monotonic()
        self.last_answer = self.started

    # -- introspection for the progress line and the summary -----------------------------------
    def oldest_in_flight_s(self) -> float:
        now = time.monotonic()
        return max((now - t for t, _ in self.in_flight.values()), default=0.0)

    def slow_in_flight(self) -> int:
        """Calls waiting longer than half of their alias' timeout."""
        now = time.monotonic()
        return sum(now - t > self.settings.alias(name).timeout_s / 2 for t, name in self.in_flight.values())

    def failures_by_class(self) -> Counter:
        total: Counter = Counter()
        for stats in self.stats.values():
            total.update(stats.failures)
        return total

    def breaker_openings(self, name: str) -> int:
        return sum(d.breaker.openings for d in self.deployments[name])

    def summary_lines(self) -> list[str]:
        """The provider summary printed at the end of a run."""
        lines = []
        for name in self.chain:
            s = self.stats[name]
            if self.settings.alias(name).is_offline and not s.calls:
                continue
            fails = ", ".join(f"{cls} {n}" for cls, n in s.failures.most_common()) or "none"
            line = f"  {name} ({s.model}): {s.calls} calls, {s.successes} answered, failures: {fails}"
            if s.cancelled:
                line += f", {s.cancelled} cancelled when the run stopped"
            line += f"; breaker opened {self.breaker_openings(name)}x"
            if name != self.primary:
                line += f"; answered {s.fallback_answers} calls as a fallback"
            if s.disabled:
                line += f"; taken out of the chain: {s.disabled}"
            lines.append(line)
            for cls, msg in s.first_message.items():
                lines.append(f"    first {cls}: {msg}")
        return lines

    # -- choosing a server ----------------------------------------------------------------------
    def _pick(self, name: str, now: float) -> Deployment | None:
        """A server of the alias that may take a call now: a closed breaker (least busy), else one
        whose cooldown is over (a probe)."""
        if self.stats[name].disabled:
            return None
        pool = self.deployments[name]
        closed = [d for d in pool if d.breaker.is_closed()]
        if closed:
            return min(closed, key=lambda d: d.in_flight)
        for d in pool:
            if d.breaker.can_probe(now):
                d.breaker.probing = True
                return d
        return None

    def _next_opening(self) -> float:
        """Monotonic time at which some open breaker of the chain lets a probe through."""
        times = [
            d.breaker.open_until
            for name in self.chain
            if not self.stats[name].disabled
            for d in self.deployments[name]
            if not d.breaker.is_closed()
        ]
        return min(times, default=time.monotonic())

    # -- one call -------------------------------------------------------------------------------
    async def complete(
        self,
        messages: list[dict[str, Any]],
        metadata: dict[str, Any] | None = None,
        spec: dict[str, Any] | None = None,
    ) -> LLMResult:
        """One narration call. Each alias of the chain in turn gets up to 1 + call_retries attempts:
        a transient error (5xx, 429, timeout, connection) is retried on the same alias with backoff;
        the next alias takes over when those are spent, when the error is not transient, or while the
        alias' breaker is open (it is down). So a flapping primary keeps its traffic and fallbacks serve
        outages. When only aliases with an open breaker have attempts left, the call waits for their
        probe (an outage of a few minutes costs time, not personas); nothing answering for
        stall_abort_s stops the run.

        `spec` (prompts.build_spec) travels in the call's metadata when the chain holds the offline
        narrator, its only reader; real providers get the rendered messages alone."""
        started = time.perf_counter()
        metadata = dict(metadata or {})
        if spec is not None and self.has_offline:
            metadata[SPEC_KEY] = spec
        failures: list[AttemptFailure] = []
        left = dict.fromkeys(self.chain, self.settings.call_retries + 1)  # attempts left per alias
        last_cls: str | None = None
        last_exc: BaseException | None = None
        while True:
            progressed = False
            for name in self.chain:
                while left[name] > 0 and not self.stats[name].disabled:
                    outcome = await self._attempt(name, messages, metadata, failures)
                    if outcome is None:  # breaker open: the next alias, maybe this one again later
                        break
                    progressed = True
                    left[name] -= 1
                    if isinstance(outcome, LLMResult):
                        outcome.failures = failures
                        outcome.retries = len(failures)
                        if name != self.primary:
                            self.stats[name].fallback_answers += 1
                        return outcome
                    last_cls, last_exc = outcome
                    if last_cls not in TRANSIENT_CLASSES:
                        left[name] = 0
                    elif left[name] > 0:
                        used = self.settings.call_retries + 1 - left[name]
                        await asyncio.sleep(self._backoff(used, last_exc))
            if all(left[n] == 0 or self.stats[n].disabled for n in self.chain):
                self._check_unreachable(failures)
                return self._failed(started, failures, last_cls, last_exc, len(failures))
            if not progressed:
                await self._wait_for_breaker(failures)

    def _backoff(self, tries: int, exc: BaseException | None) -> float:
        """Delay before retry number `tries` (1, 2, ...): doubling from backoff_base_s, or the server's
        Retry-After, capped at backoff_max_s, with 10 % jitter."""
        delay = self.settings.backoff_base_s * 2 ** (tries - 1)
        hinted = retry_after_s(exc) if exc is not None else None
        if hinted is not None:
            delay = max(hinted, 0.0)
        return min(self.settings.backoff_max_s, delay) * (1 + 0.1 * random.random())  # noqa: S311

    async def _attempt(
        self,
        name: str,
        messages: list[dict[str, Any]],
        metadata: dict[str, Any] | None,
        failures: list[AttemptFailure],
    ) -> LLMResult | tuple[str, BaseException] | None:
        """One HTTP attempt on a server of the alias: the result, (error class, exception) after
        counting it, or None when no server of the alias may take a call (breaker open). The server is
        chosen once the slot is held: a breaker opened while this call waited for its slot is seen."""
        stats = self.stats[name]
        async with self._slots:
            d = self._pick(name, time.monotonic())
            if d is None:
                return None
            call_id = next(self._ids)
            t0 = time.perf_counter()
            self.in_flight[call_id] = (time.monotonic(), name)
            d.in_flight += 1
            stats.calls += 1
            try:
                response = await litellm.acompletion(
                    messages=messages, metadata=dict(metadata or {}), **d.call_kwargs()
                )
            except asyncio.CancelledError:
                d.breaker.release_probe()
                stats.cancelled += 1
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is classified and logged
                return self._failure(d, exc, failures, round((time.perf_counter() - t0) * 1000))
            finally:
                d.in_flight -= 1
                self.in_flight.pop(call_id, None)
        d.breaker.success()
        stats.successes += 1
        self.last_answer = time.monotonic()
        return self._result(d, response, t0, messages)

    def _failure(
        self, d: Deployment, exc: BaseException, failures: list[AttemptFailure], latency_ms: int
    ) -> tuple[str, BaseException]:
        name, stats = d.alias, self.stats[d.alias]
        cls = classify(exc)
        message = self._mask(error_text(exc))
        stats.failures[cls] += 1
        stats.first_message.setdefault(cls, message[:300])
        failures.append(AttemptFailure(name, d.conf.model, cls, message, latency_ms))
        if cls in TRANSIENT_CLASSES:
            d.breaker.failure(time.monotonic())
        else:
            d.breaker.release_probe()
        if cls in FATAL_CLASSES:
            line = fix_hint(name, d.conf, cls, d.api_base)
            if name == self.primary:
                raise FatalProviderError(line, failures)
            if not stats.disabled:  # a broken fallback leaves the chain, loudly, once
                stats.disabled = f"{cls}: {line}"
                print(f"[narrate] fallback taken out of the chain: {line}", file=sys.stderr, flush=True)
        return cls, exc

    def _check_unreachable(self, failures: list[AttemptFailure]) -> None:
        """A call spent its retries and the primary never answered in this run, refusing connections:
        nothing listens at its api_base (a configuration error, after ~15 s of backoff)."""
        primary = self.primary
        if self.stats[primary].successes == 0 and any(
            f.alias == primary and f.error_class == "connection" for f in failures
        ):
            d = self.deployments[primary][0]
            raise FatalProviderError(fix_hint(primary, d.conf, "connection", d.api_base), failures)

    async def _wait_for_breaker(self, failures: list[AttemptFailure]) -> None:
        """Only servers cooling down are left for this call: wait for the first probe slot (a probe in
        flight is waited for in steps of 0.2 s), or stop the run when nothing has answered for
        stall_abort_s."""
        now = time.monotonic()
        silent = now - self.last_answer
        if silent > self.settings.stall_abort_s:
            name, model = self.primary, self.settings.alias(self.primary).model
            seen = ", ".join(f"{c} {n}" for c, n in self.failures_by_class().most_common()) or "none"
            raise FatalProviderError(
                f"no alias of the chain answered for {silent:.0f} s (stall_abort_s), every breaker open; "
                f"failures so far: {seen}. The provider of alias '{name}' ({model}) seems down: try "
                "again later, or configure a fallback (MOLDOVA_LLM_BALANCED).",
                failures,
            )
        self.waiting_for_breaker += 1
        try:
            await asyncio.sleep(max(0.2, self._next_opening() - now) + 0.05 * random.random())  # noqa: S311
        finally:
            self.waiting_for_breaker -= 1

    def _result(
        self, d: Deployment, response: Any, started: float, messages: list[dict[str, Any]]
    ) -> LLMResult:
        """The answer; latency_ms is this HTTP attempt's own (failed ones are their own log rows)."""
        usage = getattr(response, "usage", None)
        pt = int(getattr(usage, "prompt_tokens", 0) or 0)
        ct = int(getattr(usage, "completion_tokens", 0) or 0)
        choice = response.choices[0] if response.choices else None
        text = choice.message.content if choice is not None else None
        if not pt:  # a server that reports no usage: count as litellm's tokenizer for the model would
            pt = count_tokens(d.conf.model, messages=messages)
        if not ct and text:
            ct = count_tokens(d.conf.model, text=text)
        return LLMResult(
            text=text,
            model_used=d.conf.model,
            alias_used=d.alias,
            latency_ms=round((time.perf_counter() - started) * 1000),
            prompt_tokens=pt,
            completion_tokens=ct,
            cost_usd=round(_cost(d.conf, response, pt, ct), 8),
            finish_reason=getattr(choice, "finish_reason", None),
            error=None,
        )

    def _failed(
        self,
        started: float,
        failures: list[AttemptFailure],
        cls: str | None,
        exc: BaseException | None,
        retries: int,
    ) -> LLMResult:
        return LLMResult(
            text=None,
            model_used=None,
            alias_used=None,
            latency_ms=round((time.perf_counter() - started) * 1000),
            prompt_tokens=0,
            completion_tokens=0,
            cost_usd=0.0,
            finish_reason=None,
            error=failures[-1].message if failures else (error_text(exc) if exc else "no alias available"),
            retries=retries,
            error_class=cls,
            failures=failures,
        )


def _cost(alias: ModelAlias, response: Any, pt: int, ct: int) -> float:
    """litellm's cost of the response (its price map, or prices registered by `register_prices`),
    else the configured price per 1K tokens, else 0 (a local model without a price)."""
    if alias.is_offline:
        return 0.0
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    if cost:
        return float(cost)
    return pt / 1000 * (alias.price_per_1k_prompt_usd or 0.0) + ct / 1000 * (
        alias.price_per_1k_completion_usd or 0.0
    )
