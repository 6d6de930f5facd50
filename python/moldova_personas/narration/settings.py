"""Narration settings: one strict pydantic model, built from defaults <- environment <- overrides.

Defaults run with no key and no network: every alias points at the offline narrator
(`offline/narrator`, a litellm CustomLLM registered by `llm.py`). A real provider is chosen by
environment variables (MOLDOVA_LLM_*, read in `_env_layer`); API keys are never stored here, only the
NAME of the env var holding the key, which is read at call time. This module imports nothing of the package.

Variables (ALIAS = CREATIVE | BALANCED | FAST): MOLDOVA_LLM_<ALIAS> (litellm model string);
MOLDOVA_LLM_API_BASE / MOLDOVA_LLM_<ALIAS>_API_BASE (a comma-separated list is a pool of servers);
MOLDOVA_LLM_API_KEY_ENV / MOLDOVA_LLM_<ALIAS>_API_KEY_ENV (name of the key variable; default the
provider's usual one, e.g. OPENAI_API_KEY, sent when set, required without an api_base);
MOLDOVA_LLM_TIMEOUT (per call, default 120 s: a 2,500-token answer at 21 tokens/s); MOLDOVA_LLM_MAX_TOKENS;
MOLDOVA_LLM_OUTPUT_MODE / MOLDOVA_LLM_<ALIAS>_OUTPUT_MODE; MOLDOVA_LLM_MAX_CONCURRENCY;
MOLDOVA_LLM_MAX_ATTEMPTS; MOLDOVA_LLM_CALL_RETRIES; MOLDOVA_LLM_ALLOW_OFFLINE_FALLBACK=1;
MOLDOVA_LLM_KEEP_OTHER_MODELS=1; MOLDOVA_LLM_PROGRESS_INTERVAL; MOLDOVA_LLM_SIGNAL_GRACE;
MOLDOVA_LLM_STALL_ABORT; MOLDOVA_LLM_STATE_DIR; MOLDOVA_LLM_LOG_DIR; MOLDOVA_LLM_RUN_ID.
Engine: MOLDOVA_NARRATION_ENGINE (local, the default, or ray: Ray tasks on a local instance or the
cluster of RAY_ADDRESS; pip install '.[ray]'); MOLDOVA_NARRATION_RAY_WORKERS; MOLDOVA_NARRATION_RAY_BATCH.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

OFFLINE_MODEL = "offline/narrator"
ALIASES = ("creative", "balanced", "fast", "offline")
# How the answer's shape is asked of a provider (answer.response_format): auto picks per provider.
OutputMode = Literal["auto", "schema", "json_object_schema", "json_object", "none"]
OUTPUT_MODES: tuple[str, ...] = get_args(OutputMode)

# Providers whose models need no key (local servers). Anything else needs api_key_env.
KEYLESS_PROVIDERS = ("offline", "ollama", "ollama_chat", "hosted_vllm", "lm_studio", "llamafile")
# Conventional key variable per provider, used when MOLDOVA_LLM_API_KEY_ENV is not set.
DEFAULT_KEY_ENV = {
    "dashscope": "DASHSCOPE_API_KEY",
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
}

ENGINES = ("local", "ray")
TRUE_VALUES = ("1", "true", "yes", "on")


class MissingApiKeyError(RuntimeError):
    """A real provider is configured but its key variable is unset or empty."""


class ModelAlias(BaseModel):
    """One model alias (creative/balanced/fast/offline) and how to reach it."""

    model_config = ConfigDict(extra="forbid")
    model: str = Field(
        default=OFFLINE_MODEL,
        description="litellm model string 'provider/name', "
        "e.g. dashscope/qwen-turbo or openai/<served-name>.",
    )
    api_base: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible server (vLLM, Ollama, fake server)."
    )
    api_key_env: str | None = Field(
        default=None,
        description="NAME of the environment variable holding the API key (never the key). "
        "None for keyless providers.",
    )
    api_key_optional: bool = Field(
        default=False,
        description="Send the key of `api_key_env` when it is set, run without one when it is not "
        "(an OpenAI-compatible api_base: a local vLLM/Ollama server needs none, a hosted one does).",
    )
    timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="Per-call timeout in seconds: a 2,500-token answer (litellm's count of a whole "
        "narration) at 21 tokens/s, several times what hosted APIs need; a local CPU server needs more "
        "(MOLDOVA_LLM_TIMEOUT).",
    )
    temperature: float = Field(default=0.8, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(default=4096, gt=0, description="Completion token cap per call.")
    json_mode: bool = Field(
        default=True, description="Ask for response_format=json_object (dropped where unsupported)."
    )
    output_mode: OutputMode = Field(
        default="auto",
        description="How the answer's JSON shape is asked for. 'schema': the answer's JSON schema as "
        "response_format type json_schema (OpenAI, vLLM, Ollama, llama.cpp's llama-server); "
        "'json_object_schema': type json_object with the schema (llama-cpp-python's server); "
        "'json_object': JSON mode without a schema; 'none': no response_format. 'auto': 'schema' where "
        "litellm says the model supports response schemas, else 'json_object' (or 'none' when json_mode "
        "is false); an OpenAI-compatible server at api_base counts as unknown, so set it explicitly.",
    )
    price_per_1k_prompt_usd: float | None = Field(
        default=None, ge=0, description="USD per 1K prompt tokens when litellm has no price for the model."
    )
    price_per_1k_completion_usd: float | None = Field(
        default=None, ge=0, description="USD per 1K completion tokens when litellm has no price."
    )

    @property
    def provider(self) -> str:
        """Provider prefix of the litellm model string."""
        return self.model.split("/", 1)[0] if "/" in self.model else "openai"

    @property
    def needs_key(self) -> bool:
        """True when calls must carry an API key read from `api_key_env`."""
        return self.api_key_env is not None and not self.api_key_optional

    @property
    def is_offline(self) -> bool:
        """True for the offline narrator (provider `offline`)."""
        return self.provider == "offline"


class ValidatorThresholds(BaseModel):
    """Pass thresholds of the validators (scores are 0-1; direction documented in validators.py)."""

    model_config = ConfigDict(extra="forbid")
    trait_leak_max: float = Field(
        default=0.0, ge=0, le=1, description="Max trait_leak (1 = trait names leak)."
    )
    opening_variation_min: float = Field(default=0.5, ge=0, le=1, description="Min opening_variation score.")
    pollyanna_max: float = Field(
        default=0.85, ge=0, le=1, description="Max pollyanna score (share of positive tone; >0.85 critical)."
    )
    anchor_specificity_min: float = Field(
        default=0.5, ge=0, le=1, description="Min share of planned anchors."
    )
    length_min: float = Field(
        default=0.75, ge=0, le=1, description="Min share of fields within length targets."
    )
    language_min: float = Field(
        default=0.7, ge=0, le=1, description="Min Romanian-language score (worst field)."
    )
    consistency_min: float = Field(
        default=0.7, ge=0, le=1, description="Min consistency with the core (any contradiction fails)."
    )


class NarrationSettings(BaseModel):
    """Every setting of the narration runtime."""

    model_config = ConfigDict(extra="forbid")
    creative: ModelAlias = Field(default_factory=ModelAlias, description="Primary, most capable model.")
    balanced: ModelAlias = Field(default_factory=ModelAlias, description="First fallback.")
    fast: ModelAlias = Field(default_factory=ModelAlias, description="Second fallback.")
    offline: ModelAlias = Field(
        default_factory=lambda: ModelAlias(temperature=0.0),
        description="Last resort: the deterministic offline narrator; must stay 'offline/...'.",
    )
    primary: str = Field(default="creative", description="Alias every persona is first sent to.")
    fallback_order: list[str] = Field(
        default_factory=lambda: list(ALIASES),
        description="Chain tried by the router when the previous alias fails or cools down.",
    )
    max_concurrency: int = Field(
        default=16, gt=0, le=1024, description="Concurrent LLM calls (one semaphore)."
    )
    max_attempts: int = Field(
        default=3, ge=1, le=10, description="Generation attempts per persona (1 + repairs)."
    )
    call_retries: int = Field(
        default=4,
        ge=0,
        le=10,
        description="Backoff retries, on the same alias, of a call that failed with 429/5xx/timeout/"
        "connection while its breaker is closed; then the next alias of the chain takes it (a server "
        "failing every other call still writes ~97 % of the personas itself).",
    )
    backoff_base_s: float = Field(default=1.0, ge=0, description="First backoff delay; doubles per retry.")
    backoff_max_s: float = Field(
        default=60.0, ge=0, description="Cap of one backoff delay (Retry-After too)."
    )
    allowed_fails: int = Field(
        default=4,
        ge=0,
        description="Circuit breaker: consecutive transient failures (5xx, 429, timeout, connection) a "
        "server may have; the next one opens its breaker for cooldown_time_s. A server failing every "
        "other call never trips it and keeps serving its successful half.",
    )
    cooldown_time_s: float = Field(
        default=30.0,
        gt=0,
        description="Seconds an open breaker keeps a server out; then one probe call decides.",
    )
    allow_offline_fallback: bool = Field(
        default=False,
        description="When a real provider is configured, let the offline narrator write the personas it "
        "failed (MOLDOVA_LLM_ALLOW_OFFLINE_FALLBACK=1). Off: offline aliases leave the chain and a "
        "persona the providers fail is kept as failed_call, narrated again on the next run.",
    )
    keep_other_models: bool = Field(
        default=False,
        description="Keep finished personas written by another model than the configured primary "
        "(MOLDOVA_LLM_KEEP_OTHER_MODELS=1). Off: they are narrated again with the primary.",
    )
    stall_abort_s: float = Field(
        default=600.0,
        gt=0,
        description="Stop the run when no alias of the chain answered for this long while every "
        "breaker stayed open (saved work is kept; the end of the run says how to resume).",
    )
    progress_interval_s: float = Field(
        default=15.0,
        gt=0,
        description="Seconds between progress lines (done/total, rate, ETA, calls in flight, failures).",
    )
    signal_grace_s: float = Field(
        default=5.0,
        ge=0,
        description="On SIGINT/SIGTERM, seconds to wait for calls in flight; answers arriving then are "
        "stored.",
    )
    tier: str = Field(default="1k", description="Tier being narrated; picks the checkpoint interval.")
    checkpoint_interval: dict[str, int] = Field(
        default_factory=lambda: {"1k": 250, "25k": 5_000, "100k": 10_000, "1m": 50_000},
        description="Personas between checkpoints (progress line + WAL checkpoint) per tier.",
    )
    seed: int = Field(
        default=42, description="Seed of planning; same core + seed -> same plan and offline text."
    )
    stage: str = Field(default="B", description="Stage label written to the attempt log.")
    run_id: str | None = Field(default=None, description="Run id of the attempt log; None -> timestamp.")
    state_dir: Path = Field(default=Path("state/narration"), description="SQLite response store directory.")
    log_dir: Path = Field(default=Path("logs/generation_attempts"), description="Attempt log directory.")
    progress: bool = Field(default=True, description="Print progress lines to stderr at checkpoints.")
    thresholds: ValidatorThresholds = Field(
        default_factory=ValidatorThresholds, description="Validator pass thresholds."
    )
    engine: str = Field(
        default="local",
        description="Where narration runs: 'local' (this process, one event loop) or 'ray' (Ray tasks on "
        "a local Ray instance, or on the cluster of RAY_ADDRESS; see narration/ray_engine.py).",
    )
    ray_workers: int | None = Field(
        default=None,
        gt=0,
        description="Ray tasks narrating at once, each with its own gateway of max_concurrency calls; "
        "None: the cluster's CPUs.",
    )
    ray_batch_size: int | None = Field(
        default=None,
        gt=0,
        description="Personas per Ray task (a killed task is retried; what it finished comes from the "
        "store); None: about a quarter of each worker's share, at least 4 x max_concurrency.",
    )
    ray_max_retries: int = Field(
        default=3, ge=0, description="Times Ray retries a task whose worker died (node lost, killed)."
    )

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value not in ENGINES:
            raise ValueError(
                f"narration engine must be one of {ENGINES} (MOLDOVA_NARRATION_ENGINE), got {value!r}"
            )
        return value

    @field_validator("fallback_order")
    @classmethod
    def _known_aliases(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in ALIASES]
        if unknown or not value:
            raise ValueError(f"fallback_order must be a non-empty list of {ALIASES}, got {value}")
        return value

    def alias(self, name: str) -> ModelAlias:
        """The ModelAlias called `name`."""
        return getattr(self, name)

    def chain(self) -> list[str]:
        """Aliases tried in order, starting at `primary`.

        When any alias of the chain is a real provider, offline aliases are left out unless
        `allow_offline_fallback` is set: a run configured for a real provider is never written by the
        offline narrator without the user asking for it.
        """
        order = self.fallback_order
        chain = order[order.index(self.primary) :] if self.primary in order else [self.primary, *order]
        if self.allow_offline_fallback or all(self.alias(a).is_offline for a in chain):
            return chain
        return [a for a in chain if not self.alias(a).is_offline]

    def offline_left_out(self) -> list[str]:
        """Offline aliases of the fallback order left out of the chain (no opt-in)."""
        order = self.fallback_order
        full = order[order.index(self.primary) :] if self.primary in order else [self.primary, *order]
        return [a for a in full if a not in self.chain()]

    @property
    def primary_model(self) -> str:
        """litellm model string of the primary alias."""
        return self.alias(self.chain()[0]).model

    @property
    def interval(self) -> int:
        """Checkpoint interval of the current tier."""
        return self.checkpoint_interval.get(self.tier, 250)

    def fingerprint(self) -> str:
        """Hash of what changes the text of a narration (primary model, seed, attempts, thresholds).

        Fallbacks are not in it: a persona row records the model that wrote it, and the runtime decides
        from that whether it is kept (see `keep_other_models`)."""
        keep = {
            "models": [self.primary_model],
            "seed": self.seed,
            "max_attempts": self.max_attempts,
            "thresholds": self.thresholds.model_dump(),
        }
        return hashlib.sha256(json.dumps(keep, sort_keys=True).encode()).hexdigest()[:16]

    def secret_values(self, env: Mapping[str, str] | None = None) -> list[str]:
        """Current values of every configured key variable, for masking (never persisted)."""
        env = os.environ if env is None else env
        values = {env.get(self.alias(a).api_key_env or "", "") for a in ALIASES}
        return sorted(v for v in values if len(v) >= 4)

    def check_keys(self, env: Mapping[str, str] | None = None) -> None:
        """Raise MissingApiKeyError, before any call, for a real alias in the chain whose key is missing."""
        env = os.environ if env is None else env
        for name in self.chain():
            alias = self.alias(name)
            if alias.needs_key and not env.get(alias.api_key_env or "", "").strip():
                raise MissingApiKeyError(
                    f"Model alias '{name}' uses {alias.model!r}, which needs an API key in the environment "
                    f"variable {alias.api_key_env}, but it is unset or empty. Fix: export "
                    f"{alias.api_key_env}=<your key> (or set MOLDOVA_LLM_{name.upper()}=offline/narrator to "
                    "narrate offline)."
                )


def _default_key_env(model: str) -> str | None:
    """The provider's usual key variable (OPENAI_API_KEY for openai/...); None for keyless providers."""
    provider = model.split("/", 1)[0] if "/" in model else "openai"
    if provider in KEYLESS_PROVIDERS:
        return None
    return DEFAULT_KEY_ENV.get(provider, f"{provider.upper()}_API_KEY")


def _number(env: Mapping[str, str], var: str, cast: type) -> Any:
    """A positive number from `var`, or a ValueError that names the variable."""
    raw = env.get(var, "").strip()
    try:
        value = cast(raw)
    except ValueError:
        value = None
    if value is None or value <= 0:
        kind = "a positive integer" if cast is int else "a positive number"
        raise ValueError(f"{var}={raw!r} must be {kind}")
    return value


def _env_layer(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings taken from MOLDOVA_LLM_* variables (empty values count as unset)."""

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    layer: dict[str, Any] = {}
    for name in ("creative", "balanced", "fast"):
        model = get(f"MOLDOVA_LLM_{name.upper()}")
        if model is None:
            continue
        api_base = get(f"MOLDOVA_LLM_{name.upper()}_API_BASE") or get("MOLDOVA_LLM_API_BASE")
        key_env = get(f"MOLDOVA_LLM_{name.upper()}_API_KEY_ENV") or get("MOLDOVA_LLM_API_KEY_ENV")
        alias: dict[str, Any] = {"model": model, "api_base": api_base}
        # the named variable, else the provider's usual one; with an api_base the usual one is sent when
        # set (a hosted OpenAI-compatible endpoint) and may be unset (a local server needs no key)
        alias["api_key_env"] = key_env or _default_key_env(model)
        alias["api_key_optional"] = bool(api_base) and not key_env
        if model.split("/", 1)[0] == "offline":
            alias["api_key_env"] = None
            alias["api_key_optional"] = False
        if get("MOLDOVA_LLM_TIMEOUT"):
            alias["timeout_s"] = _number(env, "MOLDOVA_LLM_TIMEOUT", float)
        if get("MOLDOVA_LLM_MAX_TOKENS"):
            alias["max_tokens"] = _number(env, "MOLDOVA_LLM_MAX_TOKENS", int)
        mode_var = f"MOLDOVA_LLM_{name.upper()}_OUTPUT_MODE"
        mode_var = mode_var if get(mode_var) else "MOLDOVA_LLM_OUTPUT_MODE"
        if get(mode_var):
            mode = str(get(mode_var)).lower()
            if mode not in OUTPUT_MODES:
                raise ValueError(f"{mode_var}={get(mode_var)!r} is not one of {', '.join(OUTPUT_MODES)}")
            alias["output_mode"] = mode
        layer[name] = alias
    for key, var, cast in (
        ("max_concurrency", "MOLDOVA_LLM_MAX_CONCURRENCY", int),
        ("max_attempts", "MOLDOVA_LLM_MAX_ATTEMPTS", int),
        ("call_retries", "MOLDOVA_LLM_CALL_RETRIES", int),
        ("progress_interval_s", "MOLDOVA_LLM_PROGRESS_INTERVAL", float),
        ("signal_grace_s", "MOLDOVA_LLM_SIGNAL_GRACE", float),
        ("stall_abort_s", "MOLDOVA_LLM_STALL_ABORT", float),
        ("allow_offline_fallback", "MOLDOVA_LLM_ALLOW_OFFLINE_FALLBACK", _flag),
        ("keep_other_models", "MOLDOVA_LLM_KEEP_OTHER_MODELS", _flag),
        ("state_dir", "MOLDOVA_LLM_STATE_DIR", str),
        ("log_dir", "MOLDOVA_LLM_LOG_DIR", str),
        ("run_id", "MOLDOVA_LLM_RUN_ID", str),
        ("engine", "MOLDOVA_NARRATION_ENGINE", str.lower),
        ("ray_workers", "MOLDOVA_NARRATION_RAY_WORKERS", int),
        ("ray_batch_size", "MOLDOVA_NARRATION_RAY_BATCH", int),
    ):
        if get(var) is not None:
            try:
                layer[key] = cast(get(var))
            except ValueError as exc:
                raise ValueError(f"environment variable {var}: {exc}") from None
    return layer


def _flag(value: str) -> bool:
    """'1', 'true', 'yes', 'on' (any case) -> True; '0', 'false', 'no', 'off' -> False; else an error."""
    text = value.strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected 1/0 (or true/false), got {value!r}")


def _clean(value: Any) -> Any:
    """Drop None and empty strings (dbt renders unset env_var defaults as '')."""
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != ""}
    return value


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def load_settings(
    overrides: Mapping[str, Any] | NarrationSettings | None = None,
    env: Mapping[str, str] | None = None,
) -> NarrationSettings:
    """Defaults <- MOLDOVA_LLM_* environment <- overrides (e.g. dbt `config.meta.narration`).

    `overrides` may be a NarrationSettings (returned as is) or a nested dict; a dbt meta dict with a
    `narration` key is accepted too. Keys are never read here; see `NarrationSettings.check_keys`.
    """
    if isinstance(overrides, NarrationSettings):
        return overrides
    env = os.environ if env is None else env
    overrides = dict(overrides or {})
    if "narration" in overrides and isinstance(overrides["narration"], Mapping):
        overrides = dict(overrides["narration"])
    merged = _merge(_env_layer(env), _clean(overrides))
    return NarrationSettings.model_validate(merged)
