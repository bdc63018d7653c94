"""The month's claim a district office pays providers from.

One row per job done in the month, by Korean time (a job done at 23:30 on the last evening of
October belongs to October, whatever UTC says). Money is whole KRW from the job's own
integers, so the file adds up to the won. Residents appear by their number in the bot's
database, never by name. The file is UTF-8 with a byte-order mark, which is what Excel needs
to read Korean from a CSV. `ddokddok report` (bot.cli.provider_commands) writes it.

Its headers and yes/no cells are Korean by default, as a district office files the claim, or
English (`--lang en`). Program and provider names stay the catalog's Korean ones in both: they
are the names the office pays under.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.core.clock import KOREA
from bot.store.models import Booking, BookingEvent, Job, JobStatus

if TYPE_CHECKING:
    from catalog import Catalog

# One header a language, in the order of `ClaimRow`'s fields. "이용자 번호", not "주민 번호":
# the latter reads as a resident registration number, which the bot never holds.
HEADERS: dict[str, tuple[str, ...]] = {
    "ko": (
        "일 번호", "신청 번호", "완료 일시(KST)", "프로그램 ID", "프로그램명", "제공기관 ID",
        "제공기관명", "이용자 번호", "소요 시간(분)", "식사(끼)", "재료비(원)", "서비스 비용(원)",
        "합계(원)", "평점(1~5)", "주민 확인", "연간 한도 초과 승인",
    ),
    "en": (
        "job id", "booking id", "done at (KST)", "program id", "program name", "provider id",
        "provider name", "resident number", "minutes", "meals", "materials KRW", "service KRW",
        "total KRW", "rating", "confirmed", "cap override",
    ),
}
LANGUAGES = tuple(HEADERS)  # the first is the default
YES_NO = {"ko": ("예", "아니요"), "en": ("yes", "no")}
MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ClaimRow:
    job_id: int
    booking_id: int
    done_at: str
    program_id: str
    program_name: str
    provider_id: str
    provider_name: str
    resident_number: int | str  # blank once the resident asked to be forgotten
    minutes: int
    meals: int
    materials_krw: int
    service_krw: int
    total_krw: int
    rating: int | str
    confirmed: bool | None  # None (a blank cell) when the resident has not said
    cap_override: bool  # staff accepted the request over the yearly cap

    def cells(self, language: str) -> tuple[object, ...]:
        """The row as written in a file of `language`: yes and no in its words, blanks for
        what is not known (a resident who has not confirmed, no override)."""
        yes, no = YES_NO[language]
        confirmed = {True: yes, False: no, None: ""}[self.confirmed]
        return (*astuple(self)[:-2], confirmed, yes if self.cap_override else "")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of `YYYY-MM`, in Korean time."""
    match = MONTH_PATTERN.match(month)
    if match is None:
        raise ValueError(f"'{month}' is not a month like 2026-10")
    year, number = int(match.group(1)), int(match.group(2))
    start = datetime(year, number, 1, tzinfo=KOREA)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=KOREA)
    return start, end


def claim_rows(*, session: Session, catalog: Catalog, district: str, month: str) -> list[ClaimRow]:
    """The jobs of `district` done in `month` (Korean time), oldest first."""
    start, end = month_bounds(month)
    done = list(session.exec(
        select(Job, Booking.resident_id)
        .join(Booking, col(Booking.id) == Job.booking_id)
        .where(Job.district == district, Job.status == JobStatus.DONE,
               col(Job.done_at) >= start, col(Job.done_at) < end)
        .order_by(col(Job.done_at), col(Job.id))
    ))
    overridden = _overridden_bookings(session, {job.booking_id for job, _ in done})
    rows = []
    for job, resident_id in done:
        program = catalog.programs.get(job.program_id)
        provider = catalog.providers.get(job.provider_id)
        rows.append(ClaimRow(
            job_id=job.id,
            booking_id=job.booking_id,
            done_at=job.done_at.astimezone(KOREA).strftime("%Y-%m-%d %H:%M"),
            program_id=job.program_id,
            program_name=program.name.ko if program else "",
            provider_id=job.provider_id,
            provider_name=provider.name.ko if provider else "",
            resident_number=resident_id if resident_id is not None else "",
            minutes=job.minutes or 0,
            meals=job.meals or 0,
            materials_krw=job.materials_krw or 0,
            service_krw=job.service_krw or 0,
            total_krw=job.cost_krw,
            rating=job.rating if job.rating is not None else "",
            confirmed=job.confirmed,
            cap_override=job.booking_id in overridden,
        ))
    return rows


def _overridden_bookings(session: Session, booking_ids: set[int]) -> set[int]:
    if not booking_ids:
        return set()
    return set(session.exec(
        select(BookingEvent.booking_id).distinct()
        .where(col(BookingEvent.booking_id).in_(booking_ids), BookingEvent.action == "override")
    ))


def write_claim_csv(rows: Iterable[ClaimRow], path: Path, *, language: str = LANGUAGES[0]) -> None:
    """Write the claim to `path` with its headers in `language` (one of `LANGUAGES`)."""
    if language not in HEADERS:
        raise ValueError(f"no claim headers in '{language}'; one of {', '.join(LANGUAGES)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig writes the byte-order mark; newline="" lets csv end rows with \r\n itself.
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADERS[language])
        for row in rows:
            writer.writerow(row.cells(language))
