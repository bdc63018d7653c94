"""`ddokddok provider add|list|remove`, as `ddokddok staff` does it."""

from __future__ import annotations

import pytest

from bot.cli.main import main

from .conftest import CARE_PROVIDER, MEALS_PROVIDER

pytestmark = pytest.mark.usefixtures("command_database")


def test_add_list_and_remove_a_member(capsys):
    assert main(["provider", "add", "--telegram-id", "4242", "--provider", MEALS_PROVIDER, "--name", "박조리"]) == 0
    assert "4242" in capsys.readouterr().out
    assert main(["provider", "add", "--telegram-id", "4343", "--provider", CARE_PROVIDER]) == 0
    capsys.readouterr()
    assert main(["provider", "list"]) == 0
    listing = capsys.readouterr().out
    assert MEALS_PROVIDER in listing and "박조리" in listing and CARE_PROVIDER in listing
    assert main(["provider", "list", "--provider", CARE_PROVIDER]) == 0
    listing = capsys.readouterr().out
    assert "4343" in listing and "4242" not in listing
    assert main(["provider", "remove", "--telegram-id", "4242"]) == 0
    capsys.readouterr()
    assert main(["provider", "list", "--provider", MEALS_PROVIDER]) == 0
    assert "no provider members" in capsys.readouterr().out
    assert main(["provider", "remove", "--telegram-id", "4242"]) == 2
    assert "not a provider member" in capsys.readouterr().err


def test_an_unknown_provider_is_named(capsys):
    assert main(["provider", "add", "--telegram-id", "1", "--provider", "gwangjin.nobody"]) == 2
    error = capsys.readouterr().err
    assert "unknown provider 'gwangjin.nobody'" in error and MEALS_PROVIDER in error
    assert main(["provider", "list", "--provider", "gwangjin.nobody"]) == 2
    assert "gwangjin.nobody" in capsys.readouterr().err


def test_one_account_is_a_member_of_one_provider(capsys):
    assert main(["provider", "add", "--telegram-id", "7", "--provider", MEALS_PROVIDER]) == 0
    assert main(["provider", "add", "--telegram-id", "7", "--provider", CARE_PROVIDER]) == 2
    assert "already a provider member" in capsys.readouterr().err
