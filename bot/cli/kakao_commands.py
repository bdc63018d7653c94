"""`ddokddok serve` with KakaoTalk: the skill beside Telegram's webhook, or KakaoTalk alone.

Which one runs follows the settings: a Telegram token and KAKAO_SKILL_SECRET serve both on one
ASGI app (the Telegram application's timed jobs send to both messengers, each chat through its
own); KAKAO_SKILL_SECRET alone serves KakaoTalk with the timed jobs run without
python-telegram-bot (`bot.adapters.kakao.channel`), and `/healthz`, `/readyz` and `/metrics`
beside the skill as beside the webhook; a Telegram token alone is the webhook as before
(`bot.cli.bot_commands.run_serve`).
"""

from __future__ import annotations

from bot.app import (
    build_conversation,
    catalog_for_residents,
    close_store,
    open_store,
    settle_for_a_long_run,
)
from bot.cli import bot_commands
from bot.core.settings import Settings


def add_serve(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="the bot behind HTTP: Telegram's webhook and/or the KakaoTalk skill "
                      "(KAKAO_SKILL_SECRET), on LISTEN_HOST:LISTEN_PORT")
    parser.set_defaults(handler=run_serve, uses_settings=True)


def run_serve(args, settings: Settings) -> int:
    if settings.kakao_enabled and settings.telegram_bot_token is None:
        return run_kakao_alone(settings)
    # The webhook, with the skill beside it when Kakao is set (`bot_commands.kakao_beside_telegram`).
    return bot_commands.run_serve(args, settings)


def run_kakao_alone(settings: Settings) -> int:
    from bot.adapters.kakao.channel import build_kakao_app, serve_kakao
    from bot.ops.health import CATALOG, MIGRATIONS, Readiness

    readiness = Readiness()  # what /readyz answers from, beside the skill
    catalog = catalog_for_residents(settings)
    readiness.mark(CATALOG)
    engine = open_store(settings)
    readiness.mark(MIGRATIONS)
    try:
        conversation = build_conversation(settings, engine, catalog=catalog)
        app = build_kakao_app(settings, conversation=conversation, engine=engine, readiness=readiness)
        settle_for_a_long_run()
        serve_kakao(app, host=settings.listen_host, port=settings.listen_port)
    finally:
        close_store(engine)
    return 0
