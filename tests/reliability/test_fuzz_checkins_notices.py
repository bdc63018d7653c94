"""Property-based tests for check-ins and notices: whatever arrives, an answer, in bounds.

A resident whose check-in is open sends anything: any Unicode text up to 4,096 characters (the
strategies of test_fuzz.py: emoji, control and format characters, RTL marks, jamo, very long
words), a photo with any caption, a sticker, or forged `ci:` button data. A staff member writing
a notice sends the same at every step of /notice (the text, the link, the time to schedule).

Properties: no exception; at least one message back, to the sender, non-empty, at most 4,096
characters (UTF-16), every button's data at most 64 bytes and readable back (`parse_press` or
`parse_checkin_press`); a typed message that is not a command answers the open check-in (a
sign of life) and anything else leaves it open; a forged check-in press changes no one else's
rows; nothing a notice draft receives sends the notice (no delivery is written).
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.checkins.buttons import CheckinAction, parse_checkin_press
from bot.checkins.dispatch import dispatch_due
from bot.checkins.plans import start_checkins
from bot.conversation.engine import clean_text
from bot.conversation.states import State
from bot.core.buttons import parse_press
from bot.core.messages import Incoming, InputKind, Reply
from bot.people.residents import get_resident, load_conversation
from bot.store.db import session_scope
from bot.store.models import CheckinRound, CheckinRoundStatus, Delivery

from .conftest import Person, snapshot
from .test_fuzz import TEXTS, check_reply, examples, press_data
from checkins.fakes import FakeTransport

PHOTO_ID = "AgACAgIAAxkBAAIBQ2X-fuzz-photo"


def readable(data: str) -> object:
    """A press the conversation or the check-ins understand."""
    return parse_press(data) or parse_checkin_press(data)


def send(someone: Person, kind: InputKind, text: str) -> Reply:
    return someone.conversation.handle(Incoming(
        user_id=someone.user_id, chat_id=someone.user_id, first_name=someone.first_name, kind=kind,
        text=text, message_id=None, photo=PHOTO_ID if kind is InputKind.PHOTO else None,
    ))


@pytest.fixture
def with_open_checkin(person, engine, clock):
    """`with_open_checkin()`: a new resident of seocho whose check-in (14:30) was just sent."""
    clock.advance(hours=4)  # 14:00 in Seoul
    user_ids = itertools.count(200_000)

    def make() -> tuple[Person, int]:
        someone = person("Mina", next(user_ids))
        someone.onboard("seocho")
        with session_scope(engine) as session:
            resident = get_resident(session=session, platform_user_id=someone.user_id)
            start_checkins(session=session, resident=resident, days=set(range(7)), at=time(14, 30), now=clock())
        sent = FakeTransport()
        asyncio.run(dispatch_due(engine=engine, now=clock() + _HALF_HOUR, send=sent))
        [message] = [m for m in sent.sent if m.chat_id == someone.user_id]
        return someone, message.round_id

    return make


_HALF_HOUR = timedelta(minutes=30)


def round_status(engine, round_id: int) -> str:
    with Session(engine) as session:
        return session.get(CheckinRound, round_id).status


@examples(150)
@given(kind=st.sampled_from([InputKind.TEXT, InputKind.TEXT, InputKind.PHOTO, InputKind.UNSUPPORTED]),
       text=TEXTS)
def test_any_answer_to_a_checkin_gets_a_well_formed_answer(with_open_checkin, engine, figures, kind, text):
    someone, round_id = with_open_checkin()
    figures.inputs_tried += 1
    check_reply(send(someone, kind, text), someone.user_id, readable)
    cleaned = clean_text(text) if kind is InputKind.TEXT else ""
    answered = bool(cleaned) and not cleaned.startswith("/")
    expected = CheckinRoundStatus.ANSWERED if answered else CheckinRoundStatus.AWAITING
    assert round_status(engine, round_id) == expected
    check_reply(someone.say("/help"), someone.user_id, readable)  # and the conversation goes on


ROUND_ID = CheckinRound.__table__.columns.keys().index("id")


def _checkin_forgeries(round_ids: list[int]):
    ids = st.one_of(st.sampled_from([str(i) for i in round_ids]), st.integers(-3, 10**19).map(str),
                    st.text(max_size=12))
    actions = st.sampled_from([a.value for a in CheckinAction]) | st.text(max_size=9)
    return st.builds(lambda action, target: f"ci:{action}:{target}", actions, ids)


@examples(150)
@given(data=st.data())
def test_forged_checkin_presses_are_answered_and_touch_no_one_elses_rows(with_open_checkin, engine, figures,
                                                                       data):
    other, other_round = with_open_checkin()
    someone, own_round = with_open_checkin()
    pressed = data.draw(_checkin_forgeries([other_round, own_round]) | press_data([other_round]))
    before = snapshot(engine)
    figures.inputs_tried += 1
    check_reply(someone.press(pressed), someone.user_id, readable)
    after = snapshot(engine)
    # Only the presser's own round (and their plan, and alerts about them) may move.
    others_before = [row for row in before["checkin_round"] if row[ROUND_ID] != own_round]
    assert others_before == [row for row in after["checkin_round"] if row[ROUND_ID] != own_round]
    assert before["checkin_contact"] == after["checkin_contact"]
    assert before["notice"] == after["notice"] and before["booking"] == after["booking"]


# --- notice drafts ----------------------------------------------------------------------------

NOTICE_SETUPS: dict[str, tuple[list[tuple[str, str]], State]] = {
    "notice_text": ([("say", "/notice")], State.NOTICE_TEXT),
    "notice_link": ([("say", "/notice"), ("say", "단수 안내")], State.NOTICE_LINK),
    "notice_audience": ([("say", "/notice"), ("say", "단수 안내"), ("press", "nt:nolink")], State.NOTICE_AUDIENCE),
    "notice_preview": ([("say", "/notice"), ("say", "단수 안내"), ("press", "nt:nolink"), ("press", "nt:aud:all")],
                       State.NOTICE_PREVIEW),
    "notice_schedule": ([("say", "/notice"), ("say", "단수 안내"), ("press", "nt:nolink"), ("press", "nt:aud:all"),
                         ("press", "nt:sched")], State.NOTICE_SCHEDULE),
}


def deliveries(engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Delivery)).all())


@pytest.fixture
def notice_desk(person, staff_member, engine):
    """`notice_desk(step)`: the district's staff member at that step of /notice."""
    staff_id = staff_member("seocho")
    person("Jun", 777_001).onboard("seocho")  # someone to send to
    desk = person("Officer Kim", staff_id)

    def at(step: str) -> Person:
        steps, expected = NOTICE_SETUPS[step]
        for kind, value in steps:
            getattr(desk, kind)(value)
        with session_scope(engine) as session:
            stored = load_conversation(session=session, platform_user_id=desk.user_id)
        assert stored is not None and stored.state == expected, f"setup {step} did not reach {expected}"
        return desk

    return at


@examples(200)
@given(step=st.sampled_from(sorted(NOTICE_SETUPS)),
       kind=st.sampled_from([InputKind.TEXT, InputKind.TEXT, InputKind.PHOTO, InputKind.UNSUPPORTED]),
       text=TEXTS)
def test_any_input_while_writing_a_notice_gets_a_well_formed_answer_and_sends_nothing(notice_desk, engine,
                                                                                       figures, step, kind, text):
    desk = notice_desk(step)
    before = deliveries(engine)
    figures.inputs_tried += 1
    check_reply(send(desk, kind, text), desk.user_id, readable)
    assert deliveries(engine) == before, "a notice went out without [Send]"
    check_reply(desk.say("/help"), desk.user_id, readable)


@examples(100)
@given(step=st.sampled_from(sorted(NOTICE_SETUPS)), data=st.data())
def test_random_button_data_while_writing_a_notice_is_answered(notice_desk, engine, figures, step, data):
    desk = notice_desk(step)
    forged = st.builds(lambda action, arg: f"nt:{action}:{arg}",
                       st.sampled_from(["aud", "stop", "send", "sched", "drop", "nolink"]) | st.text(max_size=8),
                       st.text(max_size=20) | st.integers(-5, 10**19).map(str))
    pressed = data.draw(forged | press_data([]))
    before = deliveries(engine)
    figures.inputs_tried += 1
    check_reply(desk.press(pressed), desk.user_id, readable)
    if not (pressed == "nt:send" and step == "notice_preview"):
        assert deliveries(engine) == before, "a notice went out without [Send]"
