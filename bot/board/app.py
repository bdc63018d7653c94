"""The board as an ASGI app: its routes, the security headers, and the staff-only guard.

`board_routes(...)` gives the routes to mount anywhere (`board_mount` wraps them in a Starlette
`Mount` with the headers, for `ddokddok serve`); `build_board_app(...)` is the app of
`ddokddok board`. Every page and action goes through `staff_only`: no live session → the login
page (a GET) or 401; a POST without the session's CSRF token → 403; then the page checks the
staff member's district against what it shows or changes (`bot.board.pages`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.adapters.request_bodies import BodyRefused, read_body
from bot.board.auth import FLASH_COOKIE, SESSION_COOKIE, BoardAuth, Visitor
from bot.board.desk import BoardDesk
from bot.core.clock import utc_now
from bot.core.settings import Settings
from bot.core.texts import Texts
from bot.people.residents import language_of
from bot.store.db import read_scope
from catalog import Catalog

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
     b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """Adds the headers a public page needs to every response of the board (pages, fragments,
    static files, errors); pages are never cached (they hold residents' phone numbers)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = "/static/" in scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control" or static]
                headers += SECURITY_HEADERS
                if not static:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass
class Board:
    """What every page uses: the store, the catalog, the words, the clock, the guard."""

    engine: Engine
    catalog: Catalog
    settings: Settings
    clock: Callable[[], datetime]
    texts: Texts  # the chat's words (statuses, months, what staff are told)
    labels: Texts  # the board's own words (bot/board/labels)
    auth: BoardAuth
    desk: BoardDesk
    templates: Environment

    def label(self, language: str, key: str, **values: object) -> str:
        return self.labels.get(language, key, **values)

    def render(self, request: Request, name: str, context: dict[str, Any], *, status: int = 200,
               visitor: Visitor | None = None, language: str = "ko") -> HTMLResponse:
        flash = self.auth.flash_text(request.cookies.get(FLASH_COOKIE)) if visitor is not None else None
        page = self.templates.get_template(name).render(
            base=base_path(request), visitor=visitor, language=language, flash=flash,
            L=lambda key, **values: self.label(language, key, **values),
            T=lambda key, **values: self.texts.get(language, key, **values),
            **context,
        )
        response = HTMLResponse(page, status_code=status)
        if flash is not None:
            response.delete_cookie(FLASH_COOKIE, path=cookie_path(request))
        return response

    def redirect(self, request: Request, path: str, *, flash: list[str] | None = None) -> RedirectResponse:
        response = RedirectResponse(base_path(request) + path, status_code=303)
        if flash:
            self.set_cookie(request, response, FLASH_COOKIE, self.auth.flash_cookie("\n".join(flash)), max_age=60)
        return response

    def set_cookie(self, request: Request, response: Response, name: str, value: str, *, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path=cookie_path(request), httponly=True,
                            samesite="strict", secure=self.auth.secure_cookies)


def base_path(request: Request) -> str:
    """Where the board is mounted ("" for `ddokddok board`, e.g. "/board" inside `serve`)."""
    return request.scope.get("root_path", "").rstrip("/")


def cookie_path(request: Request) -> str:
    return base_path(request) or "/"


Page = Callable[[Board, Request, Visitor, str, FormData | None], Response]


def staff_only(board: Board, page: Page, *, fragment: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """The guard in front of every page and action (module doc)."""

    async def endpoint(request: Request) -> Response:
        visitor = await run_in_threadpool(board.auth.visitor, request.cookies.get(SESSION_COOKIE))
        if visitor is None:
            if request.method == "GET" and not fragment:
                return RedirectResponse(f"{base_path(request)}/login?needed=1", status_code=303)
            return error_page(board, request, 401, "login.needs_login")
        language = await run_in_threadpool(_language, board, visitor)
        form = None
        if request.method == "POST":
            form = await read_form(request)
            if not board.auth.csrf_ok(visitor, _field(form, "csrf")):
                log.warning("board form without a valid CSRF token from staff member %s", visitor.staff.id)
                return error_page(board, request, 403, "error.bad_form", visitor=visitor, language=language)
        return await run_in_threadpool(page, board, request, visitor, language, form)

    return endpoint


FORM_MAX_BYTES = 64 * 1024
FORM_MAX_FIELDS = 20


async def read_form(request: Request) -> FormData:
    """A posted form (`application/x-www-form-urlencoded`, the only kind the board's pages send),
    read without a multipart parser: anything else, or anything too big, is an empty form, which
    fails the CSRF check."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return FormData()
    try:
        body = await read_body(request, max_bytes=FORM_MAX_BYTES)
    except BodyRefused:
        return FormData()
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=FORM_MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return FormData()
    return FormData(pairs)


def _language(board: Board, visitor: Visitor) -> str:
    with read_scope(board.engine) as session:
        return language_of(session=session, telegram_id=visitor.staff.telegram_id)


def _field(form: FormData | None, name: str) -> str | None:
    value = form.get(name) if form is not None else None
    return value if isinstance(value, str) else None


def error_page(board: Board, request: Request, status: int, key: str, *, visitor: Visitor | None = None,
               language: str = "ko") -> HTMLResponse:
    return board.render(request, "error.html", {"message_key": key}, status=status, visitor=visitor,
                        language=language)


def make_board(*, engine: Engine, catalog: Catalog, settings: Settings,
               clock: Callable[[], datetime] = utc_now, texts: Texts | None = None) -> Board:
    texts = texts or Texts.load()
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    return Board(engine=engine, catalog=catalog, settings=settings, clock=clock, texts=texts,
                 labels=Texts.load(HERE / "labels"),
                 auth=BoardAuth(engine=engine, settings=settings, clock=clock),
                 desk=BoardDesk(engine=engine, catalog=catalog, settings=settings, texts=texts, clock=clock),
                 templates=templates)


def board_routes(*, engine: Engine, catalog: Catalog, settings: Settings,
                 clock: Callable[[], datetime] = utc_now) -> list[BaseRoute]:
    """Every route of the board (pages, actions, static files), to mount at any path."""
    from bot.board.pages import routes

    board = make_board(engine=engine, catalog=catalog, settings=settings, clock=clock)
    return [*routes(board), Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]


def board_mount(path: str = "/board", **parts: Any) -> Mount:
    """The board inside another Starlette app (`ddokddok serve`), with its security headers."""
    return Mount(path, routes=board_routes(**parts), middleware=[Middleware(SecurityHeaders)])


def build_board_app(*, engine: Engine, catalog: Catalog, settings: Settings,
                    clock: Callable[[], datetime] = utc_now) -> Starlette:
    """The app of `ddokddok board`: the board at the root of its own port."""
    return Starlette(routes=board_routes(engine=engine, catalog=catalog, settings=settings, clock=clock),
                     middleware=[Middleware(SecurityHeaders)])
