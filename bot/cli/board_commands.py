"""`ddokddok board`: the district office's web board on BOARD_HOST:BOARD_PORT (127.0.0.1:8090).

The same store and catalog as the bot; run it beside `ddokddok run` (or mount it inside
`ddokddok serve`, see `bot.board.board_mount`). Staff log in with the link /board sends them, so
BOARD_PUBLIC_URL must be the address they open (behind a reverse proxy with TLS, in a real office).
"""

from __future__ import annotations

from bot.app import catalog_for_residents, close_store, open_store
from bot.core.settings import Settings


def add_board(subparsers) -> None:
    parser = subparsers.add_parser(
        "board", help="the district office's web board for staff (log in with /board in the chat)"
    )
    parser.set_defaults(handler=run_board, uses_settings=True)


def run_board(args, settings: Settings) -> int:
    import uvicorn

    from bot.board import build_board_app

    catalog = catalog_for_residents(settings)
    engine = open_store(settings)
    try:
        app = build_board_app(engine=engine, catalog=catalog, settings=settings)
        print(f"the board listens on {settings.board_host}:{settings.board_port}; staff open it "
              f"through /board in the chat ({settings.board_url})")
        # No access log: it would hold every address asked for, and nothing the board needs.
        uvicorn.run(app, host=settings.board_host, port=settings.board_port, log_level="warning",
                    access_log=False, proxy_headers=True)
    finally:
        close_store(engine)
    return 0
