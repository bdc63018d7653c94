"""The letters a regular expression's match can begin with, worked out from the expression
itself, so that a message holding none of them is passed over without a search.

The crisis table holds some three hundred patterns, and every message is searched with most of
them. On a long message each search walks the whole text; set against the letters the message
holds, the few letters a pattern can start with rule most patterns out at once. A pattern whose
match may start with any letter, or may be empty, has no such set (None) and is always searched:
the check is a necessary condition, never a change to what is found.
"""

from __future__ import annotations

import re

# The standard library's own parser of expressions (what `re.compile` uses), so the letters are
# read from the same tree the search runs; private, but unchanged from Python 3.11 to 3.13.
from re import _constants as constants  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]

# A character class wider than this (가-힣 holds 11,172 syllables) is treated as "any letter":
# it rules out almost nothing and would only cost memory.
WIDEST_CLASS = 512

_ANY = None


def first_letters(regex: re.Pattern[str]) -> frozenset[str] | None:
    """The letters a match of `regex` can begin with, or None when it may begin with any letter
    or be empty. Lookarounds and anchors take no letter and are looked past."""
    if regex.flags & re.IGNORECASE:
        return _ANY
    letters, may_be_empty = _of_sequence(parser.parse(regex.pattern, regex.flags))
    if letters is _ANY or may_be_empty:
        return _ANY
    return frozenset(letters)


def _of_sequence(items) -> tuple[set[str] | None, bool]:
    """(first letters, whether the sequence can match nothing) of parsed items in order."""
    found: set[str] = set()
    for op, value in items:
        letters, may_be_empty = _of_item(op, value)
        if letters is _ANY:
            return _ANY, False
        found |= letters
        if not may_be_empty:
            return found, False
    return found, True


def _of_item(op, value) -> tuple[set[str] | None, bool]:
    if op is constants.LITERAL:
        return {chr(value)}, False
    if op is constants.IN:
        return _of_class(value), False
    if op is constants.BRANCH:
        found: set[str] = set()
        empty = False
        for branch in value[1]:
            letters, may_be_empty = _of_sequence(branch)
            if letters is _ANY:
                return _ANY, False
            found |= letters
            empty = empty or may_be_empty
        return found, empty
    if op is constants.SUBPATTERN:
        return _of_sequence(value[-1])
    if op in (constants.MAX_REPEAT, constants.MIN_REPEAT, getattr(constants, "POSSESSIVE_REPEAT", None)):
        low, _, item = value
        letters, may_be_empty = _of_sequence(item)
        return letters, may_be_empty or low == 0
    if op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT):
        return set(), True  # takes no letter: what follows begins the match
    if op is getattr(constants, "ATOMIC_GROUP", None):
        return _of_sequence(value)
    return _ANY, False  # any letter, a category, a back-reference: no set


def _of_class(items) -> set[str] | None:
    found: set[str] = set()
    for op, value in items:
        if op is constants.LITERAL:
            found.add(chr(value))
        elif op is constants.RANGE:
            low, high = value
            if high - low >= WIDEST_CLASS or len(found) + high - low >= WIDEST_CLASS:
                return _ANY
            found.update(chr(code) for code in range(low, high + 1))
        else:  # NEGATE, CATEGORY (\d, \w): no small set
            return _ANY
    return found
