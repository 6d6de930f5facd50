"""The only module importing litellm: offline provider, Router, one process-wide event loop thread.

- `OfflineNarrator`: a litellm CustomLLM (sync + async) under provider `offline`; it parses the spec
  JSON out of the prompt and answers with `narrator.offline.write_fields(spec)` as JSON text.
- `build_router(settings)`: Router with fallbacks along `settings.chain()` (creative -> balanced -> fast
  -> offline), per-deployment timeouts, num_retries=0, circuit breaker (allowed_fails + cooldown_time;
  an alias comes back by itself once its cooldown expires).
- `acomplete(...)`: one call through the router; on a failure of the whole chain that is retryable
  (429, 5xx, timeout, connection) it backs off, honouring Retry-After, up to `settings.call_retries`.
- `run(coro)`: runs a coroutine on the single event loop thread (litellm's logging state breaks when
  several loops call it in parallel, e.g. two dbt threads each calling asyncio.run()).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm  # noqa: E402
from litellm import CustomLLM, Router  # noqa: E402
from litellm.types.router import AllowedFailsPolicy  # noqa: E402
from litellm.types.utils import Choices, Message, ModelResponse, Usage  # noqa: E402

from moldova_personas.config import ALIASES, NarrationSettings  # noqa: E402
from moldova_personas.prompts import extract_spec  # noqa: E402

T = TypeVar("T")
litellm.suppress_debug_info = True

# --------------------------------------------------------------------------------------------------
# One event loop thread per process
# --------------------------------------------------------------------------------------------------
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

            threading.Thread(target=_serve, name="moldova-llm-loop", daemon=True).start()
            ready.wait()
            _loop = loop
        return _loop


def run(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run `coro` on the process-wide loop and wait for its result (from any thread but that one)."""
    loop = event_loop()
    if threading.current_thread().name == "moldova-llm-loop":
        raise RuntimeError("llm.run() called from the LLM loop thread; await the coroutine instead")
    return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)


# --------------------------------------------------------------------------------------------------
# Offline provider
# --------------------------------------------------------------------------------------------------
def approx_tokens(text: str) -> int:
    """Token estimate: UTF-8 bytes / 4 (BPE tokenizers average ~4 bytes per token on Romanian)."""
    return max(1, round(len(text.encode("utf-8")) / 4))


def offline_answer(messages: list[dict[str, Any]]) -> str:
    """JSON text of the offline narrator for a rendered prompt (also used by the fake server)."""
    from moldova_personas.narrator import offline

    user = next(m["content"] for m in reversed(messages) if m.get("role") == "user")
    fields = offline.write_fields(extract_spec(str(user)))
    return json.dumps(fields, ensure_ascii=False)


class OfflineNarrator(CustomLLM):
    """litellm provider `offline`: deterministic Romanian text from the template narrator."""

    def _respond(self, model: str, messages: list[dict[str, Any]]) -> ModelResponse:
        text = offline_answer(messages)
        prompt = "".join(str(m.get("content") or "") for m in messages)
        usage = Usage(prompt_tokens=approx_tokens(prompt), completion_tokens=approx_tokens(text))
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens
        return ModelResponse(
            model=model,
            choices=[Choices(index=0, finish_reason="stop", message=Message(role="assistant", content=text))],
            usage=usage,
        )

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:  # type: ignore[override]
        return self._respond(model, messages)

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:  # type: ignore[override]
        return self._respond(model, messages)


_offline_handler = OfflineNarrator()


def register_offline_provider() -> None:
    """Register provider `offline` once (litellm reads custom providers from a module-level map)."""
    if not any(item.get("provider") == "offline" for item in litellm.custom_provider_map):
        litellm.custom_provider_map = [
            *litellm.custom_provider_map,
            {"provider": "offline", "custom_handler": _offline_handler},
        ]
    if "offline" not in litellm.provider_list:
        litellm.provider_list.append("offline")  # type: ignore[arg-type]
    from litellm.utils import custom_llm_setup

    custom_llm_setup()


# --------------------------------------------------------------------------------------------------
# Router
# --------------------------------------------------------------------------------------------------
def _deployment(name: str, settings: NarrationSettings) -> dict[str, Any]:
    alias = settings.alias(name)
    params: dict[str, Any] = {
        "model": alias.model,
        "timeout": alias.timeout_s,
        "stream_timeout": alias.timeout_s,
        "max_retries": 0,
        "temperature": alias.temperature,
        "max_tokens": alias.max_tokens,
        "drop_params": True,
    }
    if alias.json_mode and alias.provider != "offline":
        params["response_format"] = {"type": "json_object"}
    if alias.api_base:
        params["api_base"] = alias.api_base
    if alias.api_key_env:
        params["api_key"] = f"os.environ/{alias.api_key_env}"  # resolved by litellm from the env
    elif alias.provider not in ("offline", "ollama", "ollama_chat"):
        params["api_key"] = "no-key"  # local OpenAI-compatible servers ignore it; the SDK requires one
    return {"model_name": name, "litellm_params": params, "model_info": {"id": name}}


def build_router(settings: NarrationSettings) -> Router:
    """A Router with one deployment per alias of the chain, fallbacks and a circuit breaker."""
    register_offline_provider()
    chain = settings.chain()
    fallbacks = [{chain[i]: chain[i + 1 :]} for i in range(len(chain) - 1)]
    kwargs: dict[str, Any] = {}
    if settings.allowed_fails == litellm.allowed_fails:
        # The router treats its global default as 'unset' (no cooldown): say it through a policy.
        n = settings.allowed_fails
        kwargs["allowed_fails_policy"] = AllowedFailsPolicy(
            BadRequestErrorAllowedFails=n,
            AuthenticationErrorAllowedFails=n,
            TimeoutErrorAllowedFails=n,
            RateLimitErrorAllowedFails=n,
            ContentPolicyViolationErrorAllowedFails=n,
            InternalServerErrorAllowedFails=n,
        )
    else:
        kwargs["allowed_fails"] = settings.allowed_fails
    return Router(
        model_list=[_deployment(name, settings) for name in chain],
        fallbacks=fallbacks,
        num_retries=0,
        retry_after=0,
        timeout=max(settings.alias(n).timeout_s for n in chain),
        cooldown_time=settings.cooldown_time_s,
        **kwargs,
    )


_routers: dict[str, Router] = {}


def get_router(settings: NarrationSettings) -> Router:
    """Router cached per settings (cooldown state survives between batches of one process)."""
    key = settings.model_dump_json()
    if key not in _routers:
        _routers[key] = build_router(settings)
    return _routers[key]


def reset_routers() -> None:
    """Forget cached routers (tests)."""
    _routers.clear()


# --------------------------------------------------------------------------------------------------
# Calls
# --------------------------------------------------------------------------------------------------
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


RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504, 529}


def _status(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    try:
        return int(code) if code is not None else None
    except (TypeError, ValueError):
        return None


def is_retryable(exc: BaseException) -> bool:
    """429, 5xx, timeouts and connection errors are worth a backoff retry; 4xx (auth, bad request) not."""
    if isinstance(exc, litellm.Timeout | litellm.APIConnectionError | asyncio.TimeoutError):
        return True
    code = _status(exc)
    return code in RETRYABLE_STATUS or (code is not None and code >= 500)


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


def _cost(settings: NarrationSettings, alias: str | None, response: Any, pt: int, ct: int) -> float:
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    if cost:
        return float(cost)
    conf = settings.alias(alias) if alias in ALIASES else None
    if conf is None:
        return 0.0
    return pt / 1000 * (conf.price_per_1k_prompt_usd or 0.0) + ct / 1000 * (
        conf.price_per_1k_completion_usd or 0.0
    )


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:600]


async def acomplete(
    router: Router,
    settings: NarrationSettings,
    messages: list[dict[str, Any]],
    metadata: dict[str, Any] | None = None,
) -> LLMResult:
    """One narration call through the router (fallbacks inside), with own backoff for retryable errors."""
    started = time.perf_counter()
    retries = 0
    while True:
        try:
            response = await router.acompletion(
                model=settings.primary, messages=messages, metadata=dict(metadata or {})
            )
        except Exception as exc:  # noqa: BLE001 - every failure becomes a result
            if retries < settings.call_retries and is_retryable(exc):
                delay = min(settings.backoff_max_s, settings.backoff_base_s * 2**retries)
                hinted = retry_after_s(exc)
                if hinted is not None:
                    delay = min(settings.backoff_max_s, max(hinted, 0.0))
                retries += 1
                await asyncio.sleep(delay)
                continue
            return LLMResult(
                text=None,
                model_used=None,
                alias_used=None,
                latency_ms=round((time.perf_counter() - started) * 1000),
                prompt_tokens=0,
                completion_tokens=0,
                cost_usd=0.0,
                finish_reason=None,
                error=_error_text(exc),
                retries=retries,
            )
        hidden = getattr(response, "_hidden_params", None) or {}
        alias = hidden.get("model_id") if hidden.get("model_id") in ALIASES else None
        usage = getattr(response, "usage", None)
        pt = int(getattr(usage, "prompt_tokens", 0) or 0)
        ct = int(getattr(usage, "completion_tokens", 0) or 0)
        choice = response.choices[0] if response.choices else None
        text = choice.message.content if choice is not None else None
        return LLMResult(
            text=text,
            model_used=settings.alias(alias).model if alias else str(getattr(response, "model", "")),
            alias_used=alias,
            latency_ms=round((time.perf_counter() - started) * 1000),
            prompt_tokens=pt,
            completion_tokens=ct,
            cost_usd=round(_cost(settings, alias, response, pt, ct), 8),
            finish_reason=getattr(choice, "finish_reason", None),
            error=None,
            retries=retries,
        )


def complete(settings: NarrationSettings, messages: list[dict[str, Any]]) -> LLMResult:
    """Synchronous convenience wrapper of `acomplete` on the process-wide loop."""

    async def _go() -> LLMResult:
        return await acomplete(get_router(settings), settings, messages)

    return run(_go())
