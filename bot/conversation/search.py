"""Finding help: a resident's words (or a category) become program cards; danger gets hotlines.

The matcher decides what fits (`catalog.Matcher`); this module decides how to say it: up to
three cards, a question when two different kinds of help fit equally, or an honest "nothing
found" with the category menu and the public helplines.
"""

from __future__ import annotations

from bot.checkins.plans import get_plan
from bot.conversation.alerts import alert_crisis
from bot.conversation.cards import CARDS_PER_ANSWER, program_card
from bot.conversation.states import State
from bot.conversation.turn import Turn
from bot.core.buttons import Action, button
from bot.core.messages import Button
from bot.store.models import CheckinPlanStatus, Language
from catalog import Crisis, UnknownDistrictError
from catalog.schema import Category, Program
from catalog.text import MATCH_TEXT_LIMIT, has_hangul

# Programs listed under a category before the resident is asked to say what they need.
CATEGORY_LIST_LIMIT = 8
AREA_ORDER = {"local": 0, "city": 1, "national": 2}


def answer_crisis(turn: Turn, crisis: Crisis, text: str) -> None:
    """Only the numbers to call, first the one to call first; the district's staff are alerted."""
    language = turn.language
    if turn.resident is None and "language" not in turn.data and not has_hangul(text):
        language = Language.EN  # a stranger writing in English, before choosing a language
    lines = [turn.t_in(language, "crisis.hotline", number=h.number, name=h.name.get(language))
             for h in crisis.hotlines]
    alerted = alert_crisis(turn, text) if turn.resident is not None else 0
    lines.append("")
    lines.append(turn.t_in(language, "crisis.call_now"))
    if alerted:
        lines.append(turn.t_in(language, "crisis.staff_told"))
    turn.say("\n".join(lines), urgent=True)


def search(turn: Turn, text: str) -> None:
    """Answer a resident's request written in their own words."""
    resident = turn.resident
    turn.go(State.READY)  # a new search replaces the results of the last one
    try:
        result = turn.tools.matcher.match(text[:MATCH_TEXT_LIMIT], resident.district)
    except UnknownDistrictError:
        turn.say(turn.t("common.district_gone"))
        return
    if result.crisis is not None:
        answer_crisis(turn, result.crisis, text)
        return
    if result.concern is not None:
        # Asked about crisis help, not in danger now: the numbers first, then what fits.
        lines = [turn.t("crisis.concern")]
        lines += [turn.t("crisis.hotline", number=h.number, name=h.name.get(turn.language))
                  for h in result.concern.hotlines]
        turn.say("\n".join(lines))
    if len(text) > MATCH_TEXT_LIMIT:
        turn.say(turn.t("search.read_start_only"))
    ids = [m.program_id for m in result.matches if m.program_id in turn.tools.catalog.programs]
    if not ids:
        nothing_found(turn, text[:MATCH_TEXT_LIMIT])
        return
    if result.broad:
        show_district_programs(turn, ids)
        return
    if result.ambiguous:
        turn.go(State.READY, {"found": ids})
        options = [button(turn.program_name(pid), Action.PROGRAM_MORE, turn.tools.refs.ref(pid))
                   for pid in ids[:CARDS_PER_ANSWER]]
        turn.say(turn.t("search.which_one"), [[option] for option in options])
        return
    turn.go(State.READY, {"found": ids[CARDS_PER_ANSWER:]})
    show_cards(turn, ids[:CARDS_PER_ANSWER])
    # A check-in program among the cards, or one that fits only elsewhere (a national program
    # may come first where the district has none).
    candidates = ids[:CARDS_PER_ANSWER]
    if not _has_checkin_program(turn, candidates):
        candidates = [m.program_id for m in turn.tools.matcher.elsewhere(text, resident.district)]
    hint = checkins_hint(turn, candidates)
    if hint:
        turn.say(hint)


def show_district_programs(turn: Turn, ids: list[str]) -> None:
    """A broad ask ("what is there for me here?"): the district's programs the matcher listed,
    by name, and the category menu for the rest (national programs among them); a card each
    would be a wall of text."""
    rows = [[button(turn.program_name(pid), Action.PROGRAM_MORE, turn.tools.refs.ref(pid))] for pid in ids]
    district = turn.district_name(turn.resident.district)
    turn.say(turn.t("search.broad", district=district), rows + category_rows(turn))


def show_cards(turn: Turn, ids: list[str]) -> None:
    for program_id in ids:
        text, buttons = program_card(turn, turn.tools.catalog.programs[program_id])
        turn.say(text, buttons)
    if turn.data.get("found"):
        turn.say(turn.t("search.more_results"),
                 [[button(turn.t("button.other_results"), Action.OTHER_RESULTS)]])


def on_other_results(turn: Turn) -> bool:
    """The next cards of the last search; False when there are none (an old button)."""
    ids = [pid for pid in turn.data.get("found") or [] if _usable(turn, pid)]
    if turn.state is not State.READY or not ids:
        return False
    turn.go(State.READY, {"found": ids[CARDS_PER_ANSWER:]})
    show_cards(turn, ids[:CARDS_PER_ANSWER])
    return True


def nothing_found(turn: Turn, text: str) -> None:
    """Say so, with the categories and the helplines; and where help of that kind exists
    elsewhere, say where: the resident learns it is not their words that failed, and what
    to ask their own office for."""
    message = turn.t("search.nothing_found")
    elsewhere = turn.tools.matcher.elsewhere(text, turn.resident.district)
    if elsewhere:
        items = [turn.t("search.elsewhere_item", program=turn.program_name(m.program_id),
                        area=_area_names(turn, turn.tools.catalog.programs[m.program_id]))
                 for m in elsewhere]
        message += "\n\n" + turn.t("search.elsewhere", programs="\n".join(items))
    hint = checkins_hint(turn, [m.program_id for m in elsewhere])
    if hint:
        message += "\n\n" + hint
    turn.say(message, category_rows(turn))


def checkins_hint(turn: Turn, program_ids: list[str]) -> str | None:
    """When a resident asks to be checked on and has no check-ins yet: the bot's own (/checkin),
    which they may not know of, above all where the district has no such program."""
    if not _has_checkin_program(turn, program_ids):
        return None
    plan = get_plan(session=turn.session, resident=turn.resident)
    if plan is not None and plan.status != CheckinPlanStatus.STOPPED:
        return None
    return turn.t("search.checkins_hint")


def _has_checkin_program(turn: Turn, program_ids: list[str]) -> bool:
    programs = turn.tools.catalog.programs
    return any(programs[pid].category is Category.CHECK_IN for pid in program_ids)


def _area_names(turn: Turn, program: Program) -> str:
    return ", ".join(turn.district_name(code) for code in program.area)


def show_menu(turn: Turn) -> None:
    turn.say(turn.t("menu.choose_category"), category_rows(turn))


def category_rows(turn: Turn) -> list[list[Button]]:
    present = {p.category for p in turn.tools.catalog.programs_for(turn.resident.district)}
    buttons = [button(turn.t(f"category.{c}"), Action.CATEGORY, c) for c in Category if c in present]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


def on_category(turn: Turn, category: str) -> None:
    district = turn.resident.district
    programs = sorted(
        (p for p in turn.tools.catalog.programs_for(district) if p.category == category),
        key=lambda p: (_area_rank(turn, p), p.name.get(turn.language)),
    )
    label = turn.t(f"category.{category}")
    if not programs:
        turn.say(turn.t("menu.category_empty", category=label), category_rows(turn))
        return
    shown = programs[:CATEGORY_LIST_LIMIT]
    text = turn.t("menu.category_list", category=label, count=len(programs))
    if len(programs) > len(shown):
        text += "\n" + turn.t("menu.category_more", shown=len(shown))
    turn.say(text, [[button(p.name.get(turn.language), Action.PROGRAM_MORE, turn.tools.refs.ref(p.id))]
                    for p in shown])


def on_program_more(turn: Turn, ref: str) -> bool:
    """The full card of one program; False for a program that is gone or not for this district."""
    program_id = turn.tools.refs.resolve(ref)
    if program_id is None or not _usable(turn, program_id):
        return False
    text, buttons = program_card(turn, turn.tools.catalog.programs[program_id], detailed=True)
    turn.say(text, buttons)
    return True


def _usable(turn: Turn, program_id: str) -> bool:
    program = turn.tools.catalog.programs.get(program_id)
    return program is not None and turn.tools.catalog.serves(program, turn.resident.district)


def _area_rank(turn: Turn, program: Program) -> int:
    catalog = turn.tools.catalog
    if catalog.is_local(program, turn.resident.district):
        return AREA_ORDER["local"]
    return AREA_ORDER["national"] if catalog.is_national(program) else AREA_ORDER["city"]
