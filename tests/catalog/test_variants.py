"""Everyday words mapped to the booklet's terms (data/lexicon/variants.tsv).

A variant replaces one lemma by another, once, in messages and in the programs' texts alike:
so each side must be a single word, and the word it leads to must not be a variant itself (the
second step would never be taken and the word would stay unknown to the catalog).
"""

from __future__ import annotations

import pytest

from catalog.loader import data_dir

VARIANTS = data_dir() / "lexicon" / "variants.tsv"


def variant_lines() -> list[tuple[str, str]]:
    lines = VARIANTS.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


def test_each_line_maps_one_word_to_another_word():
    for line in variant_lines():
        assert len(line) == 2, line
        written, canonical = (part.strip() for part in line)
        assert written and canonical and written != canonical, line
        assert " " not in written and " " not in canonical, line


def test_a_word_is_mapped_once_and_never_to_another_variant():
    written = [line[0].strip() for line in variant_lines()]
    assert len(written) == len(set(written)), "a word mapped twice: only the last line would count"
    chained = [
        (word, canonical.strip()) for word, canonical in variant_lines() if canonical.strip() in written
    ]
    assert not chained, f"mapped to a word that is itself mapped: {chained}"


def national(result) -> list[str]:
    return [match.program_id for match in result.matches if match.program_id.startswith("national.")]


@pytest.mark.parametrize(
    ("question", "everyday", "booklet"),
    [
        ("{} 부담을 덜어주는 지원이 있나요?", "병원비", "의료비"),
        ("{} 부담을 덜어주는 지원이 있나요?", "어르신", "노인"),
        ("{}을 못 받았는데 도움 받을 수 있는 제도가 있나요?", "월급", "임금"),
        ("{} 지원 받을 수 있나요?", "갓난아기", "신생아"),
    ],
)
def test_the_everyday_word_finds_what_the_booklets_word_finds(matcher, question, everyday, booklet):
    said_plainly = national(matcher.match(question.format(booklet), "sancheong"))
    assert said_plainly, "the booklet's word finds national programs"
    assert national(matcher.match(question.format(everyday), "sancheong")) == said_plainly
