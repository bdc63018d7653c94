"""/privacy shows a resident everything stored about them; /forget erases it after one question.

The report and the erasing are `bot.people.privacy`'s; this module words them. Staff are told about
requests cancelled by a /forget without being told who the resident was.
"""

from __future__ import annotations

from bot.checkins.schedule import local_wall_time
from bot.conversation import linking
from bot.conversation.alerts import tell_staff
from bot.conversation.dates import korean_today
from bot.conversation.job_messages import tell_provider
from bot.conversation.states import BOOKING, State
from bot.conversation.turn import Turn
from bot.core.buttons import Action, button
from bot.people.privacy import forget_resident, privacy_report
from bot.people.residents import clear_conversation

BOOKINGS_LISTED = 10
# History details a resident is shown: reasons staff or a provider wrote about their request.
WRITTEN_ABOUT_THE_RESIDENT = frozenset({None, "refuse", "override"})
CHECKINS_LISTED = 7


def show_privacy(turn: Turn) -> None:
    if turn.resident is None:
        # Someone who never agreed: at most the language/district picked during onboarding.
        turn.say(turn.t("privacy.nothing_stored"))
        return
    report = privacy_report(session=turn.session, resident_id=turn.resident.id)
    person = report.resident
    dash = turn.t("common.none")
    lines = [
        turn.t("privacy.title"),
        turn.t("privacy.name", value=person.first_name or dash),
        turn.t("privacy.language", value=turn.t(f"language.{person.language}")),
        turn.t("privacy.district", value=turn.district_name(person.district)),
        turn.t("privacy.age_band", value=turn.t(f"age.{person.age_band}") if person.age_band else dash),
        turn.t("privacy.gender", value=turn.t(f"gender.{person.gender}") if person.gender else dash),
        turn.t("privacy.consented", value=turn.date_text(korean_today(person.consented_at))),
    ]
    if (linked := linking.privacy_line(turn)) is not None:
        lines.append(linked)
    if report.bookings:
        lines.append("")
        lines.append(turn.t("privacy.bookings", count=len(report.bookings)))
        for booking in report.bookings[-BOOKINGS_LISTED:]:
            lines.append(turn.t(
                "privacy.booking",
                number=booking.id,
                program=turn.program_name(booking.program_id),
                status=turn.t(f"status.{booking.status}"),
                phone=booking.phone or dash,
                address=booking.address_detail or dash,
                note=booking.note or dash,
            ))
            # A decline reason, and any other free text in the booking's history: staff wrote
            # it about this resident, so it is theirs to see (and erased with the rest).
            # Job steps' details (a provider id, amounts) are not text about the person.
            texts = [e.detail for e in booking.events if e.action in WRITTEN_ABOUT_THE_RESIDENT]
            for reason in dict.fromkeys([booking.decline_reason, *texts]):
                if reason:
                    lines.append(turn.t("privacy.reason", value=reason))
            if booking.photos:
                lines.append(turn.t("job.photos", count=len(booking.photos)))
            if booking.voice_notes:
                lines.append(turn.t("voice.staff_line", count=len(booking.voice_notes)))
            for job in booking.jobs:
                if job.rating is not None:
                    lines.append(turn.t("privacy.rating", stars="★" * job.rating,
                                        comment=job.rating_comment or dash))
    else:
        lines.append(turn.t("privacy.no_bookings"))
    if turn.state in BOOKING and turn.data.get("phone"):
        # A request being written keeps the phone (and address, note) typed so far.
        lines.append(turn.t(
            "privacy.draft",
            program=turn.program_name(turn.data["program"]),
            phone=turn.data["phone"],
            address=turn.data.get("address") or dash,
            note=turn.data.get("note") or dash,
        ))
    if report.outbox:
        lines.append(turn.t("privacy.outbox", count=len(report.outbox)))
    _checkin_lines(turn, report, lines)
    lines.append("")
    lines.append(turn.t("privacy.footer", retention_days=turn.tools.settings.booking_retention_days))
    turn.say("\n".join(lines))


def ask_forget(turn: Turn) -> None:
    if turn.resident is None:
        clear_conversation(session=turn.session, platform_user_id=turn.user_id)
        turn.go(State.NEW)
        turn.say(turn.t("privacy.nothing_stored"))
        return
    turn.go(State.FORGET_CONFIRM)
    turn.say(turn.t("forget.ask"), [[button(turn.t("button.forget_yes"), Action.FORGET_YES),
                                     button(turn.t("button.forget_no"), Action.FORGET_NO)]])


def on_forget(turn: Turn, confirmed: bool) -> bool:
    if turn.state is not State.FORGET_CONFIRM or turn.resident is None:
        return False
    if not confirmed:
        turn.go(State.READY)
        turn.say(turn.t("forget.kept"))
        return True
    text = turn.t("forget.done")  # worded before the resident (and their language) is gone
    result = forget_resident(session=turn.session, resident_id=turn.resident.id, now=turn.now)
    for job in result.withdrawn_jobs:
        tell_provider(turn, job, lambda language, job=job: turn.t_in(language, "job.withdrawn", job=job.id))
    for cancelled in result.cancelled:
        tell_staff(
            turn,
            cancelled.district,
            lambda language, c=cancelled: turn.t_in(
                language, "staff.cancelled_by_forget", number=c.booking_id,
                program=turn.program_name(c.program_id, language)),
            resident_id=None,
        )
    turn.resident = None
    turn.forgotten = True
    turn.go(State.NEW)
    turn.say(text)
    return True


def _checkin_lines(turn: Turn, report, lines: list[str]) -> None:
    """The check-in plan, the latest check-ins with their answers, trusted contacts, the alerts
    sent about her check-ins or to her as a contact (counted), notices."""
    from bot.conversation.checkin_desk import days_text  # checkin_desk imports staff_desk

    plan = report.checkin_plan
    if plan is not None:
        lines.append("")
        lines.append(turn.t("privacy.checkin_plan", days=days_text(turn, plan.weekdays),
                            time=plan.local_time, status=turn.t(f"privacy.plan_status_{plan.status}")))
    if report.checkin_rounds:
        shown = report.checkin_rounds[:CHECKINS_LISTED]
        lines.append(turn.t("privacy.checkin_rounds", count=len(shown)))
        for rnd in shown:
            local = local_wall_time(rnd.scheduled_for, plan.time_zone if plan else "Asia/Seoul")
            lines.append(turn.t("privacy.checkin_round",
                                when=f"{turn.date_text(local.date())} {local.strftime('%H:%M')}",
                                answer=turn.t(f"privacy.answer_{rnd.answer or 'none'}")))
    for contact in report.checkin_contacts:
        key = "privacy.checkin_contact" if contact.role == "my_contact" else "privacy.checkin_contact_for"
        lines.append(turn.t(key, name=contact.other_name or turn.t("common.none"),
                            status=turn.t(f"privacy.contact_{contact.status}")))
    if report.checkin_alerts_about_her:
        lines.append(turn.t("privacy.checkin_alerts_about_me", count=report.checkin_alerts_about_her))
    if report.checkin_alerts_to_her:
        lines.append(turn.t("privacy.checkin_alerts_to_me", count=report.checkin_alerts_to_her))
    if report.notice_deliveries:
        lines.append(turn.t("privacy.notices", count=len(report.notice_deliveries)))
