"""The chat commands, in one table: who may use each, whether it ends a half-done step, what it does.

Adding a command is one row here (and its texts); the engine routes by this table, and the
messenger's command menu (`menu_entries`) is made from it, in its order, so the menu cannot
name a command the bot does not know. A command for staff or providers answers anyone else
with a refusal (logged, never acted on); a resident's command asks a newcomer to start first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum

from bot.conversation import (
    board_desk,
    booking_flow,
    call_backs,
    checkin_desk,
    job_desk,
    linking,
    notice_desk,
    onboarding,
    privacy,
    resident_settings,
    search,
    staff_desk,
)
from bot.conversation.states import BOOKING, CHECKIN, NOTICE, ONBOARDING, PROVIDER, STAFF_TYPING, State
from bot.conversation.turn import Turn, log
from bot.core.buttons import Action, button
from catalog import detect_crisis


class Who(StrEnum):
    ANYONE = "anyone"
    RESIDENT = "resident"  # registered (a newcomer is asked to start)
    STAFF = "staff"
    PROVIDER = "provider"


@dataclass(frozen=True)
class Command:
    """One chat command. `run(turn, argument)` does its work once `who` is satisfied."""

    name: str
    who: Who
    run: Callable[[Turn, str], None]
    # A command ends a half-done step (a request being written, a notice being drafted), except
    # those that only answer (/help) or that are the step's own (/start, /cancel).
    leaves_flow: bool = True
    # The command menu's line in Korean and English; None: not in the menu.
    menu: tuple[str, str] | None = None


def show_help(turn: Turn, _argument: str = "") -> None:
    parts = [turn.t("help.resident") if turn.resident else turn.t("help.newcomer")]
    if turn.staff is not None:
        parts.append(turn.t("help.staff"))
    if turn.provider is not None:
        parts.append(turn.t("help.provider"))
    if turn.resident is not None:  # the buttons under the typing field, back if they were closed
        onboarding.say_with_keyboard(turn, "\n\n".join(parts), hint=False)
    else:
        turn.say("\n\n".join(parts))


def cancel(turn: Turn, _argument: str = "") -> None:
    if turn.state in BOOKING:
        booking_flow.on_stop(turn)
    elif turn.state is State.CALL_BACK_PHONE:
        call_backs.on_stop(turn)
    elif turn.state in ONBOARDING:
        turn.go(State.NEW)
        turn.say(turn.t("onboarding.stopped"))
    elif turn.state in NOTICE:
        notice_desk.cancel(turn)
    elif (turn.state in (State.FORGET_CONFIRM, State.RATING_COMMENT) or turn.state in STAFF_TYPING
          or turn.state in CHECKIN or turn.state in PROVIDER):
        turn.go(turn.resting_state)
        turn.say(turn.t("common.stopped"))
    else:
        turn.say(turn.t("common.nothing_to_cancel"))


def find(turn: Turn, argument: str) -> None:
    if not argument:
        turn.say(turn.t("search.ask_what"))
    elif not any(ch.isalnum() for ch in argument):
        turn.say(turn.t("common.no_words"))
    elif (crisis := detect_crisis(argument)) is not None:
        search.answer_crisis(turn, crisis, argument)
    else:
        search.search(turn, argument)


def _only(handler: Callable[[Turn], None]) -> Callable[[Turn, str], None]:
    """A handler that takes no argument, as a command's `run`."""
    return lambda turn, _argument: handler(turn)


# In the order of the command menu; commands without a menu line last.
COMMANDS: tuple[Command, ...] = (
    # "/start <payload>" from a flyer's link presets the district and language.
    Command("start", Who.ANYONE, onboarding.start, leaves_flow=False, menu=("시작하기", "Start")),
    Command("find", Who.RESIDENT, find, menu=("프로그램 찾기", "Find a program")),
    Command("menu", Who.RESIDENT, _only(search.show_menu), menu=("메뉴", "Menu")),
    Command("bookings", Who.RESIDENT, _only(booking_flow.list_bookings), menu=("내 신청 내역", "My requests")),
    Command("checkin", Who.RESIDENT, _only(checkin_desk.show), menu=("안부 확인", "Check-ins")),
    Command("privacy", Who.ANYONE, _only(privacy.show_privacy), leaves_flow=False,
            menu=("저장된 내 정보", "What is stored about me")),
    Command("forget", Who.ANYONE, _only(privacy.ask_forget), menu=("내 정보 지우기", "Delete my data")),
    Command("help", Who.ANYONE, show_help, leaves_flow=False, menu=("도움말", "Help")),
    Command("settings", Who.RESIDENT, _only(resident_settings.show),
            menu=("설정 (구청 알림 켜고 끄기)", "Settings (district notices on or off)")),
    # "/link" gives a resident a code; "/link CODE" on another messenger joins it to them.
    Command("link", Who.ANYONE, linking.link, menu=("다른 메신저 연결", "Link another messenger")),
    Command("unlink", Who.RESIDENT, linking.unlink_command),
    Command("queue", Who.STAFF, _only(staff_desk.queue), menu=("담당자: 들어온 신청", "Staff: incoming requests")),
    Command("done", Who.STAFF, staff_desk.done_command, menu=("담당자: 처리 완료", "Staff: mark as done")),
    Command("notice", Who.STAFF, _only(notice_desk.start),
            menu=("담당자: 주민 알림 보내기", "Staff: send a notice to residents")),
    Command("notices", Who.STAFF, _only(notice_desk.show_list), menu=("담당자: 보낸 알림", "Staff: sent notices")),
    Command("stats", Who.STAFF, staff_desk.show_stats,
            menu=("담당자: 제공기관 실적", "Staff: providers' jobs and costs")),
    Command("board", Who.STAFF, _only(board_desk.send_link),
            menu=("담당자: 웹 업무 보드 열기", "Staff: open the web board")),
    Command("jobs", Who.PROVIDER, _only(job_desk.list_jobs), menu=("제공기관: 맡은 일", "Providers: your jobs")),
    Command("cancel", Who.ANYONE, cancel, leaves_flow=False),
)
BY_NAME = {command.name: command for command in COMMANDS}


def run_command(turn: Turn, text: str) -> None:
    """`text` is a command ("/find 도시락", "/help@ddokddok_bot"): do it, or say it is unknown."""
    parts = text[1:].split(maxsplit=1)
    name = parts[0].split("@")[0].lower() if parts else ""
    argument = parts[1].strip() if len(parts) > 1 else ""
    command = BY_NAME.get(name)
    if command is None:
        turn.say(turn.t("common.unknown_command"))
        return
    if not _allowed(turn, command):
        return
    if command.leaves_flow:
        leave_flow(turn)
    command.run(turn, argument)


def _allowed(turn: Turn, command: Command) -> bool:
    if command.who is Who.STAFF and turn.staff is None:
        staff_desk.refuse_non_staff(turn, f"/{command.name}")
        return False
    if command.who is Who.PROVIDER and turn.provider is None:
        log.warning("refused /%s by non-provider user %s", command.name, turn.user_id)
        turn.say(turn.t("job.only_providers"))
        return False
    if command.who is Who.RESIDENT and turn.resident is None:
        turn.say(turn.t("common.not_registered"),
                 [[button(turn.t("button.start"), Action.SETUP)]] if turn.state is State.NEW else ())
        return False
    return True


def leave_flow(turn: Turn) -> None:
    """A command or menu press ends a half-done step (not onboarding: it is not done yet)."""
    if turn.state not in ONBOARDING and turn.state not in (State.NEW, State.READY):
        turn.go(turn.resting_state)


# What everyone's menu holds: a staff member's or a provider's adds their own commands to it.
EVERYONES_MENU = frozenset({Who.ANYONE, Who.RESIDENT})


def menu_entries(language: str, roles: Collection[Who] | None = None) -> list[tuple[str, str]]:
    """(command, description) for the messenger's command menu, in `language` ("ko" or "en").

    `roles`: the menu of someone who is also staff or a provider (`{Who.STAFF}`), added to
    everyone's (`EVERYONES_MENU`), so residents never see commands that would only refuse them;
    `()` is everyone's menu. None lists every command with a menu line (the whole table).
    """
    index = 1 if language == "en" else 0
    shown = None if roles is None else EVERYONES_MENU | set(roles)
    return [(command.name, command.menu[index]) for command in COMMANDS
            if command.menu is not None and (shown is None or command.who in shown)]
