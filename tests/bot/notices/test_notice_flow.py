"""/notice, /notices, [Stop] and /settings through the real conversation, as people use them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.core.messages import InputKind
from bot.store.models import DeliveryStatus, NoticeStatus

from conversation.conftest import button_data, text


@pytest.fixture
def seocho(person, add_staff_member):
    """Three seocho residents (two Korean, one English), one yongsan resident, seocho staff."""
    residents = []
    for name, district, language in [("Mina", "seocho", "ko"), ("Jun", "seocho", "ko"),
                                     ("Anna", "seocho", "en"), ("Lee", "yongsan", "ko")]:
        resident = person(name)
        resident.onboard(district, language=language)
        residents.append(resident)
    kim = person("Kim", user_id=add_staff_member("seocho", name="Officer Kim"))
    return kim, residents


def write_notice(kim, text_="이번 주 폭염 쉼터: 구민회관 1층, 오전 9시~오후 6시"):
    kim.say("/notice")
    kim.say(text_)
    return kim.press("nt:nolink")


def test_notice_from_writing_to_send_now(seocho, rows):
    kim, residents = seocho
    ask = kim.say("/notice")
    assert "알림" in text(ask)
    link_question = kim.say("이번 주 폭염 쉼터: 구민회관 1층")
    assert button_data(link_question) == ["nt:nolink", "nt:drop"]
    audiences = kim.say("신청하기 | https://www.seocho.go.kr/shelter")
    assert button_data(audiences) == ["nt:aud:all", "nt:aud:checkins", "nt:aud:ko", "nt:aud:en", "nt:drop"]

    preview = kim.press("nt:aud:all")
    intro, shown, count = preview.messages
    assert "구민회관 1층" in shown.text and "/settings" in shown.text  # what residents will get
    assert shown.buttons[0][0].label == "신청하기" and shown.buttons[0][0].url == "https://www.seocho.go.kr/shelter"
    assert "3명" in count.text  # seocho only: yongsan's Lee is not counted
    assert button_data(count) == ["nt:send", "nt:sched", "nt:drop"]
    assert rows.deliveries() == []  # nothing written before [Send now]

    sent = kim.press("nt:send")
    [notice] = rows.notices()
    assert notice.status == NoticeStatus.SENDING and notice.recipients == 3
    assert f"#{notice.id}" in text(sent) and "3명" in text(sent)
    deliveries = rows.deliveries(notice.id)
    assert sorted(d.chat_id for d in deliveries) == sorted(r.user_id for r in residents[:3])
    assert notice.progress_chat_id == kim.user_id
    # A second press on the same [Send now] does not start anything again.
    assert "버튼" in text(kim.press("nt:send"))
    assert len(rows.deliveries(notice.id)) == 3


def test_language_audience_counts_only_that_language(seocho, rows):
    kim, _ = seocho
    write_notice(kim, "Heat-wave shelter at the community centre")
    preview = kim.press("nt:aud:en")
    assert "1 residents" not in text(preview)  # the staff member reads Korean
    assert "1명" in text(preview)
    kim.press("nt:send")
    [notice] = rows.notices()
    assert notice.audience == "en" and notice.recipients == 1


def test_an_empty_audience_asks_again(seocho, rows):
    kim, _ = seocho
    write_notice(kim)
    again = kim.press("nt:aud:checkins")  # nobody here has check-ins
    assert "없어요" in text(again)
    assert "nt:aud:all" in button_data(again)
    assert "nt:send" not in button_data(again)


def test_non_staff_are_refused_and_nothing_is_created(seocho, person, rows, caplog):
    _, residents = seocho
    mina = residents[0]
    with caplog.at_level(logging.WARNING):
        assert "담당자만" in text(mina.say("/notice"))
        assert "담당자만" in text(mina.say("/notices"))
        for data in ("nt:send", "nt:aud:all", "nt:drop", "nt:stop:1"):
            assert "담당자만" in text(mina.press(data))
    stranger = person("Nobody")
    assert "담당자만" in text(stranger.say("/notice"))
    assert rows.notices() == [] and rows.deliveries() == []
    assert "refused" in caplog.text
    # And what they type next is a search again, not a notice text.
    assert "담당자만" not in text(mina.say("보일러가 고장났어요"))


def test_cancel_drops_the_draft(seocho, rows):
    kim, _ = seocho
    write_notice(kim)
    assert rows.notices()[0].status == NoticeStatus.DRAFT
    dropped = kim.press("nt:drop")
    assert "보내지 않았어요" in text(dropped)
    assert rows.notices() == []
    # /cancel in the middle of writing does the same.
    kim.say("/notice")
    kim.say("두 번째 알림")
    kim.say("/cancel")
    assert rows.notices() == [] and rows.deliveries() == []


def test_schedule_a_notice(seocho, rows, clock):
    kim, _ = seocho
    write_notice(kim)
    kim.press("nt:aud:all")
    ask = kim.press("nt:sched")
    assert "예:" in text(ask)
    assert "읽지 못했어요" in text(kim.say("다음 주 화요일"))
    assert "지난 시간" in text(kim.say("2025-03-01 09:00"))
    scheduled = kim.say("2025-03-05 14:00")  # Korea time
    [notice] = rows.notices()
    assert notice.status == NoticeStatus.SCHEDULED
    assert notice.send_at == datetime(2025, 3, 5, 5, 0, tzinfo=UTC)
    assert "2025-03-05 14:00" in text(scheduled) and "3명" in text(scheduled)
    assert rows.deliveries() == []  # counted and written when it starts


def test_a_photo_with_a_caption_becomes_the_notice(seocho, rows):
    kim, _ = seocho
    kim.say("/notice")
    no_caption = kim.send(InputKind.PHOTO, "")
    assert "설명" in text(no_caption)
    kim.conversation.handle(_photo(kim, "무더위 쉼터 지도예요", "photo-file-id-123"))
    kim.press("nt:nolink")
    preview = kim.press("nt:aud:all")
    shown = preview.messages[1]
    assert shown.photo == "photo-file-id-123" and "무더위 쉼터 지도예요" in shown.text
    [notice] = rows.notices()
    assert notice.photo == "photo-file-id-123"


def test_a_photo_elsewhere_is_still_unsupported(seocho):
    _, residents = seocho
    assert "사진" in text(residents[0].send(InputKind.PHOTO, "보세요"))


def test_stop_by_staff_of_another_district_is_refused(seocho, person, add_staff_member, rows, caplog):
    kim, _ = seocho
    write_notice(kim)
    kim.press("nt:aud:all")
    kim.press("nt:send")
    [notice] = rows.notices()
    park = person("Park", user_id=add_staff_member("yongsan", name="Officer Park"))
    with caplog.at_level(logging.WARNING):
        refused = park.press(f"nt:stop:{notice.id}")
    assert "찾을 수 없어요" in text(refused)
    assert rows.notice(notice.id).status == NoticeStatus.SENDING
    assert rows.statuses(notice.id) == {DeliveryStatus.PENDING: 3}
    assert "refused stop" in caplog.text
    # Yongsan's /notices does not show seocho's notice either.
    assert "아직 보낸 알림이 없어요" in text(park.say("/notices"))

    stopped = kim.press(f"nt:stop:{notice.id}")
    assert "멈췄어요" in text(stopped) and "3건" in text(stopped)
    assert rows.notice(notice.id).status == NoticeStatus.CANCELLED
    assert rows.statuses(notice.id) == {DeliveryStatus.CANCELLED: 3}
    assert "멈출 수 없어요" in text(kim.press(f"nt:stop:{notice.id}"))


def test_notices_lists_recent_ones_with_stop_for_running_ones(seocho, rows):
    kim, _ = seocho
    write_notice(kim, "첫 번째 알림")
    kim.press("nt:aud:all")
    kim.press("nt:send")
    write_notice(kim, "두 번째 알림")
    kim.press("nt:aud:ko")
    kim.press("nt:sched")
    kim.say("2025-03-10 09:00")
    first, second = sorted(rows.notices(), key=lambda n: n.id)
    listing = kim.say("/notices")
    assert "첫 번째 알림" in text(listing) and "두 번째 알림" in text(listing)
    assert "예약됨" in text(listing) and "보내는 중" in text(listing)
    assert sorted(button_data(listing)) == sorted([f"nt:stop:{first.id}", f"nt:stop:{second.id}"])


def test_settings_mute_toggle(seocho, rows, engine):
    kim, residents = seocho
    mina = residents[0]
    shown = mina.say("/settings")
    assert "받아요" in text(shown)
    assert button_data(shown) == ["set:notices:off"]
    muted = mina.press("set:notices:off", message_id=4321)
    edit, confirm = muted.messages
    assert edit.edit_message_id == 4321 and "받지 않아요" in edit.text
    assert button_data(edit) == ["set:notices:on"]
    assert "보내지 않을게요" in confirm.text
    assert mina.press("set:notices:off").messages  # pressing the old button again: still off
    assert rows.resident(mina.user_id).muted_notices is True

    write_notice(kim)
    assert "2명" in text(kim.press("nt:aud:all"))  # Mina is not counted...
    kim.press("nt:send")
    [notice] = rows.notices()
    assert mina.user_id not in {d.chat_id for d in rows.deliveries(notice.id)}  # ...nor sent to

    mina.press("set:notices:on")
    assert rows.resident(mina.user_id).muted_notices is False


def test_settings_needs_a_resident(person):
    assert "/start" in text(person("Nobody").say("/settings"))


def _photo(person, caption: str, file_id: str):
    from bot.core.messages import Incoming
    return Incoming(user_id=person.user_id, chat_id=person.user_id, first_name=person.first_name,
                    kind=InputKind.PHOTO, text=caption, message_id=99, photo=file_id)
