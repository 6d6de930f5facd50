"""Tokens/s of the real local model (Gemma 3 270M Q4_K_M on llama-cpp-python, CPU) through litellm over HTTP.

Usage: python bench/bench_realmodel.py [--threads 1] [--batch-threads 2] [--prompts 3] [--gen-tokens 128]

Measured end to end as the narration sees it (litellm -> HTTP -> server -> answer), per request:
- prompt: real narration prompts (distinct personas) with max_tokens=1, so the time is the prompt's
  evaluation (tokens that share a prefix with the previous prompt are reused by the server and still
  counted: the figure is what a run of distinct personas gets);
- generation, three output modes: free text, `json_object` (a JSON grammar) and a JSON schema (the
  narration's 12 fields with length caps), each after a short prompt, rate = completion tokens / time.
Also prints the CPU seconds the server process used per request (tokens per CPU-second tell what a free
machine reaches when the wall-clock figures were taken on a busy one) and the server's own decode rates
(llama.cpp's `eval time` lines). Needs `make realmodel`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "python" / "tests")]
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import conftest  # noqa: E402  (sample cores)
import litellm  # noqa: E402
from local_llm_server import LITELLM_MODEL, LocalLLMServer  # noqa: E402

from moldova_personas.narration import planning  # noqa: E402
from moldova_personas.narration.prompts import render_messages, to_jsonable  # noqa: E402
from moldova_personas.narration.runtime import _seed_rows  # noqa: E402
from moldova_personas.schema import NARRATIVE_LIST_FIELDS, NARRATIVE_TEXT_FIELDS  # noqa: E402

SHORT = [
    {"role": "system", "content": "Scrii numai în limba română."},
    {"role": "user", "content": "Descrie o zi obișnuită într-un sat din raionul Orhei."},
]
NARRATION_SCHEMA = {
    "type": "object",
    "properties": {
        **{f: {"type": "string", "maxLength": 400} for f in NARRATIVE_TEXT_FIELDS},
        **{
            f: {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 12}
            for f in NARRATIVE_LIST_FIELDS
        },
    },
    "required": [*NARRATIVE_TEXT_FIELDS, *NARRATIVE_LIST_FIELDS],
    "additionalProperties": False,
}


def narration_prompts(n: int) -> list[list[dict[str, str]]]:
    os.chdir(ROOT)  # seeds/narration/*.csv
    anchors = planning.load_anchors(_seed_rows("anchors"))
    constraints = planning.load_constraints(_seed_rows("constraints"))
    out = []
    for core in conftest.make_cores(n, seed=11):
        plan = to_jsonable(planning.plan_persona(core, anchors=anchors, constraints=constraints, seed=42))
        out.append(render_messages(core, plan, None, 1, [])[0])
    return out


def server_cpu_s(server: LocalLLMServer) -> float:
    """CPU seconds (user + system, all threads) used so far by the server process."""
    fields = Path(f"/proc/{server.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def call(server: LocalLLMServer, messages, **kw) -> tuple[float, float, object]:
    """(wall s, server CPU s, response) of one completion."""
    cpu = server_cpu_s(server)
    started = time.perf_counter()
    response = litellm.completion(
        model=LITELLM_MODEL,
        api_base=server.url,
        api_key="no-key",
        messages=messages,
        temperature=0.8,
        timeout=1800,
        **kw,
    )
    return time.perf_counter() - started, server_cpu_s(server) - cpu, response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--batch-threads", type=int, default=None)
    parser.add_argument("--prompts", type=int, default=3)
    parser.add_argument("--gen-tokens", type=int, default=128)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    server = LocalLLMServer(threads=args.threads, batch_threads=args.batch_threads).start()
    print(
        f"server ready in {server.startup_s:.1f} s "
        f"(threads {server.threads} generation / {server.batch_threads} prompt)"
    )
    try:
        tokens = seconds = cpu_s = 0.0
        for messages in narration_prompts(args.prompts):
            dt, cpu, r = call(server, messages, max_tokens=1)
            tokens, seconds, cpu_s = tokens + r.usage.prompt_tokens, seconds + dt, cpu_s + cpu
            print(
                f"  prompt {r.usage.prompt_tokens} tokens in {dt:.1f} s ({cpu:.1f} CPU s): "
                f"{r.usage.prompt_tokens / dt:.1f} tok/s"
            )
        print(
            f"prompt: {tokens / seconds:.1f} tok/s, {tokens / cpu_s:.1f} tok per server CPU-second "
            f"({tokens:.0f} tokens of {args.prompts} narration prompts)"
        )
        modes = {
            "free text": {},
            "json_object": {"response_format": {"type": "json_object"}},
            # llama-cpp-python's form of a schema (output mode json_object_schema)
            "JSON schema": {"response_format": {"type": "json_object", "schema": NARRATION_SCHEMA}},
        }
        for name, extra in modes.items():
            dt, cpu, r = call(server, SHORT, max_tokens=args.gen_tokens, **extra)
            n = r.usage.completion_tokens
            text = r.choices[0].message.content or ""
            print(
                f"generation, {name}: {n / dt:.1f} tok/s, {n / cpu:.1f} tok per server CPU-second "
                f"({n} tokens in {dt:.1f} s, finish {r.choices[0].finish_reason}); starts {text[:60]!r}"
            )
    finally:
        server.stop()
    decode = re.findall(r"eval time =\s+([\d.]+) ms /\s+(\d+) runs", server.log_text())
    rates = [f"{int(n) / (float(ms) / 1000):.1f}" for ms, n in decode if int(n) > 1]
    print(f"server decode rates (llama.cpp eval time, tok/s, per request): {', '.join(rates)}")
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
