"""What the board's pages show and what its buttons do: the chat's own actions, for the staff
member's district, with the resident told through the outbox as from the chat."""

from __future__ import annotations

from sqlmodel import select

from bot.store.db import session_scope
from bot.store.models import Booking, BookingEvent, CheckinRound, Delivery, Job, Notice, OutboxMessage

from .conftest import PROVIDER, RESIDENT_USER, csrf_of, log_in, new_client


def officer(world, board):
    client = new_client(board)
    client.__enter__()
    _, token = world.board_link()
    log_in(client, token)
    return client, csrf_of(client)


def outbox_to(world, chat_id: int) -> list[str]:
    with session_scope(world.engine) as session:
        return list(session.exec(select(OutboxMessage.text).where(OutboxMessage.chat_id == chat_id)
                                 .order_by(OutboxMessage.id)))


def test_accept_then_give_to_a_provider_as_the_chat_does(world, board):
    client, csrf = officer(world, board)
    detail = client.get(f"/requests/{world.booking_id}")
    assert "101동 202호" in detail.text and "무릎이 아파요" in detail.text
    answer = client.post(f"/requests/{world.booking_id}/accept", data={"csrf": csrf})
    assert answer.status_code == 303
    shown = client.get(answer.headers["location"])
    assert f"{world.booking_id}" in shown.text and "수락" in shown.text
    told = outbox_to(world, RESIDENT_USER)
    assert len(told) == 1 and "Officer Kim" in told[0]  # the chat's "resident.accepted" text
    assigned = client.post(f"/requests/{world.booking_id}/assign", data={"csrf": csrf, "provider": PROVIDER})
    assert assigned.status_code == 303
    with session_scope(world.engine) as session:
        assert session.get(Booking, world.booking_id).status == "accepted"
        assert [job.provider_id for job in session.exec(select(Job))] == [PROVIDER]
    history = client.get(f"/requests/{world.booking_id}").text
    assert "assign" in history
    client.__exit__(None, None, None)


def test_decline_with_a_reason_the_resident_reads(world, board):
    client, csrf = officer(world, board)
    client.post(f"/requests/{world.booking_id}/decline", data={"csrf": csrf, "reason": "예산이 다 찼어요"})
    with session_scope(world.engine) as session:
        booking = session.get(Booking, world.booking_id)
        assert booking.status == "declined" and booking.decline_reason == "예산이 다 찼어요"
    assert "예산이 다 찼어요" in outbox_to(world, RESIDENT_USER)[0]
    client.__exit__(None, None, None)


def test_requests_filter_by_state_and_program(world, board):
    client, _ = officer(world, board)
    assert f"/requests/{world.booking_id}\"" in client.get("/requests?state=requested").text
    assert f"/requests/{world.booking_id}\"" not in client.get("/requests?state=done").text
    assert f"/requests/{world.booking_id}\"" not in client.get("/requests?program=nothing").text
    assert client.get("/requests?state=weird&page=x").status_code == 200
    client.__exit__(None, None, None)


def test_reached_them_settles_the_round(world, board):
    client, csrf = officer(world, board)
    assert client.post(f"/today/rounds/{world.round_id}/reached", data={"csrf": csrf}).status_code == 303
    with session_scope(world.engine) as session:
        rnd = session.get(CheckinRound, world.round_id)
        assert rnd.status == "reached" and rnd.reached_at == world.clock()
    page = client.get("/today").text
    assert "light-answered" in page
    client.__exit__(None, None, None)


def test_compose_preview_send_and_stop_a_notice(world, board):
    client, csrf = officer(world, board)
    answer = client.post("/notices", data={"csrf": csrf, "text": "내일 반찬 나눔이 있어요", "audience": "all",
                                          "link_url": "", "link_label": "", "send_at": ""})
    assert answer.status_code == 303
    preview = client.get(answer.headers["location"]).text
    assert "받는 사람 2명" in preview  # the two residents of the district, counted now
    notice_id = int(answer.headers["location"].rsplit("/", 1)[1])
    assert client.post(f"/notices/{notice_id}/send", data={"csrf": csrf}).status_code == 303
    live = client.get(f"/notices/{notice_id}/live").text
    assert 'data-figure="remaining">2<' in live
    client.post(f"/notices/{notice_id}/stop", data={"csrf": csrf})
    with session_scope(world.engine) as session:
        assert session.get(Notice, notice_id).status == "cancelled"
        deliveries = session.exec(select(Delivery).where(Delivery.notice_id == notice_id)).all()
        assert {delivery.status for delivery in deliveries} == {"cancelled"}
    client.__exit__(None, None, None)


def test_a_bad_notice_is_answered_on_the_form(world, board):
    client, csrf = officer(world, board)
    answer = client.post("/notices", data={"csrf": csrf, "text": "", "audience": "all", "link_url": "ftp://x"})
    assert answer.status_code == 400 and "role=\"alert\"" in answer.text
    scheduled = client.post("/notices", data={"csrf": csrf, "text": "안내", "audience": "ko",
                                             "send_at": "2025-03-04T09:30"})
    page = client.get(scheduled.headers["location"]).text
    assert "2025-03-04 09:30" in page
    notice_id = int(scheduled.headers["location"].split("?")[0].rsplit("/", 1)[1])
    client.post(f"/notices/{notice_id}/send", data={"csrf": csrf, "send_at": "2025-03-04T09:30"})
    with session_scope(world.engine) as session:
        notice = session.get(Notice, notice_id)
        assert notice.status == "scheduled" and notice.send_at.hour == 0 and notice.send_at.minute == 30
    client.__exit__(None, None, None)


def test_statistics_chart_and_claim(world, board):
    client, _ = officer(world, board)
    assert client.get("/stats?month=2025-03").status_code == 200
    chart = client.get("/stats/chart.png")
    assert chart.headers["content-type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    claim = client.get("/stats/claim.csv?month=2025-03")
    assert claim.headers["content-type"].startswith("text/csv")
    assert "신청 번호" in claim.content.decode("utf-8-sig")
    client.__exit__(None, None, None)


def test_the_history_lists_every_step(world, board):
    client, csrf = officer(world, board)
    client.post(f"/requests/{world.booking_id}/accept", data={"csrf": csrf})
    with session_scope(world.engine) as session:
        steps = session.exec(select(BookingEvent).where(BookingEvent.booking_id == world.booking_id)).all()
    page = client.get(f"/requests/{world.booking_id}").text
    assert page.count("<li>") >= len(steps) == 2
    client.__exit__(None, None, None)
