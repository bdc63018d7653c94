"""A program as a resident reads it: a card with who it is for, whether they seem to fit,
what it costs, how to apply, and the buttons to ask for it.

Whether a resident "seems to fit" compares only what the bot knows: their age band and gender
against the program's age limits and genders. Everything else in the eligibility text (income,
household) is left for the resident to read and the office to check.
"""

from __future__ import annotations

from enum import StrEnum

from bot.conversation.turn import Turn, short
from bot.core.buttons import Action, button
from bot.core.messages import Button
from bot.store.models import AgeBand
from catalog.schema import Eligibility, Kind, Program

# The ages each band covers, inclusive; 120 is the catalog's highest age.
AGE_BAND_YEARS: dict[AgeBand, tuple[int, int]] = {
    AgeBand.UNDER_40: (0, 39),
    AgeBand.FORTIES: (40, 49),
    AgeBand.FIFTIES: (50, 59),
    AgeBand.SIXTIES: (60, 69),
    AgeBand.SEVENTY_PLUS: (70, 120),
}
# A card is one message; catalog texts rarely need more, and a very long one is cut.
FIELD_LIMIT = 500
CARDS_PER_ANSWER = 3


class Fit(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


def seems_to_fit(eligibility: Eligibility, *, age_band: str | None, gender: str | None) -> Fit:
    """YES when every age or gender limit is known to be met, NO when one is known to fail."""
    answers = [_age_fit(eligibility, age_band), _gender_fit(eligibility, gender)]
    if Fit.NO in answers:
        return Fit.NO
    if Fit.UNKNOWN in answers:
        return Fit.UNKNOWN
    return Fit.YES


def _age_fit(eligibility: Eligibility, age_band: str | None) -> Fit:
    if eligibility.age_min is None and eligibility.age_max is None:
        return Fit.YES
    if age_band not in set(AgeBand):
        return Fit.UNKNOWN
    low, high = AGE_BAND_YEARS[AgeBand(age_band)]
    allowed_low = eligibility.age_min if eligibility.age_min is not None else 0
    allowed_high = eligibility.age_max if eligibility.age_max is not None else 120
    if allowed_low <= low and high <= allowed_high:
        return Fit.YES
    if high < allowed_low or low > allowed_high:
        return Fit.NO
    return Fit.UNKNOWN  # the band straddles a limit (e.g. 60s for a program from 65)


def _gender_fit(eligibility: Eligibility, gender: str | None) -> Fit:
    if not eligibility.genders:
        return Fit.YES
    if gender is None:
        return Fit.UNKNOWN
    return Fit.YES if gender in eligibility.genders else Fit.NO


def program_card(turn: Turn, program: Program, *, detailed: bool = False) -> tuple[str, list[list[Button]]]:
    """The card text and its buttons: [Request] when the program takes requests here, [More]."""
    language = turn.language
    district = turn.resident.district if turn.resident else None
    lines = [f"📌 {program.name.get(language)}"]
    if program.kind is Kind.PRIVATE:
        lines[0] += " " + turn.t("card.private_paid")
    if district is not None:
        providers = turn.tools.catalog.providers_for(program.id, district)
        if providers:
            names = ", ".join(p.name.get(language) for p in providers[:3])
            lines.append(turn.t("card.providers", names=names))
    lines.append(short(program.summary.get(language), FIELD_LIMIT))
    lines.append(turn.t("card.who", text=short(program.eligibility.summary.get(language), FIELD_LIMIT)))
    if turn.resident is not None:
        fit = seems_to_fit(program.eligibility, age_band=turn.resident.age_band,
                           gender=turn.resident.gender)
        lines.append(turn.t(f"card.fit_{fit}"))
    lines.append(turn.t("card.cost", text=short(program.cost.summary.get(language), FIELD_LIMIT)))
    lines.append(turn.t("card.apply", text=short(program.apply.summary.get(language), FIELD_LIMIT)))
    if program.contact.phone:
        lines.append(turn.t("card.phone", phone=program.contact.phone))
    if detailed:
        lines.extend(_details(turn, program))
    buttons = []
    if program.apply.bookable and district is not None and turn.tools.catalog.serves(program, district):
        buttons.append(button(turn.t("button.request"), Action.REQUEST, turn.tools.refs.ref(program.id)))
    if not detailed:
        buttons.append(button(turn.t("button.more"), Action.PROGRAM_MORE, turn.tools.refs.ref(program.id)))
    return "\n".join(lines), [buttons]


def _details(turn: Turn, program: Program) -> list[str]:
    language = turn.language
    lines = []
    if program.organization is not None:
        lines.append(turn.t("card.organization", text=program.organization.get(language)))
    if program.schedule is not None:
        lines.append(turn.t("card.schedule", text=short(program.schedule.get(language), FIELD_LIMIT)))
    if program.contact.note is not None:
        lines.append(turn.t("card.contact_note", text=short(program.contact.note.get(language), FIELD_LIMIT)))
    if program.contact.url:
        lines.append(turn.t("card.url", url=program.contact.url))
    if not program.verified:
        lines.append(turn.t("card.unverified"))
    return lines
