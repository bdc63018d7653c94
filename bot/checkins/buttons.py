"""The check-in engine's own buttons (`ci:<action>:<id>`): made here, read back here.

Part of the check-in engine; its life cycle and guarantees are in the package doc
(`bot/checkins/__init__.py`)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.store.models import (
    MAX_RECORD_ID,
    CheckinAnswer,
)

log = logging.getLogger(__name__)

# --- button data ------------------------------------------------------------------------------


class CheckinAction(StrEnum):
    """What a check-in button press asks for; `ci:<action>:<id>` (at most 26 bytes)."""

    OK = "ok"  # resident: 괜찮아요 (id: round)
    HELP = "help"  # resident: 도움이 필요해요
    HARD = "hard"  # resident: 오늘은 좀 힘들어요
    ALERT_STAFF = "alert"  # resident, after "help": tell the district's staff
    REACHED = "reached"  # staff: 연락됐어요
    VISIT = "visit"  # staff: 방문 필요
    ACCEPT_CONTACT = "cyes"  # invited contact (id: invitation)
    DECLINE_CONTACT = "cno"


ANSWER_ACTIONS = {
    CheckinAction.OK: CheckinAnswer.OK,
    CheckinAction.HELP: CheckinAnswer.HELP,
    CheckinAction.HARD: CheckinAnswer.HARD,
}
_PRESS = re.compile(r"ci:([a-z]{2,8}):([1-9][0-9]{0,17})")


@dataclass(frozen=True)
class CheckinPress:
    action: CheckinAction
    target_id: int  # a round id, or an invitation id for the contact actions


def checkin_button_data(action: CheckinAction, target_id: int) -> str:
    data = f"ci:{CheckinAction(action).value}:{int(target_id)}"
    assert len(data.encode()) <= 64
    return data


def parse_checkin_press(data: str) -> CheckinPress | None:
    """The press in `data`, or None when it is not exactly a check-in button's data.

    Only the shape is checked here; the services check who pressed against the database.
    """
    match = _PRESS.fullmatch(data or "")
    if match is None:
        return None
    try:
        action = CheckinAction(match.group(1))
    except ValueError:
        return None
    target_id = int(match.group(2))
    if target_id > MAX_RECORD_ID:  # names no row: refused as unreadable, not a failing query
        return None
    return CheckinPress(action=action, target_id=target_id)
