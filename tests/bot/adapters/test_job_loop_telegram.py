"""The provider loop on Telegram: the real Application and Conversation, a fake Bot API, the
outbox drained through the real transport. Photos go out as sendPhoto with the file ids the
resident sent; each person acts by pressing the buttons they were actually sent."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.adapters.telegram_sending import TelegramTransport
from bot.people.providers import add_member
from bot.people.staff import add_staff
from bot.sending.outbox_sender import drain_outbox
from bot.store.db import session_scope
from bot.store.models import Booking, Job, JobStatus

from .conftest import make_callback_update, make_message_update, make_photo_update

RESIDENT, STAFF, MEMBER = 7101, 7201, 7301
PROVIDER = "yongsan.the-plant-coop"


def buttons_sent_to(fake_api, chat_id: int) -> list[str]:
    found = []
    for call in fake_api.calls:
        markup = call.params.get("reply_markup")
        if call.params.get("chat_id") == chat_id and markup:
            rows = markup.get("inline_keyboard", [])  # a reply keyboard has none
            found += [b["callback_data"] for row in rows for b in row if "callback_data" in b]
    return found


async def test_request_to_rating_on_telegram(real_app, fake_api, engine, catalog, clock):
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=STAFF, district="yongsan", name="Kim",
                  known_districts=catalog.districts, now=clock())
        add_member(session=session, catalog=catalog, telegram_id=MEMBER, provider_id=PROVIDER, name="Lee", now=clock())
    bot = real_app.bot

    # People here act a few seconds apart, as people do (the flood limit allows 5 in 10 s).
    async def say(user: int, text: str) -> None:
        clock.advance(3)
        await real_app.process_update(make_message_update(text, user_id=user, bot=bot))

    async def press(user: int, data: str) -> None:
        assert data in buttons_sent_to(fake_api, user), f"{data} was never offered to {user}"
        clock.advance(3)
        await real_app.process_update(make_callback_update(data, user_id=user, bot=bot))

    async def deliver() -> None:
        await drain_outbox(engine=engine, transport=TelegramTransport(bot), clock=clock)

    await say(RESIDENT, "/start")
    for data in ("lang:ko", "dist:yongsan", "consent:yes", "age:skip", "gender:skip"):
        await press(RESIDENT, data)
    await say(RESIDENT, "/find 집수리")
    await press(RESIDENT, "req:start:seoul.sos.home-repair")
    await press(RESIDENT, next(d for d in buttons_sent_to(fake_api, RESIDENT) if d.startswith("bk:date:")))
    clock.advance(3)
    await real_app.process_update(make_photo_update("AgAC-door", user_id=RESIDENT, bot=bot))
    await press(RESIDENT, "bk:time:afternoon")
    await say(RESIDENT, "010-5555-6666")
    await press(RESIDENT, "bk:skip")
    await press(RESIDENT, "bk:skip")
    await press(RESIDENT, "bk:share:yes")
    await press(RESIDENT, "bk:ok")
    await deliver()
    photos = [c for c in fake_api.called("sendPhoto") if c.params["chat_id"] == STAFF]
    assert [c.params["photo"] for c in photos] == ["AgAC-door"]  # the largest size's file id

    with Session(engine) as session:
        booking = session.exec(select(Booking)).one()
    await press(STAFF, f"st:acc:{booking.id}")
    await press(STAFF, f"st:asg:{booking.id}.{PROVIDER}")
    await deliver()
    assert any(c.params["chat_id"] == MEMBER and c.params["photo"] == "AgAC-door" for c in fake_api.called("sendPhoto"))
    with Session(engine) as session:
        job = session.exec(select(Job)).one()
    await press(MEMBER, f"pv:take:{job.id}")
    await press(MEMBER, f"pv:vis:{job.id}")
    await press(MEMBER, next(d for d in buttons_sent_to(fake_api, MEMBER) if d.startswith("pv:day:")))
    await press(MEMBER, "pv:hr:10")
    await deliver()
    await press(MEMBER, f"pv:done:{job.id}")
    for typed in ("2", "0", "8000", "52000"):
        await say(MEMBER, typed)
    await press(MEMBER, "pv:ok")
    await deliver()
    await press(RESIDENT, f"jb:yes:{job.id}")
    await press(RESIDENT, f"jb:rate:{job.id}.5")
    await press(RESIDENT, f"jb:nocm:{job.id}")
    await deliver()

    with Session(engine) as session:
        job = session.get(Job, job.id)
        done = (job.status, job.minutes, job.cost_krw, job.confirmed, job.rating)
        assert done == (JobStatus.DONE, 120, 60000, True, 5)
    staff_texts = [c.params.get("text", "") for c in fake_api.calls if c.params.get("chat_id") == STAFF]
    assert any("★★★★★" in t for t in staff_texts)
    resident_texts = [c.params.get("text", "") for c in fake_api.calls if c.params.get("chat_id") == RESIDENT]
    assert any("10:00" in t for t in resident_texts)



def test_the_weekly_chart_runs_only_where_the_catalog_is_known(real_conversation, engine, fake_api, catalog):
    from bot.adapters.telegram import build_application

    from .conftest import make_settings

    def job_names(application) -> set[str]:
        return {job.name for job in application.job_queue.jobs()}

    with_catalog = build_application(make_settings(), conversation=real_conversation, engine=engine,
                                     request=fake_api, catalog=catalog)
    without = build_application(make_settings(), conversation=real_conversation, engine=engine, request=fake_api)
    assert "weekly-chart" in job_names(with_catalog)
    assert "weekly-chart" not in job_names(without) and "outbox" in job_names(without)
