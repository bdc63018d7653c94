"""Cleaning a message before matching."""

from catalog.text import clean


def test_laughter_and_crying_are_dropped_after_normalisation():
    # NFKC turns phone-typed jamo (ㅋ U+314B) into conjoining jamo (U+110F); both are dropped.
    assert clean("ㅋㅋㅋ 반찬 배달") == "반찬 배달"
    assert clean("병원 동행 ㅠㅠ") == "병원 동행"
    assert clean("ㅎㅎ") == ""


def test_a_single_jamo_is_kept():
    assert clean("ㄱ 반찬") != "반찬"
