"""A staff member's morning on the board, in a real headless browser (Debian's chromium, driven
by Playwright; no browser is downloaded): log in through the link a real /board turn sent, watch a
missed check-in turn red after the escalation tick, accept a request (the resident is told in the
chat), send a notice and watch its progress. Screenshots are kept under DDOKDDOK_ARTEFACTS (or the
test's own folder)."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.board import build_board_app
from bot.checkins.dispatch import SendResult, dispatch_due
from bot.checkins.plans import start_checkins
from bot.conversation.engine import Conversation
from bot.notices.sender import NoticeSender
from bot.people.residents import register_resident
from bot.sending.send_rate import SendRateLimiter
from bot.store.db import create_schema, make_engine, session_scope
from bot.store.models import Booking, CheckinRound, OutboxMessage

from .conftest import RESIDENT_USER, Clock, World, board_settings, populate

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - CI installs it
    sync_playwright = None

# On a developer's machine a missing browser skips these; CI (CI=true) installs both, so there a
# missing one fails instead of passing unseen.
_MAY_SKIP = os.environ.get("CI", "").lower() not in ("true", "1")
pytestmark = [
    pytest.mark.skipif(_MAY_SKIP and sync_playwright is None, reason="the playwright package is not "
                       "installed (.venv/bin/pip install playwright)"),
    pytest.mark.skipif(_MAY_SKIP and not CHROMIUM.exists(),
                       reason="Debian's chromium is not installed (apt-get install -y chromium)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_async(work) -> object:
    """Run a coroutine function on a loop of its own thread (Playwright's sync API owns this one)."""
    result: dict[str, object] = {}

    def target() -> None:
        result["value"] = asyncio.run(work())

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    return result.get("value")


class Server:
    """The board on a port of this machine, served by uvicorn in a thread."""

    def __init__(self, app, port: int):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the board did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("DDOKDDOK_ARTEFACTS") or tmp_path / "artefacts") / "board"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def live(tmp_path: Path, catalog, matcher):
    """A world on a SQLite file (the server's threads and the test share it) and its board."""
    port = free_port()
    engine = make_engine(f"sqlite:///{(tmp_path / 'board.sqlite3').as_posix()}")
    create_schema(engine)
    clock = Clock()
    settings = board_settings(board_port=port)
    conversation = Conversation(catalog=catalog, matcher=matcher, engine=engine, settings=settings, clock=clock)
    booking_id, round_id, notice_id = populate(engine, clock, catalog)
    world = World(engine=engine, clock=clock, conversation=conversation, settings=settings,
                  booking_id=booking_id, round_id=round_id, notice_id=notice_id, resident_chat=RESIDENT_USER)
    app = build_board_app(engine=engine, catalog=catalog, settings=settings, clock=clock)
    with Server(app, port):
        yield world
    engine.dispose()


class Transport:
    """Records what the notice sender sends, a little slowly, so progress can be seen."""

    def __init__(self):
        self.sent = []
        self._one_at_a_time: asyncio.Lock | None = None

    async def send(self, message):
        self._one_at_a_time = self._one_at_a_time or asyncio.Lock()
        async with self._one_at_a_time:
            await asyncio.sleep(0.5)
            self.sent.append(message)
            return len(self.sent)


def test_a_morning_on_the_board(live: World, artefacts: Path):
    world = live
    # A second resident whose check-in today will be missed.
    with session_scope(world.engine) as session:
        quiet = register_resident(session=session, platform_user_id=6201, chat_id=6201, first_name="Sora",
                                  language="ko", district="gwangjin", now=world.clock())
        start_checkins(session=session, resident=quiet, days=set(range(7)), at=clock_time(10, 30), now=world.clock())
        quiet_id = quiet.id

    def tick(moved: timedelta):
        world.clock.advance(seconds=moved.total_seconds())
        return run_async(lambda: dispatch_due(engine=world.engine, now=world.clock(),
                                              send=lambda message: SendResult.DELIVERED))

    tick(timedelta(minutes=31))  # 10:31: the check-in goes out

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR").new_page()
        page.clock.install()
        try:
            # Log in through the link the bot sent for /board.
            reply = world.board_link()
            url = f"{reply[0]}#{reply[1]}"
            page.goto(url)
            expect(page.locator("#code")).to_have_value(reply[1])
            assert "#" not in page.url  # the code left the address bar
            page.screenshot(path=str(artefacts / "01-login.png"))
            page.locator("#login-button").click()
            expect(page).to_have_url(f"http://127.0.0.1:{world.settings.board_port}/today")
            row = page.locator("tr[data-round]:has-text('Sora')").last
            expect(row).to_have_class("light-waiting")
            page.screenshot(path=str(artefacts / "02-today-waiting.png"), full_page=True)

            # Two reply windows later the dispatcher escalates; the page's own refresh shows it.
            tick(timedelta(hours=2))
            report = tick(timedelta(hours=2, minutes=1))
            assert report.escalated == 1
            page.clock.run_for(31_000)
            expect(page.locator("#call-title + table tr:has-text('Sora')")).to_have_class("light-escalated")
            expect(page.locator("[data-count='escalated']")).to_have_text("2")  # Mina's, and now Sora's
            page.screenshot(path=str(artefacts / "03-today-escalated.png"), full_page=True)
            with session_scope(world.engine) as session:
                rnd = session.exec(select(CheckinRound).where(CheckinRound.resident_id == quiet_id)
                                   .order_by(CheckinRound.id.desc())).first()
                assert rnd.status == "escalated"

            # Keyboard: [Visit needed] on Sora's row, reached by Tab and pressed with Enter.
            visit = page.locator(f"form[action$='/today/rounds/{rnd.id}/visit'] button")
            visit.focus()
            page.keyboard.press("Enter")
            expect(page.locator(".flash")).to_be_visible()
            with session_scope(world.engine) as session:
                assert session.get(CheckinRound, rnd.id).status == "visit_needed"

            # Accept Mina's request: the resident is told in the chat, through the outbox.
            page.get_by_role("link", name="신청").click()
            page.locator(f"a[href$='/requests/{world.booking_id}']").click()
            page.get_by_role("button", name="수락").click()
            expect(page.locator("#booking-status")).to_have_text("수락됨")
            page.screenshot(path=str(artefacts / "04-request-accepted.png"), full_page=True)
            with session_scope(world.engine) as session:
                assert session.get(Booking, world.booking_id).status == "accepted"
                told = session.exec(select(OutboxMessage).where(OutboxMessage.chat_id == world.resident_chat)).all()
            assert len(told) == 1 and "Officer Kim" in told[0].text

            # A notice: write it, see the exact count, send it, watch it go out.
            page.get_by_role("link", name="알림").click()
            page.get_by_label("알림 내용").fill("내일 오후 2시 주민센터에서 반찬 나눔이 있어요.")
            page.get_by_label("받는 사람").select_option("all")
            page.get_by_role("button", name="미리보기").click()
            expect(page.locator("#preview-count")).to_contain_text("3명")
            page.screenshot(path=str(artefacts / "05-notice-preview.png"), full_page=True)
            page.locator("#send").click()
            expect(page.locator('[data-figure="recipients"]')).to_have_text("3")
            notice_id = int(page.url.rsplit("/", 1)[1])
            transport = Transport()
            limiter = SendRateLimiter(30, per_chat_interval=0)
            sender = NoticeSender(engine=world.engine, transport=transport, limiter=limiter, clock=world.clock)
            sending = threading.Thread(target=lambda: run_async(lambda: sender.send_notice(notice_id)))
            sending.start()
            seen = set()
            for _ in range(20):
                page.clock.run_for(2_100)
                delivered = page.locator('[data-figure="delivered"]').inner_text()
                if delivered != "0" and delivered not in seen:
                    page.screenshot(path=str(artefacts / f"06-notice-progress-{delivered}.png"), full_page=True)
                seen.add(delivered)
                if page.locator("#notice-status").inner_text() == "보내기 끝":
                    break
                time.sleep(0.3)
            sending.join(30)
            page.clock.run_for(2_100)
            expect(page.locator('[data-figure="delivered"]')).to_have_text("3")
            page.screenshot(path=str(artefacts / "07-notice-report.png"), full_page=True)
            assert len(seen) >= 2  # the figure moved while the page watched
            assert sorted(m.chat_id for m in transport.sent if m.chat_id in (6101, 6102, 6201)) == [6101, 6102, 6201]
        finally:
            browser.close()
    assert sorted(p.name for p in artefacts.glob("*.png"))[:5] == [
        "01-login.png", "02-today-waiting.png", "03-today-escalated.png", "04-request-accepted.png",
        "05-notice-preview.png"]

