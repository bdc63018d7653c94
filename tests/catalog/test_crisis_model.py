"""The learned third tier of crisis detection (catalog.crisis_model) and its training
(catalog.tools.crisis_training): it speaks only where the rules are silent, its file is the one
its sentences make, and everyday talk stays quiet."""

from __future__ import annotations

import pytest

from catalog import Matcher
from catalog.crisis import assess, prepare
from catalog.crisis_model import LABELS, TIER, assess_message, shipped_model
from catalog.crisis_reading import Reading, english_mends
from catalog.linear_model import LinearModel, features
from catalog.results import CrisisKind
from catalog.tools import crisis_training, model_training


def test_the_shipped_model_was_trained_on_the_shipped_sentences_as_they_read_now():
    """A changed training file, or a changed reading of it (kiwi, the mended English, the rules
    that choose the chat lines), needs `ddokddok catalog crisis-model` run again."""
    import json

    written = json.loads(crisis_training.MODEL_FILE.read_text(encoding="utf-8"))
    digest = model_training.files_digest(crisis_training.TRAINING_FILE, crisis_training.CHAT_FILE)
    assert written["trained_on"] == digest
    pairs = crisis_training.read_training() + crisis_training.read_chat()
    assert written["read_as"] == model_training.reading_digest(pairs), "the sentences read differently now"


def test_the_reading_digest_sees_a_changed_reading_and_a_changed_sample(monkeypatch):
    pairs = [(f"{n}번째 문장이에요", "none") for n in range(3 * model_training.READING_SAMPLE)]
    before = model_training.reading_digest(pairs)
    assert model_training.reading_digest(pairs) == before
    assert model_training.reading_digest(pairs[1:]) != before  # one chat line fewer shifts the sample
    original = model_training.features
    monkeypatch.setattr(model_training, "features", lambda reading: [*original(reading), "mended"])
    assert model_training.reading_digest(pairs) != before


def test_training_is_repeatable_and_learns_what_it_is_shown():
    pairs = [
        ("불이야 부엌에 불이 붙었어", "fire"), ("연기가 방에 가득 차요 불났어요", "fire"),
        ("낯선 사람이 현관 비번을 자꾸 눌러요", "intruder"), ("모르는 사람이 문을 열려고 해요", "intruder"),
        ("오늘 점심은 국수 먹었어", "none"), ("오늘 저녁은 국수 먹을래", "none"),
        ("내일 날씨 맑대요", "none"), ("내일은 날씨가 흐리대", "none"),
    ] * 3
    first, second = model_training.train(pairs, LABELS), model_training.train(pairs, LABELS)
    assert first == second
    chances = first.probabilities(Reading.of("부엌에 불이 붙었어요"))
    assert max(chances, key=chances.__getitem__) == "fire"


def test_the_model_is_the_average_of_runs_in_several_orders(monkeypatch):
    pairs = [
        ("불이야 부엌에 불이 붙었어", "fire"), ("연기가 방에 가득 차요 불났어요", "fire"),
        ("오늘 점심은 국수 먹었어", "none"), ("내일 날씨 맑대요", "none"),
    ] * 3
    averaged = model_training.train(pairs, LABELS)
    runs = []
    for seed in model_training.SEEDS:
        monkeypatch.setattr(model_training, "SEEDS", (seed,))
        runs.append(model_training.train(pairs, LABELS))
    assert len(runs) >= 2 and runs[0].bias != runs[1].bias  # the order does move one run
    for label in range(len(averaged.bias)):
        assert averaged.bias[label] == pytest.approx(sum(run.bias[label] for run in runs) / len(runs))


def test_a_model_file_of_another_shape_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="crisis model: format"):
        LinearModel.from_json(
            '{"format": 99, "labels": ["none"], "bias": [0], "weights": {}}', LABELS, name="crisis model"
        )


def test_features_read_letters_words_and_morphemes():
    found = set(features(Reading.of("오늘 밤에 떠날래 ㅈㅅ")))
    assert {"k2:오늘", "k3:떠날래", "j:ㅈㅅ"} <= found
    assert any(f.startswith("m:") for f in found) and any(f.startswith("m2:") for f in found)
    assert {"w:leaving", "w2:i'm leaving"} <= set(features(Reading.of("I'm leaving")))


@pytest.mark.parametrize("text, kind", [
    # Preparations and a farewell with no word of death: nothing in the table names them.
    ("내 물건은 다 동생 주라고 적어놨어 이제 편히 쉴게", CrisisKind.SUICIDE),
    ("I left my savings to my sister and said sorry to mom, tonight I am going for good", CrisisKind.SUICIDE),
])
def test_where_the_rules_are_silent_the_model_may_still_find_danger(text, kind):
    result = assess(text)
    assert result.crisis is not None and result.crisis.kind is kind
    assert result.concepts[0].startswith(f"{TIER}:")


def test_what_the_table_names_is_decided_by_the_table():
    result = assess("오늘 밤에 죽으려고 약을 모아 뒀어")
    assert result.crisis is not None and not result.concepts[0].startswith(f"{TIER}:")


@pytest.mark.parametrize("text", [
    "점심 뭐 먹을지 고민이야", "주말에 등산 갈 사람", "이 노래 가사 너무 슬프다", "택배가 아직 안 왔어요",
    "보일러 점검은 언제 오시나요", "Can someone help me move a wardrobe on Saturday?",
    "요즘 잠이 잘 안 와서 산책을 해요", "드라마에서 주인공이 결국 떠나더라",
])
def test_everyday_talk_stays_quiet(text):
    assert assess_message(text).crisis is None
    assert assess(text).crisis is None


def test_the_labels_are_the_kinds_of_danger_and_two_that_are_not():
    assert set(LABELS) == {"none", "concern", *(kind.value for kind in CrisisKind)}
    assert shipped_model().labels == LABELS


@pytest.fixture
def model_sure_of_danger(monkeypatch):
    """The learned tier replaced by one that calls every message a suicide crisis."""
    import catalog.crisis as crisis
    import catalog.crisis_model as crisis_model

    bias = tuple(20.0 if label == "suicide" else 0.0 for label in LABELS)
    monkeypatch.setattr(crisis_model, "shipped_model", lambda: LinearModel(labels=LABELS, bias=bias, weights={}))
    crisis.assess.cache_clear()
    yield
    crisis.assess.cache_clear()


def test_the_models_danger_beside_a_request_for_a_local_program_is_still_a_crisis(matcher, model_sure_of_danger):
    """Only the model saw danger and the message also asks for what a local program gives: the
    numbers alone, at once. (A rope tied to a door handle matches the repair programs.)"""
    result = matcher.match("빨래를 못 한 지 한참 됐어요 도와줄 분 계실까요", "gwangjin")
    assert result.crisis is not None and result.crisis.kind is CrisisKind.SUICIDE and result.matches == []


def test_the_models_danger_with_no_program_in_sight_is_a_crisis(matcher, model_sure_of_danger):
    result = matcher.match("오늘은 하늘이 유난히 파랗네", "gwangjin")
    assert result.crisis is not None and result.crisis.kind is CrisisKind.SUICIDE and result.matches == []


def test_a_row_of_the_table_is_not_overruled_by_the_model(model_sure_of_danger):
    """A film about a suicide is a story by the table's context rules, whatever the model says."""
    result = assess("어제 본 영화에서 주인공이 스스로 목숨을 끊는 장면이 나왔어")
    assert result.crisis is None


def test_prepare_reads_the_model_and_the_english_words_before_any_message():
    """`prepare` reads the files at start so that the first resident does not wait for them."""
    shipped_model.cache_clear()
    english_mends.cache_clear()
    prepare()
    assert shipped_model.cache_info().currsize == 1
    assert english_mends.cache_info().currsize == 1


def test_building_a_matcher_prepares_the_crisis_tiers(catalog):
    """Every front end builds a matcher (the bot, Kakao, evaluation, the benchmarks): building
    it reads the crisis tiers' files, so none of them pays for it on a first English message."""
    shipped_model.cache_clear()
    english_mends.cache_clear()
    Matcher(catalog)
    assert shipped_model.cache_info().currsize == 1
    assert english_mends.cache_info().currsize == 1
