"""The message texts, the button data format and typed dates."""

from __future__ import annotations

import ast
import re
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import bot.conversation
from bot.conversation.dates import parse_typed_date
from bot.conversation.engine import dynamic_text_keys
from bot.core.buttons import Action, Press, ProgramRefs, button_data, parse_press
from bot.core.texts import Texts, TextsError, messages_dir, placeholders

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # Monday 10:00 in Seoul


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


def test_korean_and_english_have_the_same_keys_and_placeholders():
    ko = Texts.load().by_language["ko"]
    en = Texts.load().by_language["en"]
    assert ko.keys() == en.keys()
    for key in ko:
        assert placeholders(ko[key]) == placeholders(en[key]), key


def test_both_files_are_plain_toml_with_only_texts():
    for language in ("ko", "en"):
        raw = tomllib.loads((messages_dir() / f"{language}.toml").read_text(encoding="utf-8"))
        assert raw  # sections of key = "text"


def _text_keys_in_code(sections: set[str]) -> set[str]:
    keys = set()
    for path in Path(bot.conversation.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstrings
                    and re.fullmatch(r"[a-z_]+\.[a-z0-9_-]+", node.value)
                    and node.value.split(".")[0] in sections):
                keys.add(node.value)
    return keys


def test_every_key_used_in_code_exists(texts):
    sections = {key.split(".")[0] for key in texts.keys()}
    used = _text_keys_in_code(sections)
    assert len(used) > 100  # the scan found the keys
    assert used - texts.keys() == set()
    assert dynamic_text_keys() - texts.keys() == set()


def test_a_missing_translation_fails_at_load_time(tmp_path):
    (tmp_path / "ko.toml").write_text('[a]\nb = "안녕 {name}"\nc = "더"\n', encoding="utf-8")
    (tmp_path / "en.toml").write_text('[a]\nb = "Hello"\n', encoding="utf-8")
    with pytest.raises(TextsError) as error:
        Texts.load(tmp_path)
    assert "'a.c'" in str(error.value) and "placeholders" in str(error.value)


def test_get_fills_placeholders_and_missing_keys_raise(texts):
    assert texts.get("ko", "booking.sent", number=17).count("17") == 1
    assert "17" in texts.get("en", "booking.sent", number=17)
    assert texts.get("fr", "button.confirm") == texts.get("ko", "button.confirm")
    with pytest.raises(KeyError):
        texts.get("ko", "no.such_key")
    with pytest.raises(KeyError):
        texts.require({"no.such_key"})


# --- button data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "value"),
    [
        (Action.LANGUAGE, "ko"), (Action.DISTRICT, "seocho"), (Action.CONSENT, "yes"),
        (Action.AGE, "70-plus"), (Action.AGE, "skip"), (Action.GENDER, "female"), (Action.MENU, None),
        (Action.CATEGORY, "check-in"), (Action.PROGRAM_MORE, "seocho.health119"),
        (Action.OTHER_RESULTS, None), (Action.REQUEST, "seoul.sos.meal"), (Action.DATE, date(2025, 3, 5)),
        (Action.TIME, "any"), (Action.CONFIRM, None), (Action.CANCEL_BOOKING, 17),
        (Action.STAFF_ACCEPT, 17), (Action.STAFF_DECLINE, 2**31 - 1), (Action.STAFF_NO_REASON, 1),
        (Action.STAFF_DONE, 17), (Action.FORGET_YES, None),
    ],
)
def test_button_data_round_trips(action, value):
    data = button_data(action, value)
    assert len(data.encode()) <= 64
    assert parse_press(data) == Press(action, value)


def test_the_documented_formats():
    assert button_data(Action.STAFF_ACCEPT, 17) == "st:acc:17"
    assert button_data(Action.STAFF_DECLINE, 17) == "st:dec:17"
    assert button_data(Action.CANCEL_BOOKING, 17) == "bk:cancel:17"
    assert button_data(Action.REQUEST, "seocho.health119") == "req:start:seocho.health119"
    assert button_data(Action.PROGRAM_MORE, "seocho.health119") == "prog:more:seocho.health119"


def test_button_data_refuses_what_it_could_not_read_back():
    with pytest.raises(ValueError):
        button_data(Action.STAFF_ACCEPT, -1)
    with pytest.raises(ValueError):
        button_data(Action.MENU, "x")
    with pytest.raises(ValueError):
        button_data(Action.LANGUAGE, "fr")


def test_program_refs_shorten_long_ids_and_resolve_back(catalog):
    refs = ProgramRefs(catalog.programs)
    for program_id in catalog.programs:
        ref = refs.ref(program_id)
        assert refs.resolve(ref) == program_id
        assert len(button_data(Action.REQUEST, ref).encode()) <= 64
    assert refs.ref("seocho.health119") == "seocho.health119"
    assert refs.resolve("#000000000000") is None


# --- typed dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2025-03-15", date(2025, 3, 15)),
        ("2025.3.15", date(2025, 3, 15)),
        ("3-15", date(2025, 3, 15)),
        ("3/15", date(2025, 3, 15)),
        ("3월 15일", date(2025, 3, 15)),
        ("３월１５일", date(2025, 3, 15)),  # full-width digits from a Korean keyboard
        ("2025년 3월 15일", date(2025, 3, 15)),
        ("오늘", date(2025, 3, 3)),
        ("내일", date(2025, 3, 4)),
        ("모레", date(2025, 3, 5)),
        ("tomorrow", date(2025, 3, 4)),
        ("1-5", date(2026, 1, 5)),  # already past this year: next year
        ("2-30", None),
        ("다음 주", None),
        ("15", None),
    ],
)
def test_typed_dates(typed, expected):
    assert parse_typed_date(typed, NOW) == expected


def test_today_is_the_korean_date():
    late_utc = datetime(2025, 3, 2, 20, 0, tzinfo=UTC)  # already 05:00 on 3 March in Seoul
    assert parse_typed_date("오늘", late_utc) == date(2025, 3, 3)
