"""`ddokddok serve` with KakaoTalk: the skill beside Telegram's webhook, or KakaoTalk alone.

Which one runs follows the settings: a Telegram token and KAKAO_SKILL_SECRET serve both on one
ASGI app (the Telegram application's timed jobs send to both messengers, each chat through its
own); KAKAO_SKILL_SECRET alone serves KakaoTalk with the timed jobs run without
python-telegram-bot (`bot.adapters.kakao.channel`); a Telegram token alone is the webhook as
before (`bot.cli.bot_commands.run_serve`).
"""

from __future__ import annotations

from bot.app import (
    build_conversation,
    catalog_for_residents,
    check_bot_api,
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
    if not settings.kakao_enabled:
        return bot_commands.run_serve(args, settings)
    if settings.telegram_bot_token is None:
        return run_kakao_alone(settings)
    return run_beside_telegram(settings)


def run_kakao_alone(settings: Settings) -> int:
    from bot.adapters.kakao.channel import build_kakao_app, serve_kakao

    catalog = catalog_for_residents(settings)
    engine = open_store(settings)
    try:
        conversation = build_conversation(settings, engine, catalog=catalog)
        app = build_kakao_app(settings, conversation=conversation, engine=engine)
        settle_for_a_long_run()
        serve_kakao(app, host=settings.listen_host, port=settings.listen_port)
    finally:
        close_store(engine)
    return 0


def run_beside_telegram(settings: Settings) -> int:
    """Telegram's webhook app with the Kakao skill's route added, and the Telegram handlers'
    transport sending Kakao chats through the Event API."""
    if settings.telegram_webhook_secret is None:
        raise bot_commands.CommandError("serve needs TELEGRAM_WEBHOOK_SECRET: Telegram sends it with "
                                        "every update, so nobody else can post updates to the endpoint")
    import uvicorn

    from bot.adapters.health_http import operations_for
    from bot.adapters.kakao.channel import kakao_skill_for, kakao_transport_for
    from bot.adapters.telegram import ALLOWED_UPDATES, build_application
    from bot.adapters.webhook import build_webhook_app, database_reachable
    from bot.ops.health import CATALOG, MIGRATIONS, DatabaseProbe, Readiness
    from bot.people.identities import Platform

    readiness = Readiness()
    catalog = catalog_for_residents(settings)
    readiness.mark(CATALOG)
    check_bot_api(settings)
    engine = open_store(settings)
    readiness.mark(MIGRATIONS)
    try:
        conversation = build_conversation(settings, engine, catalog=catalog)
        application = build_application(settings, conversation=conversation, engine=engine,
                                        catalog=conversation.catalog)
        transport = kakao_transport_for(settings, engine=engine)
        if transport is not None:
            application.bot_data["chat_handlers"].transport.route(Platform.KAKAO, transport)
        skill = kakao_skill_for(settings, conversation=conversation, engine=engine)
        operations = operations_for(application, engine=engine, readiness=readiness,
                                    probe=DatabaseProbe(lambda: database_reachable(engine)))
        app = build_webhook_app(application, engine=engine,
                                secret=settings.telegram_webhook_secret.get_secret_value(),
                                webhook_url=settings.webhook_url, allowed_updates=list(ALLOWED_UPDATES),
                                operations=operations)
        for route in skill.routes(settings.kakao_skill_path):
            app.router.routes.append(route)
        settle_for_a_long_run()
        uvicorn.run(app, host=settings.listen_host, port=settings.listen_port, log_level="warning",
                    proxy_headers=True)
    finally:
        close_store(engine)
    return 0
