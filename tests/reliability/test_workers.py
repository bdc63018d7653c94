"""Several worker processes on one PostgreSQL (bot.bench.workers does the work): 10,000 due
check-ins and a notice to 10,000 residents, three processes, one SIGKILLed midway per phase."""

from __future__ import annotations

import pytest

from bot.bench.workers import run_workers

pytestmark = pytest.mark.slow


def test_three_workers_one_killed_send_everything_once(postgresql_url):
    figures = run_workers(postgresql_url, residents=10_000, workers=3, kill_one=True)
    checkins, notice = figures["checkins"], figures["notice"]

    # Check-ins: at most once. Each plan has its round; none sent twice; every round either
    # sent or (claimed by the dead worker) recorded with delivery "unknown".
    assert checkins["rounds"] == checkins["plans_with_a_round"] == 10_000
    assert checkins["duplicates"] == 0
    assert checkins["missed"] == 0
    assert checkins["in_flight_at_kill_unknown"] <= 250  # at most one tick's claim

    # The notice: at least once. Every recipient got it; a repeat only for a chat the killed
    # worker had in flight when it died (its claims were released after the lease).
    assert notice["recipients"] == notice["delivered"] == 10_000
    assert notice["status"] == "finished"
    assert notice["missed"] == 0
    assert notice["unexplained_duplicates"] == 0
    assert figures["ok"]


def test_the_benchmark_skips_without_postgresql(monkeypatch, capsys):
    from bot.bench.workers import run

    monkeypatch.delenv("DDOKDDOK_BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    assert run(quick=True) == 0
    assert "skipped, no PostgreSQL" in capsys.readouterr().out

    monkeypatch.setenv("DDOKDDOK_BENCH_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert run(quick=True) == 0
    assert "PostgreSQL not reachable" in capsys.readouterr().out
