"""The log scan of test_privacy.py, over the check-in and notice flows.

Through the Telegram application, at DEBUG, every log record captured as it is created: two
residents plan check-ins, one invites a trusted contact by the code the contact gives, the
check-ins go out (one answered by an error quoting the token), one resident answers in words
with a phone number and a health complaint, the other does not answer and is escalated to staff
and the contact, staff mark them reached, and staff write and broadcast a notice with a link
(one delivery answered by the same leaky error), list notices, and the resident erases
everything. Names, the answer, the phone, the code, the notice's text and link, and the token
must appear in no log record, argument or traceback.
"""

from __future__ import annotations

import asyncio
import logging
import re

from sqlmodel import Session, select

from bot.adapters.telegram import build_application
from bot.store.models import CheckinContact, CheckinRound, Notice, NoticeStatus, Resident

from .conftest import TOKEN, make_callback_update, make_message_update
from .test_privacy import leaked, production_logging  # noqa: F401  (production_logging: the capturing fixture)

MINA, JUN, HANA, STAFF = 7_100_001, 7_100_002, 7_100_003, 900
MINA_NAME, JUN_NAME, HANA_NAME, STAFF_NAME = "Seoyeon-CQ", "Junho-CQ", "Hana-CQ", "Officer Bae-CQ"
ANSWER_PHONE = "010-2468-1357"
ANSWER = f"요즘 무릎이 너무 아파서 잠을 못 자요 CQ {ANSWER_PHONE}"
NOTICE_TEXT = "단수 안내 CQ: 행복아파트 303동 내일 오전 9시부터"
NOTICE_LINK = "https://example.org/cq-private-notice-link"
_CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{6}\b")


async def test_checkin_and_notice_flows_log_no_words_names_phone_code_or_token(
        production_logging, settings, conversation, fake_api, engine, clock, staff_member,  # noqa: F811
        no_reply_delays, caplog, figures):
    caplog.set_level(logging.DEBUG)
    staff_member("seocho", name=STAFF_NAME, telegram_id=STAFF)
    app = build_application(settings, conversation=conversation, engine=engine, request=fake_api, clock=clock)
    await app.initialize()
    handlers = app.bot_data["chat_handlers"]
    [outbox] = app.job_queue.get_jobs_by_name("outbox")

    async def drain() -> None:
        await outbox.callback(type("Context", (), {"bot": app.bot, "job": outbox})())

    async def send(user_id: int, name: str, kind: str, value: str) -> None:
        figures.inputs_tried += 1
        clock.advance(seconds=3)
        update = (make_callback_update(value, user_id=user_id, first_name=name, bot=app.bot) if kind == "press"
                  else make_message_update(value, user_id=user_id, first_name=name, bot=app.bot))
        await app.process_update(update)

    onboarding = [("say", "/start"), ("press", "lang:ko"), ("press", "dist:seocho"), ("press", "consent:yes"),
                  ("press", "age:70s"), ("press", "gender:female")]
    for user_id, name in ((MINA, MINA_NAME), (JUN, JUN_NAME), (HANA, HANA_NAME)):
        for kind, value in onboarding:
            await send(user_id, name, kind, value)
    for user_id, name in ((MINA, MINA_NAME), (JUN, JUN_NAME)):
        for kind, value in (("say", "/checkin"), ("press", "ck:days:daily"), ("press", "ck:time:1400")):
            await send(user_id, name, kind, value)

    # Hana gives Mina her code; Mina types it; Hana accepts the invitation.
    await send(HANA, HANA_NAME, "press", "ck:code")
    code = _CODE.search(fake_api.calls[-1].params["text"]).group(0)
    await send(MINA, MINA_NAME, "press", "ck:invite")
    await send(MINA, MINA_NAME, "say", code)
    await drain()
    with Session(engine) as session:
        invitation = session.exec(select(CheckinContact)).one().id
    await send(HANA, HANA_NAME, "press", f"ci:cyes:{invitation}")

    # 14:00: the check-ins go out, the first answered by an error quoting the token.
    clock.advance(hours=4)
    fake_api.fail("sendMessage", "leaky_error")
    figures.faults_injected += 1
    await handlers.dispatch_checkins(None)
    with Session(engine) as session:
        jun_id = session.exec(select(Resident.id).where(Resident.platform_user_id == JUN)).one()
        mina_round = session.exec(select(CheckinRound).where(CheckinRound.resident_id != jun_id)).one().id
    await send(JUN, JUN_NAME, "say", ANSWER)  # a sign of life, in words
    for _ in range(2):  # Mina does not answer: reminded, then staff and Hana are alerted
        clock.advance(hours=2)
        await handlers.dispatch_checkins(None)
    await drain()
    await send(STAFF, STAFF_NAME, "press", f"ci:reached:{mina_round}")
    await drain()

    # A notice with a link to the district, one delivery answered by the leaky error.
    for kind, value in (("say", "/notice"), ("say", NOTICE_TEXT), ("say", f"자세히 | {NOTICE_LINK}"),
                        ("press", "nt:aud:all"), ("press", "nt:send")):
        await send(STAFF, STAFF_NAME, kind, value)
    fake_api.fail("sendMessage", "leaky_error", times=2)
    figures.faults_injected += 2

    async def advancing_sleep(seconds: float) -> None:
        clock.advance(seconds=max(seconds, 0.01))
        await asyncio.sleep(0)

    handlers.notice_sender.sleep = advancing_sleep
    await asyncio.wait_for(handlers.send_notices(), timeout=60)
    await send(STAFF, STAFF_NAME, "say", "/notices")
    for kind, value in (("say", "/privacy"), ("say", "/forget"), ("press", "fg:yes")):
        await send(MINA, MINA_NAME, kind, value)
    await app.shutdown()

    with Session(engine) as session:  # the scenario did what it says
        assert session.exec(select(Notice)).one().status == NoticeStatus.FINISHED
        jun_round = session.exec(select(CheckinRound).where(CheckinRound.resident_id == jun_id)).one()
        assert jun_round.answer == "text"
    assert any(NOTICE_TEXT in text for text in fake_api.sent_texts)
    for chat in (STAFF, HANA):  # staff and the contact were alerted about Mina, by name
        assert any(MINA_NAME in c.params.get("text", "") for c in fake_api.calls if c.params.get("chat_id") == chat)

    secrets = [TOKEN, TOKEN.split(":")[1], MINA_NAME, JUN_NAME, HANA_NAME, STAFF_NAME, ANSWER, "무릎이 너무 아파서",
               ANSWER_PHONE, ANSWER_PHONE.replace("-", ""), code, NOTICE_TEXT, "행복아파트", NOTICE_LINK]
    leaks = leaked(secrets, production_logging, caplog.records)
    assert any(r.name.startswith("bot.checkins.") for r, _, _ in production_logging), "the check-in flow was not seen"
    assert any(r.name.startswith("bot.notice") for r, _, _ in production_logging), "the notice flow was not seen"
    assert not leaks, "\n".join(leaks[:20])
