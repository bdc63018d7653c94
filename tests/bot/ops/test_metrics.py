"""Metrics (bot.ops.metrics): backlogs counted in the database when scraped, the process's own
counts, a registry of the bot's own; parsed back with prometheus_client's parser."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from bot.ops.job_watch import JobWatch
from bot.ops.metrics import BotMetrics

from .rows import RESIDENT_NAME, RESIDENT_PHONE, add_backlogs
from .test_job_watch import START, Clock, ok


def scrape(metrics: BotMetrics) -> dict[str, dict[tuple, float]]:
    """family name → {labels (sorted items): value}, as a monitoring system would read it."""
    text = metrics.render().decode()
    found: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_the_database_backlogs_are_counted_when_scraped(engine):
    clock = Clock()
    add_backlogs(engine, START)
    metrics = BotMetrics(engine=engine, clock=clock)
    seen = scrape(metrics)
    assert seen["ddokddok_database_up"] == {(): 1}
    assert seen["ddokddok_outbox_backlog_messages"] == {(): 3}
    assert seen["ddokddok_outbox_due_messages"] == {(): 2}
    assert seen["ddokddok_outbox_oldest_due_seconds"] == {(): 120}
    assert seen["ddokddok_checkin_rounds_due_unsent"] == {(): 3}
    assert seen["ddokddok_checkin_oldest_due_unsent_seconds"] == {(): 300}
    assert seen["ddokddok_checkin_escalations_open"] == {
        (("status", "escalated"),): 2, (("status", "visit_needed"),): 1}
    assert seen["ddokddok_notices_sending"] == {(): 1}
    deliveries = seen["ddokddok_notice_deliveries"]
    assert deliveries[(("state", "pending"),)] == 4 and deliveries[(("state", "sent"),)] == 2
    assert deliveries[(("state", "blocked"),)] == 1 and deliveries[(("state", "failed"),)] == 0

    clock.advance(3600)  # counted again at each scrape, from the clock's now
    seen = scrape(metrics)
    assert seen["ddokddok_outbox_due_messages"] == {(): 3}
    assert seen["ddokddok_checkin_rounds_due_unsent"] == {(): 4}
    text = metrics.render().decode()
    assert RESIDENT_NAME not in text and RESIDENT_PHONE not in text and "5150" not in text


def test_a_database_that_does_not_answer_is_a_zero_not_an_error(tmp_path):
    gone = create_engine(f"sqlite:///{(tmp_path / 'no' / 'such' / 'x.db').as_posix()}")
    seen = scrape(BotMetrics(engine=gone, clock=Clock()))
    assert seen["ddokddok_database_up"] == {(): 0}
    assert "ddokddok_outbox_backlog_messages" not in seen


def test_the_process_counts_and_the_turn_latency(engine):
    clock = Clock()
    watch = JobWatch(clock=clock, grace=timedelta(0))
    watch.watched("outbox", ok, interval=1)
    limiter = SimpleNamespace(pauses=2, slowdowns=1, send_errors={"RateLimited": 2, "TransientSendError": 1})
    chat = SimpleNamespace(failed_turns=3, replies_to_outbox=1)
    metrics = BotMetrics(engine=engine, clock=clock, job_watch=watch, send_counts=limiter, turn_counts=chat)
    for seconds in (0.004, 0.03, 0.2):
        metrics.observe_turn(seconds)
    clock.advance(10)

    seen = scrape(metrics)
    assert seen["ddokddok_send_pauses_total"] == {(): 2}
    assert seen["ddokddok_send_slowdowns_total"] == {(): 1}
    assert seen["ddokddok_replies_to_outbox_total"] == {(): 1}
    assert seen["ddokddok_errors_total"] == {
        (("cause", "failed"), ("kind", "turn")): 3,
        (("cause", "RateLimited"), ("kind", "send")): 2,
        (("cause", "TransientSendError"), ("kind", "send")): 1,
        (("cause", "outbox"), ("kind", "timed_job")): 0,
    }
    assert seen["ddokddok_timed_job_unfinished_seconds"] == {(("job", "outbox"),): 9}
    assert seen["ddokddok_timed_job_late"] == {(("job", "outbox"),): 1}
    assert seen["ddokddok_turn_seconds_count"] == {(): 3}
    assert seen["ddokddok_turn_seconds_bucket"][(("le", "0.005"),)] == 1
    assert seen["ddokddok_turn_seconds_bucket"][(("le", "0.05"),)] == 2
    assert abs(seen["ddokddok_turn_seconds_sum"][()] - 0.234) < 1e-9


def test_two_bots_count_apart_and_never_into_the_global_registry(engine):
    first, second = BotMetrics(engine=engine, clock=Clock()), BotMetrics(engine=engine, clock=Clock())
    first.observe_turn(0.1)
    assert scrape(first)["ddokddok_turn_seconds_count"] == {(): 1}
    assert scrape(second)["ddokddok_turn_seconds_count"] == {(): 0}
    assert REGISTRY.get_sample_value("ddokddok_turn_seconds_count") is None
