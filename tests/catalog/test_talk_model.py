"""The learned tier of requests versus other talk (catalog.talk_model) and its training
(catalog.tools.talk_training): it only takes the local programs away, behind the rules, never
from a bare search, and its file is the one its sentences make."""

from __future__ import annotations

import json

import pytest

import catalog.talk_model as talk_model
from catalog.linear_model import LinearModel
from catalog.talk_model import LABELS, TALK_AT, is_other_talk, talk_chance
from catalog.tools import model_training, talk_training

NATIONAL = "national."


def test_the_shipped_model_was_trained_on_the_shipped_sentences_as_they_read_now():
    """A changed training file, or a changed reading of it, needs `ddokddok catalog talk-model`
    run again."""
    written = json.loads(talk_training.MODEL_FILE.read_text(encoding="utf-8"))
    assert written["trained_on"] == model_training.files_digest(talk_training.TRAINING_FILE, talk_training.CHAT_FILE)
    assert written["read_as"] == model_training.reading_digest(talk_training.training_pairs())
    assert tuple(written["labels"]) == LABELS


def test_a_model_file_of_another_shape_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="talk model: format"):
        LinearModel.from_json('{"format": 1, "labels": ["none", "concern"], "bias": [0, 0], "weights": {}}',
                              LABELS, name="talk model")


@pytest.fixture
def model_sure_it_is_talk(monkeypatch):
    """The talk tier replaced by one that calls every message talk."""
    monkeypatch.setattr(talk_model, "shipped_model",
                        lambda: LinearModel(labels=LABELS, bias=(0.0, 20.0), weights={}))


@pytest.fixture
def no_talk_tier(monkeypatch):
    monkeypatch.setattr(talk_model, "TALK_AT", 2.0)


TOLD = "세탁기 돌리는 중인데 오늘 날씨가 좋아서 빨래가 금방 마르겠네 ㅎㅎ"


def test_everyday_talk_the_rules_do_not_name_meets_local_programs(matcher, no_talk_tier):
    assert matcher.talk_kind(TOLD) is None  # no rule names it
    assert "gwangjin.laundry" in [m.program_id for m in matcher.match(TOLD, "gwangjin").matches]


def test_the_shipped_model_takes_them_away(matcher):
    assert talk_chance(TOLD) >= TALK_AT
    assert matcher.match(TOLD, "gwangjin").matches == []


@pytest.mark.parametrize("need, district", [("용돈 벌다", "gwangsan"), ("베란다 센서등이 깜빡거려요", "yongsan")])
def test_a_short_need_is_not_read_by_the_model(matcher, model_sure_it_is_talk, need, district):
    """A few words name what is wanted; the model reads messages of MIN_LEMMAS words or more."""
    assert matcher.talk_kind(need) is None
    assert matcher.match(need, district).matches


def test_a_need_told_at_length_is_not_read_by_the_model(matcher, model_sure_it_is_talk):
    """The rules see a problem told (cannot, a lack, a need word): a request may come in any talk."""
    need = "요즘 허리가 너무 안 좋아서 혼자서는 도저히 빨래를 못 하겠어요 ㅠㅠ 날은 좋은데"
    assert "gwangjin.laundry" in [m.program_id for m in matcher.match(need, "gwangjin").matches]


@pytest.mark.parametrize("request_text, district, program", [
    ("허리를 다쳐서 빨래를 못 하고 있어요 도와주실 분 있나요", "gwangjin", "gwangjin.laundry"),
    ("혼자 사는데 다음 주 정형외과 진료에 동행해 주실 분을 찾아요", "yongsan", "seoul.sos.escort"),
    ("my kitchen tap broke and I can't fix it, can someone come?", "seocho", "seocho.handyman"),
])
def test_requests_keep_their_programs_with_the_shipped_model(matcher, request_text, district, program):
    assert talk_chance(request_text) < TALK_AT
    assert program in [m.program_id for m in matcher.match(request_text, district).matches]


def test_a_bare_search_is_never_taken_away(matcher, model_sure_it_is_talk, monkeypatch):
    monkeypatch.setattr(talk_model, "MIN_LEMMAS", 0)  # so that only being a search can save it
    assert is_other_talk("반찬 배달", 2)
    assert "seoul.sos.meal" in [m.program_id for m in matcher.match("반찬 배달", "eunpyeong").matches]


def test_national_programs_stay_when_the_model_says_talk(matcher, model_sure_it_is_talk):
    """The tier takes away the district's and city's programs only: a question about a national
    program reads like talk to a model trained on local needs."""
    question = "청년 일자리 도약 장려금 올해 예산이 얼마나 늘었는지 궁금하네요"
    matches = [m.program_id for m in matcher.match(question, "seocho").matches]
    assert "national.cheongnyeoniljaridoyakjangryeogeum" in matches
    assert all(pid.startswith(NATIONAL) for pid in matches)


def test_training_reads_both_files_with_their_labels():
    pairs = talk_training.training_pairs()
    labels = {label for _, label in pairs}
    assert labels == set(LABELS)
    chat_lines = talk_training.CHAT_FILE.read_text(encoding="utf-8").split("\n")
    assert sum(1 for _, label in pairs if label == "talk") >= len([line for line in chat_lines if line.strip()])
