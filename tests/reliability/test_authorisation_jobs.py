"""The authorisation matrix for jobs: every provider, staff and resident button of the provider
loop, tried by people who must not use it, against a job that is open and one that is done.

Presses: staff's `st:asg:<booking>.<provider>`; a provider member's `pv:take|ref|nor|vis|done:<job>`
and /jobs; the resident's `jb:yes|no|nocm:<job>` and `jb:rate:<job>.<n>`. Actors: the resident,
another resident, staff of another district, a member of another provider, a member after
removal, a stranger. Each attempt gets an answer, leaves every row of every table as it was,
and logs a WARNING with ids only (a press that does not apply where the person is, such as a
rating nobody asked of them, is answered as an old button).
"""

from __future__ import annotations

import logging

import pytest

from bot.people.providers import add_member, remove_member
from bot.store.db import session_scope
from bot.store.models import JobStatus

from .conftest import changed_tables, snapshot
from .test_authorisation import check_warning_ids_only

PROGRAM = "seoul.sos.home-repair"
PROVIDER, OTHER_PROVIDER = "yongsan.the-plant-coop", "yongsan.deobureo-hamkke-architecture"
MINA, JUN, STAFF, OTHER_STAFF, MEMBER, OTHER_MEMBER, REMOVED, STRANGER = 1, 2, 900, 901, 601, 602, 603, 4

PROVIDER_PRESSES = ["pv:take:{job}", "pv:ref:{job}", "pv:nor:{job}", "pv:vis:{job}", "pv:done:{job}"]
RESIDENT_PRESSES = ["jb:yes:{job}", "jb:no:{job}", "jb:rate:{job}.1", "jb:nocm:{job}"]
STAFF_PRESSES = ["st:asg:{booking}." + OTHER_PROVIDER]


@pytest.fixture
def world(person, staff_member, engine, catalog, clock):
    mina, jun = person("Mina", MINA), person("Jun", JUN)
    mina.onboard(district="yongsan")
    jun.onboard(district="yongsan")
    staff_member(district="yongsan", telegram_id=STAFF)
    staff_member(district="eunpyeong", telegram_id=OTHER_STAFF)
    with session_scope(engine) as session:
        for telegram_id, provider in ((MEMBER, PROVIDER), (OTHER_MEMBER, OTHER_PROVIDER), (REMOVED, PROVIDER)):
            add_member(session=session, catalog=catalog, telegram_id=telegram_id, provider_id=provider,
                       name="M", now=clock())
    desk, member = person("Kim", STAFF), person("Lee", MEMBER)
    jobs = {}
    for key, day in (("open", "2025-03-05"), ("done", "2025-03-06")):
        mina.press(f"req:start:{PROGRAM}")
        mina.press(f"bk:date:{day}")
        mina.press("bk:time:morning")
        mina.say("010-1234-5678")
        mina.press("bk:skip")
        mina.press("bk:skip")
        mina.press("bk:share:yes")
        mina.press("bk:ok")
        booking = len(jobs) + 1
        desk.press(f"st:acc:{booking}")
        desk.press(f"st:asg:{booking}.{PROVIDER}")
        jobs[key] = (booking, len(jobs) + 1)
    member.press(f"pv:take:{jobs['done'][1]}")
    member.press(f"pv:done:{jobs['done'][1]}")
    for typed in ("1", "0", "0", "10000"):
        member.say(typed)
    member.press("pv:ok")
    with session_scope(engine) as session:
        assert remove_member(session=session, telegram_id=REMOVED)
    return jobs


def _actors(person, allowed: set[int]):
    everyone = {MINA: "the resident", JUN: "another resident", STAFF: "staff of the district",
                OTHER_STAFF: "staff of another district", MEMBER: "a member of the provider",
                OTHER_MEMBER: "a member of another provider", REMOVED: "a removed member", STRANGER: "a stranger"}
    return [(person(name, user_id), name) for user_id, name in everyone.items() if user_id not in allowed]


def _try(engine, caplog, actor, data: str) -> list[str]:
    before = snapshot(engine)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot"):
        reply = actor.press(data)
    problems = []
    if not reply.messages or not all(m.text.strip() for m in reply.messages):
        problems.append("no answer")
    changed = changed_tables(before, snapshot(engine))
    if changed:
        problems.append(f"changed {changed}")
    refused = [r for r in caplog.records if r.name.startswith("bot")]
    if not refused:
        problems.append("nothing logged")
    else:
        problems += [p for p in check_warning_ids_only(refused, None) if p != "no WARNING logged"]
    return problems


@pytest.mark.parametrize("which", ["open", "done"])
def test_job_presses_by_the_wrong_people_change_nothing(world, person, engine, caplog, figures, which):
    booking, job = world[which]
    cases = [(p, {MEMBER}) for p in PROVIDER_PRESSES] + [(p, {MINA}) for p in RESIDENT_PRESSES] + \
            [(p, {STAFF}) for p in STAFF_PRESSES]
    failures = []
    for template, allowed in cases:
        data = template.format(job=job, booking=booking)
        for actor, name in _actors(person, allowed):
            figures.inputs_tried += 1
            failures += [f"{data} by {name}: {problem}" for problem in _try(engine, caplog, actor, data)]
    assert failures == [], "\n".join(failures)


def test_forged_ids_and_replays_change_nothing(world, person, engine, caplog, figures):
    member, mina, desk = person("Lee", MEMBER), person("Mina", MINA), person("Kim", STAFF)
    booking, job = world["done"]
    for actor, data in ((member, f"pv:take:{job}"), (member, f"pv:done:{job}"), (member, "pv:take:99999"),
                        (mina, "jb:rate:99999.5"), (desk, f"st:asg:{booking}.{PROVIDER}"),
                        (desk, "st:asg:99999." + PROVIDER), (member, "pv:take:2147483648")):
        figures.inputs_tried += 1
        before = snapshot(engine)
        assert actor.press(data).messages, data
        assert changed_tables(before, snapshot(engine)) == [], data


def test_jobs_command_shows_a_member_only_their_providers_jobs(world, person):
    assert "일 1" in "\n".join(m.text for m in person("Lee", MEMBER).say("/jobs").messages)
    other = "\n".join(m.text for m in person("Park", OTHER_MEMBER).say("/jobs").messages)
    assert "일 1" not in other
    for outsider in (MINA, STAFF, REMOVED, STRANGER):
        answer = "\n".join(m.text for m in person("X", outsider).say("/jobs").messages)
        assert "일 1" not in answer and answer


def test_the_open_job_is_still_open(world, engine):
    from sqlmodel import Session

    from bot.store.models import Job

    with Session(engine) as session:
        assert session.get(Job, world["open"][1]).status == JobStatus.OFFERED
