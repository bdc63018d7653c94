"""Jobs with known values for the statistics, the claim and the weekly chart.

`make_job` writes a booking (through `bot.requests.bookings`) and its job row directly, so a test can
place a job done at any instant with exact figures; one test drives the job services
(`bot.requests.provider_jobs`) end to end to check the two agree.
"""

from __future__ import annotations

import functools
import itertools
from datetime import datetime

import pytest
from sqlmodel import Session

from bot.core.clock import KOREA
from bot.core.texts import Texts
from bot.people.residents import register_resident
from bot.requests.bookings import create_booking
from bot.store.models import Job, JobStatus, Resident
from catalog import load_catalog

DISTRICT = "gwangjin"
MEALS_PROVIDER = "gwangjin.welfare-union"  # delivers gwangjin.nutrition
CARE_PROVIDER = "gwangjin.dounuri"  # delivers gwangjin.daily-life
REPAIR_PROVIDERS = ("gwangjin.inscare-core", "gwangjin.self-sufficiency")  # gwangjin.housing
PROGRAM_OF = {
    MEALS_PROVIDER: "gwangjin.nutrition",
    CARE_PROVIDER: "gwangjin.daily-life",
    REPAIR_PROVIDERS[0]: "gwangjin.housing",
    REPAIR_PROVIDERS[1]: "gwangjin.housing",
}
_user_ids = itertools.count(50_000)


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KOREA)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def texts() -> Texts:
    return Texts.load()


def add_job(session: Session, provider_id: str = MEALS_PROVIDER, *, requested_at: datetime,
            done_at: datetime | None = None, status: str = JobStatus.DONE, minutes: int = 0, meals: int = 0,
            materials_krw: int = 0, service_krw: int = 0, rating: int | None = None,
            confirmed: bool | None = None, updated_at: datetime | None = None, resident: Resident | None = None,
            district: str = DISTRICT) -> Job:
    """A booking requested at `requested_at` and its job, written with exactly these figures."""
    if resident is None:
        user_id = next(_user_ids)
        resident = register_resident(session=session, platform_user_id=user_id, chat_id=user_id,
                                     first_name="주민", language="ko", district=district, now=requested_at)
    booking = create_booking(session=session, resident=resident,
                             program_id=PROGRAM_OF.get(provider_id, "gwangjin.housing"),
                             preferred_date=requested_at.astimezone(KOREA).date(), time_window="any",
                             phone="01012345678", request_key=f"job-{next(_user_ids)}", now=requested_at)
    finished = status == JobStatus.DONE
    job = Job(booking_id=booking.id, district=booking.district, program_id=booking.program_id,
              provider_id=provider_id, status=status, created_at=requested_at,
              updated_at=updated_at or done_at or requested_at,
              done_at=done_at if finished else None,
              minutes=minutes if finished else None, meals=meals if finished else None,
              materials_krw=materials_krw if finished else None,
              service_krw=service_krw if finished else None,
              rating=rating, confirmed=confirmed)
    session.add(job)
    session.flush()
    return job


@pytest.fixture
def make_job(session: Session):
    return functools.partial(add_job, session)
