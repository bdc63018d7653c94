"""Menus that fit the person: everyone's menu holds residents' commands; staff and providers get
their own per chat, set when they are registered and removed when they are removed; the
descriptions are set at start-up, and none of it can stop the bot."""

from __future__ import annotations

import logging

from bot.adapters.telegram_menus import (
    DESCRIPTIONS,
    MENU_RETRY_SECONDS,
    SHORT_DESCRIPTIONS,
    CommandMenus,
)
from bot.conversation.commands import COMMANDS, Who, menu_entries
from bot.people.providers import add_member
from bot.people.staff import add_staff, remove_staff
from bot.store.db import session_scope

from .conftest import START, make_message_update

STAFF_ID = 6001
PROVIDER_ID = 6002


def register_staff(engine, telegram_id: int = STAFF_ID) -> None:
    with session_scope(engine) as session:
        add_staff(session=session, telegram_id=telegram_id, district="seocho", name="Officer Kim",
                  known_districts={"seocho"}, now=START)


def register_provider(engine, catalog, telegram_id: int = PROVIDER_ID) -> None:
    with session_scope(engine) as session:
        add_member(session=session, catalog=catalog, telegram_id=telegram_id,
                   provider_id=next(iter(catalog.providers)), name="Meals", now=START)


def scoped(fake_api, method: str, chat_id: int) -> list:
    return [c for c in fake_api.called(method) if c.params.get("scope") == {"type": "chat", "chat_id": chat_id}]


def names(call) -> list[str]:
    return [c["command"] for c in call.params["commands"]]


def test_menu_entries_for_a_role_add_its_commands_to_everyones():
    everyone = [name for name, _ in menu_entries("ko", ())]
    staff = [name for name, _ in menu_entries("ko", {Who.STAFF})]
    assert "queue" not in everyone and "jobs" not in everyone and "start" in everyone
    assert staff[: len(everyone)] == everyone and {"queue", "notice", "stats"} <= set(staff)
    assert "jobs" not in staff
    assert [name for name, _ in menu_entries("en", {Who.PROVIDER})][-1] == "jobs"
    assert [n for n, _ in menu_entries("ko")] == [c.name for c in COMMANDS if c.menu]  # the whole table


async def test_a_registered_staff_member_gets_a_menu_of_their_own_and_loses_it_on_removal(
        app, fake_api, engine, catalog):
    register_staff(engine)
    register_provider(engine, catalog)
    menus: CommandMenus = app.bot_data["command_menus"]

    result = await menus.sync(app.bot)

    assert (result.set, result.removed, result.failed) == (2, 0, 0)
    calls = scoped(fake_api, "setMyCommands", STAFF_ID)
    assert [c.params.get("language_code") for c in calls] == [None, "en"]
    assert all("queue" in names(c) and "start" in names(c) and "jobs" not in names(c) for c in calls)
    [provider_menu, _] = scoped(fake_api, "setMyCommands", PROVIDER_ID)
    assert "jobs" in names(provider_menu) and "queue" not in names(provider_menu)

    fake_api.calls.clear()
    assert (await menus.sync(app.bot)).set == 0  # nothing changed: nothing sent
    assert fake_api.calls == []

    with session_scope(engine) as session:
        remove_staff(session=session, telegram_id=STAFF_ID)
    result = await menus.sync(app.bot)
    assert result.removed == 1
    removed = scoped(fake_api, "deleteMyCommands", STAFF_ID)
    assert [c.params.get("language_code") for c in removed] == [None, "en"]
    assert scoped(fake_api, "deleteMyCommands", PROVIDER_ID) == []
    assert STAFF_ID not in menus.applied and PROVIDER_ID in menus.applied


async def test_the_menus_are_kept_in_step_by_a_timed_job(app):
    [job] = app.job_queue.get_jobs_by_name("menus")
    assert job is not None


async def test_a_menu_telegram_refuses_is_tried_again_later_not_every_run(fake_api, engine, app):
    register_staff(engine)
    clock = [0.0]
    menus = CommandMenus(engine, monotonic=lambda: clock[0])
    fake_api.fail("setMyCommands", "server_error")

    assert (await menus.sync(app.bot)).failed == 1
    assert (await menus.sync(app.bot)).failed == 0 and STAFF_ID not in menus.applied  # waiting
    clock[0] += MENU_RETRY_SECONDS
    assert (await menus.sync(app.bot)).set == 1 and STAFF_ID in menus.applied


async def test_changes_beyond_a_runs_share_wait_for_the_next_run(fake_api, engine, app):
    for offset in range(3):
        register_staff(engine, telegram_id=STAFF_ID + 10 + offset)
    menus = CommandMenus(engine, changes_per_run=2)
    first = await menus.sync(app.bot)
    assert (first.set, first.waiting) == (2, 1)
    assert (await menus.sync(app.bot)).set == 1


async def test_a_staff_command_from_a_chat_whose_menu_is_out_of_date_fixes_it(app, fake_api, engine, conversation):
    # Registered by the CLI a moment ago, before the next sync: their menu is set at once.
    register_staff(engine)
    await app.process_update(make_message_update("/queue", user_id=STAFF_ID, bot=app.bot))
    assert [c.params.get("language_code") for c in scoped(fake_api, "setMyCommands", STAFF_ID)] == [None, "en"]
    assert conversation.received[-1].text == "/queue"  # the conversation still answers it

    # Someone removed while the bot was down: their stale menu is removed when they use it, once.
    resident = 6100
    await app.process_update(make_message_update("/queue", user_id=resident, bot=app.bot))
    await app.process_update(make_message_update("/notice", user_id=resident, bot=app.bot))
    assert len(scoped(fake_api, "deleteMyCommands", resident)) == 2  # both languages, one time
    # A resident's own commands touch no menu.
    await app.process_update(make_message_update("/help", user_id=6101, bot=app.bot))
    assert scoped(fake_api, "deleteMyCommands", 6101) == []


async def test_descriptions_and_everyones_menu_are_set_at_start_up(app, fake_api):
    await app.post_init(app)

    descriptions = fake_api.called("setMyDescription")
    assert [(c.params.get("language_code"), c.params["description"]) for c in descriptions] == [
        (None, DESCRIPTIONS[None]), ("en", DESCRIPTIONS["en"])]
    short = fake_api.called("setMyShortDescription")
    assert [c.params["short_description"] for c in short] == [SHORT_DESCRIPTIONS[None], SHORT_DESCRIPTIONS["en"]]
    assert all(len(text) <= 512 for text in DESCRIPTIONS.values())
    assert all(len(text) <= 120 for text in SHORT_DESCRIPTIONS.values())
    assert all("scope" not in c.params for c in fake_api.called("setMyCommands"))
    assert len(fake_api.called("setMyCommands")) == 2


async def test_a_failing_description_costs_only_the_description(app, fake_api, conversation, caplog):
    caplog.set_level(logging.WARNING)
    fake_api.fail("setMyDescription", "server_error", times=2)

    await app.post_init(app)  # does not raise

    warnings = [r for r in caplog.records if "description" in r.getMessage()]
    assert len(warnings) == 1 and "description en: NetworkError" in warnings[0].getMessage()
    assert len(fake_api.called("setMyShortDescription")) == 2  # the rest still set
    await app.process_update(make_message_update("hello", bot=app.bot))
    assert fake_api.sent_texts[-1] == "you said: hello"
