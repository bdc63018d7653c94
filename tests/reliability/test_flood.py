"""Flood control per person, through the real `Application` and the real conversation.

One resident sends 100 messages (or presses) within 10 seconds: the bot handles as many as the
settings allow, says once, politely, to wait, and ignores the rest; a neighbour writing at the
same time is answered every time; once the window has passed, the first resident is served
again.
"""

from __future__ import annotations

import pytest

from bot.adapters.flood import FLOOD_NOTICE, FloodGate, Verdict
from bot.adapters.telegram import build_application
from bot.conversation.engine import Conversation

from .conftest import make_callback_update, make_message_update, make_settings, snapshot

FLOODER, NEIGHBOUR = 11, 12


class CountingConversation:
    """The real conversation, counting what it was asked to handle, per person."""

    def __init__(self, inner: Conversation):
        self.inner = inner
        self.handled: dict[int, int] = {}

    def handle(self, incoming):
        self.handled[incoming.user_id] = self.handled.get(incoming.user_id, 0) + 1
        return self.inner.handle(incoming)


@pytest.fixture
def settings():
    # The production limits (20 per 10 s), not the adapter tests' small ones.
    return make_settings(flood_max_messages=20, flood_window_seconds=10, per_chat_interval_seconds=0)


@pytest.fixture
async def counted_app(settings, conversation, engine, fake_api, clock, no_reply_delays, person):
    for user_id in (FLOODER, NEIGHBOUR):
        person("Mina", user_id).onboard("seocho")
    counting = CountingConversation(conversation)
    application = build_application(settings, conversation=counting, engine=engine, request=fake_api,
                                    clock=clock)
    await application.initialize()
    yield application, counting
    await application.shutdown()


def texts_to(fake_api, chat_id: int) -> list[str]:
    return [c.params["text"] for c in fake_api.calls
            if c.method in ("sendMessage", "editMessageText") and c.params["chat_id"] == chat_id]


@pytest.mark.parametrize("kind", ["messages", "presses"])
async def test_a_flood_is_slowed_politely_and_no_one_else_notices(counted_app, fake_api, clock, settings, kind,
                                                                  figures):
    app, counting = counted_app
    neighbour_sent = 0
    for number in range(100):  # 100 in 10 seconds
        if kind == "messages":
            update = make_message_update(f"병원에 같이 갈 사람이 필요해요 {number}", user_id=FLOODER, bot=app.bot)
        else:
            update = make_callback_update("nav:menu", user_id=FLOODER, bot=app.bot)
        await app.process_update(update)
        figures.inputs_tried += 1
        if number % 10 == 5:  # the neighbour writes now and then, in the middle of the flood
            await app.process_update(make_message_update("/help", user_id=NEIGHBOUR, bot=app.bot))
            neighbour_sent += 1
        clock.advance(seconds=0.1)

    assert counting.handled[FLOODER] == settings.flood_max_messages
    to_flooder = texts_to(fake_api, FLOODER)
    assert to_flooder.count(FLOOD_NOTICE) == 1
    assert to_flooder[-1] == FLOOD_NOTICE  # nothing after the notice: the rest was ignored
    assert counting.handled[NEIGHBOUR] == neighbour_sent
    to_neighbour = texts_to(fake_api, NEIGHBOUR)
    assert FLOOD_NOTICE not in to_neighbour and len(to_neighbour) == neighbour_sent

    clock.advance(seconds=settings.flood_window_seconds)
    await app.process_update(make_message_update("/help", user_id=FLOODER, bot=app.bot))
    assert counting.handled[FLOODER] == settings.flood_max_messages + 1
    assert texts_to(fake_api, FLOODER)[-1] != FLOOD_NOTICE


async def test_a_flood_of_forged_staff_presses_changes_nothing_and_is_cut_off(counted_app, fake_api, clock,
                                                                            settings, engine, figures):
    app, counting = counted_app
    before = snapshot(engine)
    for number in range(100):
        await app.process_update(make_callback_update(f"st:acc:{number + 1}", user_id=FLOODER, bot=app.bot))
        figures.inputs_tried += 1
        clock.advance(seconds=0.1)
    assert counting.handled[FLOODER] == settings.flood_max_messages
    assert snapshot(engine) == before


def test_the_gate_keeps_people_apart_whatever_the_interleaving(figures):
    """The gate alone: 50 people, one of them flooding, interleaved; only the flooder is cut."""
    gate = FloodGate(max_messages=20, window_seconds=10)
    verdicts: dict[int, list[Verdict]] = {}
    for tick in range(1000):
        now = tick * 0.01  # 1000 checks in 10 s
        user = FLOODER if tick % 2 else 100 + tick % 50
        verdicts.setdefault(user, []).append(gate.check(user, now))
        figures.inputs_tried += 1
    flooder = verdicts.pop(FLOODER)
    assert flooder.count(Verdict.ALLOW) == 20 and flooder.count(Verdict.WARN) == 1
    assert all(v is Verdict.ALLOW for others in verdicts.values() for v in others)
