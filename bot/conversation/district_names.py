"""Which district a person meant when they typed its name instead of pressing its button.

Older residents write "서초구", "서쵸구", "seocho-gu" or "서초에 살아요" rather than press; each
should find Seocho, while "서울" (four districts) or "강남구" (not served) must find none: a wrong
district means wrong programs and a request sent to the wrong office, and asking again costs
one press. So a name is taken when it is plain (a whole name, or part of exactly one district's
name) or, for a misspelling, when it is close to one district (rapidfuzz over Hangul split into
its letters, where "쵸" and "초" differ by one letter of six) and clearly closer to it than to
any other place in Korea (data/lexicon/areas-of-korea.tsv): Korea's place names lie so close
together that 강진군 is one letter from 광진구, yet is a county at the other end of the country.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from rapidfuzz import fuzz

from catalog import data_dir
from catalog.schema import District

# A misspelling is taken when it is this similar (0-100) to a district's name: in Hangul
# letters, one letter wrong in a three-syllable name (서쵸구) is 83, one in a two-syllable
# name (서쵸) is 75; romanised names are longer, so a slip costs less ("eunpyoung" is 89).
CLOSE_ENOUGH = {"hangul": 75, "latin": 80}
# ... and this much more similar to it than to any other district or place: "광잔구" is as
# near to 광진구 as to 광산구, and guessing between two places is worse than asking again.
CLEAR_LEAD = 8
# Shorter than this, a part of a name is too vague to pick a district by ("ho", "구").
_SHORTEST_PART = {"hangul": 2, "latin": 4}
# The kind of area at the end of a Korean name (구 district, 군 county, 시 city) and its
# romanised form; a name is also known without it ("서초", "seocho").
_AREA_SUFFIX = re.compile(r"(?<=..)(구|군|시)$")
_ENGLISH_SUFFIX = re.compile(r"(?<=..)-(gu|gun|si)$")
# What separates words in a typed or catalog name; dropped before comparing.
_SEPARATORS = re.compile(r"[\s\-_,.·'’!?~()]+")
AREAS_FILE = "areas-of-korea.tsv"


def normalised(text: str) -> str:
    """One form for comparing: compatibility characters folded, lower case, no separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


def find_district(typed: str, districts: Mapping[str, District], choices: Iterable[str]) -> str | None:
    """The code of the one district among `choices` that `typed` names, or None when it names
    none of them, another place, or cannot tell which."""
    word = normalised(typed)
    if not word:
        return None
    known = {code: districts[code] for code in choices if code in districts}
    exact = [code for code, district in known.items() if word in names_of(district)]
    if exact:
        return exact[0] if len(exact) == 1 else None
    short = {code: short_names_of(district) for code, district in known.items()}
    ours = frozenset().union(*short.values())
    other_places = _places_of_korea() - ours
    if word in other_places:
        return None  # a real place the bot does not serve ("강남구", "sacheon")
    if _long_enough(word):
        # Part of a name ("서초" of 서초구), or a name inside a sentence ("서초에 살아요").
        within = [code for code, forms in short.items() if any(word in form for form in forms)]
        if within:
            return within[0] if len(within) == 1 else None
        around = [code for code, forms in short.items()
                  if any(form in word for form in forms if _long_enough(form))]
        if around:
            return around[0] if len(around) == 1 else None
    return _closest(word, short, other_places)


def names_of(district: District) -> frozenset[str]:
    """Every plain form of a district's name: with its city or province ("서울서초구",
    "seochoguseoul") and without (`short_names_of`)."""
    return frozenset({normalised(district.name.ko), normalised(district.name.en)}) | short_names_of(district)


def short_names_of(district: District) -> frozenset[str]:
    """The forms without the city or province: "서초구", "서초", "seochogu", "seocho" and the
    code. Only these are searched for parts: "광주" is part of "광주 광산구" but could be any
    of Gwangju's five districts, as "서울" any of Seoul's."""
    korean_words = district.name.ko.split()
    english_first = district.name.en.split(",")[0].strip()
    names = {district.code}
    if korean_words:
        names |= _with_and_without_suffix(korean_words[-1])  # "서울 서초구" → 서초구, 서초
    if english_first:
        names |= _with_and_without_suffix(english_first)  # "Seocho-gu, Seoul" → seocho-gu, seocho
    return frozenset(form for form in (normalised(name) for name in names) if form)


def _with_and_without_suffix(name: str) -> set[str]:
    name = name.strip().lower()
    return {name, _AREA_SUFFIX.sub("", _ENGLISH_SUFFIX.sub("", name))}


@functools.lru_cache(maxsize=4)
def _places_of_korea(folder: Path | None = None) -> frozenset[str]:
    """Every form of every place in `AREAS_FILE` (Korean and romanised, with and without 구/군/시)."""
    path = (folder or data_dir() / "lexicon") / AREAS_FILE
    forms: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            for name in line.split("\t"):
                forms |= {normalised(form) for form in _with_and_without_suffix(name)}
    return frozenset(form for form in forms if form)


def _closest(word: str, ours: Mapping[str, frozenset[str]], other_places: frozenset[str]) -> str | None:
    """The district whose name `word` misspells, if it is clearly the closest place. Korean is
    compared with names of as many syllables: a typo changes a letter of a syllable, while a
    syllable fewer is another place (서구 is not 서초구)."""
    syllables = _hangul_count(word)
    letters = _letters(word)

    def similarity(forms: Iterable[str]) -> float:
        alike = [form for form in forms if _hangul_count(form) == syllables]
        return max((fuzz.ratio(letters, _letters(form)) for form in alike), default=0.0)

    scores = sorted(((similarity(forms), code) for code, forms in ours.items()), reverse=True)
    if not scores:
        return None
    best_score, best = scores[0]
    rival = max(scores[1][0] if len(scores) > 1 else 0.0, similarity(other_places))
    close_enough = CLOSE_ENOUGH["hangul" if syllables else "latin"]
    if best_score >= close_enough and best_score - rival >= CLEAR_LEAD:
        return best
    return None


def _letters(text: str) -> str:
    """Hangul syllables split into their letters (NFD), so similarity counts letters, not
    syllables: 서쵸구 and 서초구 share five of six letters but only two of three syllables."""
    return unicodedata.normalize("NFD", text)


def _hangul_count(text: str) -> int:
    return sum(1 for ch in text if "가" <= ch <= "힣")


def _long_enough(text: str) -> bool:
    hangul = _hangul_count(text)
    if hangul:
        return hangul >= _SHORTEST_PART["hangul"]
    return len(text) >= _SHORTEST_PART["latin"]
