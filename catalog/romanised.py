"""Korean written in Latin letters, read back into Hangul: "jukgo sipeoyo" → "죽고 싶어요".

Foreign residents, and Koreans on a phone without a Korean keyboard, write Korean in the
Revised Romanization or something near it ("halmeoni", "isseoyo", "kamsahamnida"). Left as it
is, such a message is neither English nor Korean to the matcher and the crisis rules, and
"jukgo sipeoyo" (I want to die) got no answer at all.

Romanization writes sounds, not spellings, so reading it back is a choice among spellings:
"isseoyo" may be 이써요 (as said) or 있어요 (as written: the ㅆ is heard at the start of the
next syllable), "byeongwon" 병원 or 변권. Every way of cutting the letters into syllables is
weighed by how often each pair of neighbouring syllables follows one another in the project's
own everyday Korean (the learned tiers' training sentences, some 17,000), and the likeliest is
kept (`to_hangul`).

Only runs of at least two such words are read back (`with_romanised_read`): each word parsed
whole as syllables, known to none of the project's English words, and spelling likely Korean
syllables (`KOREAN_LIKE`). A lone "Seocho" or "kimchi" in an English sentence stays English,
as the English reading of the message is the better one then.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from catalog.loader import data_dir

# The letters of a Hangul syllable's three parts, as the Revised Romanization and common
# learners' variants write them ("oo" for ㅜ, "sh" for ㅅ before i, "k"/"t"/"p"/"ch" for the
# plain stops as the older McCune–Reischauer did).
_ONSETS: dict[str, tuple[int, ...]] = {
    "g": (0,), "k": (15, 0), "kk": (1,), "n": (2,), "d": (3,), "t": (16, 3), "tt": (4,), "r": (5,), "l": (5,),
    "m": (6,), "b": (7,), "p": (17, 7), "pp": (8,), "s": (9,), "sh": (9,), "ss": (10,), "": (11,), "j": (12,),
    "jj": (13,), "ch": (14, 12), "h": (18,),
}
# The first reading of each is the Revised Romanization's ("p" is ㅍ); the others, the older
# system's ("p" for ㅂ), cost this much of a log chance, so they win only on much likelier pairs.
OTHER_READING_COST = 2.0
_VOWELS: dict[str, int] = {
    "a": 0, "ae": 1, "ya": 2, "yae": 3, "eo": 4, "e": 5, "yeo": 6, "ye": 7, "o": 8, "wa": 9, "wae": 10,
    "oe": 11, "yo": 12, "u": 13, "oo": 13, "wo": 14, "weo": 14, "we": 15, "wi": 16, "yu": 17, "eu": 18,
    "ui": 19, "i": 20, "ee": 20,
}
# A syllable's last consonant as heard before another consonant or at the end of a word
# ("k" is any of ㄱㄲㅋ; "t" any of ㄷㅅㅆㅈㅊㅌㅎ).
_FINALS_HEARD: dict[str, tuple[int, ...]] = {
    "k": (1, 2, 24), "g": (1,), "n": (4, 6, 5), "t": (7, 19, 20, 22, 23, 25, 27), "d": (7,),
    "l": (8, 11, 13, 15), "r": (8,), "m": (16, 10), "p": (17, 26, 18), "b": (17,), "ng": (21,),
}
# Before ㄴ or ㅁ a final is said as its nasal: 합니다 "hamnida", 있는 "inneun", 국물 "gungmul".
_FINALS_BEFORE_NASAL: dict[str, tuple[int, ...]] = {"m": (17, 26), "n": (7, 19, 20, 22, 23, 25), "ng": (1, 2)}
_NASAL_ONSETS = frozenset({2, 6})
# A syllable's last consonant as written when the next syllable starts with a vowel and the
# consonant is heard there ("ss" before "eo": 있어; "ps": 없어).
_FINALS_CARRIED: dict[str, tuple[int, ...]] = {
    "g": (1,), "k": (1, 24), "kk": (2,), "n": (4, 6), "d": (7,), "t": (25, 7), "r": (8, 15), "l": (8, 15),
    "m": (16,), "b": (17,), "p": (17, 26), "s": (19,), "ss": (20,), "j": (22,), "ch": (23,), "h": (27,),
    "ng": (21,), "lg": (9,), "lm": (10,), "lb": (11,), "ps": (18,), "bs": (18,), "nj": (5,), "lt": (13,),
}
_VOWEL_LETTERS = frozenset("aeiouwy")
_WORD = re.compile(r"(?<![\w'])[a-z]+(?:-[a-z]+)*(?![\w'])")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LETTERS = re.compile(r"[a-z]{2}")
# Short English words that are also whole romanised syllables ("an" is 안, "go" is 고), and the
# particles of other languages residents mix in (Tagalog "po", "mo"): never a reason to read a
# run as Korean, but read with a run that is Korean on both sides.
_SHORT_ENGLISH = frozenset(
    "a i an am as at be by do go he hi if in is it me my no of oh ok on or so to up us we yes you the and are "
    "but can did for get got had has her him his how its let man may new not now one our out see she too two "
    "was way who why yet ago ate son sun run ran men ten pen bin gin tin sin gun bun hug mug jug dog bag big "
    "bed bad sad mad dad mum mom pan pot hot hat cat cap cup bus bit sit hit hip lip lap map nap tap top pop "
    "job jog log hog hum gum bum pin pig dig dim him kid lid mid rid tag bog nod god rod sod gap sap yap "
    "im id ill all ball call fall hall tall wall mall bell tell sell well hell yell dull full pull bull "
    "ma pa mo po".split()
)
_MOST_SYLLABLES = 12  # a longer run of letters is no word a resident writes in romanised Korean
# (pairs of neighbouring syllables, single syllables, all syllables), counted once.
_Chances = tuple[Counter[str], Counter[str], int]
SMOOTHING = 0.3  # the share of a syllable's chance that does not depend on the one before it
# A word is read as Korean only when its Hangul spelling is at least this likely per syllable
# (the mean log chance of its syllables and its end, see `korean_likeness`). English words
# outside the project's word list spell unlikely syllables ("sweater" 쉐아텔 -8.6, "dad" 닫
# -5.3), romanised Korean likely ones ("halmeoni" 할머니 -2.3, "daebak" 대박 -4.4); place
# names fall just under it (서초 -4.5, 은평 -4.8), so an English message naming its district
# stays English. Chosen on the words of the blind sets' tune halves.
KOREAN_LIKE = -4.4


def prepare() -> None:
    """Count the syllable pairs now (some 170 ms) rather than on the first romanised message."""
    _syllable_chances()


@lru_cache(maxsize=8192)
def to_hangul(word: str) -> str | None:
    """The likeliest Hangul spelling of one romanised word (hyphens mark where syllables part,
    "nampyeon-i"), or None when its letters are no sequence of syllables."""
    parts = [part for part in word.split("-") if part]
    written = []
    for part in parts:
        best = _best_spelling(part)
        if best is None:
            return None
        written.append(best)
    return "".join(written) if written else None


def with_romanised_read(text: str) -> str:
    """`text` (cleaned: lower case) with every run of two or more romanised Korean words
    written in Hangul; unchanged when it holds Hangul already or no such run. A short English
    word inside a run ("mal an haeyo": 말 안 해요) is read with it."""
    if _HANGUL.search(text) or not _LETTERS.search(text):
        return text
    english = _english_words()
    found = list(_WORD.finditer(text))
    readings = [None if len(m[0]) < 2 or m[0] in english else to_hangul(m[0]) for m in found]
    readings = [r if r is not None and korean_likeness(r) >= KOREAN_LIKE else None for r in readings]
    korean = [reading is not None and m[0] not in _SHORT_ENGLISH for m, reading in zip(found, readings, strict=True)]
    kept: list[int] = []
    for _ in range(2):  # a short word read with its run counts as Korean for the next one
        kept = []
        for index, reading in enumerate(readings):
            if reading is None:
                continue
            neighbours = [n for n in (index - 1, index + 1) if 0 <= n < len(found) and korean[n]
                          and text[found[min(n, index)].end():found[max(n, index)].start()].isspace()]
            if korean[index] and neighbours or not korean[index] and len(neighbours) == 2:
                kept.append(index)
        korean = [flag or index in kept for index, flag in enumerate(korean)]
    if not kept:
        return text
    pieces, start = [], 0
    for index in kept:
        pieces += [text[start:found[index].start()], readings[index] or ""]
        start = found[index].end()
    return "".join(pieces) + text[start:]


def korean_likeness(hangul: str) -> float:
    """The mean log chance of a word's syllables, each after the one before, and of its end."""
    chances = _syllable_chances()
    total, before = 0.0, "^"
    for syllable in [*hangul, "$"]:
        total += _log_chance(chances, before, syllable)
        before = syllable
    return total / (len(hangul) + 1)


def _best_spelling(letters: str) -> str | None:
    """The likeliest spelling of one part of a word, by the syllable pairs (see the module).

    A beam search over the ways to cut the letters: each run of consonants between two vowels
    is the last consonant of one syllable and the first of the next (`_cluster_splits`), each
    run of vowels one or more syllables (`_vowel_splits`)."""
    onsets, vowels, tail = _units(letters)
    if not vowels or len(vowels) > _MOST_SYLLABLES:
        return None
    chances = _syllable_chances()
    beams = [_open(chances, -OTHER_READING_COST if rank else 0.0, "", onset, split)
             for rank, onset in enumerate(_ONSETS.get(onsets[0], ())) for split in _vowel_splits(vowels[0])]
    for cluster, run in zip(onsets[1:], vowels[1:], strict=True):
        grown: list[_Beam] = []
        for beam in beams:
            for final, onset, cost in _cluster_splits(cluster):
                score, spelled = _close(chances, beam, final)
                grown.extend(_open(chances, score + cost, spelled, onset, split) for split in _vowel_splits(run))
        beams = sorted(grown, reverse=True)[:BEAM_WIDTH]
    finished = []
    for beam in beams:
        for final in _FINALS_HEARD.get(tail, ()) if tail else (0,):
            score, spelled = _close(chances, beam, final)
            finished.append((score + _log_chance(chances, spelled[-1], "$"), spelled))
    return max(finished)[1] if finished else None


# One reading in progress: (log chance so far, the syllables written, the code of the syllable
# being written, whose last consonant is not chosen yet).
_Beam = tuple[float, str, int]
BEAM_WIDTH = 64
_SILENT = 11  # ㅇ as a first consonant: a syllable that starts with its vowel


def _close(chances: _Chances, beam: _Beam, final: int) -> tuple[float, str]:
    """The beam with its open syllable written, `final` its last consonant (0: none)."""
    score, spelled, open_syllable = beam
    syllable = chr(open_syllable + final)
    return score + _log_chance(chances, spelled[-1:] or "^", syllable), spelled + syllable


def _open(chances: _Chances, score: float, spelled: str, onset: int, vowels: Sequence[int]) -> _Beam:
    """A new syllable of `onset` and the first of `vowels`; each vowel after it starts a
    syllable of its own, with the silent ㅇ ("eoyo": 어요)."""
    beam = (score, spelled, _code(onset, vowels[0]))
    for vowel in vowels[1:]:
        score, spelled = _close(chances, beam, 0)
        beam = (score, spelled, _code(_SILENT, vowel))
    return beam


def _code(onset: int, vowel: int) -> int:
    return 0xAC00 + (onset * 21 + vowel) * 28


def _units(letters: str) -> tuple[list[str], list[str], str]:
    """(the consonant runs before each vowel run, the vowel runs, the consonants at the end)."""
    runs = re.findall(r"[aeiouwy]+|[^aeiouwy]+", letters)
    onsets, vowels = [], []
    if runs and runs[0][0] in _VOWEL_LETTERS:
        runs.insert(0, "")
    for index in range(0, len(runs) - 1, 2):
        onsets.append(runs[index])
        vowels.append(runs[index + 1])
    # "w" and "y" count as vowel letters: "yeo" and "wa" are vowels of their own.
    return onsets, vowels, runs[-1] if len(runs) % 2 else ""


@lru_cache(maxsize=4096)
def _vowel_splits(run: str) -> tuple[tuple[int, ...], ...]:
    """Every way to read a run of vowel letters as one or more vowels ("eoyo": ㅓ then ㅛ)."""
    if not run:
        return ((),)
    found = []
    for size in range(min(3, len(run)), 0, -1):
        head = run[:size]
        if head in _VOWELS:
            for rest in _vowel_splits(run[size:]):
                found.append((_VOWELS[head], *rest))
    return tuple(split for split in found if split)


@lru_cache(maxsize=4096)
def _cluster_splits(cluster: str) -> tuple[tuple[int, int, float], ...]:
    """Every (final of the syllable before, onset of the next) a run of consonants between two
    vowels can be: "ss" is ㅆ heard at the next syllable, or a final ㅆ carried over (있어)."""
    found: list[tuple[int, int, float]] = []
    for cut in range(len(cluster) + 1):
        final_letters, onset_letters = cluster[:cut], cluster[cut:]
        onsets = _ONSETS.get(onset_letters)
        if onsets is None:
            continue
        if not final_letters:
            finals: tuple[int, ...] = (0,)
        elif onset_letters:
            finals = _FINALS_HEARD.get(final_letters, ())
        else:
            finals = _FINALS_CARRIED.get(final_letters, ())
        for rank, onset in enumerate(onsets):
            nasal = _FINALS_BEFORE_NASAL.get(final_letters, ()) if onset in _NASAL_ONSETS and onset_letters else ()
            found.extend((final, onset, -OTHER_READING_COST if rank else 0.0) for final in (*finals, *nasal))
    return tuple(found)


_HANGUL_SYLLABLES = 11172


def _log_chance(chances: _Chances, before: str, syllable: str) -> float:
    """Log of the chance of `syllable` after `before`: the pair's share of what follows
    `before`, mixed with the syllable's own share (so an unseen pair is unlikely, not
    impossible)."""
    pairs, singles, total = chances
    single = (singles[syllable] + 0.1) / (total + 0.1 * _HANGUL_SYLLABLES)
    seen = singles[before]
    paired = pairs[before + syllable] / seen if seen else 0.0
    return math.log((1 - SMOOTHING) * paired + SMOOTHING * single)


@lru_cache(maxsize=1)
def _syllable_chances() -> _Chances:
    """How often each syllable, and each pair of neighbouring syllables inside a word ("^" and
    "$" mark a word's edges), occur in the project's own Korean."""
    pairs: Counter = Counter()
    singles: Counter = Counter()
    for sentence in _korean_sentences():
        for word in re.findall(r"[\uac00-\ud7a3]+", sentence):
            marked = ["^", *word, "$"]
            singles.update(marked)
            pairs.update(a + b for a, b in zip(marked, marked[1:], strict=False))
    return pairs, singles, sum(singles.values())


def _korean_sentences() -> list[str]:
    sentences: list[str] = []
    for name in ("crisis", "talk"):
        with (data_dir() / name / "training.jsonl").open(encoding="utf-8") as lines:
            sentences.extend(json.loads(line)["text"] for line in lines if line.strip())
    return sentences


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """English words the project knows (those of the crisis tier's training sentences), but the
    short ones that are also whole syllables (`_SHORT_ENGLISH`), which a run may read as Korean."""
    from catalog.crisis_reading import english_mends  # that module reads messages through this one

    return english_mends()[0] - _SHORT_ENGLISH
