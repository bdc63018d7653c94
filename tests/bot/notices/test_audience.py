"""Who a notice goes to: the district's active residents who have not muted notices, narrowed
by language or check-ins; the preview's count is the number of deliveries written and sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.notices.authoring import (
    InvalidNotice,
    NoticeNotOpen,
    count_audience,
    create_notice,
    parse_link,
    parse_send_time,
    schedule_notice,
    start_due_notices,
    start_notice,
)
from bot.store.db import session_scope
from bot.store.models import DeliveryStatus, NoticeStatus

from .conftest import START


def count(engine, audience="all", district="seocho") -> int:
    with Session(engine) as session:
        return count_audience(session=session, district=district, audience=audience)


def new_notice(engine, *, district="seocho", audience="all", text="폭염 쉼터를 운영합니다", **extra):
    with session_scope(engine) as session:
        return create_notice(session=session, district=district, text=text, audience=audience,
                             now=START, **extra)


def test_only_the_district_counts(engine, add_residents):
    add_residents(3, district="seocho")
    add_residents(2, district="yongsan")
    assert count(engine) == 3
    assert count(engine, district="yongsan") == 2
    assert count(engine, district="eunpyeong") == 0


def test_muted_and_inactive_residents_are_not_counted(engine, add_residents):
    add_residents(4)
    add_residents(2, muted=True)
    add_residents(1, active=False)  # blocked the bot
    assert count(engine) == 4


def test_language_filter(engine, add_residents):
    add_residents(3, language="ko")
    add_residents(2, language="en")
    add_residents(1, language="en", muted=True)
    assert count(engine, "ko") == 3
    assert count(engine, "en") == 2
    assert count(engine, "all") == 5


def test_checkins_audience_is_residents_with_a_live_plan(engine, add_residents):
    add_residents(2)
    add_residents(2, checkins="active")
    add_residents(1, checkins="paused")
    add_residents(1, checkins="stopped")
    add_residents(1, checkins="active", muted=True)
    assert count(engine, "checkins") == 3


def test_an_unknown_audience_is_refused(engine):
    with pytest.raises(InvalidNotice):
        count(engine, "everyone-everywhere")


def test_the_preview_count_is_the_number_of_deliveries_written(engine, add_residents, rows):
    add_residents(5)
    add_residents(2, language="en")
    add_residents(1, muted=True)
    add_residents(3, district="yongsan")
    notice = new_notice(engine)
    preview = count(engine)
    with session_scope(engine) as session:
        started = start_notice(session=session, notice=session.get(type(notice), notice.id), now=START)
    assert started.status == NoticeStatus.SENDING
    assert started.recipients == preview == 7
    deliveries = rows.deliveries(notice.id)
    assert len(deliveries) == 7
    assert {d.status for d in deliveries} == {DeliveryStatus.PENDING}
    assert sorted(d.language for d in deliveries).count("en") == 2


def test_a_notice_starts_once(engine, add_residents, rows):
    add_residents(3)
    notice = new_notice(engine)
    with session_scope(engine) as session:
        start_notice(session=session, notice=session.get(type(notice), notice.id), now=START)
    with pytest.raises(NoticeNotOpen), session_scope(engine) as session:
        start_notice(session=session, notice=session.get(type(notice), notice.id), now=START)
    assert len(rows.deliveries(notice.id)) == 3


def test_a_notice_to_nobody_finishes_at_once(engine, rows):
    notice = new_notice(engine)
    with session_scope(engine) as session:
        started = start_notice(session=session, notice=session.get(type(notice), notice.id), now=START)
    assert started.status == NoticeStatus.FINISHED and started.recipients == 0


def test_scheduled_notices_start_when_due_and_count_then(engine, add_residents, rows):
    add_residents(2)
    notice = new_notice(engine)
    with session_scope(engine) as session:
        schedule_notice(session=session, notice=session.get(type(notice), notice.id),
                        send_at=START + timedelta(hours=2), now=START)
    add_residents(1)  # joins before the notice goes out: counted when it starts
    with session_scope(engine) as session:
        assert start_due_notices(session=session, now=START + timedelta(hours=1)) == []
        assert start_due_notices(session=session, now=START + timedelta(hours=2)) == [notice.id]
    assert rows.notice(notice.id).recipients == 3


@pytest.mark.parametrize("send_at", [START - timedelta(hours=1), START + timedelta(days=91)])
def test_schedules_in_the_past_or_too_far_are_refused(engine, send_at):
    notice = new_notice(engine)
    with pytest.raises(InvalidNotice), session_scope(engine) as session:
        schedule_notice(session=session, notice=session.get(type(notice), notice.id), send_at=send_at, now=START)


def test_texts_and_links_are_checked(engine):
    with pytest.raises(InvalidNotice):
        new_notice(engine, text="   ")
    with pytest.raises(InvalidNotice):
        new_notice(engine, text="가" * 3501)
    with pytest.raises(InvalidNotice):
        new_notice(engine, text="가" * 901, photo="photo-file-id")  # a caption is shorter
    with pytest.raises(InvalidNotice):
        new_notice(engine, link_url="javascript:alert(1)")
    assert parse_link("신청하기 | https://www.seocho.go.kr/apply") == ("https://www.seocho.go.kr/apply", "신청하기")
    assert parse_link(" https://www.seocho.go.kr ") == ("https://www.seocho.go.kr", None)
    with pytest.raises(InvalidNotice):
        parse_link("www seocho go kr")


def test_send_times_are_korea_time_without_an_offset():
    assert parse_send_time("2025-03-05 14:00").utcoffset() == timedelta(hours=9)
    assert parse_send_time("2025-03-05T14:00+00:00").utcoffset() == timedelta(0)
    with pytest.raises(InvalidNotice):
        parse_send_time("next tuesday")
