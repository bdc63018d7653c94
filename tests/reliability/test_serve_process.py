"""`ddokddok serve` as its own process: the webhook, health, metrics, the staff board and the
KakaoTalk skill on one port, against a Bot API server on 127.0.0.1.

What the in-process tests cannot see: the installed command putting the pieces together from the
environment alone, uvicorn's real socket, and a stop by SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import TOKEN, make_message_update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from adapters.http_bot_api import api_server  # noqa: E402,F401  (the fixture)

pytestmark = pytest.mark.skipif(os.environ.get("DDOKDDOK_TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="a SQLite file of its own; the same on every test database")

WEBHOOK_SECRET = "serve-process_secret"
SKILL_SECRET = "kakao-skill-secret-for-the-process-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    call = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(call, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serve_answers_telegram_kakao_health_metrics_and_the_board_on_one_port(api_server, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{api_server.port}/bot",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "KAKAO_SKILL_SECRET": SKILL_SECRET,
        "DATABASE_URL": f"sqlite:///{(tmp_path / 'bot.sqlite3').as_posix()}",
        "LISTEN_PORT": str(port),
        "LOG_LEVEL": "INFO",
    }
    env.pop("DDOKDDOK_TEST_DATABASE_URL", None)
    process = subprocess.Popen([str(Path(sys.executable).with_name("ddokddok")), "serve"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if request(base + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert request(base + "/readyz")[0] == 200

        status, _ = request(base + "/telegram", make_message_update("/start", user_id=41).to_dict(),
                            {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
        assert status == 200
        assert any(int(p["chat_id"]) == 41 for p in api_server.sent("sendMessage"))

        skill = {"userRequest": {"utterance": "안녕하세요", "user": {"id": "kakao-process-user"}}, "action": {}}
        status, body = request(base + "/kakao/skill", skill, {"X-Skill-Secret": SKILL_SECRET})
        assert status == 200 and json.loads(body)["version"] == "2.0"
        assert request(base + "/kakao/skill", skill, {"X-Skill-Secret": "wrong"})[0] == 403

        assert request(base + "/healthz")[0] == 200
        status, metrics = request(base + "/metrics")
        assert status == 200 and "ddokddok" in metrics and TOKEN not in metrics
        assert request(base + "/board/login")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    assert TOKEN not in output and SKILL_SECRET not in output
    wal = tmp_path / "bot.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # folded into the main file at the stop
