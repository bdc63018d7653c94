"""The board's pages and actions: login, Today, Requests, Notices, Statistics.

Each page reads through the domain's own queries and checks the staff member's district the way
the chat does (`get_district_booking`, `get_notice(staff=…)`, the check-in engine's staff
functions): another district's request, notice or check-in is refused with 403 and nothing is
changed. Actions answer with a redirect (so a reload does not repeat them) and show what the
chat would have said. URLs carry ids only; names and phones are in pages, never in addresses.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import exists, func
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.board.app import Board, base_path, error_page, read_form, staff_only
from bot.board.auth import LOGIN_COOKIE, LOGIN_NONCE_SECONDS, SESSION_COOKIE, SESSION_MAX_AGE, Visitor
from bot.board.today import Light, today_view
from bot.conversation import staff_desk
from bot.core.clock import KOREA, korea_time
from bot.notices.authoring import (
    InvalidNotice,
    NoticeNotFound,
    NoticeNotOpen,
    cancel_notice,
    count_audience,
    create_notice,
    discard_drafts,
    get_notice,
    list_notices,
    schedule_notice,
    start_notice,
)
from bot.notices.authoring import (
    NotAllowed as NoticeNotAllowed,
)
from bot.notices.report import notice_report
from bot.people.board_access import end_session, redeem_login_token
from bot.reports.claim_report import MONTH_PATTERN, claim_rows, month_bounds, write_claim_csv
from bot.reports.job_stats import district_stats
from bot.reports.weekly_chart import chart_language, render_weekly_chart, week_start_of, weekly_counts
from bot.requests.bookings import (
    BookingNotFound,
    get_district_booking,
    list_booking_events,
)
from bot.requests.bookings import (
    NotAllowed as BookingNotAllowed,
)
from bot.requests.provider_jobs import latest_job, open_job
from bot.requests.yearly_cap import yearly_use
from bot.store.db import read_scope, session_scope
from bot.store.models import (
    MAX_RECORD_ID,
    Booking,
    BookingStatus,
    Job,
    Notice,
    NoticeAudience,
    NoticeStatus,
    Resident,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PAGE_SIZE = 50
FORM_TEXT_LIMIT = 4000


def routes(board: Board) -> list[BaseRoute]:
    def guarded(page, **kwargs):
        return staff_only(board, page, **kwargs)

    async def login_page(request: Request) -> Response:
        return await _login(board, request)

    return [
        Route("/", guarded(lambda b, r, v, lang, f: b.redirect(r, "/today")), methods=["GET"]),
        Route("/login", login_page, methods=["GET", "POST"]),
        Route("/logout", guarded(logout), methods=["POST"]),
        Route("/today", guarded(today), methods=["GET"]),
        Route("/today/live", guarded(today, fragment=True), methods=["GET"], name="today_live"),
        Route("/today/rounds/{round_id:int}/reached", guarded(mark_reached), methods=["POST"]),
        Route("/today/rounds/{round_id:int}/visit", guarded(mark_visit), methods=["POST"]),
        Route("/requests", guarded(requests_list), methods=["GET"]),
        Route("/requests/{booking_id:int}", guarded(request_detail), methods=["GET"]),
        Route("/requests/{booking_id:int}/{action:str}", guarded(request_action), methods=["POST"]),
        Route("/notices", guarded(notices), methods=["GET", "POST"]),
        Route("/notices/{notice_id:int}", guarded(notice_detail), methods=["GET"]),
        Route("/notices/{notice_id:int}/live", guarded(notice_detail, fragment=True), methods=["GET"]),
        Route("/notices/{notice_id:int}/{action:str}", guarded(notice_action), methods=["POST"]),
        Route("/stats", guarded(stats), methods=["GET"]),
        Route("/stats/chart.png", guarded(stats_chart, fragment=True), methods=["GET"]),
        Route("/stats/claim.csv", guarded(stats_claim, fragment=True), methods=["GET"]),
    ]


def _text(form: FormData | None, name: str, limit: int = FORM_TEXT_LIMIT) -> str:
    value = form.get(name) if form is not None else None
    return value.strip()[:limit] if isinstance(value, str) else ""


def _int_param(request: Request, name: str, default: int = 1) -> int:
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        return default
    return value if 1 <= value <= MAX_RECORD_ID else default


def _path_id(request: Request, name: str) -> int | None:
    value = request.path_params[name]
    return value if 0 < value <= MAX_RECORD_ID else None


# --- logging in and out ---------------------------------------------------------------------


async def _login(board: Board, request: Request) -> Response:
    address = request.client.host if request.client else "unknown"
    if request.method == "GET":
        key = "login.needs_login" if request.query_params.get("needed") else (
            "login.logged_out" if request.query_params.get("out") else None)
        return _login_form(board, request, 200, key)
    if board.auth.failed_tries.blocked(address):
        log.warning("board login refused: too many failed tries from one address")
        return _login_form(board, request, 429, "login.too_many")
    form = await read_form(request)
    if not board.auth.login_form_ok(request.cookies.get(LOGIN_COOKIE), _text(form, "csrf", 200)):
        return _login_form(board, request, 403, "error.bad_form")
    token = _text(form, "code", 200)

    def redeem():
        with session_scope(board.engine) as session:
            return redeem_login_token(session=session, token=token, now=board.clock())

    redeemed = await run_in_threadpool(redeem)
    if redeemed is None:
        board.auth.failed_tries.record(address)
        log.warning("board login with an unknown, expired or used code")
        return _login_form(board, request, 401, "login.failed")
    _, session_token = redeemed
    response = RedirectResponse(f"{base_path(request)}/today", status_code=303)
    board.set_cookie(request, response, SESSION_COOKIE, board.auth.session_cookie(session_token),
                     max_age=SESSION_MAX_AGE)
    response.delete_cookie(LOGIN_COOKIE, path=base_path(request) or "/")
    return response


def _login_form(board: Board, request: Request, status: int, message_key: str | None) -> Response:
    cookie, csrf = board.auth.new_login_nonce()
    response = board.render(request, "login.html", {"csrf": csrf, "message_key": message_key}, status=status)
    board.set_cookie(request, response, LOGIN_COOKIE, cookie, max_age=LOGIN_NONCE_SECONDS)
    return response


def logout(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    with session_scope(board.engine) as session:
        end_session(session=session, session_token=visitor.session_token, now=board.clock())
    response = RedirectResponse(f"{base_path(request)}/login?out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=base_path(request) or "/")
    return response


# --- today ------------------------------------------------------------------------------------


def today(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    try:
        light = Light(request.query_params.get("light", ""))
    except ValueError:
        light = None
    with read_scope(board.engine) as session:
        view = today_view(session=session, district=visitor.staff.district, now=board.clock(),
                          light=light, page=_int_param(request, "page"))
    fragment = request.url.path.endswith("/live")
    return board.render(request, "today_live.html" if fragment else "today.html",
                        {"view": view, "lights": list(Light), "nav": "today", "kst": _kst},
                        visitor=visitor, language=language)


def mark_reached(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    return _mark(board, request, visitor, language, visit=False)


def mark_visit(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    return _mark(board, request, visitor, language, visit=True)


def _mark(board: Board, request: Request, visitor: Visitor, language: str, *, visit: bool) -> Response:
    round_id = _path_id(request, "round_id")
    result = board.desk.mark_round(visitor.staff.id, round_id or 0, visit=visit) if round_id else None
    if result is None or result.refused:
        return error_page(board, request, 403, "error.forbidden", visitor=visitor, language=language)
    return board.redirect(request, "/today", flash=result.messages)


def _kst(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return korea_time(moment).strftime(pattern) if moment is not None else "-"


# --- requests ---------------------------------------------------------------------------------


def requests_list(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    district = visitor.staff.district
    program = request.query_params.get("program", "")[:128]
    state = request.query_params.get("state", "")
    provider = request.query_params.get("provider", "")[:128]
    page = _int_param(request, "page")
    with read_scope(board.engine) as session:
        query = select(Booking).where(Booking.district == district)
        if program:
            query = query.where(Booking.program_id == program)
        if state in set(BookingStatus):
            query = query.where(Booking.status == state)
        if provider:
            query = query.where(exists(select(Job.id).where(Job.booking_id == Booking.id,
                                                            Job.provider_id == provider)))
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(page, pages)
        bookings = list(session.exec(query.order_by(col(Booking.created_at).desc(), col(Booking.id).desc())
                                     .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        programs = sorted(session.exec(select(Booking.program_id).where(Booking.district == district).distinct()))
        providers = sorted(session.exec(select(Job.provider_id).where(Job.district == district).distinct()))
        job_of = {}
        if bookings:
            for job in session.exec(select(Job).where(col(Job.booking_id).in_([b.id for b in bookings]))
                                    .order_by(col(Job.id))):
                job_of[job.booking_id] = job  # the latest wins
    return board.render(request, "requests.html", {
        "nav": "requests", "bookings": bookings, "job_of": job_of, "programs": programs,
        "providers": providers, "statuses": list(BookingStatus), "chosen": {
            "program": program, "state": state if state in set(BookingStatus) else "", "provider": provider},
        "page": page, "pages": pages, "total": total, "program_name": _program_name(board, language),
        "provider_name": _provider_name(board, language), "kst": _kst,
    }, visitor=visitor, language=language)


def _program_name(board: Board, language: str):
    def name(program_id: str) -> str:
        program = board.catalog.programs.get(program_id)
        return program.name.get(language) if program else program_id
    return name


def _provider_name(board: Board, language: str):
    def name(provider_id: str) -> str:
        provider = board.catalog.providers.get(provider_id)
        return provider.name.get(language) if provider else provider_id
    return name


def request_detail(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    booking_id = _path_id(request, "booking_id")
    with read_scope(board.engine) as session:
        refused = _district_booking(session, booking_id, visitor)
        if isinstance(refused, int):
            return error_page(board, request, refused, "error.forbidden" if refused == 403 else "error.not_found",
                              visitor=visitor, language=language)
        booking = refused
        resident = session.get(Resident, booking.resident_id) if booking.resident_id else None
        events = list_booking_events(session=session, booking=booking)
        job = latest_job(session=session, booking_id=booking.id)
        use = yearly_use(session=session, catalog=board.catalog, resident_id=booking.resident_id,
                         program_id=booking.program_id, at=board.clock())
        assignable = (booking.status == BookingStatus.ACCEPTED
                      and open_job(session=session, booking_id=booking.id) is None)
    providers = board.catalog.providers_for(booking.program_id, booking.district) if assignable else []
    return board.render(request, "request.html", {
        "nav": "requests", "booking": booking, "resident": resident, "events": events, "job": job,
        "use": use, "providers": providers, "program_name": _program_name(board, language),
        "provider_name": _provider_name(board, language), "kst": _kst,
        "date_text": lambda day: board.texts.get(language, "date.format", year=day.year, day=day.day,
                                                 month=board.texts.get(language, f"month.{day.month}"),
                                                 weekday=board.texts.get(language, f"weekday.{day.weekday()}")),
    }, visitor=visitor, language=language)


def _district_booking(session, booking_id: int | None, visitor: Visitor) -> Booking | int:
    """The booking if it is of the staff member's district, else the status to answer."""
    return _of_district("booking", booking_id, visitor, (BookingNotFound, BookingNotAllowed),
                        lambda: get_district_booking(session=session, booking_id=booking_id, staff=visitor.staff))


def _of_district(what: str, row_id: int | None, visitor: Visitor,
                 refusals: tuple[type[Exception], type[Exception]], lookup: Callable[[], T]) -> T | int:
    """`lookup()`'s row, or the status to answer: 404 for no id or no such row (`refusals[0]`),
    403 for another district's row (`refusals[1]`, logged: a staff member trying ids by hand)."""
    not_found, not_allowed = refusals
    if row_id is None:
        return 404
    try:
        return lookup()
    except not_found:
        return 404
    except not_allowed:
        log.warning("board: staff member %s refused %s %s of another district", visitor.staff.id, what, row_id)
        return 403


REQUEST_ACTIONS = ("accept", "decline", "assign", "done")


def request_action(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    booking_id = _path_id(request, "booking_id")
    action = request.path_params["action"]
    if action not in REQUEST_ACTIONS:
        return error_page(board, request, 404, "error.not_found", visitor=visitor, language=language)
    with read_scope(board.engine) as session:
        refused = _district_booking(session, booking_id, visitor)
    if isinstance(refused, int):
        return error_page(board, request, refused, "error.forbidden" if refused == 403 else "error.not_found",
                          visitor=visitor, language=language)
    if action == "accept":
        reason = _text(form, "override_reason") or None
        result = board.desk.run(visitor.staff.id, lambda turn: staff_desk.on_accept(turn, booking_id, reason))
    elif action == "decline":
        reason = _text(form, "reason") or None
        result = board.desk.run(visitor.staff.id, lambda turn: staff_desk.decline(turn, booking_id, reason))
    elif action == "assign":
        provider = _text(form, "provider", 128)
        result = board.desk.run(visitor.staff.id, lambda turn: staff_desk.on_assign(turn, booking_id, provider))
    else:
        result = board.desk.run(visitor.staff.id, lambda turn: staff_desk.on_done(turn, booking_id))
    if result.refused and not result.messages:
        return error_page(board, request, 403, "error.forbidden", visitor=visitor, language=language)
    return board.redirect(request, f"/requests/{booking_id}", flash=result.messages)


# --- notices ----------------------------------------------------------------------------------


def notices(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    problem = None
    typed = {"text": "", "audience": NoticeAudience.ALL.value, "link_url": "", "link_label": "", "send_at": ""}
    if form is not None:
        typed = {name: _text(form, name) for name in typed}
        send_at = _send_time(typed["send_at"]) if typed["send_at"] else None
        if typed["send_at"] and send_at is None:
            problem = "send_at"
        else:
            try:
                with session_scope(board.engine) as session:
                    discard_drafts(session=session, staff=visitor.staff)
                    notice = create_notice(
                        session=session, district=visitor.staff.district, text=typed["text"], now=board.clock(),
                        audience=typed["audience"], link_url=typed["link_url"] or None,
                        link_label=typed["link_label"] or None, staff=visitor.staff, progress_language=language,
                        known_districts=board.catalog.districts)
                    notice_id = notice.id
            except InvalidNotice as invalid:
                problem = invalid.field_name
            else:
                suffix = f"?at={send_at.strftime('%Y-%m-%dT%H:%M')}" if send_at else ""
                return board.redirect(request, f"/notices/{notice_id}{suffix}")
    with read_scope(board.engine) as session:
        recent = list_notices(session=session, district=visitor.staff.district, limit=20)
    return board.render(request, "notices.html", {
        "nav": "notices", "recent": recent, "typed": typed, "problem": problem,
        "audiences": list(NoticeAudience), "kst": _kst,
    }, status=400 if problem else 200, visitor=visitor, language=language)


def _send_time(typed: str) -> datetime | None:
    """A `datetime-local` field's value ("2026-03-05T10:00"), read as Korean time."""
    try:
        return datetime.strptime(typed[:16], "%Y-%m-%dT%H:%M").replace(tzinfo=KOREA)
    except ValueError:
        return None


def _district_notice(session, notice_id: int | None, visitor: Visitor) -> Notice | int:
    """The notice if it is of the staff member's district, else the status to answer."""
    return _of_district("notice", notice_id, visitor, (NoticeNotFound, NoticeNotAllowed),
                        lambda: get_notice(session=session, notice_id=notice_id, staff=visitor.staff))


def notice_detail(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    notice_id = _path_id(request, "notice_id")
    with read_scope(board.engine) as session:
        notice = _district_notice(session, notice_id, visitor)
        if isinstance(notice, int):
            return error_page(board, request, notice, "error.forbidden" if notice == 403 else "error.not_found",
                              visitor=visitor, language=language)
        count = (count_audience(session=session, district=notice.district, audience=notice.audience)
                 if notice.status == NoticeStatus.DRAFT else None)
        report = notice_report(session=session, notice_id=notice.id)
    send_at = _send_time(request.query_params.get("at", ""))
    fragment = request.url.path.endswith("/live")
    return board.render(request, "notice_live.html" if fragment else "notice.html", {
        "nav": "notices", "notice": notice, "count": count, "report": report, "send_at": send_at,
        "open": notice.status in (NoticeStatus.SCHEDULED, NoticeStatus.SENDING), "kst": _kst,
    }, visitor=visitor, language=language)


NOTICE_ACTIONS = ("send", "discard", "stop")


def notice_action(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    notice_id = _path_id(request, "notice_id")
    action = request.path_params["action"]
    if action not in NOTICE_ACTIONS:
        return error_page(board, request, 404, "error.not_found", visitor=visitor, language=language)
    now = board.clock()
    with session_scope(board.engine) as session:
        notice = _district_notice(session, notice_id, visitor)
        if isinstance(notice, int):
            return error_page(board, request, notice, "error.forbidden" if notice == 403 else "error.not_found",
                              visitor=visitor, language=language)
        try:
            if action == "stop":
                cancel_notice(session=session, notice_id=notice.id, now=now, staff=visitor.staff)
            elif notice.status != NoticeStatus.DRAFT:
                raise NoticeNotOpen(notice.id, notice.status, action)
            elif action == "discard":
                discard_drafts(session=session, staff=visitor.staff)
                return board.redirect(request, "/notices")
            elif (send_at := _send_time(_text(form, "send_at", 20))) is not None:
                schedule_notice(session=session, notice=notice, send_at=send_at, now=now)
            else:
                start_notice(session=session, notice=notice, now=now)
        except (NoticeNotOpen, InvalidNotice) as refused:
            status = getattr(refused, "status", notice.status)
            flash = [board.label(language, "notices.not_open",
                                 status=board.texts.get(language, f"notice_status.{status}")
                                 if status in set(NoticeStatus) else status)]
            return board.redirect(request, f"/notices/{notice.id}", flash=flash)
    return board.redirect(request, f"/notices/{notice.id}")


# --- statistics -------------------------------------------------------------------------------


def _month(board: Board, request: Request) -> str:
    month = request.query_params.get("month", "")
    if MONTH_PATTERN.match(month):
        return month
    here = korea_time(board.clock())
    return f"{here.year}-{here.month:02d}"


def stats(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    month = _month(board, request)
    start, end = month_bounds(month)
    with read_scope(board.engine) as session:
        rows = district_stats(session, visitor.staff.district, start, end)
    return board.render(request, "stats.html", {
        "nav": "stats", "month": month, "rows": rows, "program_name": _program_name(board, language),
        "provider_name": _provider_name(board, language),
    }, visitor=visitor, language=language)


def stats_chart(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    district = visitor.staff.district
    chart_words = chart_language()
    with read_scope(board.engine) as session:
        weeks = weekly_counts(session, board.catalog, district, week_start_of(board.clock()), chart_words)
    place = board.catalog.districts.get(district)
    title = place.name.get(chart_words) if place else district
    return Response(render_weekly_chart(weeks, title), media_type="image/png")


def stats_claim(board: Board, request: Request, visitor: Visitor, language: str, form: FormData | None) -> Response:
    month = _month(board, request)
    district = visitor.staff.district
    with read_scope(board.engine) as session:
        rows = claim_rows(session=session, catalog=board.catalog, district=district, month=month)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claim.csv"
        write_claim_csv(rows, path, language="en" if language == "en" else "ko")
        body = path.read_bytes()
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="claim-{district}-{month}.csv"'})
