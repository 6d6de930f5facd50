"""`dbt` with graceful narration stops: `python -m moldova_personas.narration.signals build ...`.

dbt runs models on worker threads, and only the main thread may set signal handlers. On Ctrl-C dbt
waits for the running models to finish, so a narration would go on for its whole tier; SIGTERM (a CI
job cancelled, `kill`) ends the process at once without a word. This entry point runs dbt's own CLI
(the same `cli()` as the `dbt` script) with SIGINT/SIGTERM handlers on the main thread that first ask
every running narration to stop (calls in flight get `signal_grace_s` to answer and are stored; the
run then prints what was saved and the command to resume), then let dbt stop as on Ctrl-C. After
SIGTERM the process exits with 143, as if the signal had killed it.

The Makefile runs dbt through it. Plain `dbt` keeps dbt's behaviour: the first Ctrl-C lets the running
model finish; a second one exits, and the narration still stops gracefully on the way out (exit hook).
`MOLDOVA_RESUME_COMMAND` (set by the Makefile, e.g. `make run`) is the command the stop message names.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

_received: list[int] = []


def _handler(signum: int, _frame: Any) -> None:
    from moldova_personas.narration import runtime

    first = not _received
    _received.append(signum)
    if first:
        runtime.stop_active_runs(f"{signal.Signals(signum).name} received")
    raise KeyboardInterrupt


def install() -> Callable[[], None]:
    """Set the handlers (main thread only); returns a function restoring the previous ones."""
    previous = {sig: signal.signal(sig, _handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore


def main() -> int:
    from dbt.cli.main import cli

    sys.argv[0] = "dbt"
    install()
    try:
        code = cli()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except KeyboardInterrupt:
        code = 130
    if signal.SIGTERM in _received:
        code = 128 + signal.SIGTERM
    return int(code or 0)


if __name__ == "__main__":
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    raise SystemExit(main())
