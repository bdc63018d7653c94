"""Who may use the board: the /board link, sessions, and every route refused to whoever may not
(another district's staff, removed staff, expired or reused links, no cookie, forged forms),
with nothing changed in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.board.auth import SESSION_COOKIE
from bot.people.board_access import MAX_LINKS_PER_HOUR, token_hash
from bot.people.staff import remove_staff
from bot.store.db import session_scope
from bot.store.models import BoardLoginLink, BoardSecret, BoardSession

from .conftest import CSRF, OFFICER, OTHER_OFFICER, RESIDENT_USER, csrf_of, log_in, new_client


def routes(world) -> list[tuple[str, str, dict[str, str]]]:
    """Every page and action of the board, on the objects of the officer's district."""
    b, r, n = world.booking_id, world.round_id, world.notice_id
    return [
        ("GET", "/", {}), ("GET", "/today", {}), ("GET", "/today/live", {}),
        ("POST", f"/today/rounds/{r}/reached", {}), ("POST", f"/today/rounds/{r}/visit", {}),
        ("GET", "/requests", {}), ("GET", f"/requests/{b}", {}),
        ("POST", f"/requests/{b}/accept", {}), ("POST", f"/requests/{b}/decline", {"reason": "no"}),
        ("POST", f"/requests/{b}/assign", {"provider": "gwangjin.welfare-union"}),
        ("POST", f"/requests/{b}/done", {}),
        ("GET", "/notices", {}), ("POST", "/notices", {"text": "hello", "audience": "all"}),
        ("GET", f"/notices/{n}", {}), ("GET", f"/notices/{n}/live", {}),
        ("POST", f"/notices/{n}/stop", {}), ("POST", f"/notices/{n}/send", {}),
        ("POST", f"/notices/{n}/discard", {}),
        ("GET", "/stats", {}), ("GET", "/stats/chart.png", {}), ("GET", "/stats/claim.csv?month=2025-03", {}),
        ("POST", "/logout", {}),
    ]


OWN_DISTRICT_ONLY = {"/", "/today", "/today/live", "/requests", "/notices", "/stats", "/stats/chart.png",
                     "/stats/claim.csv?month=2025-03", "/logout"}


def send(client, method: str, path: str, form: dict[str, str], csrf: str | None):
    if method == "GET":
        return client.get(path)
    data = dict(form)
    if csrf is not None:
        data["csrf"] = csrf
    return client.post(path, data=data)


def assert_logged_out_answer(response, method: str, path: str) -> None:
    fragment = path.split("?")[0].endswith(("/live", ".png", ".csv"))
    if method == "GET" and not fragment:
        assert response.status_code == 303, path
        assert response.headers["location"].endswith("/login?needed=1"), path
    else:
        assert response.status_code == 401, (method, path)


# --- the link -----------------------------------------------------------------------------------


def test_board_sends_staff_a_one_time_link_and_keeps_only_its_hash(world):
    url, token = world.board_link()
    assert url == "http://127.0.0.1:8090/login"
    with session_scope(world.engine) as session:
        hashes = session.exec(select(BoardLoginLink.token_hash)).all()
    assert hashes == [token_hash(token)]
    assert token not in hashes


def test_board_answers_non_staff_with_the_staff_only_answer(world):
    from bot.core.messages import Incoming, InputKind

    reply = world.conversation.handle(Incoming(user_id=RESIDENT_USER, chat_id=RESIDENT_USER, first_name="Mina",
                                               kind=InputKind.TEXT, text="/board"))
    assert [m.text for m in reply.messages] == [world.conversation._tools.texts.get("ko", "staff.only_staff")]
    with session_scope(world.engine) as session:
        assert session.exec(select(func.count()).select_from(BoardLoginLink)).one() == 0


def test_links_are_limited_per_staff_member_per_hour(world):
    for _ in range(MAX_LINKS_PER_HOUR):
        world.board_link()
    from bot.core.messages import Incoming, InputKind

    reply = world.conversation.handle(Incoming(user_id=OFFICER, chat_id=OFFICER, first_name="Kim",
                                               kind=InputKind.TEXT, text="/board"))
    assert "/login#" not in reply.messages[0].text
    assert str(MAX_LINKS_PER_HOUR) in reply.messages[0].text
    world.clock.advance(minutes=61)
    world.board_link()  # an hour later, links come again


def test_the_link_uses_board_public_url(world, catalog):
    from bot.conversation.engine import Conversation

    from .conftest import board_settings

    settings = board_settings(board_public_url="https://board.example.org/office/")
    conversation = Conversation(catalog=catalog, matcher=world.conversation._tools.matcher, engine=world.engine,
                                settings=settings, clock=world.clock)
    world.conversation = conversation
    url, _ = world.board_link()
    assert url == "https://board.example.org/office/login"


# --- logging in ---------------------------------------------------------------------------------


def test_a_link_logs_in_once_with_a_strict_http_only_cookie(world, board):
    _, token = world.board_link()
    with new_client(board) as client:
        answer = log_in(client, token)
        assert answer.status_code == 303 and answer.headers["location"] == "/today"
        cookie = [v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(SESSION_COOKIE)][0]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=36000" in cookie
        page = client.get("/today")
        assert page.status_code == 200 and "Mina" in page.text and "010-1234-5678" in page.text
    with new_client(board) as again:
        before = world.snapshot()
        assert log_in(again, token).status_code == 401  # reused link
        assert world.snapshot() == before
        assert again.get("/today").status_code == 303


def test_an_expired_link_logs_no_one_in(world, board):
    _, token = world.board_link()
    world.clock.advance(minutes=10, seconds=1)
    with new_client(board) as client:
        before = world.snapshot()
        answer = log_in(client, token)
        assert answer.status_code == 401
        assert SESSION_COOKIE not in answer.cookies
        assert world.snapshot() == before


def test_login_without_its_form_token_is_refused(world, board):
    _, token = world.board_link()
    with new_client(board) as client:
        client.get("/login")
        assert client.post("/login", data={"code": token, "csrf": "forged"}).status_code == 403
        assert log_in(client, token).status_code == 303  # the code was not used up by the forgery


def test_failed_codes_from_one_address_are_slowed_down(world, board):
    _, token = world.board_link()
    with new_client(board) as client:
        for _ in range(10):
            assert log_in(client, "guess-" + "x" * 20).status_code == 401
        assert log_in(client, token).status_code == 429  # even the right one, for a while


def test_logout_ends_the_session_at_once(world, board):
    _, token = world.board_link()
    with new_client(board) as client:
        log_in(client, token)
        cookie = client.cookies.get(SESSION_COOKIE)
        assert client.post("/logout", data={"csrf": csrf_of(client)}).status_code == 303
    with new_client(board) as stolen:
        stolen.cookies.set(SESSION_COOKIE, cookie)
        assert stolen.get("/today").status_code == 303


def test_the_signing_key_is_made_once_and_shared_by_every_worker(world, board, catalog):
    from bot.board import build_board_app

    _, token = world.board_link()
    with new_client(board) as client:
        log_in(client, token)
        cookie = client.cookies.get(SESSION_COOKIE)
    second_worker = build_board_app(engine=world.engine, catalog=catalog, settings=world.settings, clock=world.clock)
    with new_client(second_worker) as other:
        other.cookies.set(SESSION_COOKIE, cookie)
        assert other.get("/today").status_code == 200
    with session_scope(world.engine) as session:
        assert session.exec(select(func.count()).select_from(BoardSecret)).one() == 1


def test_security_headers_on_pages_and_static_files(world, board):
    with new_client(board) as client:
        for path in ("/login", "/static/board.js", "/today"):
            headers = client.get(path).headers
            csp = headers["content-security-policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
            assert headers["referrer-policy"] == "no-referrer"
            assert headers["x-content-type-options"] == "nosniff"
        assert client.get("/login").headers["cache-control"] == "no-store"
        assert "<script>" not in client.get("/login").text  # scripts only from files


# --- the matrix ---------------------------------------------------------------------------------


def logged_in(board, world, user_id: int):
    client = new_client(board)
    client.__enter__()
    _, token = world.board_link(user_id)
    assert log_in(client, token).status_code == 303
    return client


def test_no_cookie_or_a_forged_one_is_sent_to_the_login_page(world, board):
    before = world.snapshot()
    with new_client(board) as client:
        for method, path, form in routes(world):
            assert_logged_out_answer(send(client, method, path, form, "anything"), method, path)
        client.cookies.set(SESSION_COOKIE, "made-up-session.c2lnbmF0dXJl")
        for method, path, form in routes(world):
            assert_logged_out_answer(send(client, method, path, form, "anything"), method, path)
    assert world.snapshot() == before


def test_removed_staff_are_out_at_their_next_click(world, board):
    client = logged_in(board, world, OFFICER)
    csrf = csrf_of(client)
    with session_scope(world.engine) as session:
        remove_staff(session=session, telegram_id=OFFICER)
    before = world.snapshot()
    for method, path, form in routes(world):
        assert_logged_out_answer(send(client, method, path, form, csrf), method, path)
    assert world.snapshot() == before
    client.__exit__(None, None, None)


def test_forms_without_the_sessions_csrf_token_change_nothing(world, board):
    client = logged_in(board, world, OFFICER)
    other = logged_in(board, world, OTHER_OFFICER)
    others_token = csrf_of(other)  # a real token, of another session
    before = world.snapshot()
    for method, path, form in routes(world):
        if method != "POST":
            continue
        for forged in (None, "", "forged", others_token):
            assert send(client, method, path, form, forged).status_code == 403, (path, forged)
    assert world.snapshot() == before
    client.__exit__(None, None, None)
    other.__exit__(None, None, None)


def test_another_districts_staff_are_refused_everything_of_this_district(world, board):
    client = logged_in(board, world, OTHER_OFFICER)
    csrf = csrf_of(client)
    before = world.snapshot()
    for method, path, form in routes(world):
        if path in OWN_DISTRICT_ONLY:
            continue
        assert send(client, method, path, form, csrf).status_code == 403, (method, path)
    assert world.snapshot() == before
    # Their own pages show their own district only: none of this district's people.
    for path in ("/today", "/today/live", "/requests", "/notices"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Mina" not in page.text and "010-1234-5678" not in page.text and "구청 알림입니다" not in page.text
    assert world.snapshot() == before
    client.__exit__(None, None, None)


@pytest.mark.parametrize("path", ["/requests/999999", "/notices/999999", "/requests/0"])
def test_unknown_ids_are_not_found(world, board, path):
    client = logged_in(board, world, OFFICER)
    assert client.get(path).status_code == 404
    client.__exit__(None, None, None)


def test_sessions_are_stored_as_hashes_only(world, board):
    _, token = world.board_link()
    with new_client(board) as client:
        log_in(client, token)
        raw = client.cookies.get(SESSION_COOKIE).rpartition(".")[0]
    with session_scope(world.engine) as session:
        assert session.exec(select(BoardSession.token_hash)).all() == [token_hash(raw)]


def test_mounted_inside_another_app_under_a_path(world, catalog):
    """As `ddokddok serve` mounts it: links, redirects and cookies stay under the mount's path."""
    from starlette.applications import Starlette

    from bot.board import board_mount

    app = Starlette(routes=[board_mount("/board", engine=world.engine, catalog=catalog, settings=world.settings,
                                        clock=world.clock)])
    _, token = world.board_link()
    with new_client(app) as client:
        page = client.get("/board/login")
        assert page.status_code == 200 and 'action="/board/login"' in page.text
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        csrf = CSRF.search(page.text).group(1)
        answer = client.post("/board/login", data={"code": token, "csrf": csrf})
        assert answer.status_code == 303 and answer.headers["location"] == "/board/today"
        assert "Path=/board" in answer.headers["set-cookie"]
        today = client.get("/board/today")
        assert today.status_code == 200 and 'src="/board/static/board.js"' in today.text
        assert client.get("/board/static/board.css").status_code == 200
