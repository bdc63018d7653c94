"""The letters a pattern's match can begin with: a necessary condition, so a message holding
none of them is passed over without a search, and never one a search would have found."""

import json
import re

import pytest

from catalog.crisis_concepts import CONCEPTS
from catalog.crisis_cues import CUES
from catalog.crisis_reading import Reading
from catalog.first_letters import WIDEST_CLASS, first_letters
from catalog.loader import data_dir


@pytest.mark.parametrize("pattern, letters", [
    (r"유서|편지", {"유", "편"}),
    (r"(죽|살)고싶", {"죽", "살"}),
    (r"(?<=[가-힣])엇", {"엇"}),  # a lookbehind takes no letter
    (r"\bhelp\b", {"h"}),
    (r"(다)?껐", {"다", "껐"}),  # an optional letter lets the next one begin the match too
    (r"[abc]x", {"a", "b", "c"}),
])
def test_the_letters_a_match_can_begin_with(pattern, letters):
    assert first_letters(re.compile(pattern)) == frozenset(letters)


@pytest.mark.parametrize("pattern", [r"[가-힣]+요", r".죽", r"\d+층", r"(다)?", r"[^가]", r"x|"])
def test_a_pattern_that_may_begin_anywhere_or_be_empty_has_no_set(pattern):
    assert first_letters(re.compile(pattern)) is None
    assert WIDEST_CLASS < 11172  # 가-힣 counts as any letter


def test_no_pattern_of_the_table_or_the_cues_is_ruled_out_where_it_is_found():
    """Every pattern searched directly over the rows' own examples and a thousand of the crisis
    model's training sentences (danger and everyday talk alike): wherever it is found, its
    letters must not have ruled it out."""
    lines = (data_dir() / "crisis" / "training.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [concept.example for concept in CONCEPTS] + [json.loads(line)["text"] for line in lines[::9]]
    patterns = [p for concept in CONCEPTS for p in (*concept.all_of, *concept.none_of)]
    patterns += [p for cue in CUES for p in cue.patterns]
    checked = 0
    for text in texts:
        reading = Reading.of(text)
        for pattern in patterns:
            if pattern.hint is not None and not pattern.hint.search(reading.korean):
                continue
            if pattern.regex.search(getattr(reading, pattern.view)):
                checked += 1
                assert not pattern.ruled_out(reading), (text, pattern.regex.pattern[:60])
    assert checked > 1000  # the sentences hold what the patterns look for
