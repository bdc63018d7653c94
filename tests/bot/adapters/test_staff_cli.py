"""`ddokddok staff add|list|remove` against a SQLite file named by DATABASE_URL."""

from __future__ import annotations

from bot.cli.main import main


def test_add_list_remove(command_database, capsys):
    assert main(["staff", "add", "--telegram-id", "501", "--district", "seocho", "--name", "김주무관"]) == 0
    assert main(["staff", "add", "--telegram-id", "502", "--district", "yongsan", "--name", "Officer Lee"]) == 0
    assert "added staff member 김주무관 (telegram id 501) to seocho" in capsys.readouterr().out

    assert main(["staff", "list"]) == 0
    listing = capsys.readouterr().out
    assert "501" in listing and "김주무관" in listing and "Officer Lee" in listing

    assert main(["staff", "list", "--district", "seocho"]) == 0
    listing = capsys.readouterr().out
    assert "김주무관" in listing and "Officer Lee" not in listing

    assert main(["staff", "remove", "--telegram-id", "501"]) == 0
    capsys.readouterr()
    assert main(["staff", "list", "--district", "seocho"]) == 0
    assert capsys.readouterr().out.strip() == "no staff members in seocho"


def test_unknown_district_is_a_clear_error(command_database, capsys):
    assert main(["staff", "add", "--telegram-id", "501", "--district", "gangnam", "--name", "Kim"]) == 2
    error = capsys.readouterr().err
    assert "unknown district 'gangnam'" in error and "seocho" in error
    assert main(["staff", "list", "--district", "gangnam"]) == 2


def test_adding_twice_or_removing_a_stranger_is_a_clear_error(command_database, capsys):
    assert main(["staff", "add", "--telegram-id", "501", "--district", "seocho", "--name", "Kim"]) == 0
    assert main(["staff", "add", "--telegram-id", "501", "--district", "yongsan", "--name", "Kim"]) == 2
    assert "already staff of 'seocho'" in capsys.readouterr().err
    assert main(["staff", "remove", "--telegram-id", "999"]) == 2
    assert "telegram id 999 is not a staff member" in capsys.readouterr().err


def test_blank_name_is_refused(command_database, capsys):
    assert main(["staff", "add", "--telegram-id", "501", "--district", "seocho", "--name", "  "]) == 2
    assert "--name" in capsys.readouterr().err


def test_invalid_settings_are_reported_not_raised(command_database, monkeypatch, capsys):
    monkeypatch.setenv("FLOOD_MAX_MESSAGES", "0")
    assert main(["staff", "list"]) == 2
    assert "invalid settings" in capsys.readouterr().err
