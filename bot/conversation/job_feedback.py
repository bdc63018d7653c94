"""The resident's word on a done job: was it done, a rating of 1 to 5, and an optional comment.

Staff see what the resident said (a "not done" at once, a rating with its comment); a rating
is given once. Only the booking's own resident can answer (`bot.requests.provider_jobs` checks it).
"""

from __future__ import annotations

from bot.conversation.alerts import tell_staff
from bot.conversation.job_messages import provider_name
from bot.conversation.states import State
from bot.conversation.turn import Turn, short
from bot.core.buttons import Action, button
from bot.requests.provider_jobs import COMMENT_MAX_LENGTH, confirm_job, rate_job
from bot.store.models import Booking, Job

STARS = "★"


def on_confirm(turn: Turn, job_id: int, done: bool) -> None:
    job = confirm_job(session=turn.session, job_id=job_id, resident=turn.resident, confirmed=done, now=turn.now)
    if not done:
        _tell_staff(turn, job, "job.staff_not_done")
        turn.say(turn.t("resident.job_not_done_noted", number=job.booking_id))
        return
    turn.say(turn.t("resident.ask_rating"),
             [[button(STARS * n, Action.JOB_RATE, (job.id, n)) for n in range(1, 6)]])


def on_rate(turn: Turn, job_id: int, rating: int) -> None:
    job = rate_job(session=turn.session, job_id=job_id, resident=turn.resident, rating=rating, now=turn.now)
    turn.go(State.RATING_COMMENT, {"job": job.id})
    turn.say(turn.t("resident.ask_comment"), [[button(turn.t("button.skip"), Action.JOB_NO_COMMENT, job.id)]])


def on_comment(turn: Turn, text: str | None) -> None:
    """A typed comment, or None for [Skip]: the rating goes to staff either way."""
    job_id = turn.data.get("job")
    if not isinstance(job_id, int):
        turn.go(turn.resting_state)
        return
    if text is not None and len(text) > COMMENT_MAX_LENGTH:
        turn.say(turn.t("booking.too_long", limit=COMMENT_MAX_LENGTH))
        return
    job = turn.session.get(Job, job_id)
    if job is None or job.rating is None:
        turn.go(turn.resting_state)
        return
    if text:
        job = rate_job(session=turn.session, job_id=job_id, resident=turn.resident, rating=job.rating,
                       comment=text, now=turn.now)
    turn.go(turn.resting_state)
    _tell_staff(turn, job, "job.staff_rated", stars=STARS * job.rating,
                comment=short(job.rating_comment, 300) if job.rating_comment else "-")
    turn.say(turn.t("resident.thanks_rating"))


def on_no_comment(turn: Turn, job_id: int) -> bool:
    if turn.state is not State.RATING_COMMENT or turn.data.get("job") != job_id:
        return False
    on_comment(turn, None)
    return True


def _tell_staff(turn: Turn, job: Job, key: str, **values: object) -> None:
    booking = turn.session.get(Booking, job.booking_id)
    tell_staff(turn, job.district,
               lambda language: turn.t_in(language, key, number=job.booking_id,
                                          provider=provider_name(turn, job.provider_id, language), **values),
               resident_id=booking.resident_id if booking else None)
