"""Running an ASGI app on a port until SIGINT or SIGTERM, with the caller's clean-up kept.

uvicorn, once it has shut down, raises again the signal it caught; with the default SIGTERM
action that kills the process before the caller's `finally` runs (folding SQLite's WAL into the
database file, `bot.app.close_store`). Ending by SystemExit instead lets that clean-up run, and
the process exits with 0, as `ddokddok run` does.
"""

from __future__ import annotations

import signal

from starlette.types import ASGIApp


def run_until_stopped(app: ASGIApp, *, host: str, port: int) -> None:
    import uvicorn

    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_cleanly(_signal_number: int, _frame: object) -> None:
    raise SystemExit(0)
