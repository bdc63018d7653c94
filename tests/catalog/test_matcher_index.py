"""The matcher's precomputed index gives the same answers as weighing every program afresh.

Per-district views, keywords split by how many words they need, and weights worked out at
build time are speed-ups only: these tests pin what they must not change. The sentences are
written for these tests; none comes from the evaluation set.
"""

import gc

import pytest

from catalog import Matcher
from catalog.bulk import collector_paused
from catalog.matcher import AREA_FACTOR
from catalog.schema import Keywords

MESSAGES = [
    "보일러가 고장나서 수리 신청하고 싶어요",  # two related words agreeing
    "혼자 지내서 도시락 받아보고 싶어요",
    "간벙인 좀 알아봐 주실래요",  # a typo: its lemma is discounted
    "반찬배달해주는곳 찾아요",  # a keyword inside a longer run of letters
    "어르신 병원 동행 서비스 있어요",
    "need someone to fix my boiler",
    "오늘 날씨 좋다",
]


def test_a_districts_scores_are_the_catalog_wide_scores_of_its_programs(matcher, catalog):
    for district in catalog.districts:
        served = {i for i, program in enumerate(matcher.programs) if catalog.serves(program, district)}
        for text in MESSAGES:
            everywhere = matcher.score(text)
            assert matcher.score(text, district=district) == {
                i: score for i, score in everywhere.items() if i in served
            }, (district, text)
            assert matcher.rank(everywhere, district) == matcher.match(text, district)


def test_the_area_factor_is_the_programs_tier_for_the_district(matcher, catalog):
    for district in catalog.districts:
        codes = catalog.area_codes(district)
        for text in MESSAGES:
            everywhere = matcher.score(text)
            by_id = {matcher.programs[i].id: score for i, score in everywhere.items()}
            for match in matcher.match(text, district).matches:
                area = set(catalog.programs[match.program_id].area)
                if district in area:
                    tier = "local"
                elif area & (codes - {"national"}):
                    tier = "city"
                else:
                    tier = "national"
                assert match.score == round(by_id[match.program_id] * AREA_FACTOR[tier], 1)


def _with_keywords(catalog, program_id, keywords):
    program = catalog.programs[program_id].model_copy(update={"keywords": Keywords(ko=keywords)})
    return Matcher(catalog.__class__(
        districts=catalog.districts, providers={}, programs={program.id: program},
        _coverage=catalog._coverage,
    ))


def test_a_keyword_of_several_words_needs_all_of_them(catalog):
    matcher = _with_keywords(catalog, "seocho.handyman", ["형광등 교체"])
    assert [m.program_id for m in matcher.match("형광등 교체해 주세요", "seocho").matches] == ["seocho.handyman"]
    assert matcher.match("형광등이 예뻐요", "seocho").matches == []


def test_every_keyword_sharing_a_word_is_tried(catalog):
    matcher = _with_keywords(catalog, "seocho.handyman", ["형광등 교체", "형광등 수리", "형광등 청소"])
    for text in ("형광등 교체 부탁해요", "형광등 수리 부탁해요", "형광등 청소 부탁해요"):
        assert [m.program_id for m in matcher.match(text, "seocho").matches] == ["seocho.handyman"], text


def test_a_keyword_of_one_word_matches_on_it_alone(catalog):
    matcher = _with_keywords(catalog, "seocho.handyman", ["형광등"])
    assert [m.program_id for m in matcher.match("형광등이 나갔어요", "seocho").matches] == ["seocho.handyman"]


def test_two_keywords_of_one_program_weigh_more_than_one(catalog):
    matcher = _with_keywords(catalog, "seocho.handyman", ["형광등", "전구"])
    one = matcher.score("형광등이 나갔어요")
    both = matcher.score("형광등이랑 전구가 나갔어요")
    assert both[0] > one[0] > 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was_found(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("a failed build")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_what_a_build_makes_goes_to_the_oldest_generation_unexamined():
    with collector_paused():
        built = [[number] for number in range(1000)]
    oldest = {id(thing) for thing in gc.get_objects(generation=2)}
    assert all(id(thing) in oldest for thing in built)
    assert gc.get_freeze_count() == 0, "nothing is left frozen"


def test_objects_frozen_on_purpose_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            [[number] for number in range(10)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_word_read_through_a_typo_weighs_less_than_the_word_itself(catalog):
    matcher = _with_keywords(catalog, "seocho.health119", ["간병인"])
    written = matcher.score("간병인을 구합니다")
    misspelt = matcher.score("간벙인을 구합니다")
    assert 0 < misspelt[0] < written[0]


def test_one_typo_search_sees_the_words_a_letter_shorter_first_then_as_long_then_longer():
    # The order three searches (one per length) used to settle ties in: the first best wins.
    from catalog.matcher import _neighbouring_lengths

    choices = _neighbouring_lengths({2: ["ab"], 3: ["abc", "abd"], 5: ["abcde"]})
    assert choices[3] == ["ab", "abc", "abd"]
    assert choices[4] == ["abc", "abd", "abcde"]
    assert choices[6] == ["abcde"]


def test_keywords_of_several_words_sharing_a_common_word_are_each_found(catalog):
    matcher = _with_keywords(catalog, "seocho.handyman", ["형광등 교체", "수도 교체", "보일러 교체"])
    for text in ("형광등 교체 부탁해요", "수도 교체 부탁해요", "보일러 교체 부탁해요"):
        assert [m.program_id for m in matcher.match(text, "seocho").matches] == ["seocho.handyman"], text
    assert matcher.match("교체 부탁해요", "seocho").matches == []


def test_many_texts_analysed_at_once_read_as_each_alone(matcher):
    # Kiwi shares many texts among its threads; each must come back as itself, in order.
    texts = [f"{n}번째: 보일러가 고장나서 수리 신청해요" if n % 2 else f"어르신 {n}분 병원 동행" for n in range(60)]
    analyzer = matcher.analyzer
    assert analyzer.analyse_afresh(texts) == [analyzer.lemmas(text) for text in texts]
    assert analyzer.lemmas_of_many(reversed(texts)) == {text: analyzer.lemmas(text) for text in texts}

