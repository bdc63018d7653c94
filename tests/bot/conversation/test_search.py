"""A resident's words become program cards; categories; nothing found; eligibility lines."""

from __future__ import annotations

from bot.conversation.cards import Fit, seems_to_fit
from bot.core.buttons import parse_press
from catalog import Match, MatchResult
from catalog.schema import Eligibility, Text

from .conftest import button_data, text, texts

SINK = "싱크대 배수구가 막혔어요 고쳐주세요"


class FixedMatcher:
    """A matcher that always answers `result` (for shapes the seed catalog rarely produces)."""

    def __init__(self, result: MatchResult):
        self.result = result

    def match(self, text: str, district: str, **_) -> MatchResult:
        return self.result

    def elsewhere(self, text: str, district: str, **_) -> list[Match]:
        return []


def test_a_blocked_sink_in_seocho_gets_the_repair_program_card(person):
    mina = person()
    mina.onboard("seocho")
    reply = mina.say(SINK)
    first = reply.messages[0]
    assert "서리풀 뚝딱이" in first.text
    assert "02-2155-8281" in first.text  # phone on the card
    assert "💰" in first.text and "📝" in first.text and "👥" in first.text
    assert button_data(first) == ["req:start:seocho.handyman", "prog:more:seocho.handyman"]
    assert len(reply.messages) <= 3


def test_an_english_resident_reads_english_cards(person):
    sam = person("Sam")
    sam.onboard("seocho", language="en")
    reply = sam.say("Can someone fix my sink?")
    assert "Seoripul Handyman" in reply.messages[0].text
    assert "Request" in [b.label for row in reply.messages[0].buttons for b in row]


def test_a_program_that_takes_no_requests_has_no_request_button(person, catalog):
    mina = person()
    mina.onboard("seocho")
    reply = mina.say("빨래 좀 해주세요")
    card = next(m for m in reply.messages if "런드리고" in m.text)
    assert not catalog.programs["private.laundrygo"].apply.bookable
    assert button_data(card) == ["prog:more:private.laundrygo"]
    assert "(민간 유료)" in card.text


def test_providers_in_the_residents_district_are_named(person, catalog):
    mina = person()
    mina.onboard("yongsan")
    reply = mina.say("밥 해먹기 힘들어요 도시락 받고 싶어요")
    card = reply.messages[0]
    assert "돌봄SOS 식사지원" in card.text
    provider_names = [p.name.ko for p in catalog.providers_for("seoul.sos.meal", "yongsan")]
    assert provider_names and any(name in card.text for name in provider_names)


def test_eligibility_line_says_whether_the_resident_seems_to_fit(person):
    young, old, unknown = person("Young"), person("Old"), person("Unknown")
    young.onboard("seocho", age="under-40")
    old.onboard("seocho", age="60s")
    unknown.onboard("seocho")
    meal = "도시락 배달 받고 싶어요"  # Dolbom SOS meals: from age 50
    assert "맞지 않을 수 있어요" in young.say(meal).messages[0].text
    assert "받으실 수 있을 것 같아요" in old.say(meal).messages[0].text
    assert "잘 모르겠어요" in unknown.say(meal).messages[0].text


def test_seems_to_fit_compares_age_bands_and_genders():
    def rule(**fields) -> Eligibility:
        return Eligibility(summary=Text(ko="누구나"), **fields)

    assert seems_to_fit(rule(), age_band=None, gender=None) is Fit.YES
    assert seems_to_fit(rule(age_min=50), age_band="60s", gender=None) is Fit.YES
    assert seems_to_fit(rule(age_min=50), age_band="40s", gender=None) is Fit.NO
    assert seems_to_fit(rule(age_min=65), age_band="60s", gender=None) is Fit.UNKNOWN  # 60–69 straddles 65
    assert seems_to_fit(rule(age_max=39), age_band="under-40", gender=None) is Fit.YES
    assert seems_to_fit(rule(age_max=39), age_band="70-plus", gender=None) is Fit.NO
    assert seems_to_fit(rule(age_min=50), age_band=None, gender=None) is Fit.UNKNOWN
    assert seems_to_fit(rule(genders=["female"]), age_band=None, gender="female") is Fit.YES
    assert seems_to_fit(rule(genders=["female"]), age_band=None, gender="male") is Fit.NO
    assert seems_to_fit(rule(genders=["female"]), age_band="60s", gender=None) is Fit.UNKNOWN
    assert seems_to_fit(rule(age_min=50, genders=["female"]), age_band="40s", gender=None) is Fit.NO


def test_nothing_found_says_so_with_categories_and_helplines(person, catalog):
    mina = person()
    mina.onboard("seocho")
    reply = mina.say("오늘 날씨 좋네요")
    assert "찾지 못했어요" in text(reply)
    assert "120" in text(reply) and "129" in text(reply)
    categories = [d for d in button_data(reply) if d.startswith("cat:")]
    present = {p.category.value for p in catalog.programs_for("seocho")}
    assert {d.removeprefix("cat:") for d in categories} == present
    assert "📌" not in text(reply)


def test_nothing_found_here_says_where_such_help_exists(person):
    # Gwangjin has no home-security program of its own; Seocho has one, for its residents only.
    for language, words, area in (("ko", "방범 서비스 받고 싶어요", "서초구"), ("en", "home security", "Seocho")):
        sora = person()
        sora.onboard("gwangjin", language=language)
        reply = sora.say(words)
        assert len(reply.messages) == 1
        assert "서리풀 보디가드" in text(reply) or "Seoripul Bodyguard" in text(reply)
        assert area in text(reply)
        assert all(d.startswith("cat:") for d in button_data(reply))  # nothing to request from here


def test_asking_to_be_checked_on_mentions_the_bots_own_check_ins(person):
    # Seocho has a check-in program: its card, then the bot's own check-ins. Yongsan has none:
    # where it exists, and the bot's own check-ins.
    asking = "혼자 사는데 매일 안부 확인해 주는 서비스가 있을까요"
    mina = person()
    mina.onboard("seocho")
    reply = mina.say(asking)
    assert "서리풀 문안인사" in reply.messages[0].text and "/checkin" in reply.messages[-1].text
    sora = person()
    sora.onboard("yongsan")
    assert "/checkin" in text(sora.say(asking))
    # Once they have check-ins, the bot does not offer them again.
    sora.say("/checkin")
    sora.press("ck:days:daily")
    sora.press("ck:time:0900")
    assert "/checkin" not in text(sora.say(asking))
    # Other searches never mention them.
    assert "/checkin" not in text(mina.say(SINK))


def test_a_broad_ask_lists_the_districts_programs_with_the_category_menu(person, catalog):
    mina = person()
    mina.onboard("seocho")
    reply = mina.say("우리 동네 사람들이 이용할 수 있는 복지 서비스 뭐 있어요?")
    assert len(reply.messages) == 1  # one short message, not a card per program
    assert "서초구" in text(reply)
    data = button_data(reply)
    listed = [d.removeprefix("prog:more:") for d in data if d.startswith("prog:more:")]
    assert len(listed) >= 3 and all(pid.startswith("seocho.") for pid in listed)
    categories = {d.removeprefix("cat:") for d in data if d.startswith("cat:")}
    assert categories == {p.category.value for p in catalog.programs_for("seocho")}
    card = mina.press(f"prog:more:{listed[0]}")
    assert catalog.programs[listed[0]].name.ko in text(card)


def test_a_broad_ask_in_english_lists_the_citys_programs_where_the_district_has_none(person):
    sam = person("Sam")
    sam.onboard("eunpyeong", language="en")
    reply = sam.say("What services can residents here use?")
    assert "Eunpyeong" in text(reply)
    listed = [d.removeprefix("prog:more:") for d in button_data(reply) if d.startswith("prog:more:")]
    assert len(listed) >= 3 and all(pid.startswith("seoul.") for pid in listed)


def test_a_how_to_question_that_shares_a_programs_word_finds_nothing(person):
    mina = person()
    mina.onboard("gwangjin")
    reply = mina.say("세탁기 헹굼은 몇 번 하는 게 좋아요?")
    assert "찾지 못했어요" in text(reply)


def test_small_talk_names_no_other_area(person):
    mina = person()
    mina.onboard("gwangjin")
    assert "다른 지역" not in text(mina.say("오늘 날씨 좋네요"))


def test_menu_then_category_lists_the_districts_programs(person):
    mina = person()
    mina.onboard("seocho")
    menu = mina.say("/menu")
    assert "cat:repairs" in button_data(menu)
    listing = mina.press("cat:repairs")
    data = button_data(listing)
    assert data[0] == "prog:more:seocho.handyman"  # the district's own program first
    assert all(d.startswith("prog:more:") for d in data)
    card = mina.press("prog:more:seocho.handyman")
    assert "서리풀 뚝딱이" in text(card)
    assert button_data(card) == ["req:start:seocho.handyman"]  # already the detailed card


def test_a_long_national_program_id_still_fits_in_a_button(person, catalog):
    mina = person()
    mina.onboard("seocho")
    long_ids = [pid for pid in catalog.programs if len(pid) > 54]
    assert long_ids, "the catalog has national ids too long for plain button data"
    category = catalog.programs[long_ids[0]].category
    listing = mina.press(f"cat:{category}")
    refs = [d for d in button_data(listing) if d.startswith("prog:more:#")]
    assert refs
    for data in button_data(listing):
        assert len(data.encode()) <= 64 and parse_press(data) is not None
    card = mina.press(refs[0])
    assert "📌" in text(card)


def test_ambiguous_matches_ask_which_one_with_the_top_names(person, make_conversation):
    result = MatchResult(matches=[Match("seocho.bodyguard", 60), Match("seoul.sos.cleaning", 57)], ambiguous=True)
    conversation = make_conversation(matcher=FixedMatcher(result))
    mina = person(on=conversation)
    mina.onboard("seocho")
    reply = mina.say("청소도 해야 하고 보안도 걱정돼요")
    assert len(reply.messages) == 1
    assert button_data(reply) == ["prog:more:seocho.bodyguard", "prog:more:seoul.sos.cleaning"]
    assert "서리풀 보디가드" in [b.label for row in reply.messages[0].buttons for b in row]
    picked = mina.press("prog:more:seoul.sos.cleaning")
    assert "청소" in text(picked)


def test_more_than_three_matches_offer_other_results(person, make_conversation):
    ids = ["seoul.sos.meal", "seoul.sos.escort", "seoul.sos.cleaning", "seocho.health119", "seoul.sos.home-care"]
    result = MatchResult(matches=[Match(pid, 90 - i) for i, pid in enumerate(ids)])
    mina = person(on=make_conversation(matcher=FixedMatcher(result)))
    mina.onboard("seocho")
    reply = mina.say("아파서 병원 가고 밥도 못먹고 청소도 못해요")
    cards = [m for m in reply.messages if m.text.startswith("📌")]
    assert len(cards) == 3
    assert button_data(reply).count("prog:next") == 1
    more = mina.press("prog:next")
    assert [m.text.splitlines()[0] for m in more.messages] == ["📌 서리풀 건강119", "📌 돌봄SOS 일시재가"]
    assert "prog:next" not in button_data(more)
    assert "버튼" in text(mina.press("prog:next"))  # nothing left: an old button


def test_three_or_fewer_matches_have_no_other_results_button(person):
    mina = person()
    mina.onboard("seocho")
    assert "prog:next" not in button_data(mina.say(SINK))


def test_find_command_searches_like_free_text(person):
    mina = person()
    mina.onboard("seocho")
    assert "req:start:seocho.handyman" in button_data(mina.say("/find " + SINK))
    assert "/find" in text(mina.say("/find"))


def test_help_lists_what_a_resident_can_do(person):
    mina = person()
    mina.onboard()
    reply = mina.say("/help")
    for command in ("/menu", "/bookings", "/privacy", "/forget"):
        assert command in text(reply)
    assert "/queue" not in text(reply)


def test_a_program_of_another_district_is_not_shown_from_a_forged_button(person):
    mina = person()
    mina.onboard("yongsan")
    reply = mina.press("prog:more:seocho.handyman")
    assert "서리풀 뚝딱이" not in text(reply)
    assert "버튼" in text(reply)
    assert "버튼" in text(mina.press("req:start:seocho.handyman"))


def test_cards_stay_within_one_message(person):
    mina = person()
    mina.onboard("seocho")
    for message in mina.press("cat:income").messages:
        assert len(message.text) <= 4096
    assert all(len(t) <= 4096 for t in texts(mina.say(SINK)))
