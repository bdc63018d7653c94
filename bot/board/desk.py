"""The board's actions, done by the same code as the chat's buttons.

A press on [Accept], [Decline], [Give to …] or [Done] in the chat runs a handler of
`bot.conversation.staff_desk` inside a `Turn`; the board builds the same kind of turn for the
staff member (their Telegram id, their district, the turn's clock and transaction) and calls the
same handler, so the resident is told in the same words through the outbox, providers are offered
the job the same way, and the yearly cap is asked about the same way. What the handler would
have answered in the chat is what the board shows. The turn's conversation state is never saved:
the board has its own pages, and a half-done step in the chat stays as it was.

Check-ins' [Reached them] / [Visit needed] call the check-in engine's staff functions directly,
as the chat's check-in desk does, worded with the chat's texts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from bot.checkins.answers import staff_mark_reached, staff_mark_visit_needed
from bot.checkins.policy import CheckinError
from bot.checkins.policy import NotAllowed as RoundNotAllowed
from bot.conversation.engine import EXPECTED_ERRORS, resident_districts
from bot.conversation.staff_desk import staff_text
from bot.conversation.states import State
from bot.conversation.turn import Tools, Turn
from bot.core.buttons import ProgramRefs
from bot.core.messages import Incoming, InputKind
from bot.core.settings import Settings
from bot.core.texts import Texts
from bot.people.residents import get_resident
from bot.store.db import session_scope
from bot.store.models import StaffMember
from catalog import Catalog

log = logging.getLogger(__name__)


@dataclass
class DeskResult:
    """What an action did, as the chat would have said it to the staff member."""

    messages: list[str] = field(default_factory=list)
    refused: bool = False  # the staff member is gone, or the action was not theirs to do
    needs_reason: bool = False  # accepting is over the yearly cap: ask for a reason


class BoardDesk:
    def __init__(self, *, engine: Engine, catalog: Catalog, settings: Settings, texts: Texts,
                 clock: Callable[[], datetime]):
        self._engine = engine
        self._clock = clock
        # The staff desk never searches, so the board needs no matcher (the heaviest part of
        # the conversation to build); everything else is what the conversation's turns get.
        self.tools = Tools(catalog=catalog, matcher=None, texts=texts, settings=settings,  # type: ignore[arg-type]
                           refs=ProgramRefs(catalog.programs), resident_districts=resident_districts(catalog))

    def run(self, staff_id: int, act: Callable[[Turn], None]) -> DeskResult:
        """Run `act` in a staff turn of `staff_id`, re-read now: a removed officer acts on nothing."""
        with session_scope(self._engine) as session:
            staff = session.get(StaffMember, staff_id)
            if staff is None:
                return DeskResult(refused=True)
            incoming = Incoming(user_id=staff.telegram_id, chat_id=staff.telegram_id, first_name=staff.name,
                                kind=InputKind.BUTTON)
            turn = Turn(incoming=incoming, session=session, now=self._clock(), tools=self.tools,
                        state=State.NEW, data={}, staff=staff,
                        resident=get_resident(session=session, platform_user_id=staff.telegram_id))
            try:
                with session.begin_nested():
                    act(turn)
            except EXPECTED_ERRORS as error:  # rolled back, as the conversation does
                log.info("board action by staff member %s refused: %s", staff.id, type(error).__name__)
                return DeskResult(messages=[staff_text(turn, "common.invalid_details")], refused=True)
            return DeskResult(messages=[message.text for message in turn.reply.messages],
                              needs_reason=turn.state is State.STAFF_OVERRIDE_REASON)

    def mark_round(self, staff_id: int, round_id: int, *, visit: bool) -> DeskResult:
        """[Reached them] or [Visit needed] on a check-in round of the staff member's district."""

        def act(turn: Turn) -> None:
            mark = staff_mark_visit_needed if visit else staff_mark_reached
            try:
                outcome = mark(session=turn.session, staff=turn.staff, round_id=round_id, now=turn.now)
            except CheckinError as error:
                if isinstance(error, RoundNotAllowed):
                    log.warning("refused board check-in action on round %s by staff member %s",
                                round_id, turn.staff.id)
                turn.say(staff_text(turn, "checkin.staff_not_found"))
                raise _Refused from None
            if not outcome.changed:
                turn.say(staff_text(turn, "checkin.staff_settled"))
            elif visit:
                turn.say(staff_text(turn, "checkin.staff_visit", notified=outcome.notified))
            else:
                turn.say(staff_text(turn, "checkin.staff_reached", notified=outcome.notified))

        try:
            return self.run(staff_id, act)
        except _Refused:
            return DeskResult(refused=True)


class _Refused(Exception):
    """A check-in action that was not the staff member's: nothing is written."""
