"""What each provider delivered in a district over a period: the figures behind /stats.

Staff answer to the district office for the providers they assign work to, so the figures
are per (provider, program): jobs done, meals, time and cost, how residents rated them, how
long a resident waited from asking to being helped, and how many jobs were refused or are
still open. Counts and money stay integers; the average rating is kept as a sum and a count
and only divided for display, so totals over several rows stay exact.

`stats_message` is the whole /stats answer; `stats_lines` formats rows already computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.core.clock import korean_date
from bot.store.models import OPEN_JOB_STATUSES, Booking, Job, JobStatus

if TYPE_CHECKING:
    from bot.core.texts import Texts
    from catalog import Catalog

# Telegram's limit for one message.
MESSAGE_LIMIT = 4096


@dataclass
class ProviderProgramStats:
    """One provider's work on one program of the district over the period."""

    provider_id: str
    program_id: str
    jobs_done: int = 0
    meals: int = 0
    minutes: int = 0
    cost_krw: int = 0
    rating_sum: int = 0
    rating_count: int = 0
    refused: int = 0  # jobs the provider refused within the period
    open_now: int = 0  # offered, taken or scheduled at the time of asking, whatever the period
    # From the resident's request (the booking's creation) to the provider recording it done.
    waits: list[timedelta] = field(default_factory=list, repr=False)

    @property
    def hours(self) -> Decimal:
        """Time delivered in hours, one decimal: for display only, `minutes` is the figure."""
        return _one_decimal(Decimal(self.minutes) / 60)

    @property
    def average_rating(self) -> Decimal | None:
        if not self.rating_count:
            return None
        return _one_decimal(Decimal(self.rating_sum) / self.rating_count)

    @property
    def median_wait(self) -> timedelta | None:
        return median(self.waits) if self.waits else None


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def district_stats(session: Session, district: str, start: datetime, end: datetime) -> list[ProviderProgramStats]:
    """Per (provider, program) of `district`: jobs done with `done_at` in [start, end), jobs
    refused in that period, and jobs open now; ordered by provider, then program."""
    rows: dict[tuple[str, str], ProviderProgramStats] = {}

    def row(provider_id: str, program_id: str) -> ProviderProgramStats:
        key = (provider_id, program_id)
        if key not in rows:
            rows[key] = ProviderProgramStats(provider_id=provider_id, program_id=program_id)
        return rows[key]

    done = session.exec(
        select(Job, Booking.created_at)
        .join(Booking, col(Booking.id) == Job.booking_id)
        .where(Job.district == district, Job.status == JobStatus.DONE,
               col(Job.done_at) >= start, col(Job.done_at) < end)
    )
    for job, requested_at in done:
        stats = row(job.provider_id, job.program_id)
        stats.jobs_done += 1
        stats.meals += job.meals or 0
        stats.minutes += job.minutes or 0
        stats.cost_krw += job.cost_krw
        if job.rating is not None:
            stats.rating_sum += job.rating
            stats.rating_count += 1
        stats.waits.append(job.done_at - requested_at)

    # A refused job is finished: its last update is the refusal.
    refused = session.exec(
        select(Job.provider_id, Job.program_id, func.count())
        .where(Job.district == district, Job.status == JobStatus.REFUSED,
               col(Job.updated_at) >= start, col(Job.updated_at) < end)
        .group_by(Job.provider_id, Job.program_id)
    )
    for provider_id, program_id, count in refused:
        row(provider_id, program_id).refused = int(count)

    open_now = session.exec(
        select(Job.provider_id, Job.program_id, func.count())
        .where(Job.district == district, col(Job.status).in_(OPEN_JOB_STATUSES))
        .group_by(Job.provider_id, Job.program_id)
    )
    for provider_id, program_id, count in open_now:
        row(provider_id, program_id).open_now = int(count)

    return [rows[key] for key in sorted(rows)]


# --- the /stats answer -----------------------------------------------------------------------


def stats_message(
    session: Session,
    catalog: Catalog,
    texts: Texts,
    district: str,
    language: str,
    period_start: datetime,
    period_end: datetime,
) -> str:
    """The whole /stats answer for staff of `district` over [period_start, period_end)."""
    rows = district_stats(session, district, period_start, period_end)
    title = texts.get(
        language, "stats.title",
        district=catalog.districts[district].name.get(language) if district in catalog.districts else district,
        start=korean_date(period_start).isoformat(),
        # The period ends before `period_end`: show the last day it includes.
        end=korean_date(period_end - timedelta(microseconds=1)).isoformat(),
    )
    if not rows:
        return f"{title}\n\n{texts.get(language, 'stats.empty')}"
    blocks = stats_lines(rows, catalog, language, texts)
    total = _total_line(rows, language, texts)
    return fit_blocks(title, blocks, total, language, texts)


def stats_lines(rows: list[ProviderProgramStats], catalog: Catalog, language: str, texts: Texts) -> list[str]:
    """One block per provider (its name, then one line per program); the busiest provider
    first, so that a cut answer leaves out the providers with the least to show."""
    by_provider: dict[str, list[ProviderProgramStats]] = {}
    for stats in rows:
        by_provider.setdefault(stats.provider_id, []).append(stats)

    def busiest_first(provider_id: str) -> tuple[int, int, str]:
        programs = by_provider[provider_id]
        return -sum(s.jobs_done for s in programs), -sum(s.open_now for s in programs), provider_id

    blocks = []
    for provider_id in sorted(by_provider, key=busiest_first):
        programs = by_provider[provider_id]
        provider = catalog.providers.get(provider_id)
        name = provider.name.get(language) if provider else provider_id
        lines = [texts.get(language, "stats.provider", provider=name)]
        for stats in programs:
            program = catalog.programs.get(stats.program_id)
            lines.append(texts.get(
                language, "stats.program",
                program=program.name.get(language) if program else stats.program_id,
                jobs=stats.jobs_done, meals=f"{stats.meals:,}", hours=stats.hours, cost=f"{stats.cost_krw:,}",
                rating=_rating(stats, language, texts), wait=_duration(stats.median_wait, language, texts),
                refused=stats.refused, open=stats.open_now,
            ))
        blocks.append("\n".join(lines))
    return blocks


def fit_blocks(title: str, blocks: list[str], total: str, language: str, texts: Texts,
               limit: int = MESSAGE_LIMIT) -> str:
    """Title, as many blocks as fit in one message, "and N more" for the rest, then the total."""
    kept: list[str] = []
    for index, block in enumerate(blocks):
        left = len(blocks) - index - 1
        more = texts.get(language, "stats.more", count=left) if left else ""
        candidate = "\n\n".join([title, *kept, block, *([more] if more else []), total])
        if len(candidate) > limit:
            cut = "\n\n".join([title, *kept, texts.get(language, "stats.more", count=len(blocks) - index), total])
            return cut if len(cut) <= limit else cut[: limit - 1] + "…"
        kept.append(block)
    return "\n\n".join([title, *kept, total])


def _total_line(rows: list[ProviderProgramStats], language: str, texts: Texts) -> str:
    total = ProviderProgramStats(provider_id="", program_id="")
    for stats in rows:
        total.jobs_done += stats.jobs_done
        total.meals += stats.meals
        total.minutes += stats.minutes
        total.cost_krw += stats.cost_krw
        total.rating_sum += stats.rating_sum
        total.rating_count += stats.rating_count
        total.refused += stats.refused
        total.open_now += stats.open_now
        total.waits.extend(stats.waits)
    return texts.get(
        language, "stats.total",
        jobs=total.jobs_done, meals=f"{total.meals:,}", hours=total.hours, cost=f"{total.cost_krw:,}",
        rating=_rating(total, language, texts), wait=_duration(total.median_wait, language, texts),
        refused=total.refused, open=total.open_now,
    )


def _rating(stats: ProviderProgramStats, language: str, texts: Texts) -> str:
    if stats.average_rating is None:
        return texts.get(language, "stats.no_rating")
    return texts.get(language, "stats.rating", average=stats.average_rating, count=stats.rating_count)


def _duration(value: timedelta | None, language: str, texts: Texts) -> str:
    if value is None:
        return texts.get(language, "stats.no_wait")
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return texts.get(language, "stats.days", days=days, hours=hours)
    if hours:
        return texts.get(language, "stats.hours", hours=hours, minutes=minutes)
    return texts.get(language, "stats.minutes", minutes=minutes)


