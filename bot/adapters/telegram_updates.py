"""From a Telegram update to the conversation and back: people answered side by side (one person's
updates in order), the flood gate, a failed turn never silent, replies that cannot go out handed to
the outbox, and the timed jobs' callbacks."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from telegram import (
    Bot,
    CallbackQuery,
    Update,
    Voice,
)
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    BaseUpdateProcessor,
    CallbackContext,
)
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.flood import FLOOD_NOTICE, FloodGate, Verdict
from bot.adapters.telegram_presses import answer_stale_press, is_stale_press, show_choice
from bot.adapters.telegram_sending import TelegramTransport, is_unreachable_chat, send_outgoing
from bot.checkins.dispatch import CheckinMessage, SendResult, dispatch_due, send_checkin_through
from bot.checkins.policy import CheckinPolicy
from bot.core.clock import Clock
from bot.core.logs import redact
from bot.core.messages import Incoming, InputKind, Outgoing, Reply, VoiceNote
from bot.notices.sender import NoticeSender
from bot.people.identities import Platform
from bot.people.residents import mark_unreachable
from bot.sending.outbox import enqueue_message, stored_buttons
from bot.sending.outbox_sender import (
    drain_outbox,
)
from bot.sending.platform_routes import PlatformRoutes
from bot.sending.send_rate import LimitedTransport, Priority, SendRateLimiter
from bot.store.db import session_scope

log = logging.getLogger(__name__)

# Small claims: what a batch holds is what a crash delays by the outbox's lease (30 s).
OUTBOX_BATCH = 20

# A reply that times out is tried again after these waits, then handed to the durable outbox.
# A timed-out send may have arrived: a second copy is the price of not losing it, and is made
# rare by waiting long for an answer (REPLY_READ_TIMEOUT_SECONDS) before calling it timed out.
REPLY_RETRY_DELAYS: Sequence[float] = (0.5, 2.0)

# A turn that failed on the database (a lock held too long, a dropped connection) has changed
# nothing: it is run once more before the person is asked to send their message again.
TURN_ATTEMPTS = 2

TURN_ATTEMPTS = 2
TURN_FAILED_NOTICE = "잠시 후 다시 보내 주세요 / please send that again in a moment"


class ConversationPort(Protocol):
    """What the adapter needs of the conversation (bot.conversation.engine.Conversation)."""

    def handle(self, incoming: Incoming) -> Reply: ...

# Runs one turn (`handle(incoming)`) and gives its reply: see `turn_runner_for`.
TurnRunner = Callable[[Callable[[Incoming], Reply], Incoming], Awaitable[Reply]]


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


def incoming_from_update(update: Update) -> Incoming | None:
    """The conversation's view of an update; None for updates not meant for it."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    person = {"user_id": user.id, "first_name": user.first_name or "", "language_code": user.language_code}
    query = update.callback_query
    if query is not None:
        message = query.message
        return Incoming(
            **person,
            chat_id=message.chat.id if message is not None else user.id,
            kind=InputKind.BUTTON,
            text=query.data or "",
            message_id=message.message_id if message is not None else None,
        )
    message = update.message
    if message is None:
        return None
    sent = {**person, "chat_id": message.chat.id, "message_id": message.message_id}
    if message.photo:  # sizes, smallest first: the largest is the one to pass on
        return Incoming(**sent, kind=InputKind.PHOTO, text=message.caption or "", photo=message.photo[-1].file_id)
    if message.voice is not None:
        # Only voice messages (recorded in the chat): an audio file (`message.audio`) is music
        # or a recording made elsewhere, and its file id cannot be passed on with sendVoice.
        return Incoming(**sent, kind=InputKind.VOICE, text=message.caption or "", voice=voice_note(message.voice))
    kind = InputKind.TEXT if message.text is not None else InputKind.UNSUPPORTED
    return Incoming(**sent, kind=kind, text=message.text or "")


def voice_note(voice: Voice) -> VoiceNote:
    """The conversation's view of a Telegram voice message: its file id, seconds and bytes."""
    with warnings.catch_warnings():
        # PTB 22 warns that `duration` will become a timedelta; both forms are read here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        duration = voice.duration
    seconds = duration.total_seconds() if hasattr(duration, "total_seconds") else duration
    return VoiceNote(file_id=voice.file_id, seconds=int(seconds or 0), size=voice.file_size)


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
        # What the outbox, notice and check-in senders send through: Telegram, and any other
        # messenger routed in (`transport.route(Platform.KAKAO, ...)`), chosen by chat id.
        self.transport = PlatformRoutes({Platform.TELEGRAM: TelegramTransport(sender_bot)})
        self.notice_sender = NoticeSender(
            engine=engine, transport=self.transport, limiter=send_limiter, clock=clock
        )
        self._notices: asyncio.Task | None = None
        self.checkin_policy = checkin_policy or CheckinPolicy()
        self.checkin_limit = checkin_limit
        self.checkin_transport = LimitedTransport(self.transport, send_limiter,
                                                  Priority.HIGH)
        # Counted for operators (and the load benchmark): turns that failed and were answered
        # with TURN_FAILED_NOTICE, and replies handed to the outbox after their retries.
        self.failed_turns = 0
        self.replies_to_outbox = 0
        # Told each turn's seconds, when set (the turn latency of bot.ops.metrics).
        self.observe_turn_seconds: Callable[[float], None] | None = None

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
            if is_stale_press(query):  # its keyboard is gone: answered, and nothing acts twice
                await answer_stale_press(query)
                return
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
        if query is not None:
            # The pressed message shows the choice (bot.adapters.telegram_presses), first: its
            # keyboard is gone before the answer arrives, so a second tap finds nothing to press.
            await show_choice(context.bot, query, reply.messages)
        await self._reply(context.bot, reply.messages, update)

    async def _run_turn(self, incoming: Incoming) -> Reply:
        """The conversation's turn, run again once if the database failed it.

        A turn's changes are one transaction, and its replies are only sent once it returns,
        so a turn that raised has changed nothing and sent nothing: running it again is safe.
        """
        started = time.perf_counter()
        try:
            for attempt in range(1, TURN_ATTEMPTS + 1):
                try:
                    return await self.run_turn(self.conversation.handle, incoming)
                except OperationalError as error:
                    if attempt == TURN_ATTEMPTS:
                        raise
                    log.warning("turn for user %s failed on the database (%s); running it again",
                                incoming.user_id, type(error.orig).__name__)
            raise AssertionError("unreachable")
        finally:
            if self.observe_turn_seconds is not None:
                self.observe_turn_seconds(time.perf_counter() - started)

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
        """Queue a reply that could not be sent now, with its buttons, links and the keyboard
        under the typing field; an edit becomes a new message there."""
        with session_scope(self.engine) as session:
            enqueue_message(session=session, chat_id=outgoing.chat_id, text=outgoing.text,
                            now=self.clock(), buttons=stored_buttons(outgoing.buttons),
                            photo=outgoing.photo if isinstance(outgoing.photo, str) else None,
                            photo_png=outgoing.photo if isinstance(outgoing.photo, bytes) else None,
                            voice=outgoing.voice, keyboard=outgoing.keyboard)
        self.replies_to_outbox += 1

    def _mark_unreachable(self, chat_id: int) -> None:
        with session_scope(self.engine) as session:
            mark_unreachable(session=session, chat_id=chat_id, now=self.clock())

    async def drain_outbox(self, context: CallbackContext) -> None:
        await drain_outbox(
            engine=self.engine,
            transport=LimitedTransport(self.transport, self.send_limiter,
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
        return await send_checkin_through(self.checkin_transport, message)

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
