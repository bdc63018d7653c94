"""End to end with the real Conversation: the Telegram application, the console, `ddokddok chat`.

The adapters' own behaviour is tested with a stand-in conversation elsewhere; these check that
the two halves fit: the buttons the conversation makes survive Telegram's keyboards and the
console's numbers, and a resident can get from /start to consent on either.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, select

from bot.adapters.console import BANNER, run_console
from bot.store.models import Resident

from .conftest import make_callback_update, make_message_update, make_sticker_update

ROOT = Path(__file__).resolve().parents[3]


def last_keyboard(fake_api) -> tuple[int, list[str]]:
    """(message id, every button's data) of the last message sent with a keyboard."""
    for call in reversed(fake_api.calls):
        markup = call.params.get("reply_markup")
        if call.method in ("sendMessage", "editMessageText") and markup:
            message_id = call.params.get("message_id") or 0
            return message_id, [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    raise AssertionError("no keyboard sent")


async def test_onboarding_on_telegram_from_start_to_consent(real_app, fake_api, engine):
    user = 7001
    await real_app.process_update(make_message_update("/start", user_id=user, bot=real_app.bot))
    _, offered = last_keyboard(fake_api)
    assert "lang:ko" in offered

    for wanted in ("lang:ko", "dist:seocho", "consent:yes"):
        _, offered = last_keyboard(fake_api)
        assert wanted in offered, f"{wanted} not offered: {offered}"
        answered = len(fake_api.called("answerCallbackQuery"))
        await real_app.process_update(make_callback_update(wanted, user_id=user, bot=real_app.bot))
        assert len(fake_api.called("answerCallbackQuery")) == answered + 1

    with Session(engine) as session:
        resident = session.exec(select(Resident).where(Resident.platform_user_id == user)).one()
    assert (resident.district, resident.language, resident.active) == ("seocho", "ko", True)

    sent_before = len(fake_api.sent_texts)
    await real_app.process_update(make_message_update("보일러가 고장나서 너무 추워요", user_id=user,
                                                      bot=real_app.bot))
    assert len(fake_api.sent_texts) > sent_before
    assert all(text.strip() for text in fake_api.sent_texts)


async def test_sticker_gets_a_polite_answer(real_app, fake_api):
    await real_app.process_update(make_sticker_update(user_id=7002, bot=real_app.bot))
    assert len(fake_api.called("sendMessage")) == 1


def test_console_start_and_a_numbered_press(real_conversation, engine, clock):
    output = io.StringIO()
    run_console(conversation=real_conversation, engine=engine, clock=clock,
                stdin=io.StringIO("/start\n1\n"), stdout=output)
    lines = output.getvalue().splitlines()
    assert lines[0] == BANNER
    numbered = [line for line in lines if line.startswith("[1] ")]
    assert len(numbered) >= 2, output.getvalue()  # the language buttons, then the districts'


def bot_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh machine: no token, a database of its own, this checkout."""
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["DATABASE_URL"] = f"sqlite:///{(tmp_path / 'bot.sqlite3').as_posix()}"
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_ddokddok_chat_with_piped_input_exits_0(tmp_path):
    env = bot_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "chat"], input="/help\n", capture_output=True,
        text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert BANNER in result.stdout
    assert len(result.stdout.splitlines()) > 3  # the banner, the echoed line, the help text


def test_ddokddok_run_without_a_token_opens_the_terminal(tmp_path):
    env = bot_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "run"], input="", capture_output=True, text=True,
        env=env, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert BANNER in result.stdout

