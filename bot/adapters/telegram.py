"""The Telegram adapter: the one place the bot's `Application` is put together.

`build_application` registers every handler, the error handler, the outbox and notice jobs and
the command menu, in the order they are listed below; `main()` only builds and runs it, and
tests call the same factory with a fake request.

One send rate for the whole bot (`bot.sending.send_rate.SendRateLimiter`, built here from the settings
by `send_limiter_for`, which on PostgreSQL makes it draw on the budget all processes share, and
kept in `application.bot_data["send_limiter"]`): the outbox drain and the notice sender send
through `ChatHandlers.sender_bot`, a bot without PTB's limiter, each message after the shared
limiter's permission (outbox first, notices last); replies keep PTB's AIORateLimiter, wrapped
so that they draw on the same budget ahead of notices. A check-in sender takes the same
limiter: `LimitedTransport(TelegramTransport(handlers.sender_bot), limiter)`. Handlers stay
thin: turn an update into an `Incoming`, hand it to the conversation (see `turn_runner_for` for
which thread runs it), send its `Outgoing`s back.

Only private chats are served: what a resident tells the bot (health, money, an address) must
not be answered into a group where others read along.

This module is the wiring; the handlers are in `bot.adapters.telegram_updates` (`ChatHandlers`,
`PerPersonOrder`), sending and Telegram's errors in `bot.adapters.telegram_sending`, what a
pressed message shows afterwards in `bot.adapters.telegram_presses`, the command menus and
descriptions in `bot.adapters.telegram_menus`, a resident blocking or unblocking the bot in
`bot.adapters.telegram_membership`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Engine
from telegram import (
    Bot,
    Update,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.adapters.flood import FloodGate
from bot.adapters.telegram_membership import MembershipHandler
from bot.adapters.telegram_menus import (
    BOT_COMMANDS,
    MENU_SYNC_SECONDS,
    CommandMenus,
    register_descriptions,
    set_default_menu,
)
from bot.adapters.telegram_sending import SharedRateLimiter
from bot.adapters.telegram_updates import (
    ChatHandlers,
    ConversationPort,
    PerPersonOrder,
    TurnRunner,
    turn_runner_for,
)
from bot.checkins.policy import CheckinPolicy
from bot.core.clock import Clock, utc_now
from bot.core.settings import Settings
from bot.ops.job_watch import JobWatch
from bot.ops.watchdog import WATCHDOG_INTERVAL_SECONDS, CheckinStallAlarm
from bot.people.retention import RETENTION_FIRST_RUN, RETENTION_INTERVAL, retention_job
from bot.reports.weekly_chart import CHART_JOB_FIRST_RUN, CHART_JOB_INTERVAL, weekly_chart_job
from bot.sending.send_rate import SendRateLimiter, send_limiter_for
from catalog import Catalog

log = logging.getLogger(__name__)


DEFAULT_BASE_URL = "https://api.telegram.org/bot"

# Updates the bot asks Telegram for; anything else (edits, channel posts, polls) never arrives.
# MY_CHAT_MEMBER: a resident blocked or unblocked the bot (bot.adapters.telegram_membership).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]

OUTBOX_INTERVAL_SECONDS = 1.0

# How often the notice job looks for notices to start; a running one is sent to its end.
NOTICE_INTERVAL_SECONDS = 2.0

# Connections of the bot that sends the outbox and notices (the notice sender's concurrency
# plus room for the outbox and progress edits).
SENDER_CONNECTIONS = 16

REPLY_RETRY_DELAYS: Sequence[float] = (0.5, 2.0)
RATE_LIMIT_RETRIES = 3

# How long a reply waits for Telegram's answer. PTB's default (5 s) called slow answers that
# did arrive "timed out", and the retry then sent them twice; with updates answered side by
# side a slow answer holds up only its own person.
REPLY_READ_TIMEOUT_SECONDS = 20.0

# Updates answered at the same time (one person's in order, see PerPersonOrder), and the
# connections the replies need for that.
CONCURRENT_UPDATES = 32
REPLY_CONNECTIONS = 32

__all__ = ["ALLOWED_UPDATES", "BOT_COMMANDS", "build_application", "bot_api_base_url", "register_commands",
           "run_polling"]



def build_application(
    settings: Settings,
    *,
    conversation: ConversationPort,
    engine: Engine,
    request: BaseRequest | None = None,
    clock: Clock = utc_now,
    rate_limiter: BaseRateLimiter | None = None,
    send_limiter: SendRateLimiter | None = None,
    catalog: Catalog | None = None,
    run_turn: TurnRunner | None = None,
) -> Application:
    """The bot, ready for `run_polling()` (or, in tests, `initialize()` + `process_update()`).

    `request` replaces the HTTP transport (tests pass a fake); `rate_limiter` defaults to
    PTB's AIORateLimiter, which keeps under Telegram's limits and retries a 429 itself, wrapped
    to draw on `send_limiter` (a given `rate_limiter` is used as it is: the benchmark's does
    not limit at all). `send_limiter` defaults to the settings' rate. With `catalog`, the
    weekly provider chart goes to each district's staff on Mondays. `run_turn` defaults to
    `turn_runner_for(engine)`.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("the Telegram bot needs TELEGRAM_BOT_TOKEN; without it use the terminal")
    token = settings.telegram_bot_token.get_secret_value()
    base_url = bot_api_base_url(settings.telegram_api_base_url)
    send_limiter = send_limiter or send_limiter_for(
        engine, settings.notice_rate_per_second, per_chat_interval=settings.per_chat_interval_seconds
    )
    # Outbox, notices and progress messages: a bot without PTB's limiter, so a 429 reaches the
    # shared limiter (which pauses everyone) instead of being retried behind its back.
    sender_bot = Bot(
        token, base_url=base_url,
        request=request or HTTPXRequest(connection_pool_size=SENDER_CONNECTIONS),
    )

    async def post_init(app: Application) -> None:
        await sender_bot.initialize()
        await register_commands(app)
        await register_descriptions(app.bot)

    async def post_shutdown(_app: Application) -> None:
        await sender_bot.shutdown()

    builder = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        # PTB's limiter keeps its per-group limits and retries a 429; the bot's overall rate
        # is the shared limiter's alone (PTB's own 30/s would count replies a second time).
        .rate_limiter(rate_limiter or SharedRateLimiter(
            AIORateLimiter(max_retries=RATE_LIMIT_RETRIES, overall_max_rate=0), send_limiter))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = (builder.connection_pool_size(REPLY_CONNECTIONS)
                   .read_timeout(REPLY_READ_TIMEOUT_SECONDS).pool_timeout(REPLY_READ_TIMEOUT_SECONDS))
    builder = builder.concurrent_updates(PerPersonOrder(CONCURRENT_UPDATES))
    application = builder.build()
    application.bot_data["send_limiter"] = send_limiter

    chat = ChatHandlers(
        conversation=conversation,
        engine=engine,
        clock=clock,
        flood=FloodGate(
            max_messages=settings.flood_max_messages, window_seconds=settings.flood_window_seconds
        ),
        secrets=[token],
        sender_bot=sender_bot,
        send_limiter=send_limiter,
        checkin_policy=CheckinPolicy.from_settings(settings),
        checkin_limit=settings.checkin_send_limit,
        run_turn=run_turn or turn_runner_for(engine),
    )
    application.bot_data["chat_handlers"] = chat
    # Every handler, in order. A message is text (commands included: the conversation reads
    # them) or unsupported (sticker, photo, voice...): `incoming_from_update` tells which.
    application.add_handler(CallbackQueryHandler(chat.on_button))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE, chat.on_message)
    )
    # A resident blocking or unblocking the bot, at once (not at the next failed send).
    membership = MembershipHandler(engine=engine, clock=clock, checkin_policy=chat.checkin_policy)
    application.add_handler(ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    # Beside the conversation (a group of its own): a staff or provider command fixes the
    # chat's own command menu when it is out of date.
    menus = application.bot_data["command_menus"] = CommandMenus(engine)
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, menus.on_command), group=1
    )
    application.add_error_handler(chat.on_error)

    if application.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without its job-queue extra")
    # The timed jobs: (what, every, first run, name). Each runs one instance at a time, and a
    # run missed while the last one went on is not made up for.
    timed_jobs = [
        (chat.drain_outbox, OUTBOX_INTERVAL_SECONDS, OUTBOX_INTERVAL_SECONDS, "outbox"),
        # Keeps the promise made at consent: closed requests' contact details are erased after
        # `booking_retention_days`, and conversations left as long are forgotten.
        (retention_job(engine=engine, clock=clock, retention_days=settings.booking_retention_days),
         RETENTION_INTERVAL, RETENTION_FIRST_RUN, "retention"),
        (chat.start_notices, NOTICE_INTERVAL_SECONDS, NOTICE_INTERVAL_SECONDS, "notices"),
        # Wellness check-ins: due check-ins and reminders sent, unanswered ones escalated.
        (chat.dispatch_checkins, settings.checkin_tick_seconds, settings.checkin_tick_seconds, "checkins"),
        # Staff's and providers' own command menus, in step with the store: at start-up, then
        # every minute (they are registered by another process, which cannot tell the bot).
        (menus.sync_job, MENU_SYNC_SECONDS, 1.0, "menus"),
    ]
    if catalog is not None:
        timed_jobs.append((weekly_chart_job(engine=engine, catalog=catalog, clock=clock),
                           CHART_JOB_INTERVAL, CHART_JOB_FIRST_RUN, "weekly-chart"))
    # Every job records when it last finished (bot.ops.job_watch: /healthz names a late one),
    # and a job of its own tells staff when the check-ins stall (bot.ops.watchdog).
    job_watch = application.bot_data["job_watch"] = JobWatch(clock=clock)
    timed_jobs.append((CheckinStallAlarm(engine=engine, job_watch=job_watch, clock=clock),
                       WATCHDOG_INTERVAL_SECONDS, WATCHDOG_INTERVAL_SECONDS, "watchdog"))
    for callback, interval, first, name in timed_jobs:
        application.job_queue.run_repeating(job_watch.watched(name, callback, interval=interval, first=first),
                                            interval=interval, first=first, name=name,
                                            job_kwargs={"coalesce": True, "max_instances": 1})
    return application


def run_polling(application: Application) -> None:
    """Run until interrupted; updates that arrived while the bot was down are answered."""
    application.run_polling(allowed_updates=ALLOWED_UPDATES)


def bot_api_base_url(url: str | None) -> str:
    """PTB appends the token to its base URL, so the URL ends in "/bot" ("http://h:8081/bot").

    "http://h:8081" alone is completed with "/bot"; a URL with a "{token}" placeholder is
    left as it is (PTB substitutes it).
    """
    if not url:
        return DEFAULT_BASE_URL
    url = url.rstrip("/")
    if "{token}" in url or url.endswith("/bot"):
        return url
    return f"{url}/bot"


async def register_commands(application: Application) -> None:
    """Fill everyone's command menu; a failure only costs the menu, never the bot."""
    await set_default_menu(application.bot)
