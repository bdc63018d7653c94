"""The tables of chat commands and of buttons: every row answers, refuses whom it should, and makes the menu."""

from __future__ import annotations

import pytest

from bot.conversation.commands import COMMANDS, Who, menu_entries

from .conftest import text

UNKNOWN = "모르는 명령이에요"


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.who in (Who.ANYONE, Who.RESIDENT)],
                         ids=lambda c: c.name)
def test_every_residents_command_answers_a_resident(person, command):
    mina = person()
    mina.onboard("seocho")
    reply = mina.say(f"/{command.name}")
    assert reply.messages and UNKNOWN not in text(reply)


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.who in (Who.STAFF, Who.PROVIDER)],
                         ids=lambda c: c.name)
def test_staff_and_provider_commands_refuse_a_resident(person, command):
    mina = person()
    mina.onboard("seocho")
    reply = mina.say(f"/{command.name}")
    assert reply.messages and UNKNOWN not in text(reply)
    assert "담당자" in text(reply) or "제공기관" in text(reply)


def test_a_residents_command_asks_a_newcomer_to_start(person):
    reply = person().say("/bookings")
    assert any(b.data for m in reply.messages for row in m.buttons for b in row)  # [Start]


def test_the_menu_lists_the_tables_commands_in_both_languages():
    names = [c.name for c in COMMANDS if c.menu]
    assert [name for name, _ in menu_entries("ko")] == names == [name for name, _ in menu_entries("en")]
    assert "cancel" not in names  # a step's own word, not a menu item


def test_every_button_the_bot_makes_has_a_route():
    from bot.conversation.presses import PRESSES
    from bot.core.buttons import Action

    assert set(Action) - set(PRESSES) == set()
