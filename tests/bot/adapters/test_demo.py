"""`ddokddok demo` walked end to end through its real entry point, with piped input: a resident
finds and requests, staff accept and give it to a provider, the provider does it, the resident
rates; staff send a notice; a missed check-in reaches staff after /later. Every step's output
is checked, and the demo leaves no database behind and never opens DATABASE_URL's."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.demo import LATER_MAX, DemoClock, parse_later, parse_start

ROOT = Path(__file__).resolve().parents[3]
START = "2025-03-04T09:00"  # a Tuesday, Korean time

# (what is typed, what the step must print): the whole loop, as a newcomer would walk it.
WALK: list[tuple[str, list[str]]] = [
    ("/start", ["어떤 말로 이야기할까요?", "[1] 한국어  [2] English"]),
    ("1", ["어느 지역에 사세요?", "[2] 서울 용산구"]),
    ("2", ["동의하시나요?"]),
    ("1", ["나이대를 알려 주시면"]),
    ("6", ["성별도 알려 주시겠어요?"]),
    ("3", ["서울 용산구의 도움을 찾아 드릴게요"]),
    # find
    ("/find 집수리", ["📌 돌봄SOS 주거편의", "[1] 신청하기"]),
    # request
    ("1", ["언제가 좋으세요?", "[2] 내일 3월 5일 (수)"]),
    ("2", ["어느 때가 좋으세요?"]),
    ("1", ["전화번호를 써 주세요"]),
    ("010-1234-5678", ["주소"]),
    ("용산구 한강대로 1", ["담당자에게 전할 말"]),
    ("문이 안 닫혀요", ["전화번호와 주소를 알려 드려도 될까요?"]),
    ("1", ["이렇게 신청할까요?", "[1] 확인"]),
    ("1", ["신청을 보냈어요! 신청 번호는 1번이에요.",
           "→ staff: 📥 새 신청이 왔어요.", "    메모: 문이 안 닫혀요", "    [1] 수락  [2] 거절"]),
    # accept (staff)
    ("/as staff", ["== 이제 담당자 (용산구청 박주무관) / now you are the staff ==", "   [1] 수락  [2] 거절"]),
    ("1", ["1번 신청을 수락했어요.", "[2] 목공 협동조합 더플랜트에 맡기기",
           "→ resident: 1번 '돌봄SOS 주거편의' 신청을 담당자(용산구청 박주무관)가 수락했어요."]),
    # give to a provider (staff)
    ("2", ["→ provider: ", "    [1] 맡을게요  [2] 못 맡아요"]),
    # done (provider)
    ("/as provider", ["== 이제 제공기관 (더플랜트 이반장) / now you are the provider ==",
                      "   [1] 맡을게요  [2] 못 맡아요"]),
    ("1", ["일 1을 맡았어요.", "→ staff: 신청 1번을 목공 협동조합 더플랜트에서 맡았어요.",
           "→ resident: 1번 '돌봄SOS 주거편의' 신청을 목공 협동조합 더플랜트에서 맡았어요."]),
    ("1", ["방문 날짜를 골라 주세요", "[2] 3월 5일 (수)"]),
    ("2", ["방문 시각을 골라 주세요", "[3] 10:00"]),
    ("3", ["방문 시간을 주민에게 알렸어요.",
           "→ resident: 1번 '돌봄SOS 주거편의': 목공 협동조합 더플랜트에서 3월 5일 (수) 10:00에 방문해요."]),
    ("/later 1d", ["⏩ 지금 / now: 2025-03-05 (수) 09:00 KST"]),
    ("1", ["일 1: 몇 시간 일했나요?"]),
    ("2", ["식사는 몇 끼"]),
    ("0", ["재료비는 얼마인가요?"]),
    ("15000", ["서비스 비용은 얼마인가요?"]),
    ("40000", ["합계: 55,000원", "[1] 확인  [2] 고치기"]),
    ("1", ["일 1을 완료로 기록했어요.",
           "→ resident: 1번 '돌봄SOS 주거편의' 도움을 목공 협동조합 더플랜트에서 마쳤다고",
           "    [1] 네, 받았어요  [2] 아니요, 못 받았어요",
           "→ staff: ✅ 목공 협동조합 더플랜트에서 신청 1번을 마쳤어요"]),
    # rating (resident)
    ("/as resident", ["== 이제 주민 (김영희) / now you are the resident ==",
                      "   [1] 네, 받았어요  [2] 아니요, 못 받았어요"]),
    ("1", ["별점을 눌러 주세요", "[5] ★★★★★"]),
    ("5", ["하고 싶은 말이 있으면 써 주세요."]),
    ("친절하게 고쳐 주셨어요", ["→ staff: ⭐ 신청 1번(목공 협동조합 더플랜트) 평가: ★★★★★",
                              "    의견: 친절하게 고쳐 주셨어요"]),
    # a notice (staff)
    ("/as staff", ["== 이제 담당자 (용산구청 박주무관) / now you are the staff =="]),
    ("/notice", ["주민들께 보낼 알림을 써 주세요."]),
    ("내일 오후 2시 경로당에서 독감 예방접종을 해요.", ["링크 버튼을 붙일까요?", "[1] 링크 없이"]),
    ("1", ["누구에게 보낼까요?", "[1] 우리 구 주민 모두"]),
    ("1", ["1명에게 보내요.", "[1] 지금 보내기"]),
    ("1", ["→ resident: 📢 구청 알림", "    내일 오후 2시 경로당에서 독감 예방접종을 해요.", "✅ 전달됨 1명"]),
    # a missed check-in (resident has check-ins; staff are alerted)
    ("/as resident", ["== 이제 주민 (김영희) / now you are the resident =="]),
    ("/checkin", ["안부 확인을 해 드릴까요?", "[1] 매일"]),
    ("1", ["몇 시에 여쭤볼까요?", "[2] 10:00"]),
    ("2", ["매일 10:00에 안부를 여쭤볼게요.", "다음 안부: 3월 5일 (수) 10:00"]),
    ("/later 1d", ["[2025-03-05 (수) 10:00]", "오늘 하루는 어떠세요?", "[1] 괜찮아요 😊",
                   "[2025-03-05 (수) 12:00]", "아직 답이 없어서요",
                   "[2025-03-05 (수) 14:00]", "→ staff: ⚠️ 안부 확인 응답 없음",
                   "    김영희님(yongsan)께서 3월 5일(수) 10:00 안부 메시지에 답하지 않으셨어요.",
                   "    [1] 연락됐어요  [2] 방문 필요",
                   "⏩ 지금 / now: 2025-03-06 (목) 09:00 KST"]),
    ("/as staff", ["   [1] 연락됐어요  [2] 방문 필요"]),
    ("1", ["연락됐다고 기록했어요."]),
    # what the demo answers to a slip
    ("/as 담당자", ["== 이제 담당자 (용산구청 박주무관) / now you are the staff =="]),
    ("/as mayor", ["(/as resident | staff | provider — 주민 | 담당자 | 제공기관)"]),
    ("/later soon", ["(/later 10m, /later 2h, /later 1d: 최대 7일 / at most 7 days)"]),
]


def demo_command() -> list[str]:
    """The installed `ddokddok` script beside this Python, as a newcomer runs it."""
    script = Path(sys.executable).with_name("ddokddok")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.main"]


def steps_of(transcript: str) -> list[tuple[str, str]]:
    """The transcript as (typed line, what followed it): piped input is echoed after "> "."""
    steps: list[tuple[str, str]] = []
    for chunk in transcript.split("\n> ")[1:]:
        typed, _, shown = chunk.partition("\n")
        steps.append((typed, shown))
    return steps


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path, Path]:
    home = tmp_path_factory.mktemp("demo")
    temp, database = home / "tmp", home / "real.sqlite3"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "CATALOG_PATHS")}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(temp), DATABASE_URL=f"sqlite:///{database.as_posix()}")
    stdin = "".join(f"{line}\n" for line, _ in WALK) + "/quit\n"
    done = subprocess.run([*demo_command(), "demo", "--start", START], input=stdin, capture_output=True,
                          text=True, env=env, cwd=home, timeout=300)
    return done, temp, database


def test_the_first_line_says_how_to_switch_people_and_move_time(walked):
    done, _, _ = walked
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert "/as resident|staff|provider" in first and "/later 10m|2h|1d" in first


@pytest.mark.parametrize("number", range(len(WALK)), ids=[f"{i:02d} {line}" for i, (line, _) in enumerate(WALK)])
def test_each_step_of_the_walk_shows_what_each_person_receives(walked, number):
    done, _, _ = walked
    steps = steps_of(done.stdout)
    typed, expected = WALK[number]
    assert steps[number][0] == typed
    shown = steps[number][1]
    missing = [fragment for fragment in expected if fragment not in shown]
    assert not missing, f"step {number} ({typed}) printed:\n{shown}"


def test_the_walk_ends_cleanly_without_tracebacks_or_logs(walked):
    done, _, _ = walked
    assert len(steps_of(done.stdout)) == len(WALK) + 1  # and /quit
    assert "Traceback" not in done.stderr and "(오류 / error" not in done.stdout
    assert done.stderr == ""  # routine logs would interleave with the dialogue


def test_the_demo_keeps_to_its_own_throwaway_database(walked):
    _, temp, database = walked
    assert list(temp.iterdir()) == []  # its folder is removed at exit
    assert not database.exists()  # DATABASE_URL's database is never opened


def test_a_bad_start_time_is_one_line_and_exit_code_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path))
    done = subprocess.run([*demo_command(), "demo", "--start", "next tuesday"], input="", capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "ddokddok: --start: 'next tuesday' is not a time like 2025-03-04T09:00"


def test_later_reads_minutes_hours_and_days_up_to_a_week():
    assert parse_later("10m") == timedelta(minutes=10)
    assert parse_later(" 2H ") == timedelta(hours=2)
    assert parse_later("1d") == timedelta(days=1)
    assert parse_later("7d") == LATER_MAX
    for bad in ("", "8d", "0m", "-1h", "10", "1w", "ten m", "1.5h"):
        assert parse_later(bad) is None, bad


def test_the_demo_clock_starts_where_asked_and_moves_only_when_told():
    clock = DemoClock(parse_start("2025-03-04T09:00"))
    assert clock() == datetime(2025, 3, 4, 0, 0, tzinfo=UTC)  # 09:00 in Korea
    assert clock() == clock()
    clock.advance(timedelta(hours=2))
    assert clock() == datetime(2025, 3, 4, 2, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        DemoClock(datetime(2025, 3, 4, 9, 0))
