"""Running an ASGI app on a port until SIGINT or SIGTERM, with the caller's clean-up kept.

uvicorn, once it has shut down, raises again the signal it caught; with the default SIGTERM
action that kills the process before the caller's `finally` runs (folding SQLite's WAL into the
database file, `bot.app.close_store`). Ending by SystemExit instead lets that clean-up run, and
the process exits with 0, as `ddokddok run` does.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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


@asynccontextmanager
async def serving_on_loopback(app: ASGIApp) -> AsyncIterator[str]:
    """`app` under uvicorn on a free loopback port, inside the running event loop, until the
    block ends; yields its base URL ("http://127.0.0.1:PORT"). For benchmarks and tests.

    The port is bound first, so no other process can take it between choosing and serving. The
    socket names its protocol (TCP): asyncio sets TCP_NODELAY only on connections whose socket
    says so, and without it every response waits some 40 ms for the client's delayed ACK."""
    import uvicorn

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
    running = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        if running.done():
            running.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await running
        listener.close()
