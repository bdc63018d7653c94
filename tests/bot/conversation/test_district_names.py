"""Districts typed instead of pressed: misspelt, romanised or in a sentence they are found; a
place the bot does not serve, or a name shared by several districts, is asked again."""

from __future__ import annotations

import pytest

from bot.conversation.district_names import find_district
from bot.conversation.engine import resident_districts

from .conftest import button_data, text


@pytest.fixture(scope="module")
def choices(catalog):
    return resident_districts(catalog)


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("서쵸구", "seocho"),  # one letter wrong
        ("seocho-gu", "seocho"),
        ("Seocho", "seocho"),
        ("서초", "seocho"),
        ("서울 서초구", "seocho"),
        ("SEOCHO GU", "seocho"),
        ("서초에 살아요", "seocho"),
        ("서초동", "seocho"),  # a neighbourhood of Seocho-gu
        ("용싼구", "yongsan"),
        ("은펑구", "eunpyeong"),
        ("eunpyoung", "eunpyeong"),
        ("광진구에 살아요", "gwangjin"),
        ("광주 광산구", "gwangsan"),
        ("sanchong", "sancheong"),
        ("Sancheong-gun, Gyeongnam", "sancheong"),
    ],
)
def test_a_typed_name_finds_its_district(catalog, choices, typed, district):
    assert find_district(typed, catalog.districts, choices) == district


@pytest.mark.parametrize(
    "typed",
    [
        "서울",  # four of the districts are in Seoul
        "광주",  # Gwangju has five districts; only one is served
        "강남구", "서대문구", "서구", "마포구",  # Seoul or elsewhere, not served
        "강진군",  # a county in Jeonnam, one letter from 광진구
        "순창군",  # one letter from 산청군
        "경산",  # one letter from 광산
        "sacheon", "yangcheon-gu",  # real places a few letters from Sancheong
        "광잔구",  # as near to 광진구 as to 광산구
        "hello", "ㅁㄴㅇㄹ", "ho", "gu", "구", "", "   ", "!!!",
    ],
)
def test_a_poor_or_ambiguous_match_is_not_taken(catalog, choices, typed):
    assert find_district(typed, catalog.districts, choices) is None


def test_only_the_districts_offered_can_be_found(catalog):
    assert find_district("서초구", catalog.districts, ["yongsan"]) is None
    assert find_district("서초구", catalog.districts, ["seocho", "no-such-code"]) == "seocho"


def test_a_misspelt_district_typed_in_onboarding_reaches_the_consent_notice(person, db):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    reply = mina.say("서쵸구")
    assert button_data(reply)[:2] == ["consent:yes", "consent:no"]
    assert "서울 서초구" in text(reply)
    mina.say("동의해요")
    assert [r.district for r in db.residents()] == ["seocho"]


def test_a_romanised_district_typed_in_english_onboarding(person, db):
    mina = person()
    mina.say("/start")
    mina.press("lang:en")
    reply = mina.say("seocho-gu")
    assert "Seocho-gu, Seoul" in text(reply)
    assert button_data(reply)[:2] == ["consent:yes", "consent:no"]


def test_a_place_not_served_is_asked_again_with_the_list(person, db):
    mina = person()
    mina.say("/start")
    mina.press("lang:ko")
    reply = mina.say("강남구")
    assert "찾지 못했어요" in text(reply)
    assert "dist:seocho" in button_data(reply) and "dist:sancheong" in button_data(reply)
    assert "consent:yes" not in button_data(reply)
    assert db.residents() == []


def test_changing_settings_accepts_a_typed_district_too(person, db):
    mina = person()
    mina.onboard(district="seocho")
    mina.press("nav:setup")
    mina.press("lang:ko")
    mina.say("광진")
    mina.press("consent:yes")
    [resident] = db.residents()
    assert resident.district == "gwangjin"
