"""`ddokddok bench kakao` runs end to end and prints both servers' figures side by side."""

from __future__ import annotations

import json
import logging

import pytest

from bot.cli.main import main


def test_bench_kakao_quick_prints_both_medians_and_their_ratio(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    level = logging.getLogger("bot").level
    assert main(["bench", "kakao", "--quick", "--size", "2"]) == 0
    assert logging.getLogger("bot").level == level  # quiet for the timing only
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kakao skill:") and lines[1].startswith("bare skill:")
    figures = json.loads(lines[-1])
    assert figures["benchmark"] == "kakao" and figures["requests_per_round"] == 20
    assert len(figures["skill_rounds"]) == len(figures["bare_rounds"]) == 3
    assert figures["skill_requests_per_s"] > 0 and figures["bare_requests_per_s"] > 0
    assert figures["ratio"] == pytest.approx(figures["skill_requests_per_s"] / figures["bare_requests_per_s"],
                                             abs=0.002)
