"""The only module importing litellm: offline provider, Router, one process-wide event loop thread.

- `OfflineNarrator`: a litellm CustomLLM (sync + async) under provider `offline`; it reads the persona's
  spec (prompts.build_spec) from the call's litellm metadata, never from the prompt, and answers with
  `offline.narrator.write_fields(spec)` as JSON text; its token counts come from litellm's tokenizer.
- `response_format_of(alias)`: the answer's JSON schema (answer.py) as `response_format` where litellm
  says the model supports it, or as the alias's output_mode says.
- `build_router(settings)`: Router with fallbacks along `settings.chain()` (creative -> balanced -> fast
  -> offline), per-deployment timeouts, num_retries=0, circuit breaker (allowed_fails + cooldown_time;
  an alias comes back by itself once its cooldown expires).
- `get_router(settings)`: that Router, or `OfflineDirect` when every alias is offline (same interface,
  still `litellm.acompletion` with the custom provider, without the Router's ~2-3 ms of bookkeeping).
- CPU per call: the offline provider declares a nominal cost (no price lookup / zero-cost diagnostic),
  real deployments without a litellm price get explicit per-token prices, and the Router's sync success
  callback is dropped (it made litellm run its sync logging on a thread for every async call).
- `acomplete(...)`: one call through the router; on a failure of the whole chain that is retryable
  (429, 5xx, timeout, connection) it backs off, honouring Retry-After, up to `settings.call_retries`.
- `run(coro)`: runs a coroutine on the single event loop thread (litellm's logging state breaks when
  several loops call it in parallel, e.g. two dbt threads each calling asyncio.run()).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import os
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# OpenAI-compatible calls (provider `openai`, any api_base) through litellm's own HTTP handler (httpx on
# litellm's aiohttp transport) instead of the OpenAI SDK: the SDK's request transform and response model
# construction cost ~5 ms of CPU per call. Read by litellm at each call; "False" in the env opts out.
os.environ.setdefault("EXPERIMENTAL_OPENAI_BASE_LLM_HTTP_HANDLER", "True")

import litellm  # noqa: E402
from litellm import CustomLLM, Router  # noqa: E402
from litellm.litellm_core_utils.litellm_logging import Logging as LiteLLMLogging  # noqa: E402
from litellm.types.router import AllowedFailsPolicy  # noqa: E402
from litellm.types.utils import Choices, Message, ModelResponse, Usage  # noqa: E402

from moldova_personas.narration.answer import response_format  # noqa: E402
from moldova_personas.narration.settings import ALIASES, ModelAlias, NarrationSettings  # noqa: E402

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
_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


class _InlineLiteLLMExecutor(concurrent.futures.ThreadPoolExecutor):
    """Default executor of the LLM loop: runs litellm's `completion()` inline, anything else on threads.

    `litellm.acompletion` hands the synchronous `completion()` to `loop.run_in_executor(None, ...)` for
    every call; for async-capable providers that only builds the request and returns a coroutine (~3-4
    ms of CPU). On a thread it fights the loop thread for the GIL (each hand-over can wait for the 5 ms
    switch interval) and adds a thread hop per call; inline it is plain CPU on the loop thread. Every
    other job (e.g. `getaddrinfo`) keeps a real thread, so nothing that may block runs on the loop.
    """

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> concurrent.futures.Future:  # type: ignore[override]
        if _is_litellm_completion(fn) and not args and not kwargs:
            future: concurrent.futures.Future = concurrent.futures.Future()
            try:
                future.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting caller, like a thread would
                future.set_exception(exc)
            return future
        return super().submit(fn, *args, **kwargs)


def _is_litellm_completion(fn: Any) -> bool:
    """True for litellm's `partial(ctx.run, partial(litellm.main.completion, ...))`."""
    if not isinstance(fn, functools.partial) or not fn.args:
        return False
    inner = fn.args[0]
    return isinstance(inner, functools.partial) and inner.func is litellm.main.completion


def event_loop() -> asyncio.AbstractEventLoop:
    """The process-wide event loop, running forever on a daemon thread."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            loop.set_default_executor(_InlineLiteLLMExecutor(thread_name_prefix="moldova-llm-io"))
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
        from moldova_personas.narration.offline import narrator as offline

        text = offline.answer(_spec_of(kwargs))
        return self._respond(model, text, _offline_tokens(model, messages, text))

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:  # type: ignore[override]
        # the template narrator runs in the worker process pool, off the event loop thread
        from moldova_personas.narration import workers
        from moldova_personas.narration.offline import narrator as offline

        text = await workers.run_cpu(offline.answer, _spec_of(kwargs))
        # tiktoken releases the GIL while it encodes: on a thread, ~2 ms per persona leave the loop thread
        tokens = await asyncio.to_thread(_offline_tokens, model, messages, text)
        return self._respond(model, text, tokens)


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
# model_info flag of deployments whose per-token prices this config sets (see _own_price_cost).
OWN_PRICE_KEY = "moldova_own_price"


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
    model_info: dict[str, Any] = {"id": name}
    price = _price_per_token(alias)
    if price is not None:
        # In model_info, the Router registers the prices once, under the deployment id. As
        # litellm_params they would be re-registered on every call (litellm.register_model rebuilds
        # its lower-cased copy of the whole price map each time: ~4 ms of CPU per call).
        model_info["input_cost_per_token"], model_info["output_cost_per_token"] = price
        model_info[OWN_PRICE_KEY] = True  # priced here: cost = tokens x these prices (_own_price_cost)
    fmt = response_format_of(alias)
    if fmt is not None:
        params["response_format"] = fmt
    if alias.api_base:
        params["api_base"] = alias.api_base
    if alias.api_key_env:
        params["api_key"] = f"os.environ/{alias.api_key_env}"  # resolved by litellm from the env
    elif alias.provider not in ("offline", "ollama", "ollama_chat"):
        params["api_key"] = "no-key"  # local OpenAI-compatible servers ignore it; the SDK requires one
    return {"model_name": name, "litellm_params": params, "model_info": model_info}


def _deployments(name: str, settings: NarrationSettings) -> list[dict[str, Any]]:
    """One deployment per server of the alias: a comma-separated api_base is a pool of servers (several
    vLLM/Ollama instances) that the Router load-balances, each with its own circuit breaker."""
    base = _deployment(name, settings)
    servers = [b.strip() for b in str(base["litellm_params"].get("api_base") or "").split(",") if b.strip()]
    if len(servers) <= 1:
        return [base]
    pool = []
    for i, server in enumerate(servers):
        params = {**base["litellm_params"], "api_base": server}
        pool.append(
            {**base, "litellm_params": params, "model_info": {**base["model_info"], "id": f"{name}-{i}"}}
        )
    return pool


def _known_price(model: str) -> bool:
    try:
        info = litellm.get_model_info(model)
    except Exception:  # noqa: BLE001 - unknown model
        return False
    return bool(info.get("input_cost_per_token") or info.get("output_cost_per_token"))


def _price_per_token(alias: Any) -> tuple[float, float] | None:
    """Explicit per-token prices for the deployment: the configured ones, or an explicit zero for a model
    litellm has no price for (a local server). Without them litellm runs its zero-cost diagnostic on
    every response (~3 ms of CPU per call); None keeps litellm's own price map."""
    if alias.price_per_1k_prompt_usd is not None or alias.price_per_1k_completion_usd is not None:
        return (alias.price_per_1k_prompt_usd or 0.0) / 1000, (
            alias.price_per_1k_completion_usd or 0.0
        ) / 1000
    if alias.provider == "offline" or _known_price(alias.model):
        return None
    return 0.0, 0.0


def _own_price_cost(litellm_cost: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap litellm's Logging.response_cost_calculator: for a deployment whose per-token prices this
    config sets (model_info[OWN_PRICE_KEY]), the cost is prompt tokens x input price + completion tokens
    x output price, which is what litellm's generic path computes for such a model after ~2 ms of CPU
    (price-map lookups, tool/cache/reasoning breakdowns, zero-cost diagnostics). Every other call,
    including models priced by litellm's own map, goes through litellm unchanged.
    python/tests/test_llm_router.py checks the recorded cost over real HTTP."""

    @functools.wraps(litellm_cost)
    def response_cost_calculator(self: Any, result: Any, cache_hit: bool | None = None, **kwargs: Any) -> Any:
        info = (getattr(self, "litellm_params", None) or {}).get("model_info") or {}
        usage = getattr(result, "usage", None)
        hit = cache_hit if cache_hit is not None else self.model_call_details.get("cache_hit", False)
        if info.get(OWN_PRICE_KEY) and usage is not None and not hit:
            prompt, completion = (
                getattr(usage, "prompt_tokens", 0) or 0,
                getattr(usage, "completion_tokens", 0) or 0,
            )
            return prompt * info["input_cost_per_token"] + completion * info["output_cost_per_token"]
        return litellm_cost(self, result, cache_hit=cache_hit, **kwargs)

    response_cost_calculator.__wrapped_by_moldova__ = True  # type: ignore[attr-defined]
    return response_cost_calculator


if not getattr(LiteLLMLogging.response_cost_calculator, "__wrapped_by_moldova__", False):
    LiteLLMLogging.response_cost_calculator = _own_price_cost(LiteLLMLogging.response_cost_calculator)


class _Router(Router):
    """litellm's Router minus per-call TPM/RPM accounting, which this runtime never configures.

    `_increment_deployment_usage` runs twice per successful call and deep-copies the deployment's model
    info (~2-3 ms of CPU per call) only to find that no tpm/rpm limit is set. Deployments built by
    `_deployment` carry no tpm/rpm/itpm/otpm, so it returns at once; success counting for the circuit
    breaker (`increment_deployment_successes_for_current_minute`) is untouched.
    """

    _limited: dict[str, bool]

    async def _increment_deployment_usage(self, **kwargs: Any) -> str | None:  # type: ignore[override]
        deployment_id = str(kwargs.get("deployment_id"))
        limited = self.__dict__.setdefault("_limited", {})
        if deployment_id not in limited:
            deployment = self.get_deployment(model_id=deployment_id)
            limited[deployment_id] = deployment is None or _has_limits(deployment.model_dump())
        if not limited[deployment_id]:
            return None
        return await super()._increment_deployment_usage(**kwargs)


_LIMIT_KEYS = ("tpm", "rpm", "itpm", "otpm", "input_tpm", "output_tpm")


def _has_limits(deployment: dict[str, Any]) -> bool:
    parts = [deployment, deployment.get("litellm_params") or {}, deployment.get("model_info") or {}]
    return any(part.get(key) is not None for part in parts for key in _LIMIT_KEYS)


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
    router = _Router(
        model_list=[d for name in chain for d in _deployments(name, settings)],
        fallbacks=fallbacks,
        num_retries=0,
        retry_after=0,
        timeout=max(settings.alias(n).timeout_s for n in chain),
        cooldown_time=settings.cooldown_time_s,
        **kwargs,
    )
    _drop_sync_success_callback(router)
    return router


def _drop_sync_success_callback(router: Router) -> None:
    """Every call here is async: the Router's async success callback already counts successes for the
    circuit breaker. Its sync twin only double-counts them, and a sync success callback makes litellm run
    the whole sync logging path on a thread pool for every async call (~3-5 ms of CPU, fighting the event
    loop thread for the GIL)."""
    hook = router.sync_deployment_callback_on_success
    litellm.success_callback = [cb for cb in litellm.success_callback if cb != hook]


class OfflineDirect:
    """Stand-in for the Router when every alias of the chain is the offline provider.

    Fallbacks and cooldowns are pointless there (the chain cannot fail over to anything else), and the
    Router costs ~2-3 ms of CPU per call in bookkeeping; the call still goes through
    `litellm.acompletion` and the `offline` custom provider.
    """

    def __init__(self, settings: NarrationSettings) -> None:
        register_offline_provider()
        alias = settings.alias(settings.primary)
        self.alias_name = settings.primary
        self.params = {"model": alias.model, "max_retries": 0, "timeout": alias.timeout_s}

    async def acompletion(self, model: str, messages: list[dict[str, Any]], **kwargs: Any) -> Any:
        response = await litellm.acompletion(messages=messages, **self.params, **kwargs)
        response._hidden_params["model_id"] = self.alias_name
        return response


def all_offline(settings: NarrationSettings) -> bool:
    """True when every alias of the chain uses the offline provider."""
    return all(settings.alias(name).provider == "offline" for name in settings.chain())


_routers: dict[str, Any] = {}


def _router_key(settings: NarrationSettings) -> str:
    """What the Router depends on: the chain's aliases, primary, breaker settings (not dirs, seed...)."""
    return json.dumps(
        {
            "chain": [[name, settings.alias(name).model_dump(mode="json")] for name in settings.chain()],
            "primary": settings.primary,
            "allowed_fails": settings.allowed_fails,
            "cooldown_time_s": settings.cooldown_time_s,
        },
        sort_keys=True,
    )


def get_router(settings: NarrationSettings) -> Router | OfflineDirect:
    """Router cached per chain configuration (cooldown state survives between batches of one process).

    Keyed on the router's own settings only: batches that differ in state/log dirs, seed or tier share
    one Router. Every Router appends its callbacks to litellm's global lists and each success runs all
    of them, so a Router per batch would make every call pay for every earlier batch's Router.
    An all-offline chain gets `OfflineDirect` (same interface, no Router bookkeeping).
    """
    key = _router_key(settings)
    if key not in _routers:
        _routers[key] = OfflineDirect(settings) if all_offline(settings) else build_router(settings)
    return _routers[key]


def reset_routers() -> None:
    """Forget cached routers and unhook their callbacks from litellm's global lists (tests)."""
    for router in _routers.values():
        if isinstance(router, Router):
            router.discard()
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
    spec: dict[str, Any] | None = None,
) -> LLMResult:
    """One narration call through the router (fallbacks inside), with own backoff for retryable errors.

    `spec` (prompts.build_spec) travels in the call's metadata when the chain holds the offline narrator,
    its only reader; real providers get the rendered messages alone."""
    started = time.perf_counter()
    retries = 0
    metadata = dict(metadata or {})
    if spec is not None and any(settings.alias(a).provider == "offline" for a in settings.chain()):
        metadata[SPEC_KEY] = spec
    while True:
        try:
            response = await router.acompletion(model=settings.primary, messages=messages, metadata=metadata)
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
        counted = settings.alias(alias).model if alias else str(getattr(response, "model", "") or "")
        if not pt:  # a server that reports no usage: count as litellm's tokenizer for the model would
            pt = count_tokens(counted, messages=messages)
        if not ct and text:
            ct = count_tokens(counted, text=text)
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
