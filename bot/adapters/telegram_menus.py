"""What Telegram shows of the bot before anyone writes: its descriptions and its command menus.

Everyone's menu (the default scope) lists the commands of residents and newcomers only: an
older resident who opens the menu sees nothing that would only refuse them. Staff and
providers get their own menu, per chat (`BotCommandScopeChat`; in a private chat the chat id
is the person's Telegram id), with their commands after everyone's.

Staff and providers are registered by the `ddokddok staff` and `ddokddok provider` commands,
another process, so the bot cannot be told; it reconciles instead (`CommandMenus.sync`): right
at start-up and then every `MENU_SYNC_SECONDS`, it reads who is staff or a provider and sets or
removes the per-chat menus that differ from what it set before. What it set is remembered in
memory only, so at start-up every staff and provider menu is set again. Someone removed while
the bot was down keeps a stale menu until they use one of its commands: a staff or provider
command from a chat that is neither is answered with a refusal by the conversation, and here
their chat's own menu is removed (`CommandMenus.on_command`), which also sets the menu at once
for someone registered since the last sync.

Every call is allowed to fail: a failure costs a menu or a description (a warning line), never
the bot, and a per-chat menu that failed is tried again a while later.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import Engine
from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import CallbackContext

from bot.conversation.commands import BY_NAME, Who, menu_entries
from bot.people.providers import get_member, list_members
from bot.people.staff import get_staff, list_staff
from bot.store.db import read_scope

log = logging.getLogger(__name__)

# The languages of every menu and description: Korean for everyone (Telegram's default, None),
# English for English-language Telegram apps.
LANGUAGES: tuple[str | None, ...] = (None, "en")

# How often the per-chat menus are reconciled with the store.
MENU_SYNC_SECONDS = 60.0
# Per-chat menus set or removed in one run (two calls each, one per language); the rest wait for
# the next run, so a start-up with many staff does not spend the bot's requests all at once.
MENU_CHANGES_PER_RUN = 40
# A per-chat menu Telegram refused is tried again after this long, not every run.
MENU_RETRY_SECONDS = 3600.0

ROLE_COMMANDS = frozenset({Who.STAFF, Who.PROVIDER})

# Shown in an empty chat before the first message (up to 512 characters), and on the bot's
# profile and in shared links (up to 120). Plain words for older residents: what the bot does
# for them and what to press.
DESCRIPTIONS: Mapping[str | None, str] = {
    None: ("똑똑은 혼자 사시는 분을 위한 구청 도우미예요.\n"
           "• 필요한 복지 프로그램을 찾아 신청을 전해 드려요 (도시락, 집수리, 방문 돌봄 등)\n"
           "• 원하시면 정하신 시간에 안부를 여쭤봐요\n"
           "• 구청 알림을 전해 드려요\n"
           "아래 '시작' 버튼을 누르시고, 필요한 것을 편하게 글로 써 주세요."),
    "en": ("Ddokddok is your district office's helper for people who live alone.\n"
           "• Finds welfare programs for you and passes on your request (meals, home repairs, care visits…)\n"
           "• Asks how you are at a time you choose, if you like\n"
           "• Passes on notices from the district office\n"
           "Press Start below and write what you need in your own words."),
}
SHORT_DESCRIPTIONS: Mapping[str | None, str] = {
    None: "혼자 사시는 분을 위한 구청 도우미: 복지 프로그램 찾기와 신청, 안부 확인",
    "en": "Your district office's helper: find and request welfare programs, check-ins",
}


def commands_for(roles: Collection[Who]) -> dict[str | None, list[BotCommand]]:
    """The menu, in each language, of someone with `roles` (empty: everyone's)."""
    return {language: [BotCommand(name, line) for name, line in menu_entries(language or "ko", roles)]
            for language in LANGUAGES}


# Everyone's menu: residents' and newcomers' commands.
BOT_COMMANDS = commands_for(())


async def set_default_menu(bot: Bot) -> None:
    """Fill everyone's command menu; a failure only costs the menu, never the bot."""
    for language, commands in BOT_COMMANDS.items():
        try:
            await bot.set_my_commands(commands, language_code=language)
        except TelegramError as error:
            log.warning("could not set the command menu (%s): %s", language or "ko", type(error).__name__)


async def register_descriptions(bot: Bot) -> None:
    """Set the descriptions in Korean and English; failures cost them, in one warning line."""
    failed = []
    for language in LANGUAGES:
        for what, text in (("description", DESCRIPTIONS[language]),
                           ("short description", SHORT_DESCRIPTIONS[language])):
            try:
                if what == "description":
                    await bot.set_my_description(text, language_code=language)
                else:
                    await bot.set_my_short_description(text, language_code=language)
            except TelegramError as error:
                failed.append(f"{what} {language or 'ko'}: {type(error).__name__}")
    if failed:
        log.warning("could not set the bot's descriptions (%s)", "; ".join(failed))


@dataclass(frozen=True)
class MenuSync:
    set: int = 0
    removed: int = 0
    failed: int = 0
    waiting: int = 0  # changes left for the next run


class CommandMenus:
    """The per-chat menus of staff and providers, kept in step with the store."""

    def __init__(self, engine: Engine, *, monotonic: Callable[[], float] = time.monotonic,
                 changes_per_run: int = MENU_CHANGES_PER_RUN):
        self.engine = engine
        self.monotonic = monotonic
        self.changes_per_run = changes_per_run
        # What this process set: chat → the roles its menu was made for.
        self.applied: dict[int, frozenset[Who]] = {}
        # Chats whose own menu was removed on sight (on_command), so it is not removed twice.
        self.cleared: set[int] = set()
        self._retry_at: dict[int, float] = {}
        self._lock = asyncio.Lock()

    def roles_in_store(self) -> dict[int, frozenset[Who]]:
        """Who is staff or a provider now: Telegram id → roles."""
        roles: dict[int, set[Who]] = {}
        with read_scope(self.engine) as session:
            for member in list_staff(session=session):
                roles.setdefault(member.telegram_id, set()).add(Who.STAFF)
            for member in list_members(session=session):
                roles.setdefault(member.telegram_id, set()).add(Who.PROVIDER)
        return {chat_id: frozenset(found) for chat_id, found in roles.items()}

    def roles_of(self, telegram_id: int) -> frozenset[Who]:
        """One person's roles now (two indexed look-ups, not the whole tables)."""
        with read_scope(self.engine) as session:
            staff = get_staff(session=session, telegram_id=telegram_id) is not None
            provider = get_member(session=session, telegram_id=telegram_id) is not None
        return frozenset({Who.STAFF} if staff else set()) | frozenset({Who.PROVIDER} if provider else set())

    async def sync(self, bot: Bot) -> MenuSync:
        """Set the menus that differ from the store's roles, and remove those of people removed."""
        async with self._lock:
            wanted = await asyncio.to_thread(self.roles_in_store)
            changes = [(chat_id, roles) for chat_id, roles in wanted.items() if self.applied.get(chat_id) != roles]
            changes += [(chat_id, frozenset()) for chat_id in self.applied if chat_id not in wanted]
            now = self.monotonic()
            due = [change for change in changes if self._retry_at.get(change[0], now) <= now]
            counts = {"set": 0, "removed": 0, "failed": 0}
            for chat_id, roles in due[: self.changes_per_run]:
                if await self._apply(bot, chat_id, roles):
                    counts["set" if roles else "removed"] += 1
                else:
                    counts["failed"] += 1
            result = MenuSync(**counts, waiting=max(0, len(due) - self.changes_per_run))
        if result.set or result.removed or result.failed:
            log.info("per-chat command menus: %s set, %s removed, %s failed, %s waiting",
                     result.set, result.removed, result.failed, result.waiting)
        return result

    async def sync_job(self, context: CallbackContext) -> None:
        await self.sync(context.bot)

    async def on_command(self, update: Update, context: CallbackContext) -> None:
        """A staff or provider command typed in a chat whose menu may be out of date: set it now
        from the store (registered since the last sync), or remove it (removed while the bot
        was down). The conversation answers the command itself; this only fixes the menu."""
        message = update.effective_message
        if message is None or message.text is None or update.effective_chat is None:
            return
        name = message.text[1:].split(maxsplit=1)[0].split("@")[0].lower() if len(message.text) > 1 else ""
        command = BY_NAME.get(name)
        if command is None or command.who not in ROLE_COMMANDS:
            return
        chat_id = update.effective_chat.id
        roles = await asyncio.to_thread(self.roles_of, chat_id)
        async with self._lock:
            if roles == self.applied.get(chat_id, frozenset()) and (roles or chat_id in self.cleared):
                return
            if await self._apply(context.bot, chat_id, roles) and not roles:
                self.cleared.add(chat_id)

    async def _apply(self, bot: Bot, chat_id: int, roles: frozenset[Who]) -> bool:
        """Set (roles) or remove (none) one chat's menu in every language; False if Telegram refused."""
        scope = BotCommandScopeChat(chat_id)
        try:
            if roles:
                for language, commands in commands_for(roles).items():
                    await bot.set_my_commands(commands, scope=scope, language_code=language)
            else:
                for language in LANGUAGES:
                    await bot.delete_my_commands(scope=scope, language_code=language)
        except TelegramError as error:
            log.warning("could not %s the command menu of chat %s: %s", "set" if roles else "remove",
                        chat_id, type(error).__name__)
            self._retry_at[chat_id] = self.monotonic() + MENU_RETRY_SECONDS
            return False
        self._retry_at.pop(chat_id, None)
        if roles:
            self.applied[chat_id] = roles
            self.cleared.discard(chat_id)
        else:
            self.applied.pop(chat_id, None)
        return True
