"""Romanised Korean read back into Hangul (catalog.romanised): the spelling as written, not as
said; only runs of two or more words; English left alone; and what the matcher and the crisis
rules then make of it."""

from __future__ import annotations

import pytest

from catalog import Matcher, detect_crisis, load_catalog
from catalog.results import CrisisKind
from catalog.romanised import KOREAN_LIKE, korean_likeness, to_hangul, with_romanised_read


@pytest.mark.parametrize(("romanised", "hangul"), [
    ("dowajuseyo", "도와주세요"),
    ("isseoyo", "있어요"),  # the ㅆ is heard in the next syllable but written in this one
    ("eopseoyo", "없어요"),  # a double final
    ("byeongwon", "병원"),  # not 변권: "ng" before a vowel
    ("gamsahamnida", "감사합니다"),  # ㅂ said as ㅁ before ㄴ
    ("kamsahamnida", "감사합니다"),  # the older system's "k" for ㄱ
    ("halmeoni", "할머니"),
    ("nampyeon-i", "남편이"),  # a hyphen parts syllables, and joins them
    ("bap", "밥"),
])
def test_a_romanised_word_is_read_back_as_it_is_spelled(romanised, hangul):
    assert to_hangul(romanised) == hangul


@pytest.mark.parametrize("letters", ["xyz", "strength", "q", "ba" * 20])
def test_letters_that_are_no_sequence_of_syllables_are_not_read(letters):
    assert to_hangul(letters) is None


def test_a_run_of_romanised_words_is_written_in_hangul_and_the_english_around_it_kept():
    assert with_romanised_read("ppalli dowajuseyo, the door is stuck") == "빨리 도와주세요, the door is stuck"
    # A short English word inside a run is read with it: "an" is 안.
    assert with_romanised_read("bap an meogeosseoyo") == "밥 안 먹었어요"


@pytest.mark.parametrize("text", [
    "the sweater shrank in the wash and my dad laughed",  # words the project does not know
    "i live alone in seocho and my knees hurt",  # a district's name alone stays English
    "hello jebal. dowajuseyo",  # one word each side of a sentence's end: no run
    "할머니 bap 드셨어요",  # Hangul already
    "",
])
def test_english_and_lone_words_are_left_as_written(text):
    assert with_romanised_read(text) == text


def test_a_word_reads_as_korean_only_when_its_syllables_are_likely():
    assert korean_likeness(to_hangul("halmeoni")) > KOREAN_LIKE
    assert korean_likeness(to_hangul("sweater")) < KOREAN_LIKE


@pytest.mark.parametrize(("text", "kind"), [
    ("jukgo sipeoyo", CrisisKind.SUICIDE),
    ("sumeul mot swieoyo gaseumi apayo", CrisisKind.MEDICAL),
])
def test_danger_told_in_romanised_korean_gets_the_numbers(text, kind):
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.kind is kind


def test_a_request_in_romanised_korean_finds_its_program():
    result = Matcher(load_catalog()).match("jib cheongso dowajul saram isseoyo?", "yongsan")
    assert result.matches and result.matches[0].program_id == "seoul.sos.cleaning"
