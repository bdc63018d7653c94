"""The learned kind of help a request asks for (catalog.need_model) and its training
(catalog.tools.need_training): its file is the one its sentences make, it knows the kinds the
district and city programs give, and in the matcher it orders and lifts local programs only."""

from __future__ import annotations

import json

import pytest

import catalog.need_model as need_model
from catalog.linear_model import LinearModel
from catalog.matcher import NEED_BONUS, Scores
from catalog.need_model import BROAD, KINDS, LABELS, broad_chance, need_chances
from catalog.schema import NATIONAL, Category
from catalog.tools import model_training, need_training


def test_the_shipped_model_was_trained_on_the_shipped_sentences_as_they_read_now():
    """A changed training file, or a changed reading of it, needs `ddokddok catalog need-model`
    run again."""
    written = json.loads(need_training.MODEL_FILE.read_text(encoding="utf-8"))
    assert written["trained_on"] == model_training.files_digest(need_training.TRAINING_FILE)
    assert written["read_as"] == model_training.reading_digest(need_training.training_pairs())
    assert tuple(written["labels"]) == LABELS


def test_every_kind_of_help_the_districts_give_is_one_the_model_knows(catalog):
    """A district or city program of a kind the model was not taught gets no word from it."""
    local_kinds = {program.category for program in catalog.programs.values() if NATIONAL not in program.area}
    assert local_kinds <= set(KINDS)


def test_a_training_line_with_an_unknown_kind_is_an_error_with_its_line_number(tmp_path):
    training = tmp_path / "training.jsonl"
    training.write_text('{"text": "보일러가 고장났어요", "label": "repairs"}\n'
                        '{"text": "집 좀 구해 주세요", "label": "housing"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"training.jsonl:2: label 'housing'"):
        need_training.training_pairs(training)


@pytest.mark.parametrize("text, kind", [
    ("다리를 다쳐서 다음 주 정형외과 갈 때 같이 가 줄 사람이 필요해요", Category.ESCORT),
    ("화장실 변기 물이 계속 새는데 고쳐 줄 분 있을까요", Category.REPAIRS),
    ("요즘 밥 해 먹을 기운이 없어서 도시락 같은 거 받을 수 있나요", Category.MEALS),
    ("퇴근하고 집에 오면 너무 적적해서 누구랑 이야기라도 하고 싶어요", Category.COUNSELLING),
    ("can someone help me wash my heavy winter blankets? my shoulder is bad", Category.LAUNDRY),
    ("I am 66 and would like some part-time work near my home", Category.JOBS),
])
def test_the_shipped_model_reads_the_kind_of_help(text, kind):
    chances = need_chances(text)
    assert max(chances, key=chances.__getitem__) is kind
    assert sum(chances.values()) + broad_chance(text) == pytest.approx(1.0)


def sure_of(kind: Category) -> LinearModel:
    """A model that gives `kind` all but certainty, whatever the message."""
    return LinearModel(labels=LABELS, bias=tuple(30.0 if label == kind else 0.0 for label in LABELS), weights={})


# Its keywords meet both the meal and the escort programs of Seoul's Dolbom SOS.
TWO_NEEDS = "수술 받고 집에 왔는데 밥도 못 해먹고 병원도 혼자 못 가요"


@pytest.mark.parametrize("kind, first", [(Category.MEALS, "seoul.sos.meal"), (Category.ESCORT, "seoul.sos.escort")])
def test_of_two_programs_the_keywords_met_the_kind_asked_for_comes_first(matcher, monkeypatch, kind, first):
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(kind))
    assert matcher.match(TWO_NEEDS, "yongsan").matches[0].program_id == first


def test_national_programs_gain_nothing(matcher, monkeypatch):
    text = "장애인 활동지원 받을 수 있나요"
    before = {index: score for index, score in matcher.score(text, district="sancheong").items()
              if index in matcher._national}
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(Category.CARE))
    after = {index: score for index, score in matcher.score(text, district="sancheong").items()
             if index in matcher._national}
    assert before and after == before


def test_a_program_under_the_threshold_is_lifted_only_when_help_is_asked_for(matcher, monkeypatch):
    """A wish to work, asked about, finds the county's jobs program, which its words alone
    leave under the threshold; the same program under the threshold in a message that asks
    for nothing (a need told as news) is left where its words put it."""
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(Category.JOBS))
    assert [m.program_id for m in matcher.match("일하고 싶어요 소개해 줄 데 있나요", "sancheong").matches] == [
        "sancheong.iso-partner"]
    jobs = next(index for index, program in enumerate(matcher.programs) if program.id == "sancheong.iso-partner")
    for asks, expected in ((False, 20.0), (True, 20.0 + NEED_BONUS)):
        scores = Scores({jobs: 20.0})
        matcher._weigh_the_need(scores, "일자리", asks=asks)
        assert scores[jobs] == pytest.approx(expected)


def test_nothing_to_read_gives_no_chances():
    assert need_chances("") == {}
    assert need_chances("   ") == {}


def test_the_shipped_model_reads_a_broad_ask_apart_from_a_request():
    broad = "새로 이사 온 칠십 대 혼자 사는 사람인데 제가 신청할 수 있는 거 다 알려 주실 수 있나요?"
    assert broad_chance(broad) >= 0.95
    assert broad_chance("새로 이사 왔는데 욕실 전등이 나가서 갈아 줄 분 있나요?") < 0.5


def test_a_question_the_model_is_sure_asks_what_there_is_lists_the_district(matcher, monkeypatch):
    """The rules do not see a broad ask in it (the writer's apologies and a word of a program's
    keywords); the need model, sure it asks what there is, makes it one."""
    text = "그동안 잘 몰라서 못 여쭤봤는데 혼자 사는 칠십 대가 받을 수 있는 건 뭐가 있을까요?"  # 못: a keyword's word
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(Category.CARE))
    assert not matcher.is_broad_ask(text)
    one_kind = [m.program_id for m in matcher.match(text, "gwangjin").matches]
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(BROAD))
    assert matcher.is_broad_ask(text)  # the bot then shows the list, not cards
    listed = [m.program_id for m in matcher.match(text, "gwangjin").matches]
    assert listed != one_kind and all(pid.startswith(("gwangjin.", "seoul.")) for pid in listed)


def test_a_question_that_says_nothing_of_the_person_is_not_read_as_broad(matcher, monkeypatch):
    """The model knows the district's kinds of help, not the national ones: a national need put
    broadly reads to it as a broad ask, but names no one whose life it is about."""
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(BROAD))
    question = "난방비가 너무 많이 나왔는데 도움 받을 수 있는 제도가 있나요?"
    assert not matcher.is_broad_ask(question)
    assert matcher.is_broad_ask("혼자 사는 칠십 대인데 " + question)


def test_a_program_under_the_threshold_is_lifted_only_for_a_kind_the_model_is_sure_enough_of(matcher, monkeypatch):
    jobs = next(index for index, program in enumerate(matcher.programs) if program.id == "sancheong.iso-partner")
    unsure = LinearModel(labels=LABELS, bias=tuple(1.0 if label in (Category.JOBS, Category.LAUNDRY) else 0.0
                                                   for label in LABELS), weights={})
    monkeypatch.setattr(need_model, "shipped_model", lambda: unsure)
    scores = Scores({jobs: 20.0})
    matcher._weigh_the_need(scores, "일자리", asks=True)
    assert scores[jobs] == 20.0


def test_a_broad_answer_lists_first_the_programs_the_words_fit(matcher, monkeypatch):
    """Yongsan's own programs come before the city's in a broad answer, but not before a city
    program the message's words fit: a meal request taken for a broad ask gets the meals first."""
    monkeypatch.setattr(need_model, "shipped_model", lambda: sure_of(BROAD))
    text = "혼자 사는 칠십 대인데 도시락 배달 같은 거 받을 수 있는 게 뭐가 있을까요?"
    assert matcher.is_broad_ask(text)
    listed = [m.program_id for m in matcher.match(text, "yongsan").matches]
    assert listed[0] == "seoul.sos.meal"
    assert any(pid.startswith("yongsan.") for pid in listed[1:])
