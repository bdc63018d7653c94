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
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
import warnings
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseRateLimiter,
    BaseUpdateProcessor,
    CallbackContext,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due
from bot.checkins.policy import CheckinPolicy
from bot.conversation.commands import menu_entries
from bot.core.messages import Button, Incoming, InputKind, Outgoing, Reply
from bot.core.clock import Clock, utc_now
from bot.sending.outbox_sender import (
    DeliveryError,
    RateLimited,
    RecipientBlocked,
    RejectedMessage,
    TransientSendError,
    drain_outbox,
)
from bot.adapters.flood import FLOOD_NOTICE, FloodGate, Verdict
from bot.core.logs import redact
from bot.notices.sender import NoticeSender
from bot.sending.outbox import enqueue_message
from bot.sending.send_rate import LimitedTransport, Priority, SendRateLimiter, send_limiter_for
from bot.people.residents import mark_unreachable
from bot.people.retention import RETENTION_FIRST_RUN, RETENTION_INTERVAL, retention_job
from bot.reports.weekly_chart import CHART_JOB_FIRST_RUN, CHART_JOB_INTERVAL, weekly_chart_job
from bot.core.settings import Settings
from catalog import Catalog
from bot.store.db import session_scope

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
# Updates the bot asks Telegram for; anything else (edits, channel posts, polls) never arrives.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
OUTBOX_INTERVAL_SECONDS = 1.0
# Small claims: what a batch holds is what a crash delays by the outbox's lease (30 s).
OUTBOX_BATCH = 20
# How often the notice job looks for notices to start; a running one is sent to its end.
NOTICE_INTERVAL_SECONDS = 2.0
# Connections of the bot that sends the outbox and notices (the notice sender's concurrency
# plus room for the outbox and progress edits).
SENDER_CONNECTIONS = 16
# Bot API methods that post or change a message: what counts against the send rate.
SENDING_METHODS = frozenset({
    "sendMessage", "sendPhoto", "editMessageText", "editMessageCaption", "editMessageReplyMarkup",
    "copyMessage", "forwardMessage", "sendDocument", "sendLocation",
})
# A reply that times out is tried again after these waits, then handed to the durable outbox.
# A timed-out send may have arrived: a second copy is the price of not losing it, and is made
# rare by waiting long for an answer (REPLY_READ_TIMEOUT_SECONDS) before calling it timed out.
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
# A turn that failed on the database (a lock held too long, a dropped connection) has changed
# nothing: it is run once more before the person is asked to send their message again.
TURN_ATTEMPTS = 2
TURN_FAILED_NOTICE = "잠시 후 다시 보내 주세요 / please send that again in a moment"
# Telegram says so when the text of an edit equals the text already shown: nothing to do.
NOT_MODIFIED = "message is not modified"
# A 400 with one of these means the chat does not exist for the bot: as good as blocked.
UNREACHABLE_CHAT = ("chat not found", "user not found", "peer_id_invalid")

# The command menu, from the conversation's table of commands: in Korean for everyone, in
# English for English-language Telegram apps.
BOT_COMMANDS = {None: menu_entries("ko"), "en": menu_entries("en")}


class ConversationPort(Protocol):
    """What the adapter needs of the conversation (bot.conversation.engine.Conversation)."""

    def handle(self, incoming: Incoming) -> Reply: ...


# Runs one turn (`handle(incoming)`) and gives its reply: see `turn_runner_for`.
TurnRunner = Callable[[Callable[[Incoming], Reply], Incoming], Awaitable[Reply]]


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
    ]
    if catalog is not None:
        timed_jobs.append((weekly_chart_job(engine=engine, catalog=catalog, clock=clock),
                           CHART_JOB_INTERVAL, CHART_JOB_FIRST_RUN, "weekly-chart"))
    for callback, interval, first, name in timed_jobs:
        application.job_queue.run_repeating(callback, interval=interval, first=first, name=name,
                                            job_kwargs={"coalesce": True, "max_instances": 1})
    return application


async def run_on_event_loop(handle: Callable[[Incoming], Reply], incoming: Incoming) -> Reply:
    return handle(incoming)


def turn_runner_for(engine: Engine) -> TurnRunner:
    """Where a conversation turn runs: on the event loop for SQLite, on a worker thread otherwise.

    Updates are handled one at a time either way (PTB's default), so the choice only decides
    whether the loop stays free for the outbox and notice senders while a turn runs. SQLite
    is a library call: a turn's queries take microseconds and handing the turn to a thread and
    back costs more than the turn itself (bench conversation). Background jobs write from
    their own threads in short transactions that never wait on the loop, so a turn waiting for
    SQLite's write lock waits for them, never the other way round. A database server answers
    over the network: there the loop must not stall on round trips.
    """
    if engine.dialect.name == "sqlite":
        return run_on_event_loop
    return asyncio.to_thread


class PerPersonOrder(BaseUpdateProcessor):
    """Updates from different people are answered side by side; one person's, in order.

    Handled one at a time (PTB's default), one slow Bot API answer for one resident held up
    everyone behind it. Side by side, a person's second message must still not overtake their
    first (a booking step, then its confirmation): each person has a lock, taken before a
    place among the `max_concurrent_updates`, so waiting for one's own turn holds no place.
    PTB starts one task per update in arrival order, and asyncio's locks are first come, first
    served, so each person's updates run in the order Telegram gave them.
    """

    def __init__(self, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._people: dict[object, tuple[asyncio.Lock, int]] = {}

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = person_of(update)
        lock, waiting = self._people.get(key) or (asyncio.Lock(), 0)
        self._people[key] = (lock, waiting + 1)
        try:
            async with lock, self._semaphore:
                await coroutine
        finally:
            lock, waiting = self._people[key]
            if waiting == 1:  # nobody else of this person's is waiting: forget the lock
                del self._people[key]
            else:
                self._people[key] = (lock, waiting - 1)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine  # not called: process_update above does the work

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def person_of(update: object) -> object:
    """Whose update this is: the user, or the chat when no user is named (one queue each)."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
    return ("other", None)


class SharedRateLimiter(BaseRateLimiter):
    """PTB's limiter for replies, after a REPLY-priority turn from the bot's shared send rate.

    Replies then count against the same budget as notices and go ahead of everything else
    (check-ins, the outbox, notices); PTB's own
    limiter still keeps its per-group limits and retries a 429.
    """

    def __init__(self, inner: BaseRateLimiter, shared: SendRateLimiter):
        self.inner = inner
        self.shared = shared

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        if endpoint in SENDING_METHODS:
            await self.shared.acquire(Priority.REPLY)
        return await self.inner.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


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
    """Fill the command menu; a failure only costs the menu, never the bot."""
    for language, commands in BOT_COMMANDS.items():
        try:
            await application.bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands],
                language_code=language,
            )
        except TelegramError as error:
            log.warning("could not set the command menu (%s): %s", language, type(error).__name__)


# --- from updates to the conversation and back ----------------------------------------------


def incoming_from_update(update: Update) -> Incoming | None:
    """The conversation's view of an update; None for updates not meant for it."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    query = update.callback_query
    if query is not None:
        message = query.message
        chat_id = message.chat.id if message is not None else user.id
        return Incoming(
            user_id=user.id,
            chat_id=chat_id,
            first_name=user.first_name or "",
            kind=InputKind.BUTTON,
            text=query.data or "",
            message_id=message.message_id if message is not None else None,
        )
    message = update.message
    if message is None:
        return None
    if message.photo:  # sizes, smallest first: the largest is the one to pass on
        return Incoming(
            user_id=user.id,
            chat_id=message.chat.id,
            first_name=user.first_name or "",
            kind=InputKind.PHOTO,
            text=message.caption or "",
            message_id=message.message_id,
            photo=message.photo[-1].file_id,
        )
    has_text = message.text is not None
    return Incoming(
        user_id=user.id,
        chat_id=message.chat.id,
        first_name=user.first_name or "",
        kind=InputKind.TEXT if has_text else InputKind.UNSUPPORTED,
        text=message.text or "",
        message_id=message.message_id,
    )


def keyboard(outgoing: Outgoing) -> InlineKeyboardMarkup | None:
    if not outgoing.buttons:
        return None
    return _keyboard_for(outgoing.buttons)


# The same keyboards go out again and again (the menu, onboarding, a program's card).
KEYBOARDS_KEPT = 2048


@functools.lru_cache(maxsize=KEYBOARDS_KEPT)
def _keyboard_for(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    return SerialisedKeyboard(
        [[InlineKeyboardButton(b.label, url=b.url) if b.url else InlineKeyboardButton(b.label, callback_data=b.data)
          for b in row] for row in rows]
    )


class SerialisedKeyboard(InlineKeyboardMarkup):
    """An inline keyboard that turns itself into the Bot API's JSON shape once.

    PTB converts a keyboard to a dict on every send, button by button; for a card or the
    menu that cost more than the rest of the send (bench conversation). PTB's objects are
    immutable once built, so the first conversion stays right; PTB only JSON-encodes it.
    """

    __slots__ = ("_serialised",)

    def __init__(self, inline_keyboard, **kwargs) -> None:
        super().__init__(inline_keyboard, **kwargs)
        with self._unfrozen():
            self._serialised = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict:
        return self._serialised if recursive else super().to_dict(recursive=False)


# Telegram's limit for a photo's caption (a message's text may be 4,096).
MAX_CAPTION_LENGTH = 1024


async def send_outgoing(bot: Bot, outgoing: Outgoing) -> int:
    """Send `outgoing`, or edit the earlier message it names; returns the message's id.

    An edit Telegram refuses (the message is too old, or gone) is sent as a new message, so
    the person still sees the answer; an edit to the same text is already done. A photo is
    sent with the text as its caption.
    """
    markup = keyboard(outgoing)
    if outgoing.edit_message_id is not None and outgoing.photo is None:
        try:
            await bot.edit_message_text(
                chat_id=outgoing.chat_id,
                message_id=outgoing.edit_message_id,
                text=outgoing.text,
                reply_markup=markup,
            )
            return outgoing.edit_message_id
        except BadRequest as error:
            if NOT_MODIFIED in error.message.lower():
                return outgoing.edit_message_id
            if is_unreachable_chat(error):
                raise
            log.debug("edit of message %s refused; sending anew", outgoing.edit_message_id)
    if outgoing.photo is not None and len(outgoing.text) <= MAX_CAPTION_LENGTH:
        sent = await bot.send_photo(chat_id=outgoing.chat_id, photo=outgoing.photo,
                                    caption=outgoing.text, reply_markup=markup)
    elif outgoing.photo is not None:  # too long for a caption: the photo, then the text
        await bot.send_photo(chat_id=outgoing.chat_id, photo=outgoing.photo)
        sent = await bot.send_message(chat_id=outgoing.chat_id, text=outgoing.text, reply_markup=markup)
    else:
        sent = await bot.send_message(chat_id=outgoing.chat_id, text=outgoing.text, reply_markup=markup)
    return sent.message_id


class TelegramTransport:
    """The outbox's and the notice sender's `Transport` on Telegram: telegram errors become
    delivery errors; `send` returns the id of the message sent (or edited)."""

    def __init__(self, bot: Bot):
        self.bot = bot

    async def send(self, message: Outgoing) -> int:
        try:
            return await send_outgoing(self.bot, message)
        except TelegramError as error:
            raise delivery_error(error) from None  # the cause may quote the URL (the token)


def delivery_error(error: TelegramError) -> DeliveryError:
    """Sort a Telegram error into the outbox sender's vocabulary. Codes carry no text or token."""
    if isinstance(error, Forbidden):
        return RecipientBlocked("telegram:403")
    if isinstance(error, RetryAfter):
        return RateLimited(retry_after_seconds(error), "telegram:429")
    if isinstance(error, BadRequest):  # before NetworkError: BadRequest is one of them
        if is_unreachable_chat(error):
            return RecipientBlocked("telegram:400:chat_not_found")
        return RejectedMessage("telegram:400")
    if isinstance(error, ChatMigrated):
        return RejectedMessage("telegram:chat_migrated")
    # TimedOut, a 5xx, a failed connection (NetworkError), or something new: worth a retry.
    return TransientSendError(f"telegram:{type(error).__name__}")


def is_unreachable_chat(error: BadRequest) -> bool:
    return any(marker in error.message.lower() for marker in UNREACHABLE_CHAT)


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after will become a timedelta; both forms are read here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ChatHandlers:
    """The handlers `build_application` registers, sharing the conversation and the store."""

    def __init__(
        self,
        *,
        conversation: ConversationPort,
        engine: Engine,
        clock: Clock,
        flood: FloodGate,
        secrets: Sequence[str],
        sender_bot: Bot,
        send_limiter: SendRateLimiter,
        checkin_policy: CheckinPolicy | None = None,
        checkin_limit: int = 1500,
        run_turn: TurnRunner = asyncio.to_thread,
    ):
        self.conversation = conversation
        self.run_turn = run_turn
        self.engine = engine
        self.clock = clock
        self.flood = flood
        self.secrets = tuple(secrets)
        self.sender_bot = sender_bot
        self.send_limiter = send_limiter
        self.notice_sender = NoticeSender(
            engine=engine, transport=TelegramTransport(sender_bot), limiter=send_limiter, clock=clock
        )
        self._notices: asyncio.Task | None = None
        self.checkin_policy = checkin_policy or CheckinPolicy()
        self.checkin_limit = checkin_limit
        self.checkin_transport = LimitedTransport(TelegramTransport(sender_bot), send_limiter,
                                                  Priority.HIGH)
        # Counted for operators (and the load benchmark): turns that failed and were answered
        # with TURN_FAILED_NOTICE, and replies handed to the outbox after their retries.
        self.failed_turns = 0
        self.replies_to_outbox = 0

    async def on_message(self, update: Update, context: CallbackContext) -> None:
        await self._converse(update, context)

    async def on_button(self, update: Update, context: CallbackContext) -> None:
        await self._converse(update, context, query=update.callback_query)

    async def _converse(
        self, update: Update, context: CallbackContext, query: CallbackQuery | None = None
    ) -> None:
        incoming = incoming_from_update(update)
        if incoming is None:
            return
        verdict = self.flood.check(incoming.user_id, self.clock().timestamp())
        if verdict is Verdict.DROP:
            return
        if query is not None:
            await self._answer(query)
        if verdict is Verdict.WARN:
            log.info("user %s over the flood limit; warned", incoming.user_id)
            await self._reply(context.bot, [Outgoing(incoming.chat_id, FLOOD_NOTICE)], update)
            return
        try:
            reply = await self._run_turn(incoming)
        except Exception:
            # Never silent: the person hears to send it again, and on_error logs where it failed.
            self.failed_turns += 1
            await self._reply(context.bot, [Outgoing(incoming.chat_id, TURN_FAILED_NOTICE)], update)
            raise
        await self._reply(context.bot, reply.messages, update)

    async def _run_turn(self, incoming: Incoming) -> Reply:
        """The conversation's turn, run again once if the database failed it.

        A turn's changes are one transaction, and its replies are only sent once it returns,
        so a turn that raised has changed nothing and sent nothing: running it again is safe.
        """
        for attempt in range(1, TURN_ATTEMPTS + 1):
            try:
                return await self.run_turn(self.conversation.handle, incoming)
            except OperationalError as error:
                if attempt == TURN_ATTEMPTS:
                    raise
                log.warning("turn for user %s failed on the database (%s); running it again",
                            incoming.user_id, type(error.orig).__name__)
        raise AssertionError("unreachable")

    async def _answer(self, query: CallbackQuery) -> None:
        # Stops the button's spinner, nothing more. Whatever Telegram answers (a query too old,
        # a timeout, a 5xx, a rate limit, a 403), the press itself must still be handled: a
        # confirm lost here would be a request the resident believes they sent.
        try:
            await query.answer()
        except TelegramError as error:
            log.debug("callback query not answered: %s", type(error).__name__)

    async def _reply(self, bot: Bot, messages: Sequence[Outgoing], update: Update) -> None:
        for outgoing in messages:
            try:
                await self._send_with_retries(bot, outgoing)
            except (Forbidden, BadRequest) as error:
                if isinstance(error, BadRequest) and not is_unreachable_chat(error):
                    log.error("update %s: reply refused (BadRequest)", update.update_id)
                    continue
                log.info("chat %s unreachable (%s); marked so", outgoing.chat_id, type(error).__name__)
                await asyncio.to_thread(self._mark_unreachable, outgoing.chat_id)
                return
            except (NetworkError, RetryAfter) as error:
                # Not dropped: the outbox sends it when Telegram answers again.
                log.warning("update %s: reply not sent (%s); handed to the outbox",
                            update.update_id, type(error).__name__)
                await asyncio.to_thread(self._to_outbox, outgoing)

    async def _send_with_retries(self, bot: Bot, outgoing: Outgoing) -> None:
        for delay in (*REPLY_RETRY_DELAYS, None):
            try:
                await send_outgoing(bot, outgoing)
                return
            except (BadRequest, Forbidden):
                raise
            except NetworkError:  # TimedOut, 5xx, connection failures
                if delay is None:
                    raise
                await asyncio.sleep(delay)

    def _to_outbox(self, outgoing: Outgoing) -> None:
        """Queue a reply that could not be sent now; an edit becomes a new message there."""
        buttons = [[{"text": b.label, "data": b.data} for b in row if b.url is None]
                   for row in outgoing.buttons]
        with session_scope(self.engine) as session:
            enqueue_message(session=session, chat_id=outgoing.chat_id, text=outgoing.text,
                            now=self.clock(), buttons=[row for row in buttons if row] or None,
                            photo=outgoing.photo if isinstance(outgoing.photo, str) else None,
                            photo_png=outgoing.photo if isinstance(outgoing.photo, bytes) else None)
        self.replies_to_outbox += 1

    def _mark_unreachable(self, chat_id: int) -> None:
        with session_scope(self.engine) as session:
            mark_unreachable(session=session, chat_id=chat_id, now=self.clock())

    async def drain_outbox(self, context: CallbackContext) -> None:
        await drain_outbox(
            engine=self.engine,
            transport=LimitedTransport(TelegramTransport(self.sender_bot), self.send_limiter,
                                       Priority.HIGH, per_chat=True),
            clock=self.clock,
            limit=OUTBOX_BATCH,
        )

    async def start_notices(self, context: CallbackContext) -> None:
        """Start the notice sender unless it is running; it stops when nothing is left to send.

        A task rather than the job itself, so that a notice taking minutes does not make the
        scheduler skip (and warn about) every run meanwhile. It stops between two batches
        once the application stops running, leaving nothing in flight.
        """
        if self._notices is not None and not self._notices.done():
            return
        application = context.application
        self._notices = application.create_task(
            self.send_notices(keep_going=lambda: application.running), name="notices"
        )

    async def send_notices(self, *, keep_going=lambda: True) -> None:
        stats = await self.notice_sender.run(keep_going=keep_going)
        if stats.notices:
            log.info("notice sender: %s", stats.as_dict())

    async def dispatch_checkins(self, context: CallbackContext | None = None) -> None:
        """One tick of the check-in dispatcher (`bot.checkins.dispatch.dispatch_due`); counts logged."""
        report = await dispatch_due(engine=self.engine, now=self.clock(), send=self.send_checkin,
                                    policy=self.checkin_policy, limit=self.checkin_limit)
        counts = {key: value for key, value in report.as_dict().items()
                  if key not in ("seconds", "last_late_by", "max_late_by", "more_due") and value}
        if counts:
            log.info("check-ins: %s%s", counts, " (more due)" if report.more_due else "")

    async def send_checkin(self, message: CheckinMessage) -> SendResult:
        """Send one check-in or reminder with its answer buttons, at the shared send rate."""
        buttons = tuple(tuple(Button(label=b["text"], data=b["data"]) for b in row)
                        for row in message.buttons)
        try:
            await self.checkin_transport.send(Outgoing(message.chat_id, message.text, buttons))
        except RecipientBlocked:
            return SendResult.BLOCKED
        except DeliveryError as error:
            log.warning("check-in round %s not sent (%s)", message.round_id, error.code)
            return SendResult.FAILED
        return SendResult.DELIVERED

    async def on_error(self, update: object, context: CallbackContext) -> None:
        """Log which update failed, the exception's type and where: never its text.

        An exception's text may hold what a resident wrote, or a URL with the token in it;
        the frames (file, line, function) are enough to find the bug.
        """
        error = context.error
        if isinstance(update, Update):
            what = f"update {update.update_id}"
        else:  # a job (the outbox sender) failed, not an update
            what = f"job {context.job.name}" if context.job is not None else "background task"
        frames = traceback.extract_tb(error.__traceback__) if error is not None else []
        where = " <- ".join(f"{f.filename}:{f.lineno} {f.name}" for f in reversed(frames[-5:]))
        line = f"{what} failed: {type(error).__name__} at {where or '?'}"
        log.error("%s", redact(line, self.secrets))
