"""The benchmark's own check: a small simulated day, every check-in sent exactly once."""

import asyncio
from datetime import timedelta

from bot.bench import checkins as bench_checkins


def test_a_small_simulated_day_sends_every_checkin_exactly_once():
    figures = asyncio.run(bench_checkins._simulate(120, step=timedelta(minutes=5)))
    assert figures["duplicates"] == 0 and figures["missed"] == 0
    assert figures["sent"] == figures["rounds_of_the_day"] == 120
    assert figures["skipped"] == 0
    # Those who never answer, have blocked the bot, or answer only after the alert escalate.
    assert 0 < figures["escalated"] < 60 and figures["reminded"] >= figures["escalated"]
    assert figures["answers"] > 80
