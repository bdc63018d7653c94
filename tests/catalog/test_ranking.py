"""Ranking the national programs by their whole text (catalog.ranking), fused with the keywords.

Every sentence here is written for these tests; none comes from an evaluation set.
"""

from __future__ import annotations

import json

import pytest

from catalog import Matcher, load_catalog
from catalog.loader import data_dir
from catalog.matcher import texts_to_analyse
from catalog.morphology import LemmaCache, phrases_digest, shared_analyzer, shipped_analyses_path
from catalog.ranking import (
    TEXT_MIN,
    TEXT_MIN_ASKING,
    TEXT_MIN_ASKING_WORDS,
    WORDS_MET,
    ProgramText,
    SpelledNames,
    TextIndex,
    TextWeights,
    load_passages,
    national_scores,
    passages_path,
)
from catalog.text import clean
from catalog.tools.evaluation import PARTS, evaluate, program_part, read_cases
from catalog.tools.national_import import build_passages, render_passages

REGENERATE = "run `ddokddok catalog import-national` and then `ddokddok catalog keyword-analyses`"


def ids(result) -> list[str]:
    return [match.program_id for match in result.matches]


# ---- the whole booklet is read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "district", "program", "word"),
    [
        ("겨울에 연탄 살 돈이 없는데 지원 받을 수 있나요?", "gwangsan", "national.eneojibaucheo", "연탄"),
        ("어머니가 백내장 수술을 받으셔야 하는데 비용 지원이 되나요?", "yongsan",
         "national.noin-angeomjin-mit-gaeansusul", "백내장"),
    ],
)
def test_a_program_no_keyword_names_is_found_by_its_text(matcher, catalog, text, district, program, word):
    card = catalog.programs[program]
    assert word not in " ".join([card.name.ko, *card.keywords.ko, *card.related.ko])
    assert program not in matcher.explain(text), "the keywords alone do not find it"
    national = [pid for pid in ids(matcher.match(text, district)) if pid.startswith("national.")]
    assert national[0] == program


def test_a_word_only_the_booklets_passages_hold_finds_its_program(matcher, catalog):
    program = "national.jeosodeukcheung-eneojihyoyul-gaeseon"
    asking = "집 창호가 낡아서 외풍이 심한데 교체 지원 받을 수 있나요?"
    card = catalog.programs[program]
    shown = [card.name.ko, *card.keywords.ko, *card.related.ko, card.summary.ko, card.eligibility.summary.ko,
             card.apply.summary.ko, card.cost.summary.ko]
    assert "창호" not in " ".join(shown) and any("창호" in passage for passage in load_passages()[program])
    assert program in ids(matcher.match(asking, "sancheong"))[:3]
    bare = Matcher(catalog, passages={})
    assert program not in ids(bare.match(asking, "sancheong", limit=50))


@pytest.mark.parametrize(
    "text",
    [
        "연탄 다 떨어졌네 ㅋㅋ",
        "백내장 수술 잘 끝났대",
        "어제 친구랑 영화 봤어",
        "건강검진 받으러 왔어",
        "귀농한 지 벌써 삼 년이네",
    ],
)
def test_small_talk_with_the_booklets_words_still_finds_nothing(matcher, text):
    for district in ("seocho", "sancheong", "gwangsan"):
        assert matcher.match(text, district).matches == [], (text, district)


def test_a_question_without_a_word_of_welfare_needs_a_much_closer_text(matcher):
    # Small talk asks questions too: the text decides for it only far above a welfare question.
    assert TEXT_MIN_ASKING > 2 * TEXT_MIN
    assert matcher.match("강아지 예방접종은 어디서 맞혀요?", "seocho").matches == []


def test_the_districts_own_program_ranks_first_when_both_fit(matcher):
    asking = "어머니 간병 서비스를 신청하고 싶어요"
    here = ids(matcher.match(asking, "seocho"))
    assert here[0] == "seocho.health119"
    assert "national.gasa-ganbyeong-bangmun-jiwonsaeop" in here, "the national program is still offered"
    # Where no local program fits, the national one comes first.
    assert ids(matcher.match(asking, "sancheong"))[0] == "national.gasa-ganbyeong-bangmun-jiwonsaeop"


def test_a_repair_request_keeps_its_local_programs_first(matcher):
    found = ids(matcher.match("싱크대 수도꼭지가 고장 나서 물이 새요 수리 지원 되나요?", "seocho"))
    assert found[:2] == ["seocho.handyman", "seoul.sos.home-repair"]


@pytest.mark.parametrize(
    ("text", "program"),
    [("기초연금 신청하려면 어디로 가요?", "national.gichoyeongeumjedo"),
     ("에너지바우처 신청하려면 어디로 가요?", "national.eneojibaucheo")],
)
def test_a_programs_name_said_outright_ranks_it_first(matcher, text, program):
    assert ids(matcher.match(text, "gwangsan"))[0] == program


@pytest.mark.parametrize(
    ("text", "program"),
    [("햇살론15 지원 대상이 누구예요?", "national.haetsallon15"),
     ("햇살론 지원 대상이 누구예요?", "national.haetsallon"),
     ("장애아동수당 신청 자격이 궁금해요", "national.jangaeadongsudang"),
     ("아동수당 신청 자격이 궁금해요", "national.adongsudang")],
)
def test_a_whole_name_said_outranks_a_name_inside_it_or_around_it(matcher, text, program):
    # "햇살론15" and "햇살론" read as the same lemmas (the analyser drops the number).
    assert ids(matcher.match(text, "sancheong"))[0] == program


def test_spelled_names_are_found_whole_and_the_longest_wins():
    names = SpelledNames([(0, "아동수당"), (1, "장애아동수당"), (2, "햇살론15"), (3, "햇살론"),
                          (4, "임신·출산 진료비(국민행복카드)"), (5, "수당")])
    assert names.said("장애아동수당신청") == [1]
    assert names.said("아동수당이랑장애아동수당") == [0, 1]
    assert names.said("햇살론15는") == [2]
    assert names.said("햇살론은") == [3]
    assert names.said("임신출산진료비지원") == [4], "spacing, dots and the bracketed part do not count"
    assert names.said("수당") == [], "two letters are a word, not a name said"
    assert names.said("") == []


# ---- the index itself ------------------------------------------------------------------------


def _text(index: int, name: str, *body: str) -> ProgramText:
    name_lemmas = (tuple(name.split()),)
    return ProgramText(index, name_lemmas, name_lemmas + tuple(tuple(b.split()) for b in body))


def test_bm25_prefers_the_name_and_neighbouring_words():
    index = TextIndex([
        _text(0, "아동 수당", "만 8세 미만 아동 매월 지급"),
        _text(1, "장애 아동 수당", "장애 아동 양육 가정 수당 지급"),
        _text(2, "노인 일자리", "노인 사회 활동 지원"),
        _text(3, "주거 급여", "임차 가구 월세 지원"),
    ])
    weights = index.scores(["아동", "수당", "받다"])
    assert max(weights, key=weights.get) == 0  # "아동 수당" as neighbours, the whole name
    assert 2 not in weights and 3 not in weights


def test_letters_meet_a_compound_split_another_way():
    index = TextIndex([
        _text(0, "직업 훈련", "국민내일배움카드 발급"),
        _text(1, "청년 월세", "청년 주거 월세 지원"),
        _text(2, "노인 일자리", "노인 사회 활동"),
        _text(3, "아동 수당", "아동 양육"),
    ])
    weights = index.scores(["내일", "배움"])  # one noun there, two words here
    assert list(weights) == [0]


def test_words_met_counts_the_distinct_lemmas_a_programs_text_holds():
    index = TextIndex([
        _text(0, "마을 목공 교실", "목공 공구 대여 비용 안전 교육"),
        _text(1, "아동 수당", "아동 양육 비용"),
        _text(2, "노인 일자리", "노인 사회 활동"),
        _text(3, "주거 급여", "임차 가구 월세"),
    ])
    weights = index.scores(["공구", "대여", "공구", "비용", "얼마"])
    assert isinstance(weights, TextWeights)
    # 공구 once though said twice; "공구 대여" is a pair and the letters are no words of the message.
    assert weights.words_met == {0: 3, 1: 1}
    assert weights[0] > weights[1]


def test_a_question_meeting_several_words_of_one_program_fits_below_the_asking_threshold():
    assert TEXT_MIN < TEXT_MIN_ASKING_WORDS < TEXT_MIN_ASKING and WORDS_MET >= 3
    national = {0, 1}

    def weighed(best: float, met: int) -> TextWeights:
        weights = TextWeights()
        weights.update({0: best, 1: best / 2})
        weights.words_met.update({0: met, 1: 1})
        return weights

    between = (TEXT_MIN_ASKING_WORDS + TEXT_MIN_ASKING) / 2
    assert list(national_scores({}, weighed(between, WORDS_MET), national, welfare=False, asks=True)) == [0, 1]
    # Small talk that asks meets a program on a word or two: the text does not decide for it.
    assert national_scores({}, weighed(between, WORDS_MET - 1), national, welfare=False, asks=True) == {}
    assert national_scores({}, weighed(TEXT_MIN_ASKING_WORDS - 1, 9), national, welfare=False, asks=True) == {}
    assert national_scores({}, weighed(between, WORDS_MET), national, welfare=False, asks=False) == {}
    # Weights without the count (a plain mapping) keep to TEXT_MIN_ASKING.
    assert national_scores({}, {0: between}, national, welfare=False, asks=True) == {}


def test_the_anchor_is_plain_bm25_of_the_lemmas(matcher):
    question = "어머니가 백내장 수술을 받으셔야 하는데 비용 지원이 되나요?"
    anchor = matcher.anchor_ranking(question)
    assert len(anchor) == 3 and all(pid.startswith("national.") for pid in anchor)


def test_national_scores_follow_the_text_and_ask_for_a_word_of_welfare():
    national = {0, 1, 2}
    text = {0: 80.0, 1: 50.0, 2: 10.0}
    fitted = national_scores({}, text, national, welfare=True, asks=True)
    assert sorted(fitted, key=fitted.get, reverse=True) == [0, 1]  # 2 is far behind
    assert national_scores({}, text, national, welfare=False, asks=False) == {}
    weak = {0: TEXT_MIN_ASKING - 1}
    assert national_scores({}, weak, national, welfare=False, asks=True) == {}
    assert national_scores({}, weak, national, welfare=True, asks=False) != {}
    # A program the keywords found keeps its score when the text does not decide.
    assert national_scores({2: 55.0}, {2: 5.0}, national, welfare=False, asks=False) == {2: 55.0}


# ---- the saved index -------------------------------------------------------------------------


def test_the_index_is_kept_and_read_back_on_the_next_start(catalog, tmp_path, monkeypatch):
    cache = LemmaCache(tmp_path / "keywords.json")
    first = Matcher(catalog, lemma_cache=cache)
    saved = list(tmp_path.glob("text-index-*.marshal"))
    assert len(saved) == 1

    def no_building(*args, **kwargs):
        raise AssertionError("an unchanged catalog's index is read, not built")

    monkeypatch.setattr(TextIndex, "__init__", no_building)
    second = Matcher(catalog, lemma_cache=cache)
    question = "겨울에 연탄 살 돈이 없는데 지원 받을 수 있나요?"
    assert ids(second.match(question, "gwangsan")) == ids(first.match(question, "gwangsan"))
    assert second.anchor_ranking(question) == first.anchor_ranking(question)


def test_a_changed_catalog_or_a_broken_file_builds_the_index_afresh(catalog, tmp_path):
    cache = LemmaCache(tmp_path / "keywords.json")
    Matcher(catalog, lemma_cache=cache)
    saved = next(tmp_path.glob("text-index-*.marshal"))
    before = saved.read_bytes()
    Matcher(catalog, lemma_cache=cache, passages={})  # other texts: another key
    assert saved.read_bytes() != before
    saved.write_bytes(b"\x00broken")
    rebuilt = Matcher(catalog, lemma_cache=cache)
    found = rebuilt.match("겨울에 연탄 살 돈이 없는데 지원 받을 수 있나요?", "gwangsan")
    assert ids(found)[0] == "national.eneojibaucheo"


# ---- generated files ---------------------------------------------------------------------------


def test_committed_passages_equal_a_fresh_import():
    chunks = json.loads((data_dir() / "sources" / "national-welfare-2024.json").read_text(encoding="utf-8"))
    assert passages_path().read_text(encoding="utf-8") == render_passages(build_passages(chunks)), REGENERATE


def test_passages_are_stored_cleaned_and_belong_to_national_programs(catalog):
    passages = load_passages()
    assert set(passages) <= set(catalog.programs)
    assert all(clean(text) == text for texts in passages.values() for text in texts)


def test_the_shipped_text_analyses_are_current(catalog):
    shipped = json.loads(shipped_analyses_path("text").read_text(encoding="utf-8"))
    texts = texts_to_analyse(list(catalog.programs.values()))
    assert shipped["analyser"] == shared_analyzer().signature(), REGENERATE
    assert shipped["phrases"] == phrases_digest(texts), REGENERATE


# ---- measuring ------------------------------------------------------------------------------------


def test_programs_split_into_two_fixed_halves(catalog):
    national = sorted(pid for pid in catalog.programs if pid.startswith("national."))
    parts = [program_part(pid) for pid in national]
    assert set(parts) == set(PARTS)
    assert 0.4 < parts.count("tune") / len(parts) < 0.6
    assert [program_part(pid) for pid in national] == parts  # the same on every run


def test_eval_scores_national_questions_beside_the_bm25_anchor(matcher, tmp_path):
    lines = [
        {"district": "gwangsan", "text": "겨울에 연탄 살 돈이 없는데 지원 받을 수 있나요?",
         "expect": ["national.eneojibaucheo"]},
        {"district": "yongsan", "text": "어머니가 백내장 수술을 받으셔야 하는데 비용 지원이 되나요?",
         "expect": ["national.noin-angeomjin-mit-gaeansusul"]},
        {"district": "seocho", "text": "귀농한 지 벌써 삼 년이네", "expect": []},
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    report = evaluate(matcher, read_cases(path))
    printed = "\n".join(report.lines())
    assert "national results (2 questions about one national program): top-1 100.0% (2/2)" in printed
    assert "BM25 anchor" in printed
    figures = report.figures()
    assert figures["national_cases"] == 2 and figures["national_nothing"] == 0.0
    assert 0.0 <= figures["national_anchor_top3"] <= 1.0


def test_a_catalog_without_national_programs_ranks_on_keywords_alone(tmp_path):
    tiny = load_catalog([data_dir() / "catalog" / "districts.toml", data_dir() / "catalog" / "seocho.toml"])
    matcher = Matcher(tiny, lemma_cache=LemmaCache(tmp_path / "k.json"))
    assert ids(matcher.match("싱크대가 막혔어요 수리 지원 되나요", "seocho"))[0] == "seocho.handyman"
    assert matcher.anchor_ranking("연탄 지원 받을 수 있나요?") == []
