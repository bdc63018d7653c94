"""Figures for a monitoring system: `/metrics` in Prometheus' text format.

Two kinds, in one registry per bot (never prometheus_client's global one, so two bots in one
process, or two tests, do not count into each other):

- What the database holds, counted when scraped (`StoreCollector`): the outbox's backlog,
  check-ins due but not sent, open escalations, the deliveries of notices being sent. Each is
  one COUNT (or MIN) over indexed columns in a read-only unit of work; a database that does
  not answer gives `ddokddok_database_up 0` and none of these, never an error page.
- What this process did since it started (`ProcessCollector`, read from counts the senders
  keep anyway): the shared send rate's 429 pauses, send errors by class, failed turns, replies
  handed to the outbox, timed job failures and how long each timed job has gone without
  finishing; and the turn latency histogram (`BotMetrics.turn_seconds`, observed by the
  adapter).

No label names a person, a chat or a text: labels are statuses, error classes and job names,
all from fixed vocabularies in the code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Protocol

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlmodel import col

from bot.core.clock import Clock
from bot.ops.job_watch import JobWatch
from bot.store.db import read_scope
from bot.store.models import (
    CheckinRound,
    CheckinRoundStatus,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeStatus,
    OutboxMessage,
    OutboxStatus,
)

log = logging.getLogger(__name__)

PREFIX = "ddokddok"
# Turns take milliseconds on SQLite and tens of them over a network; seconds mean trouble.
TURN_SECONDS_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
OPEN_ESCALATIONS = (CheckinRoundStatus.ESCALATED, CheckinRoundStatus.VISIT_NEEDED)
# What `/metrics` answers with (the text format this prometheus_client writes).
CONTENT_TYPE = CONTENT_TYPE_LATEST


class SendCounts(Protocol):
    """What the shared send rate counts (`bot.sending.send_rate.SendRateLimiter`)."""

    pauses: int
    slowdowns: int
    send_errors: Mapping[str, int]


class TurnCounts(Protocol):
    """What the chat handlers count (`bot.adapters.telegram_updates.ChatHandlers`)."""

    failed_turns: int
    replies_to_outbox: int


class StoreCollector(Collector):
    """Backlogs counted in the database at each scrape (read-only, cheap counts)."""

    def __init__(self, engine: Engine, clock: Clock):
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(f"{PREFIX}_database_up",
                               "1 when the database answered this scrape's counts, else 0")
        try:
            families = self._counted(self.clock())
        except Exception as error:  # noqa: BLE001 - a scrape must answer even so
            log.warning("metrics: database counts failed (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _counted(self, now: datetime) -> list[Metric]:
        outbox_status, next_attempt = col(OutboxMessage.status), col(OutboxMessage.next_attempt_at)
        round_status, round_due = col(CheckinRound.status), col(CheckinRound.due_at)
        notice_status, delivery_status = col(Notice.status), col(Delivery.status)
        with read_scope(self.engine) as session:
            pending = outbox_status == OutboxStatus.PENDING
            backlog = session.execute(select(func.count()).where(pending)).scalar_one()
            due, oldest_due = session.execute(
                select(func.count(), func.min(next_attempt)).where(pending, next_attempt <= now)).one()

            scheduled = round_status == CheckinRoundStatus.SCHEDULED
            rounds_due, oldest_round = session.execute(
                select(func.count(), func.min(round_due)).where(scheduled, round_due <= now)).one()
            escalations: dict[str, int] = {
                status: count for status, count in session.execute(
                    select(round_status, func.count())
                    .where(round_status.in_(OPEN_ESCALATIONS))
                    .group_by(round_status))}

            sending = notice_status == NoticeStatus.SENDING
            notices_sending = session.execute(select(func.count()).where(sending)).scalar_one()
            deliveries: dict[str, int] = {
                status: count for status, count in session.execute(
                    select(delivery_status, func.count())
                    .join(Notice, col(Notice.id) == col(Delivery.notice_id))
                    .where(sending)
                    .group_by(delivery_status))}

        families: list[Metric] = []
        families.append(_gauge("outbox_backlog_messages",
                               "Outbox messages not sent yet (due now, waiting for a retry, or claimed)",
                               backlog))
        families.append(_gauge("outbox_due_messages", "Outbox messages due now and not sent yet", due))
        families.append(_gauge("outbox_oldest_due_seconds",
                               "How long the oldest due outbox message has waited (0: none waits)",
                               _age(now, oldest_due)))
        families.append(_gauge("checkin_rounds_due_unsent",
                               "Check-ins due and not sent yet (scheduled rounds whose time has come)",
                               rounds_due))
        families.append(_gauge("checkin_oldest_due_unsent_seconds",
                               "How late the oldest due, unsent check-in is (0: none)",
                               _age(now, oldest_round)))
        open_escalations = GaugeMetricFamily(
            f"{PREFIX}_checkin_escalations_open",
            "Check-in rounds escalated to staff and not closed by an answer or staff reaching "
            "the resident, by status", labels=["status"])
        for status in OPEN_ESCALATIONS:
            open_escalations.add_metric([status.value], escalations.get(status.value, 0))
        families.append(open_escalations)
        families.append(_gauge("notices_sending", "Notices being sent now", notices_sending))
        by_state = GaugeMetricFamily(
            f"{PREFIX}_notice_deliveries",
            "Deliveries of the notices being sent now, by state", labels=["state"])
        for state in DeliveryStatus:
            by_state.add_metric([state.value], deliveries.get(state.value, 0))
        families.append(by_state)
        return families


class ProcessCollector(Collector):
    """This process's own counts, read at each scrape from the objects that keep them."""

    def __init__(self, *, send_counts: SendCounts | None = None, turn_counts: TurnCounts | None = None,
                 job_watch: JobWatch | None = None):
        self.send_counts = send_counts
        self.turn_counts = turn_counts
        self.job_watch = job_watch

    def collect(self) -> Iterator[Metric]:
        errors = CounterMetricFamily(
            f"{PREFIX}_errors",
            "Errors by kind: 'turn' (a turn that failed and was answered 'please send that "
            "again'), 'send' (a message the messenger did not take, by error class), "
            "'timed_job' (a run that raised, by job)", labels=["kind", "cause"])
        if self.turn_counts is not None:
            errors.add_metric(["turn", "failed"], self.turn_counts.failed_turns)
            yield _counter("replies_to_outbox",
                           "Replies not sent after their retries and handed to the outbox",
                           self.turn_counts.replies_to_outbox)
        if self.send_counts is not None:
            yield _counter("send_pauses",
                           "429 answers that paused the shared send rate", self.send_counts.pauses)
            yield _counter("send_slowdowns",
                           "429 answers that also slowed the shared send rate down",
                           self.send_counts.slowdowns)
            for error_class, count in sorted(dict(self.send_counts.send_errors).items()):
                errors.add_metric(["send", error_class], count)
        if self.job_watch is not None:
            unfinished = GaugeMetricFamily(
                f"{PREFIX}_timed_job_unfinished_seconds",
                "Seconds since the timed job last finished (or since its first run was due)",
                labels=["job"])
            late = GaugeMetricFamily(f"{PREFIX}_timed_job_late",
                                     "1 when the timed job is late (what /healthz reports)",
                                     labels=["job"])
            for state in self.job_watch.states():
                unfinished.add_metric([state.name], state.unfinished_for.total_seconds())
                late.add_metric([state.name], 1 if state.late else 0)
                errors.add_metric(["timed_job", state.name], state.failures)
            yield unfinished
            yield late
        yield errors


class BotMetrics:
    """The registry `/metrics` renders, with its collectors and the turn latency histogram."""

    def __init__(self, *, engine: Engine, clock: Clock, job_watch: JobWatch | None = None,
                 send_counts: SendCounts | None = None, turn_counts: TurnCounts | None = None):
        self.registry = CollectorRegistry(auto_describe=False)
        self.turn_seconds = Histogram(
            f"{PREFIX}_turn_seconds",
            "Seconds a conversation turn took, from the person's message to the reply worked out "
            "(a turn run again after a database failure counts once, with both runs)",
            buckets=TURN_SECONDS_BUCKETS, registry=self.registry)
        self.registry.register(StoreCollector(engine, clock))
        self.registry.register(ProcessCollector(send_counts=send_counts, turn_counts=turn_counts,
                                                job_watch=job_watch))

    def observe_turn(self, seconds: float) -> None:
        self.turn_seconds.observe(max(0.0, seconds))

    def render(self) -> bytes:
        """The text exposition format; counts the database, so call it off the event loop."""
        return generate_latest(self.registry)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{PREFIX}_{name}", documentation, value=value)


def _counter(name: str, documentation: str, value: float) -> CounterMetricFamily:
    return CounterMetricFamily(f"{PREFIX}_{name}", documentation, value=value)


def _age(now: datetime, since: datetime | None) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


__all__ = ["CONTENT_TYPE", "BotMetrics", "ProcessCollector", "SendCounts", "StoreCollector", "TurnCounts"]
