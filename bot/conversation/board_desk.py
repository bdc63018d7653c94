"""/board: a staff member asks for a one-time login link to the district office's web board.

The link carries a random token in its fragment (after "#"), so it never reaches a server log
or a link preview's request; the board's login page reads it and posts it. Only staff reach
this handler (the command table refuses everyone else first).
"""

from __future__ import annotations

import math

from bot.conversation.staff_desk import staff_text
from bot.conversation.turn import Turn, log
from bot.people.board_access import MAX_LINKS_PER_HOUR, TooManyLinks, issue_login_link

LOGIN_PATH = "/login"


def send_link(turn: Turn) -> None:
    try:
        token = issue_login_link(session=turn.session, staff=turn.staff, now=turn.now)
    except TooManyLinks as refused:
        log.warning("board link refused to staff member %s: too many this hour", turn.staff.id)
        minutes = max(1, math.ceil(refused.retry_after.total_seconds() / 60))
        turn.say(staff_text(turn, "board.too_many", limit=MAX_LINKS_PER_HOUR, minutes=minutes))
        return
    url = f"{turn.tools.settings.board_url}{LOGIN_PATH}#{token}"
    turn.say(staff_text(turn, "board.link", url=url))
