"""A check-in tick SIGKILLed with the 3rd of 30 asks in flight, then restarted: nothing lost.

Seen before (issue 15, item 7): the tick claimed all 30, recorded results only every 200 sends
or in a `finally` the kill skips, and after the lease all 30 became "unknown": 27 residents who
were never asked got a reminder ("I asked earlier") as their first message, and the staff
alerts about them read like ordinary missed check-ins.

Here the tick runs in `checkin_ask_driver.py` on a SQLite file and is killed from outside while
the 3rd ask is in the messenger's hands; the restarted bot (this process, a new engine on the
same file) ticks on with a moving clock. What must hold, as bot.checkins states it:

- at most the one ask in flight is "unknown"; at most one claim batch waits for the lease;
- every other ask is sent exactly once after the restart, and each resident's first message
  is the check-in, never a reminder;
- the alerts (Korean and English staff, the trusted contact) about the resident whose ask was
  in flight say it may not have reached them; the others do not.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlmodel import Session, select

from bot.checkins.dispatch import SendResult, dispatch_due
from bot.checkins.plans import accept_invitation, invite_contact, start_checkins
from bot.checkins.policy import CLAIM_BATCH
from bot.people.residents import register_resident
from bot.people.staff import add_staff
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import CheckinDelivery, CheckinRound, CheckinRoundStatus, OutboxMessage

DRIVER = Path(__file__).with_name("checkin_ask_driver.py")
ROOT = Path(__file__).resolve().parents[2]
DUE = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # Monday 10:00 in Seoul
RESIDENTS = 30
HANG_AT = 3
FIRST_CHAT = 70_000
CONTACT_CHAT = 80_000  # resident i's trusted contact: chat CONTACT_CHAT + i
KOREAN_STAFF, ENGLISH_STAFF = 90_001, 90_002
WAIT_SECONDS = 60
# The alerts' words for "the check-in may not have reached them".
MAYBE_NOT_ARRIVED = ("전해지지 않았을 수 있어요", "may not have reached them", "전해지지 않았을 수도")


def seed(engine) -> None:
    """30 residents of seocho with a 10:00 check-in every day, each with an accepted trusted
    contact; a Korean and an English officer in the district."""
    setup = DUE - timedelta(hours=1)
    with session_scope(engine) as session:
        for chat_id, language in ((KOREAN_STAFF, "ko"), (ENGLISH_STAFF, "en")):
            add_staff(session=session, telegram_id=chat_id, district="seocho", name=f"Officer {chat_id}",
                      known_districts={"seocho"}, now=setup)
            # A staff member's language is their resident profile's.
            register_resident(session=session, platform_user_id=chat_id, chat_id=chat_id, first_name="Officer",
                              language=language, district="seocho", now=setup)
        for i in range(RESIDENTS):
            person = register_resident(session=session, platform_user_id=FIRST_CHAT + i, chat_id=FIRST_CHAT + i,
                                       first_name=f"주민{i}", language="ko", district="seocho", now=setup)
            contact = register_resident(session=session, platform_user_id=CONTACT_CHAT + i,
                                        chat_id=CONTACT_CHAT + i, first_name=f"이웃{i}", language="ko",
                                        district="seocho", now=setup)
            start_checkins(session=session, resident=person, days={0, 1, 2, 3, 4, 5, 6}, at=clock_time(10),
                           now=setup)
            invitation = invite_contact(session=session, resident=person, contact_resident=contact, now=setup)
            accept_invitation(session=session, contact_resident=contact, invitation_id=invitation.id, now=setup)


def logged(path: Path) -> list[tuple[int, str, int]]:
    try:
        complete = path.read_text().split("\n")[:-1]  # the last piece may be partial
    except FileNotFoundError:
        return []
    return [(int(round_id), kind, int(chat)) for round_id, kind, chat in (line.split() for line in complete)]


def kill_with_the_third_ask_in_flight(url: str, log: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), url, str(log), "--now", DUE.isoformat(), "--hang-at", str(HANG_AT)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while len(logged(log)) < HANG_AT:
        assert child.poll() is None, f"the driver ended before the kill: {child.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, "the driver sent too little in time"
        time.sleep(0.005)
    time.sleep(0.2)  # let it settle with the ask in flight: the kill must find it there, not later
    assert child.poll() is None
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    out, _ = child.communicate()
    assert json.dumps({"done": True}) not in out


def rounds(engine) -> list[CheckinRound]:
    with Session(engine) as session:
        return list(session.exec(select(CheckinRound).order_by(CheckinRound.id)).all())


async def test_a_tick_killed_with_the_third_of_thirty_asks_in_flight_loses_none(tmp_path, figures):
    url = f"sqlite:///{(tmp_path / 'asks.sqlite3').as_posix()}"
    engine = make_engine(url)
    create_schema(engine)
    seed(engine)
    log = tmp_path / "asks.log"
    kill_with_the_third_ask_in_flight(url, log)
    figures.faults_injected += 1
    before_kill = logged(log)
    assert len(before_kill) == HANG_AT and {kind for _, kind, _ in before_kill} == {"checkin"}
    in_flight_round = before_kill[-1][0]

    # What the kill left: the two sent before are recorded, the third is handed off without a
    # result, the rest of the claim batch is claimed and never handed off.
    left = rounds(engine)
    assert len(left) == RESIDENTS
    handed_unrecorded = [r.id for r in left
                         if r.status == CheckinRoundStatus.SENDING and r.sent_at is not None]
    assert handed_unrecorded == [in_flight_round]
    recorded = {r.id for r in left if r.status == CheckinRoundStatus.AWAITING}
    assert recorded == {round_id for round_id, _, _ in before_kill[:-1]}
    stranded = [r.id for r in left if r.status == CheckinRoundStatus.SENDING and r.sent_at is None]
    assert len(recorded) + 1 + len(stranded) <= CLAIM_BATCH

    # The bot restarts a minute later on the same file.
    engine.dispose()
    restarted = make_engine(url)
    after: list[tuple[int, str, int]] = []

    async def send(message) -> SendResult:
        after.append((message.round_id, message.kind, message.chat_id))
        return SendResult.DELIVERED

    try:
        report = await dispatch_due(engine=restarted, now=DUE + timedelta(seconds=30), send=send)
        # Never claimed: sent at once. Claimed by the dead tick: waiting for its lease.
        never_claimed = RESIDENTS - len(recorded) - 1 - len(stranded)
        assert report.sent == never_claimed and report.recovered == report.requeued == 0
        now = DUE + timedelta(minutes=1)
        reports = []
        while now <= DUE + timedelta(hours=4, minutes=30):
            reports.append(await dispatch_due(engine=restarted, now=now, send=send))
            now += timedelta(minutes=1) if now < DUE + timedelta(minutes=15) else timedelta(minutes=5)
        # The lease (a minute) over: the in-flight one counts as sent, result unknown; the
        # stranded ones are due again, within the grace period, and go out in that tick.
        [lease_over] = [r for r in reports if r.recovered or r.requeued]
        assert lease_over.recovered == 1 and lease_over.requeued == lease_over.sent == len(stranded)
        final = rounds(restarted)
        with Session(restarted) as session:
            alerts = list(session.exec(select(OutboxMessage).where(OutboxMessage.created_at > DUE)).all())
    finally:
        restarted.dispose()

    checkins = Counter(round_id for round_id, kind, _ in before_kill + after if kind == "checkin")
    lost = [r.id for r in final if checkins[r.id] == 0]
    figures.records_lost += len(lost)
    figures.inputs_tried += RESIDENTS
    assert lost == [] and set(checkins.values()) == {1}, "every ask sent exactly once"
    unknown = [r.id for r in final if r.delivery == CheckinDelivery.UNKNOWN]
    assert unknown == [in_flight_round]
    assert all(r.delivery == CheckinDelivery.DELIVERED for r in final if r.id != in_flight_round)
    first_kind: dict[int, str] = {}
    for _, kind, chat in before_kill + after:
        first_kind.setdefault(chat, kind)
    assert len(first_kind) == RESIDENTS and set(first_kind.values()) == {"checkin"}, "a reminder came first"

    # Nobody answered: everyone was escalated. Only the alerts about the in-flight ask say it may
    # not have arrived, to both officers and to the contact.
    in_flight_resident = next(r.resident_id for r in final if r.id == in_flight_round)
    about = {}
    for message in alerts:
        about.setdefault(message.resident_id, {})[message.chat_id] = message.text
    assert all(r.status == CheckinRoundStatus.ESCALATED for r in final)
    flagged = about[in_flight_resident]
    contact_chat = next(chat for chat in flagged if chat not in (KOREAN_STAFF, ENGLISH_STAFF))
    assert MAYBE_NOT_ARRIVED[0] in flagged[KOREAN_STAFF]
    assert MAYBE_NOT_ARRIVED[1] in flagged[ENGLISH_STAFF]
    assert MAYBE_NOT_ARRIVED[2] in flagged[contact_chat]
    others = [text for resident, texts in about.items() if resident != in_flight_resident
              for text in texts.values()]
    assert len(others) == 3 * (RESIDENTS - 1)
    assert not [text for text in others if any(words in text for words in MAYBE_NOT_ARRIVED)]
