"""A resident blocking or unblocking the bot, as Telegram tells it (`my_chat_member` updates).

Without these, the bot learnt of a block only when a message to the resident bounced, which for
someone with check-ins could be the next morning's check-in. Telegram sends one update when a
person blocks the bot (their status becomes "kicked") and one when they let it back in
("member": unblocked, or Start pressed again). Only private chats count, and only an update
about the bot itself, from the person whose chat it is: anything else is not a resident's own
choice and is ignored. What follows is the check-in engine's
(`bot.checkins.reach.set_aside_blocked`, `resume_unblocked`): a repeated or out-of-place update
finds nothing to change, so staff are never told twice.
"""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum

from sqlalchemy import Engine
from telegram import Chat, ChatMember, ChatMemberUpdated, Update
from telegram.ext import CallbackContext

from bot.checkins.policy import CheckinPolicy
from bot.checkins.reach import resume_unblocked, set_aside_blocked
from bot.core.clock import Clock
from bot.store.db import session_scope

log = logging.getLogger(__name__)


class Membership(StrEnum):
    BLOCKED = "blocked"
    BACK = "back"


def membership_change(change: ChatMemberUpdated | None, bot_id: int) -> Membership | None:
    """What a `my_chat_member` update says of a resident, or None when it is not theirs to say."""
    if change is None or change.chat.type != Chat.PRIVATE:
        return None
    if change.from_user.id != change.chat.id or change.new_chat_member.user.id != bot_id:
        log.warning("my_chat_member update for chat %s not from its person or not about the bot; ignored",
                    change.chat.id)
        return None
    status = change.new_chat_member.status
    if status == ChatMember.BANNED:  # "kicked": the person blocked the bot
        return Membership.BLOCKED
    if status == ChatMember.MEMBER:
        return Membership.BACK
    return None


class MembershipHandler:
    """The handler for `my_chat_member` updates; the store's work runs off the event loop."""

    def __init__(self, *, engine: Engine, clock: Clock, checkin_policy: CheckinPolicy):
        self.engine = engine
        self.clock = clock
        self.checkin_policy = checkin_policy

    async def on_my_chat_member(self, update: Update, context: CallbackContext) -> None:
        change = membership_change(update.my_chat_member, context.bot.id)
        if change is None:
            return
        chat_id = update.my_chat_member.chat.id
        staff_told = await asyncio.to_thread(self.record, chat_id, change)
        log.info("chat %s %s the bot; %s staff messages queued", chat_id,
                 "blocked" if change is Membership.BLOCKED else "let back", staff_told)

    def record(self, chat_id: int, change: Membership) -> int:
        """Mark the resident (un)reachable and tell staff, in one transaction; staff messages queued."""
        with session_scope(self.engine) as session:
            if change is Membership.BLOCKED:
                return set_aside_blocked(session=session, chat_id=chat_id, now=self.clock(),
                                         policy=self.checkin_policy)
            return resume_unblocked(session=session, chat_id=chat_id, now=self.clock(),
                                    policy=self.checkin_policy)
