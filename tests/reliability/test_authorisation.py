"""The authorisation matrix: who may act on which record, tried by everyone who may not.

Every staff action (st:acc, st:dec, st:nor, st:done, /done N, /queue) and every resident button
that acts on a booking (bk:cancel, bk:cxl) is tried by a resident, staff of another district, a
removed staff member, a resident who used /forget, and a stranger, against another person's
open and accepted bookings, a closed one and a forgotten one. Each attempt must be refused with
a short polite answer, logged at WARNING with ids only, and leave every row of every table as it
was. Presses that name no one else's record (an old [Request] or [Yes, erase] after /forget, a
replayed confirm) and replays by the rightful person (a closed booking, an id that does not
exist) are answered politely and change nothing too; they are not attacks, so they are not
WARNINGs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pytest

from bot.core.texts import Texts
from bot.store.models import BookingStatus

from .conftest import Person, changed_tables, snapshot

PHONE, ADDRESS, NOTE, NAME = "010-3141-5926", "행복아파트 303동 1204호", "무릎이 아파요 XQ", "Minah-Q"
F_PHONE, F_ADDRESS, F_NAME = "010-2718-2818", "소망빌라 7동 101호", "Forgetme-Z"
PERSONAL = [PHONE, PHONE.replace("-", ""), ADDRESS, NOTE, NAME, F_PHONE, F_ADDRESS, F_NAME, "주말엔 안 돼요"]
# What a log argument may be besides an id: the name of an action, never a person's words.
ACTION_ARGUMENT = re.compile(r"[a-z/:_ ]{1,24}")

STAFF_ACTIONS = ["st:acc:{id}", "st:dec:{id}", "st:nor:{id}", "st:done:{id}", "/done {id}"]
RESIDENT_ACTIONS = ["bk:cancel:{id}", "bk:cxl:{id}"]


@dataclass
class World:
    mina: Person
    jun: Person
    forgotten: Person
    stranger: Person
    staff: int
    other_staff: int
    removed_staff: int
    bookings: dict[str, int]
    confirm_message_id: int


@pytest.fixture
def world(person, staff_member, db_rows) -> World:
    staff = staff_member("seocho", telegram_id=900)
    other_staff = staff_member("yongsan", telegram_id=901)
    removed_staff = staff_member("seocho", telegram_id=902)
    mina, jun, forgotten = person(NAME, 1), person("Jun", 2), person(F_NAME, 3)
    for resident in (mina, jun, forgotten):
        resident.onboard("seocho")
    for message_id in (7001, 7002, 7003):
        mina.book(phone=PHONE, address=ADDRESS, note=NOTE, confirm_message_id=message_id)
    open_id, accepted_id, closed_id = db_rows("booking", "id")
    staff_desk = Person(mina.conversation, staff, "Officer Kim")
    staff_desk.press(f"st:acc:{accepted_id}")
    staff_desk.press(f"st:dec:{closed_id}")
    staff_desk.say("주말엔 안 돼요")
    forgotten.book(phone=F_PHONE, address=F_ADDRESS)
    [forgotten_id] = [i for i in db_rows("booking", "id") if i not in (open_id, accepted_id, closed_id)]
    forgotten.say("/forget")
    forgotten.press("fg:yes")
    staff_member.remove(removed_staff)
    statuses = dict(zip(db_rows("booking", "id"), db_rows("booking", "status"), strict=True))
    assert [statuses[i] for i in (open_id, accepted_id, closed_id, forgotten_id)] == [
        BookingStatus.REQUESTED, BookingStatus.ACCEPTED, BookingStatus.DECLINED, BookingStatus.CANCELLED]
    return World(
        mina=mina, jun=jun, forgotten=forgotten, stranger=person("Stranger", 4), staff=staff,
        other_staff=other_staff, removed_staff=removed_staff,
        bookings={"another's open": open_id, "another's accepted": accepted_id, "a closed": closed_id,
                  "a forgotten": forgotten_id},
        confirm_message_id=7001,
    )


def refusals(texts: Texts, number: int | None) -> set[str]:
    keys = ["common.booking_not_found", "common.stale_button", "staff.only_staff", "staff.not_found"]
    return {texts.get(language, key, number=number) for language in ("ko", "en") for key in keys}


def actor(world: World, who: str) -> Person:
    conversation = world.mina.conversation
    return {
        "a resident": world.jun,
        "staff of another district": Person(conversation, world.other_staff, "Officer Park"),
        "a removed staff member": Person(conversation, world.removed_staff, "Officer Lee"),
        "a resident after /forget": world.forgotten,
        "a stranger": world.stranger,
    }[who]


def attempt(person: Person, action: str):
    return person.say(action) if action.startswith("/") else person.press(action)


def check_warning_ids_only(records: list[logging.LogRecord], booking_id: int | None) -> list[str]:
    """Problems with the WARNINGs logged for one refused attempt (empty when all is well)."""
    warnings = [r for r in records if r.levelno >= logging.WARNING and r.name.startswith("bot")]
    if not warnings:
        return ["no WARNING logged"]
    problems = []
    if booking_id is not None and not any(booking_id in (r.args or ()) for r in warnings):
        problems.append(f"no WARNING names booking {booking_id}")
    for record in warnings:
        message = record.getMessage()
        for argument in record.args or ():
            if not (isinstance(argument, int) or argument is None
                    or (isinstance(argument, str) and ACTION_ARGUMENT.fullmatch(argument))):
                problems.append(f"logged argument {argument!r} is not an id")
        problems += [f"logged {value!r}" for value in PERSONAL if value in message]
    return problems


ACTORS = ["a resident", "staff of another district", "a removed staff member", "a resident after /forget",
          "a stranger"]


@pytest.mark.parametrize("who", ACTORS)
def test_every_record_action_by_someone_without_the_right_is_refused(world, who, engine, texts, caplog,
                                                                     figures):
    someone = actor(world, who)
    failures = []
    for target, booking_id in world.bookings.items():
        for template in STAFF_ACTIONS + RESIDENT_ACTIONS:
            action = template.format(id=booking_id)
            before = snapshot(engine)
            caplog.clear()
            with caplog.at_level(logging.INFO):
                reply = attempt(someone, action)
            figures.inputs_tried += 1
            problems = []
            if len(reply.messages) != 1 or reply.messages[0].text not in refusals(texts, booking_id):
                problems.append(f"answered {[m.text[:60] for m in reply.messages]}")
            problems += [f"changed {name}" for name in changed_tables(before, snapshot(engine))]
            # What follows a typed command is the person's own text, not logged: a refused
            # "/done 17" is logged without the 17 when the sender is not staff at all.
            typed = action.startswith("/") and who != "staff of another district"
            problems += check_warning_ids_only(caplog.records, None if typed else booking_id)
            failures += [f"{action} on {target} booking: {p}" for p in problems]
    assert not failures, f"{who}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("who", [w for w in ACTORS if w != "staff of another district"])
def test_the_queue_is_refused_to_anyone_who_is_not_staff(world, who, engine, texts, caplog, figures):
    someone = actor(world, who)
    before = snapshot(engine)
    with caplog.at_level(logging.INFO):
        reply = someone.say("/queue")
    figures.inputs_tried += 1
    assert [m.text for m in reply.messages] == [texts.get("ko", "staff.only_staff")]
    assert snapshot(engine) == before
    assert check_warning_ids_only(caplog.records, None) == []


def test_staff_of_another_district_see_only_their_own_queue(world, engine, texts, figures):
    other = actor(world, "staff of another district")
    before = snapshot(engine)
    reply = other.say("/queue")
    figures.inputs_tried += 1
    assert [m.text for m in reply.messages] == [texts.get("ko", "staff.queue_empty")]
    assert snapshot(engine) == before
    # The district's own staff do see the open requests, with the resident's phone.
    own = Person(world.mina.conversation, world.staff, "Officer Kim").say("/queue")
    assert PHONE in "\n".join(m.text for m in own.messages)


def test_old_buttons_pressed_after_forget_change_nothing(world, engine, texts, figures):
    answers = refusals(texts, None) | {texts.get("ko", "common.not_registered")}
    for action in ("fg:yes", "fg:no", "req:start:seocho.handyman", "bk:ok", "bk:keep", "bk:skip", "age:60s",
                   "nav:menu", "bk:date:2025-03-05"):
        before = snapshot(engine)
        reply = world.forgotten.press(action, message_id=world.confirm_message_id)
        figures.inputs_tried += 1
        assert len(reply.messages) == 1 and reply.messages[0].text in answers, action
        assert snapshot(engine) == before, action


def test_a_replayed_confirm_of_another_residents_summary_changes_nothing(world, engine, texts, figures):
    before = snapshot(engine)
    reply = world.jun.press("bk:ok", message_id=world.confirm_message_id)
    figures.inputs_tried += 1
    assert [m.text for m in reply.messages] == [texts.get("ko", "common.stale_button")]
    assert snapshot(engine) == before


def test_replays_by_the_districts_own_staff_are_answered_and_change_nothing(world, engine, texts, figures):
    ids = world.bookings
    desk = Person(world.mina.conversation, world.staff, "Officer Kim")
    for action, number, key in [
        ("st:acc:{}", ids["a closed"], "staff.cannot_move"),
        ("st:done:{}", ids["a closed"], "staff.cannot_move"),
        ("st:dec:{}", ids["a forgotten"], "staff.cannot_move"),
        ("st:nor:{}", ids["a forgotten"], "staff.cannot_move"),
        ("st:acc:{}", ids["another's accepted"], "staff.cannot_move"),
        ("st:acc:{}", 999, "staff.not_found"),
        ("/done {}", 999, "staff.not_found"),
    ]:
        before = snapshot(engine)
        reply = attempt(desk, action.format(number))
        figures.inputs_tried += 1
        assert len(reply.messages) == 1, action
        expected = texts.get("ko", key, number=number, status="")
        assert reply.messages[0].text.split("'")[0] == expected.split("'")[0], action
        assert snapshot(engine) == before, action


def test_replays_by_the_resident_themself_are_answered_and_change_nothing(world, engine, texts, figures):
    closed = world.bookings["a closed"]
    for action in (f"bk:cancel:{closed}", f"bk:cxl:{closed}", "bk:cxl:999", "bk:cancel:999"):
        before = snapshot(engine)
        reply = world.mina.press(action)
        figures.inputs_tried += 1
        assert len(reply.messages) == 1 and reply.messages[0].buttons == (), action
        assert snapshot(engine) == before, action


def test_staff_moved_to_another_district_mid_decline_cannot_finish_it(world, engine, staff_member, caplog,
                                                                      figures):
    """Pressed [Decline] in seocho, moved to yongsan, then typed the reason: refused, logged."""
    open_id = world.bookings["another's open"]
    desk = Person(world.mina.conversation, world.staff, "Officer Kim")
    desk.press(f"st:dec:{open_id}")
    staff_member.remove(world.staff)
    staff_member("yongsan", telegram_id=world.staff)
    before = snapshot(engine)
    with caplog.at_level(logging.INFO):
        reply = desk.say("사정이 있어요")
    figures.inputs_tried += 1
    assert len(reply.messages) == 1
    after = snapshot(engine)
    assert changed_tables(before, after) in ([], ["conversation_state"])  # only their own step ended
    assert check_warning_ids_only(caplog.records, open_id) == []


def test_removed_staff_mid_decline_cannot_finish_it(world, engine, staff_member, figures):
    open_id = world.bookings["another's open"]
    desk = Person(world.mina.conversation, world.staff, "Officer Kim")
    desk.press(f"st:dec:{open_id}")
    staff_member.remove(world.staff)
    before = snapshot(engine)
    for step in (lambda: desk.say("사정이 있어요"), lambda: desk.press(f"st:nor:{open_id}")):
        figures.inputs_tried += 1
        assert len(step().messages) >= 1
    after = snapshot(engine)
    assert changed_tables(before, after) in ([], ["conversation_state"])
