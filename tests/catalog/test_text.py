"""Cleaning a message before matching."""

import re

import pytest

from catalog.text import SPOKEN_FORMS, clean, for_matching


def test_laughter_and_crying_are_dropped_after_normalisation():
    # NFKC turns phone-typed jamo (ㅋ U+314B) into conjoining jamo (U+110F); both are dropped.
    assert clean("ㅋㅋㅋ 반찬 배달") == "반찬 배달"
    assert clean("병원 동행 ㅠㅠ") == "병원 동행"
    assert clean("ㅎㅎ") == ""


def test_a_single_jamo_is_kept():
    assert clean("ㄱ 반찬") != "반찬"


def test_haste_typed_past_and_spoken_what_are_read_in_standard_form():
    assert for_matching("보일러 고장나서 수리 햇어요") == "보일러 고장나서 수리 했어요"
    assert for_matching("어제 다 먹엇는데") == "어제 다 먹었는데"
    assert for_matching("머가 좋아요") == "뭐가 좋아요"
    # real words stay: 빼앗다, 머리, 머물다, 낫다
    assert for_matching("돈을 빼앗는 사람") == "돈을 빼앗는 사람"
    assert for_matching("머리가 아파서 며칠 머물 곳") == "머리가 아파서 며칠 머물 곳"
    assert for_matching("이게 더 낫다") == "이게 더 낫다"


@pytest.mark.parametrize("spelling, standard, example", SPOKEN_FORMS, ids=[row[2] for row in SPOKEN_FORMS])
def test_each_spoken_form_meets_its_own_example(spelling, standard, example):
    assert re.search(spelling, example.split(" (")[0]), example


def test_the_regions_endings_of_is_there_are_read_as_a_question():
    assert for_matching("군청서 해주는 거 있능교") == "군청서 해주는 거 있나요"
    assert for_matching("혼자 사는 사람헌티 뭐 있다요?") == "혼자 사는 사람헌티 뭐 있나요?"
    assert for_matching("뭐 잇노") == "뭐 있나요"
    # a statement, and words that only end alike, stay
    for kept in ("밥은 있다요", "재밌노", "있노라고 말했다"):
        assert for_matching(kept) == kept, kept


def test_double_s_typed_single_and_yanbian_endings_are_read_in_standard_form():
    assert for_matching("문앞에 와잇어 뭐 잇나요") == "문앞에 와있어 뭐 있나요"
    assert for_matching("넘어졋어요 다쳣다 그랫대 다 잇엇음") == "넘어졌어요 다쳤다 그랬대 다 있었음"
    assert for_matching("모임 같은 거 있슴까? 괜찮슴다 감사함니다") == "모임 같은 거 있습니까? 괜찮습니다 감사합니다"
    assert for_matching("일인가구 혜택") == "1인가구 혜택"
    # real words stay: 잇몸, 갓난아기, 셧다운, 뚜렷하다, 가슴까지, 젓가락
    for kept in ("잇몸이 아파요", "갓난아기", "셧다운 됐어", "뚜렷하다", "가슴까지 아파", "젓가락", "웃어요"):
        assert for_matching(kept).startswith(kept.split()[0]), kept
