"""The authorisation matrix for wellness check-ins and staff notices.

Every check-in button (`ci:ok|help|hard|alert:<round>` of a resident, `ci:reached|visit:<round>`
of staff, `ci:cyes|cno:<invitation>` of an invited contact) and every notice command and button
(/notice, /notices, `nt:stop:<notice>`, `nt:send`, `nt:aud:*`, `nt:sched`, `nt:drop`) is tried
by a resident, staff of another district, a removed staff member, a resident after /forget and
a stranger, against another resident's escalated and help-alerted rounds, a pending invitation
meant for someone else, and a running and a scheduled notice of the district. Each attempt must
be answered with one short refusal, leave every row of every table as it was, and be logged at
WARNING with ids only. Replays by the rightful people (a round already settled, a notice
already stopped, a [Send] pressed again after sending) are answered and change nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

import pytest

from bot.checkins.dispatch import dispatch_due
from bot.core.texts import Texts
from bot.store.models import CheckinRoundStatus, NoticeStatus

from .conftest import Person, changed_tables, snapshot
from .test_authorisation import check_warning_ids_only
from checkins.fakes import FakeTransport

STAFF, OTHER_STAFF, REMOVED_STAFF = 900, 901, 902
MINA, JUN, FORGOTTEN, HANA, STRANGER, SEO = 1, 2, 3, 5, 4, 6

RESIDENT_PRESSES = ["ci:ok:{round}", "ci:help:{round}", "ci:hard:{round}", "ci:alert:{round}"]
STAFF_PRESSES = ["ci:reached:{round}", "ci:visit:{round}"]
CONTACT_PRESSES = ["ci:cyes:{invitation}", "ci:cno:{invitation}"]
NOTICE_PRESSES = ["nt:stop:{notice}"]
NOTICE_COMMANDS = ["/notice", "/notices"]
# Presses of the notice flow that name no notice: the draft is whatever the presser writes.
NOTICE_FLOW_PRESSES = ["nt:send", "nt:sched", "nt:drop", "nt:nolink", "nt:aud:all", "nt:aud:checkins"]
ACTORS = ["a resident", "staff of another district", "a removed staff member", "a resident after /forget",
          "a stranger"]
_CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{6}\b")


@dataclass
class World:
    desk: Person
    people: dict[str, Person]
    escalated_round: int  # Mina's: missed, staff alerted with [reached] [visit]
    help_round: int  # Jun's: he asked for staff
    invitation: int  # Mina's invitation to Hana, pending
    running_notice: int
    scheduled_notice: int


def dispatch(engine, clock, **delta) -> list:
    clock.advance(**delta)
    sent = FakeTransport()
    asyncio.run(dispatch_due(engine=engine, now=clock(), send=sent))
    return sent.sent


def plan_checkins(someone: Person, at: str = "1400") -> None:
    someone.say("/checkin")
    someone.press("ck:days:daily")
    someone.press(f"ck:time:{at}")


def write_notice(desk: Person, text: str, *, schedule_at: str | None = None) -> int:
    desk.say("/notice")
    desk.say(text)
    desk.press("nt:nolink")
    desk.press("nt:aud:all")
    if schedule_at is None:
        reply = desk.press("nt:send")
    else:
        desk.press("nt:sched")
        reply = desk.say(schedule_at)
    [number] = re.findall(r"#(\d+)", reply.messages[-1].text)[:1]
    return int(number)


@pytest.fixture
def world(person, staff_member, engine, clock, db_rows) -> World:
    staff_member("seocho", telegram_id=STAFF)
    staff_member("yongsan", telegram_id=OTHER_STAFF)
    staff_member("seocho", telegram_id=REMOVED_STAFF)
    mina, jun, forgotten, hana = (person(name, uid) for name, uid in
                                  [("Mina", MINA), ("Jun", JUN), ("Forgetme", FORGOTTEN), ("Hana", HANA)])
    seo = person("Seo", SEO)  # a resident of the district, with no round, notice or invitation of her own
    for resident in (mina, jun, forgotten, hana, seo):
        resident.onboard("seocho")
    plan_checkins(mina)
    plan_checkins(jun)
    plan_checkins(forgotten)
    # Hana offers to be Mina's trusted contact; Mina types the code: an invitation, pending.
    code = _CODE.search(" ".join(m.text for m in hana.press("ck:code").messages)).group(0)
    mina.press("ck:invite")
    mina.say(code)
    [invitation] = db_rows("checkin_contact", "id")

    sent = {m.resident_id: m.round_id for m in dispatch(engine, clock, hours=4)}  # 14:00: sent
    resident_ids = dict(zip(db_rows("resident", "platform_user_id"), db_rows("resident", "id"), strict=True))
    help_round = sent[resident_ids[JUN]]
    jun.press(f"ci:help:{help_round}")
    jun.press(f"ci:alert:{help_round}")
    forgotten.press(f"ci:ok:{sent[resident_ids[FORGOTTEN]]}")
    dispatch(engine, clock, hours=2)  # Mina: reminded
    dispatch(engine, clock, hours=2)  # Mina: escalated, staff alerted
    escalated_round = sent[resident_ids[MINA]]
    statuses = dict(zip(db_rows("checkin_round", "id"), db_rows("checkin_round", "status"), strict=True))
    assert statuses[escalated_round] == CheckinRoundStatus.ESCALATED
    assert statuses[help_round] == CheckinRoundStatus.ANSWERED

    desk = Person(mina.conversation, STAFF, "Officer Kim")
    running = write_notice(desk, "단수 안내: 내일 오전 9시부터 QX")
    scheduled = write_notice(desk, "경로당 행사 안내 QX", schedule_at="2025-03-10 10:00")
    forgotten.say("/forget")
    forgotten.press("fg:yes")
    staff_member.remove(REMOVED_STAFF)
    conversation = mina.conversation
    people = {
        "a resident": seo,
        "staff of another district": Person(conversation, OTHER_STAFF, "Officer Park"),
        "a removed staff member": Person(conversation, REMOVED_STAFF, "Officer Lee"),
        "a resident after /forget": forgotten,
        "a stranger": person("Stranger", STRANGER),
    }
    return World(desk=desk, people=people, escalated_round=escalated_round, help_round=help_round,
                 invitation=invitation, running_notice=running, scheduled_notice=scheduled)


def refusals(texts: Texts, number: int | None) -> set[str]:
    keys = ["checkin.not_found", "checkin.staff_not_found", "staff.only_staff", "notice.not_found",
            "common.stale_button", "common.not_registered"]
    return {texts.get(language, key, number=number) for language in ("ko", "en") for key in keys}


def attempts(world: World) -> list[tuple[str, int | None]]:
    """(action, the id it names) for every press and command of the matrix."""
    tried: list[tuple[str, int | None]] = []
    for template in RESIDENT_PRESSES + STAFF_PRESSES:
        for round_id in (world.escalated_round, world.help_round):
            tried.append((template.format(round=round_id), round_id))
    tried += [(template.format(invitation=world.invitation), world.invitation) for template in CONTACT_PRESSES]
    for notice_id in (world.running_notice, world.scheduled_notice):
        tried += [(template.format(notice=notice_id), notice_id) for template in NOTICE_PRESSES]
    return tried


@pytest.mark.parametrize("who", ACTORS)
def test_every_checkin_and_notice_action_by_someone_without_the_right_is_refused(world, who, engine, texts,
                                                                                 caplog, figures):
    someone = world.people[who]
    failures = []
    for action, target in attempts(world):
        before = snapshot(engine)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            reply = someone.press(action)
        figures.inputs_tried += 1
        problems = []
        if len(reply.messages) != 1 or reply.messages[0].text not in refusals(texts, target):
            problems.append(f"answered {[m.text[:60] for m in reply.messages]}")
        problems += [f"changed {name}" for name in changed_tables(before, snapshot(engine))]
        problems += check_warning_ids_only(caplog.records, target)
        failures += [f"{action}: {p}" for p in problems]
    assert not failures, f"{who}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("who", [w for w in ACTORS if w != "staff of another district"])
def test_notice_commands_and_flow_presses_are_refused_to_anyone_who_is_not_staff(world, who, engine, texts,
                                                                                 caplog, figures):
    someone = world.people[who]
    failures = []
    for action in NOTICE_COMMANDS + NOTICE_FLOW_PRESSES:
        before = snapshot(engine)
        caplog.clear()
        with caplog.at_level(logging.INFO):
            reply = someone.say(action) if action.startswith("/") else someone.press(action)
        figures.inputs_tried += 1
        if [m.text for m in reply.messages] != [texts.get("ko", "staff.only_staff")]:
            failures.append(f"{action}: answered {[m.text[:60] for m in reply.messages]}")
        failures += [f"{action}: changed {name}" for name in changed_tables(before, snapshot(engine))]
        failures += [f"{action}: {p}" for p in check_warning_ids_only(caplog.records, None)]
    assert not failures, f"{who}:\n  " + "\n  ".join(failures)


def test_staff_of_another_district_see_and_send_only_their_own_notices(world, engine, texts, figures):
    other = world.people["staff of another district"]
    before = snapshot(engine)
    listed = other.say("/notices")
    figures.inputs_tried += 1
    assert [m.text for m in listed.messages] == [texts.get("ko", "notice.list_empty")]
    assert snapshot(engine) == before
    # Replayed presses of the district's notice flow, out of their own flow: stale, nothing written.
    for action in NOTICE_FLOW_PRESSES:
        reply = other.press(action)
        figures.inputs_tried += 1
        assert [m.text for m in reply.messages] == [texts.get("ko", "common.stale_button")], action
        assert snapshot(engine) == before, action
    # The district's own staff see both notices.
    own = "\n".join(m.text for m in world.desk.say("/notices").messages)
    assert f"#{world.running_notice}" in own and f"#{world.scheduled_notice}" in own


def test_a_staff_member_moved_to_another_district_cannot_stop_their_old_notice(world, engine, staff_member,
                                                                               texts, caplog, figures):
    staff_member.remove(STAFF)
    staff_member("yongsan", telegram_id=STAFF)
    before = snapshot(engine)
    with caplog.at_level(logging.INFO):
        reply = world.desk.press(f"nt:stop:{world.running_notice}")
    figures.inputs_tried += 1
    assert [m.text for m in reply.messages] == [texts.get("ko", "notice.not_found", number=world.running_notice)]
    assert snapshot(engine) == before
    assert check_warning_ids_only(caplog.records, world.running_notice) == []


def test_replays_by_the_rightful_people_are_answered_and_change_nothing(world, engine, texts, figures, db_rows):
    desk = world.desk
    # Staff settle the escalated round, then every button of it again, and the help round twice.
    desk.press(f"ci:reached:{world.escalated_round}")
    desk.press(f"ci:reached:{world.help_round}")
    stopped = desk.press(f"nt:stop:{world.running_notice}")
    assert NoticeStatus.CANCELLED in db_rows("notice", "status") and stopped.messages
    settled = texts.get("ko", "checkin.staff_settled")
    for action, expected in [
        (f"ci:reached:{world.escalated_round}", settled),
        (f"ci:visit:{world.escalated_round}", settled),
        (f"ci:reached:{world.help_round}", settled),
        ("ci:reached:999999", texts.get("ko", "checkin.staff_not_found")),
        ("nt:stop:999999", texts.get("ko", "notice.not_found", number=999999)),
        ("nt:send", texts.get("ko", "common.stale_button")),
        ("nt:aud:all", texts.get("ko", "common.stale_button")),
    ]:
        before = snapshot(engine)
        reply = desk.press(action)
        figures.inputs_tried += 1
        assert [m.text for m in reply.messages] == [expected], action
        assert snapshot(engine) == before, action
    # Stopping the stopped notice again: "already stopped", nothing changes.
    before = snapshot(engine)
    again = desk.press(f"nt:stop:{world.running_notice}")
    figures.inputs_tried += 1
    assert f"#{world.running_notice}" in again.messages[0].text and snapshot(engine) == before


def test_a_round_never_shown_to_staff_cannot_be_acted_on_by_them(world, engine, clock, texts, figures):
    """A round staff were never alerted about (Mina's next one, sent and waiting) gives nothing
    away: "not found", and the round stays as it was."""
    [message] = [m for m in dispatch(engine, clock, hours=20) if m.chat_id == MINA]
    before = snapshot(engine)
    for action in (f"ci:reached:{message.round_id}", f"ci:visit:{message.round_id}"):
        reply = world.desk.press(action)
        figures.inputs_tried += 1
        assert [m.text for m in reply.messages] == [texts.get("ko", "checkin.staff_not_found")], action
        assert snapshot(engine) == before, action


# Record ids are INTEGER columns (at most 2**31 - 1 on PostgreSQL): a forged id above that must
# be "not found" like any other unknown id, not a database error.
OUT_OF_RANGE = [2**31, 2**63 - 1, 10**17]


@pytest.mark.parametrize("template", ["ci:ok:{}", "ci:alert:{}", "ci:cyes:{}", "ci:reached:{}", "nt:stop:{}",
                                      "st:acc:{}", "bk:cancel:{}"])
def test_ids_beyond_the_databases_range_are_refused_like_unknown_ones(world, engine, template, figures):
    for someone in (world.desk, world.people["a resident"]):
        for number in OUT_OF_RANGE:
            before = snapshot(engine)
            reply = someone.press(template.format(number))
            figures.inputs_tried += 1
            assert len(reply.messages) == 1 and reply.messages[0].text.strip(), template
            assert snapshot(engine) == before, template


def test_done_with_a_number_beyond_the_databases_range_is_not_found(world, engine, texts, figures):
    before = snapshot(engine)
    reply = world.desk.say(f"/done {2**31}")
    figures.inputs_tried += 1
    assert [m.text for m in reply.messages] == [texts.get("ko", "staff.not_found", number=2**31)]
    assert snapshot(engine) == before
