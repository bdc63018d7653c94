"""`ddokddok bench conversation`: messages per second through the whole Telegram bot.

Each message is a Bot API update (built from a dict with `Update.de_json`, as polling does)
processed by the real `Application` from `build_application`, with the real `Conversation`,
catalog, matcher and a SQLite file store in a temporary folder. Every Bot API call is answered
at once by an in-memory transport, so what is timed is the bot, not the network. The same
updates go through a bare echo bot on the same transport; the ratio says how much of PTB's
own speed the conversation keeps: printed for comparison, without a goal (what a resident feels
is the answer time under load: `ddokddok bench load`).

The mix, per simulated person (fresh people every round, fewer than the flood limit each):
/start and the onboarding buttons, searches written for this benchmark, the menu and a
category, /help and /bookings. Buttons are taken from the keyboards the bot really sent.
Rate limiting keeps PTB's retry-on-429 but not Telegram's 30 messages a second: that cap is
Telegram's, not the bot's cost. Ends with one line of JSON holding the same figures.

A third run sends the same updates through the same bot with the conversation's recorded
replies played back at once: what is left is the adapter's own cost (PTB, the
keyboards, the sends), the most a faster conversation could win back. It does not enter the ratio.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import itertools
import json
import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bot.core.settings import Settings

TOKEN = "123456:bench-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "똑똑", "username": "ddokddok_bench_bot"}

# Written for the benchmark (not from any evaluation set): what residents ask, and small talk.
SEARCHES = [
    "보일러가 고장나서 너무 추워요",
    "혼자 사는데 반찬 배달 받을 수 있나요",
    "병원에 같이 가 줄 분이 있을까요",
    "요즘 너무 외로워서 이야기할 사람이 필요해요",
    "형광등 좀 갈아 주실 분 계신가요",
    "오늘 날씨 좋네요",
    "need help cleaning my apartment",
    "전기요금 감면 받을 수 있나요",
]
# Button data prefixes pressed during onboarding, in order, when the bot offers them.
ONBOARDING_PRESSES = ["lang:ko", "dist:seocho", "consent:yes", "age:skip", "gender:skip"]


class TimedConversation:
    """Passes each turn to the conversation and adds up the time it took, to split the cost
    of a message between the conversation (database, matcher) and the adapter around it, and
    between kinds of input (a command, a press, a search: `input_kind`)."""

    def __init__(self, conversation: Any):
        self.conversation = conversation
        self.seconds = 0.0
        self.turn_seconds: dict[str, list[float]] = {}
        self.replies: dict[tuple[str, str], Any] = {}  # what was typed or pressed → the reply

    def handle(self, incoming: Any) -> Any:
        started = time.perf_counter()
        try:
            reply = self.conversation.handle(incoming)
        finally:
            seconds = time.perf_counter() - started
            self.seconds += seconds
            self.turn_seconds.setdefault(input_kind(incoming), []).append(seconds)
        self.replies.setdefault((incoming.kind, incoming.text), reply)
        return reply


def input_kind(incoming: Any) -> str:
    if incoming.kind == "button":
        return "press"
    return "command" if incoming.text.startswith("/") else "search"


class ReplayedConversation:
    """Answers at once with the reply the real conversation gave to the same input (addressed
    to this chat): the adapter around the conversation, without the conversation."""

    def __init__(self, replies: dict[tuple[str, str], Any]):
        self.replies = replies

    def handle(self, incoming: Any) -> Any:
        reply = self.replies[(incoming.kind, incoming.text)]
        return dataclasses.replace(reply, messages=[
            dataclasses.replace(message, chat_id=incoming.chat_id) for message in reply.messages
        ])


class InstantBotApi(BaseRequest):
    """Answers every Bot API call at once; remembers the last keyboard sent to each chat."""

    def __init__(self) -> None:
        self._message_ids = itertools.count(1000)
        self.calls = 0
        self.last_keyboard: dict[int, tuple[int, list[str]]] = {}  # chat → (message id, data)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_timeouts: Any
    ) -> tuple[int, bytes]:
        self.calls += 1
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        if api_method == "getMe":
            result: Any = BOT_USER
        elif api_method in ("sendMessage", "editMessageText"):
            message_id = params.get("message_id") or next(self._message_ids)
            chat_id = int(params["chat_id"])
            markup = params.get("reply_markup")
            if markup:
                data = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
                self.last_keyboard[chat_id] = (message_id, data)
            result = {"message_id": message_id, "date": 0, "text": params.get("text", ""),
                      "chat": {"id": chat_id, "type": "private"}}
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def run(*, quick: bool = False, size: int | None = None) -> int:
    people = size or (8 if quick else 30)
    rounds = 3 if quick else 7
    try:
        figures = asyncio.run(_measure(people=people, rounds=rounds))
    except ImportError as error:
        print(f"bench conversation: the conversation is not available yet ({error})")
        return 2
    figures.update(quick=quick, rounds=rounds, people_per_round=people)
    ratio = figures["ratio"]
    print(f"conversation bot: {figures['bot_messages_per_s']:.0f} messages/s "
          f"(median of {rounds} rounds of {figures['messages_per_round']} messages)")
    print(f"  of {figures['bot_ms_per_message']:.2f} ms per message, "
          f"{figures['conversation_ms_per_message']:.2f} ms inside Conversation.handle "
          f"(median turn: {', '.join(f'{kind} {ms:.2f} ms' for kind, ms in figures['turn_ms'].items())})")
    print(f"echo bot:         {figures['echo_messages_per_s']:.0f} messages/s "
          f"({figures['echo_ms_per_message']:.2f} ms per message)")
    print(f"replayed replies: {figures['replay_messages_per_s']:.0f} messages/s "
          f"({figures['replay_ms_per_message']:.2f} ms per message: the adapter alone; "
          f"ratio with an instant conversation {figures['replay_ratio']:.2f})")
    print(f"ratio: {ratio:.2f} (for comparison; the goal is the answer time under load, bench load)")
    print(json.dumps({"benchmark": "conversation", **figures}))
    return 0


async def _measure(*, people: int, rounds: int) -> dict[str, Any]:
    from bot.adapters.telegram import build_application
    from bot.app import build_conversation, open_store, settle_for_a_long_run

    logging.getLogger("bot").setLevel(logging.WARNING)  # no per-message INFO lines in the timing
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_url=f"sqlite:///{(Path(scratch) / 'bench.sqlite3').as_posix()}",
        )
        engine = open_store(settings)
        conversation = TimedConversation(build_conversation(settings, engine))
        bot_api, echo_api, replay_api = InstantBotApi(), InstantBotApi(), InstantBotApi()
        bot = build_application(settings, conversation=conversation, engine=engine,
                                request=bot_api, rate_limiter=_unthrottled())
        echo = _echo_application(echo_api)
        replay = build_application(settings, conversation=ReplayedConversation(conversation.replies),
                                   engine=engine, request=replay_api, rate_limiter=_unthrottled())
        user_ids = itertools.count(10_000)
        bot_rates, echo_rates, replay_rates, conversation_ms, per_round = [], [], [], [], 0
        for application in (bot, echo, replay):
            await application.initialize()
        try:
            await _one_round(bot, bot_api, [next(user_ids)])  # warm-up: first-call costs
            settle_for_a_long_run()  # as `ddokddok run` does once it is ready
            conversation.turn_seconds.clear()
            for _ in range(rounds):
                users = [next(user_ids) for _ in range(people)]
                conversation.seconds = 0.0
                per_round, seconds = await _one_round(bot, bot_api, users)
                bot_rates.append(per_round / seconds)
                conversation_ms.append(1000 * conversation.seconds / per_round)
                _, seconds = await _one_round(echo, echo_api, users)
                echo_rates.append(per_round / seconds)
                _, seconds = await _one_round(replay, replay_api, users)
                replay_rates.append(per_round / seconds)
        finally:
            for application in (bot, echo, replay):
                await application.shutdown()
            engine.dispose()
            gc.unfreeze()
    bot_rate, echo_rate = statistics.median(bot_rates), statistics.median(echo_rates)
    replay_rate = statistics.median(replay_rates)
    return {
        "messages_per_round": per_round,
        "bot_messages_per_s": round(bot_rate, 1),
        "echo_messages_per_s": round(echo_rate, 1),
        "ratio": round(bot_rate / echo_rate, 3),
        "bot_ms_per_message": round(1000 / bot_rate, 3),
        "echo_ms_per_message": round(1000 / echo_rate, 3),
        # Of bot_ms_per_message, the time inside Conversation.handle; the rest is the adapter.
        "conversation_ms_per_message": round(statistics.median(conversation_ms), 3),
        # Median time of one turn by kind of input, over every round: a command such as /help
        # is about the least a turn costs (who is speaking, their state, one transaction).
        "turn_ms": {kind: round(1000 * statistics.median(seconds), 3)
                    for kind, seconds in sorted(conversation.turn_seconds.items())},
        # The same bot with the conversation's replies played back at once: the adapter's floor.
        "replay_messages_per_s": round(replay_rate, 1),
        "replay_ms_per_message": round(1000 / replay_rate, 3),
        "replay_ratio": round(replay_rate / echo_rate, 3),
    }


async def _one_round(application: Application, api: InstantBotApi, users: list[int]) -> tuple[int, float]:
    """Every person's script, people taking turns message by message; (messages, seconds)."""
    scripts = [_script(user_id) for user_id in users]
    update_ids = itertools.count(1)
    count = 0
    started = time.perf_counter()
    while scripts:
        for script in list(scripts):
            step = next(script, None)
            if step is None:
                scripts.remove(script)
                continue
            user_id, kind, value = step
            data = _update(next(update_ids), user_id, kind, value, api)
            await application.process_update(Update.de_json(data, application.bot))
            count += 1
    return count, time.perf_counter() - started


def _script(user_id: int):
    """(user, "text" | "press", text or data prefix) steps; presses follow the last keyboard."""
    yield user_id, "text", "/start"
    for prefix in ONBOARDING_PRESSES:
        yield user_id, "press", prefix
    for text in SEARCHES[user_id % 2 :: 2] + SEARCHES[:2]:
        yield user_id, "text", text
    yield user_id, "text", "/menu"
    yield user_id, "press", "cat:"
    yield user_id, "text", "/help"
    yield user_id, "text", "/bookings"


def _update(update_id: int, user_id: int, kind: str, value: str, api: InstantBotApi) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "벤치"}
    chat = {"id": user_id, "type": "private", "first_name": "벤치"}
    if kind == "text":
        message: dict[str, Any] = {"message_id": update_id, "date": 0, "chat": chat, "from": user,
                                   "text": value}
        if value.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(value.split()[0])}]
        return {"update_id": update_id, "message": message}
    message_id, offered = api.last_keyboard.get(user_id, (1, []))
    data = next((d for d in offered if d.startswith(value)), offered[0] if offered else value)
    query = {"id": f"q{update_id}", "from": user, "chat_instance": str(user_id), "data": data,
             "message": {"message_id": message_id, "date": 0, "chat": chat, "text": "…"}}
    return {"update_id": update_id, "callback_query": query}


def _unthrottled() -> AIORateLimiter:
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)


def _echo_application(api: InstantBotApi) -> Application:
    """The least a bot can do per update: echo text, answer and acknowledge a press."""

    async def echo(update: Update, context) -> None:
        await context.bot.send_message(update.effective_chat.id, update.message.text)

    async def pressed(update: Update, context) -> None:
        query = update.callback_query
        await query.answer()
        await context.bot.send_message(update.effective_chat.id, query.data)

    application = (
        Application.builder().token(TOKEN).request(api).get_updates_request(api)
        .rate_limiter(_unthrottled()).build()
    )
    application.add_handler(CallbackQueryHandler(pressed))
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application
