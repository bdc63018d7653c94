"""The Monday chart (`bot.reports.weekly_chart`): drawn as a PNG, queued once per district and week."""

from __future__ import annotations

import io
from datetime import date

import pytest
from matplotlib import image
from sqlmodel import select

from bot.reports import weekly_chart
from bot.reports.weekly_chart import (
    CAPTION_LIMIT,
    queue_weekly_charts,
    render_weekly_chart,
    week_start_of,
    weekly_counts,
)
from bot.store.models import OutboxMessage, WeeklyChart

from .conftest import CARE_PROVIDER, DISTRICT, MEALS_PROVIDER, kst

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONDAY = date(2026, 11, 2)


def test_the_chart_is_a_png_that_decodes():
    weeks = [(date(2026, 9, 7), {"Meals": 3, "Repairs": 1}), (date(2026, 9, 14), {"Meals": 5}),
             (date(2026, 9, 21), {}), (date(2026, 9, 28), {"Repairs": 2})]
    png = render_weekly_chart(weeks, "Gwangjin: jobs done per week")
    assert png.startswith(PNG_SIGNATURE)
    pixels = image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[0] == 450 and pixels.shape[1] == 800  # 8 × 4.5 inches at 100 dpi
    assert pixels.std() > 0  # something was drawn


def test_weeks_are_korean_and_start_on_monday(session, catalog, make_job):
    assert week_start_of(kst(2026, 11, 1, 23, 30)) == date(2026, 10, 26)  # Sunday night
    assert week_start_of(kst(2026, 11, 2, 0, 10)) == MONDAY
    make_job(requested_at=kst(2026, 10, 20), done_at=kst(2026, 11, 1, 23, 30))  # last week
    make_job(requested_at=kst(2026, 10, 20), done_at=kst(2026, 11, 2, 0, 10))  # this week: not shown
    make_job(CARE_PROVIDER, requested_at=kst(2026, 9, 1), done_at=kst(2026, 9, 7, 0, 0))  # first week shown
    make_job(requested_at=kst(2026, 9, 1), done_at=kst(2026, 9, 6, 23, 59))  # before it
    weeks = weekly_counts(session, catalog, DISTRICT, MONDAY, "en")
    assert [week for week, _ in weeks][0] == date(2026, 9, 7) and len(weeks) == 8
    assert weeks[-1] == (date(2026, 10, 26), {"Welfare Union (care restaurants)": 1})
    assert weeks[0][1] == {"Dounuri Social Cooperative": 1}
    assert sum(sum(counts.values()) for _, counts in weeks) == 2


def _outbox(session) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_queued_once_per_week_from_monday_nine(session, catalog, texts, make_staff, make_resident, make_job):
    english = make_staff(district=DISTRICT, name="Officer Lee")
    make_resident(district=DISTRICT, platform_user_id=english.telegram_id, language="en")
    korean = make_staff(district=DISTRICT, name="김담당")
    make_job(MEALS_PROVIDER, requested_at=kst(2026, 10, 20), done_at=kst(2026, 10, 28, 15))

    assert queue_weekly_charts(session, catalog, kst(2026, 11, 2, 8, 59), texts) == 0
    assert _outbox(session) == [] and session.exec(select(WeeklyChart)).first() is None

    assert queue_weekly_charts(session, catalog, kst(2026, 11, 2, 9, 0), texts) == 1
    messages = _outbox(session)
    assert {m.chat_id for m in messages} == {english.telegram_id, korean.telegram_id}
    by_chat = {m.chat_id: m for m in messages}
    assert "last week 1 done" in by_chat[english.telegram_id].text
    assert "지난주 완료 1건" in by_chat[korean.telegram_id].text
    assert all(m.photo_png.startswith(PNG_SIGNATURE) and len(m.text) <= CAPTION_LIMIT for m in messages)

    assert queue_weekly_charts(session, catalog, kst(2026, 11, 5, 12), texts) == 0  # same week
    assert len(_outbox(session)) == 2
    assert queue_weekly_charts(session, catalog, kst(2026, 11, 9, 9, 30), texts) == 1  # next Monday
    assert len(_outbox(session)) == 4


def test_a_district_without_staff_gets_nothing(session, catalog, texts, make_job):
    make_job(MEALS_PROVIDER, requested_at=kst(2026, 10, 20), done_at=kst(2026, 10, 28, 15))
    assert queue_weekly_charts(session, catalog, kst(2026, 11, 2, 10), texts) == 0
    assert _outbox(session) == [] and session.exec(select(WeeklyChart)).first() is None


def test_a_chart_another_worker_queued_meanwhile_is_skipped(session, catalog, texts, make_staff, monkeypatch):
    make_staff(district=DISTRICT)
    make_staff(district="yongsan")
    # Another worker's row appears between the look and the insert: the unique key decides.
    session.add(WeeklyChart(district=DISTRICT, week_start=MONDAY, created_at=kst(2026, 11, 2, 9)))
    session.flush()
    monkeypatch.setattr(weekly_chart, "_already_queued", lambda *args: False)
    assert queue_weekly_charts(session, catalog, kst(2026, 11, 2, 9, 5), texts) == 1
    [message] = _outbox(session)
    assert "용산" in message.text
    districts = sorted(chart.district for chart in session.exec(select(WeeklyChart)))
    assert districts == [DISTRICT, "yongsan"]


@pytest.mark.parametrize("font, language", [(None, "en"), ("NanumGothic", "ko")])
def test_without_a_hangul_font_the_chart_speaks_english(monkeypatch, font, language):
    monkeypatch.setattr(weekly_chart, "hangul_font", lambda: font)
    assert weekly_chart.chart_language() == language


async def test_the_hourly_job_queues_the_chart_in_its_own_transaction(engine, session, catalog, make_staff):
    staff = make_staff(district=DISTRICT, name="Officer Lee")
    session.commit()
    run = weekly_chart.weekly_chart_job(engine=engine, catalog=catalog, clock=lambda: kst(2026, 11, 2, 10, 0))
    await run(None)
    await run(None)  # the next hour: already sent this week
    session.expire_all()
    assert [m.chat_id for m in _outbox(session)] == [staff.telegram_id]
