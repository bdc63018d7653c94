"""Ranking the national programs by their whole text: names, summaries and the booklet's passages.

A national program's keywords come from its name alone, so a resident who asks about what the
booklet says of it (who may apply, what it pays, where to ask) found nothing. This index reads
every national program's text with the matcher's analyser and ranks by BM25 (Robertson &
Zaragoza, "The Probabilistic Relevance Framework", 2009), adding up three kinds of terms:

- content lemmas and pairs of neighbouring lemmas ("아동 수당"), over the whole text;
- the same over the program's name and keywords alone, a second time: a name said outright is
  the best clue there is, and the booklet's long pages would otherwise drown it;
- pairs of letters inside each noun, weighted lower, so that a compound the analyser reads
  as one word in the booklet and splits in a message (내일배움카드 / 내일배움 + 카드) still meets.

A term's weight in a program is worked out when the index is built, so a message costs one
lookup per term. Terms found in more than 30% of the programs ("지원", "받다") weigh little
in BM25 and are left out of the index (`COMMON_SHARE`), which bounds the work on a long message.

A name said outright in full ("햇살론15", "아동수당") adds NAME_SAID to its program's weight: the
longest name the message spells, so "장애아동수당" counts for its own program and not for the
shorter "아동수당" inside it, which the lemmas alone cannot tell apart (see `SpelledNames`).

The weights below were chosen on the "tune" half of the Welfare-QA programs (tests/data/README.md)
and never on the "check" half, whose figures are the estimate for programs nobody tuned for.
`plain_scores` is the anchor that figures are judged against: BM25 of the lemmas alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from catalog.text import clean, compact

log = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
NAME_WEIGHT = 1.0
LETTERS_WEIGHT = 0.8
# A term in more than this share of the programs is not indexed: its BM25 weight is a fraction
# of a rare term's, and its postings are the longest. Below it, BM25's own document frequency
# weighs the booklet's boilerplate (신청, 문의, 대상) low: measured on the tune half, a share of 0.3
# ranks a little better than 0.2 and as well as keeping every term, with 8% more postings than
# 0.2 where keeping every term adds 20%.
COMMON_SHARE = 0.3
FEW_PROGRAMS = 50  # below this many programs every term is kept (a district's own small catalog)
MAX_QUERY_LEMMAS = 24  # a question about one program rarely has more than 15
INDEX_FORMAT = 1  # raise when the saved tables change shape or meaning
_PAIR = " "  # "아동 수당": two neighbouring lemmas
_PREDICATE_END = "다"  # verbs and adjectives are read in their dictionary form (catalog.morphology)
_LETTERS = "\t"  # "\t수당": a pair of letters (never a lemma: lemmas hold no tab)
NAME_SAID = 20.0  # added to the weight of a program whose whole name the message spells
NAME_SAID_MIN = 3  # letters of a name, at least, for it to count as said (not "장애" in a word)
_BRACKETED = re.compile(r"\([^)]*\)")  # "(국민행복카드)": a part of a name a message rarely says


@dataclass(frozen=True)
class ProgramText:
    """What is indexed of one program: the lemma sequences of its name and keywords, and of
    all its texts (the name and keywords again, summary, eligibility, how to apply, cost,
    related words, the booklet's passages)."""

    index: int  # the program's index in the matcher
    name: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]


def query_terms(lemmas: Sequence[str]) -> tuple[set[str], set[str]]:
    """(lemma and pair terms, letter-pair terms) of a message's lemmas, in message order."""
    distinct = set(lemmas)
    return distinct.union(_pairs(lemmas)), set(chain.from_iterable(map(_letter_pairs, distinct)))


class TextWeights(dict):
    """Program index → text weight of one message, and per program how many of the message's
    distinct lemmas its text holds (`words_met`): several words met are better evidence that a
    question is about the program than one word its name happens to share (see `national_scores`)."""

    def __init__(self):
        super().__init__()
        self.words_met: dict[int, int] = {}


class TextIndex:
    """BM25 over the programs' texts; `scores` answers with program index → weight.

    Building takes a fraction of a second for the bundled catalog and more for thousands of
    programs, so the built tables are kept in a file (`save`, `load`) named by everything they
    depend on (`index_key`): a start with an unchanged catalog only reads them."""

    def __init__(self, texts: Sequence[ProgramText], *, k1: float = K1, b: float = B):
        self._texts: Sequence[ProgramText] | Callable[[], Sequence[ProgramText]] = texts
        self._k1, self._b = k1, b
        # Counting runs in C (Counter over chained iterators): the booklet is 60,000 lemmas.
        letters_of: dict[str, tuple[str, ...]] = {}
        body, name, spelled = [], [], []
        for text in texts:
            lemmas = Counter(chain.from_iterable(text.body))
            for lemma in lemmas.keys() - letters_of.keys():
                letters_of[lemma] = _letter_pairs(lemma)
            spelled.append(Counter(chain.from_iterable(letters_of[lemma] * count for lemma, count in lemmas.items())))
            lemmas.update(chain.from_iterable(map(_PAIR.join, zip(seq, seq[1:], strict=False)) for seq in text.body))
            body.append(lemmas)
            name.append(_counts(text.name))
        words: dict[str, Sequence[tuple[int, float]]] = {**self._bm25(body)}
        for term, postings in self._bm25(name, weight=NAME_WEIGHT).items():
            mine = words.get(term)
            words[term] = _merged(mine, postings) if mine else postings
        self._words = words
        self._letters = self._bm25(spelled, weight=LETTERS_WEIGHT)
        self._plain: dict[str, list[tuple[int, float]]] | None = None

    @classmethod
    def load(cls, path: Path, key: str, texts: Callable[[], Sequence[ProgramText]]) -> TextIndex | None:
        """The index saved at `path` under `key`, or None (no file, another key, unreadable).
        `texts` gives the indexed texts should the anchor (`plain_scores`) be asked for."""
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        index = cls.__new__(cls)
        index._texts, index._k1, index._b = texts, data["k1"], data["b"]
        index._words, index._letters, index._plain = data["words"], data["letters"], None
        return index

    def save(self, path: Path, key: str) -> None:
        """Keep the built tables at `path` under `key` (atomically; a failure is only logged)."""
        data = {"key": key, "k1": self._k1, "b": self._b, "words": self._words, "letters": self._letters}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
                handle.write(marshal.dumps(data))
            os.replace(handle.name, path)
        except (OSError, ValueError) as error:
            log.warning("text index not saved (%s)", type(error).__name__)

    def _bm25(
        self, counts: list[Counter], *, weight: float = 1.0, common_share: float = COMMON_SHARE
    ) -> dict[str, list[tuple[int, float]]]:
        """Each term's (program index, `weight` × BM25 weight) over one kind of terms, leaving
        out terms in more than `common_share` of the programs."""
        n = len(counts)
        if not n:
            return {}
        texts = self._texts() if callable(self._texts) else self._texts
        lengths = [c.total() for c in counts]
        average = sum(lengths) / n or 1.0
        frequency: Counter = Counter(chain.from_iterable(counts))
        k1, b = self._k1, self._b
        most = common_share * n if n >= FEW_PROGRAMS else n  # a handful of programs: keep every term
        log = math.log
        scale = weight * (k1 + 1.0)
        idf = {term: scale * log(1.0 + (n - df + 0.5) / (df + 0.5)) for term, df in frequency.items() if df <= most}
        postings: dict[str, list[tuple[int, float]]] = {}
        get = idf.get
        for text, c, length in zip(texts, counts, lengths, strict=True):
            norm = k1 * (1.0 - b + b * length / average)
            index = text.index
            for term, tf in c.items():
                factor = get(term)
                if factor is None:
                    continue
                entry = (index, factor * tf / (tf + norm))
                found = postings.get(term)
                if found is None:
                    postings[term] = [entry]
                else:
                    found.append(entry)
        return postings

    def scores(self, lemmas: Sequence[str]) -> TextWeights:
        """Program index → BM25 weight of the message's lemmas (in message order; the first
        MAX_QUERY_LEMMAS of a long one, which bounds the time a message can take), with the
        number of the message's distinct indexed lemmas each program's text holds."""
        words, letters = query_terms(lemmas[:MAX_QUERY_LEMMAS])
        total = TextWeights()
        get, met = total.get, total.words_met
        for term in words:
            postings = self._words.get(term, ())
            if _PAIR in term:
                for index, weight in postings:
                    total[index] = get(index, 0.0) + weight
            else:
                for index, weight in postings:
                    total[index] = get(index, 0.0) + weight
                    met[index] = met.get(index, 0) + 1
        for term in letters:
            for index, weight in self._letters.get(term, ()):
                total[index] = get(index, 0.0) + weight
        return total

    def plain_scores(self, lemmas: Sequence[str]) -> dict[int, float]:
        """The anchor: plain BM25 of the lemmas alone over the same texts (no pairs, no name
        field, no letters, nothing left out). Built on first use: only evaluation asks."""
        if self._plain is None:
            if callable(self._texts):
                self._texts = self._texts()
            counts = [Counter(chain.from_iterable(text.body)) for text in self._texts]
            self._plain = self._bm25(counts, common_share=1.0)
        total: dict[int, float] = {}
        for term in set(lemmas):
            for index, weight in self._plain.get(term, ()):
                total[index] = total.get(index, 0.0) + weight
        return total


class SpelledNames:
    """National programs' whole names as a message spells them (letters and digits, without
    spaces or what the name holds in brackets), found in a message by `said`."""

    def __init__(self, names: Iterable[tuple[int, str]]):
        programs: dict[str, list[int]] = {}
        for index, name in names:
            spelled = compact(_BRACKETED.sub(" ", clean(name)))
            if len(spelled) >= NAME_SAID_MIN:
                programs.setdefault(spelled, []).append(index)
        self._programs = programs
        # The first letters of every name: most places in a message start none.
        self._openings = frozenset(spelled[:NAME_SAID_MIN] for spelled in programs)
        self._longest = max(map(len, programs), default=0)

    def said(self, squeezed: str) -> list[int]:
        """The programs whose whole name `squeezed` (a message through `compact`) spells, each
        name not inside a longer one that it also spells."""
        programs, openings, length = self._programs, self._openings, len(squeezed)
        spans = []
        for start in range(length - NAME_SAID_MIN + 1):
            if squeezed[start : start + NAME_SAID_MIN] not in openings:
                continue
            for end in range(start + NAME_SAID_MIN, min(start + self._longest, length) + 1):
                if squeezed[start:end] in programs:
                    spans.append((start, end))
        outer = [
            (start, end) for start, end in spans
            if not any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans)
        ]
        return [index for start, end in outer for index in programs[squeezed[start:end]]]


def index_key(*parts: object) -> str:
    """Names an index by everything it is built from: the ranking's own constants and the
    caller's `parts` (the analyser, the spelling variants, each program's name and texts)."""
    digest = hashlib.sha256()
    for part in (INDEX_FORMAT, K1, B, NAME_WEIGHT, LETTERS_WEIGHT, COMMON_SHARE, *parts):
        digest.update(json.dumps(part, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _merged(first, second) -> tuple[tuple[int, float], ...]:
    summed = dict(first)
    for index, weight in second:
        summed[index] = summed.get(index, 0.0) + weight
    return tuple(summed.items())


def _pairs(lemmas: Sequence[str]) -> Iterable[str]:
    return map(_PAIR.join, zip(lemmas, lemmas[1:], strict=False))


def _letter_pairs(lemma: str) -> tuple[str, ...]:
    """The letter pairs of a noun of two letters or more; none for a verb or adjective (their
    dictionary form ends in 다: "받다" and "지원받다" share no meaning through "받다"), nor for
    one letter. Measured on the tune half: pairs of verbs only added noise."""
    if len(lemma) < 2 or lemma.endswith(_PREDICATE_END):
        return ()
    return tuple(_LETTERS + lemma[start : start + 2] for start in range(len(lemma) - 1))


def _counts(sequences: Iterable[Sequence[str]]) -> Counter:
    """Lemmas and pairs of neighbouring lemmas of some lemma sequences."""
    counts: Counter = Counter()
    for sequence in sequences:
        counts.update(sequence)
        counts.update(_pairs(sequence))
    return counts


def passages_path() -> Path:
    """The booklet's passages of the national programs, written by `catalog import-national`."""
    from catalog.loader import data_dir

    return data_dir() / "booklet" / "national-passages.json"


def load_passages(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Program id → the booklet's passages about it; empty when the file is absent (a catalog
    without the bundled national programs ranks on the catalog's own texts)."""
    path = path or passages_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {program_id: tuple(texts) for program_id, texts in data["programs"].items()}


def texts_of(program, passages: Mapping[str, Sequence[str]]) -> list[str]:
    """The texts of a program that the index reads besides its name, keywords and related
    words (which the keyword matcher has already analysed), cleaned: its card's summary,
    eligibility, how to apply and cost, and the booklet's passages about it (stored cleaned:
    see `catalog.tools.national_import.build_passages`)."""
    card = (program.summary.ko, program.eligibility.summary.ko, program.apply.summary.ko, program.cost.summary.ko)
    return [*map(clean, card), *passages.get(program.id, ())]


# ---- fusing with the keyword matcher ---------------------------------------------------------
# How the text weights become scores on the matcher's 0–100 scale (see `national_scores`).
KEYWORD_SHARE = 0.1  # a program's keyword score adds this much to its text weight when ranking
TEXT_MIN = 20.0  # the best text weight at which a message about welfare fits by text alone
TEXT_MIN_ASKING = 45.0  # … and at which any other question does ("…어디서 하나요?")
# … or, lower, a question whose best program's text holds WORDS_MET of its distinct words: small
# talk that asks ("이 가방 괜찮을까?") meets a program on one or two words, a resident's question
# about a program on several (measured on the tune half against the chit-chat lines).
TEXT_MIN_ASKING_WORDS, WORDS_MET = 30.0, 3
TEXT_FLOOR, TEXT_TOP, TEXT_SCALE = 45.0, 70.0, 60.0
RUNNER_UP_SHARE = 0.4  # national programs within this share of the best weight are listed too
RUNNER_UP_SPREAD = 15.0  # how much lower than the best a runner-up of no weight would score
# When the text decides, a national program ranks above a district's or city's program that
# fits by its keywords only when it scores this many times higher (see Matcher.rank).
TEXT_MARGIN = 1.25


def text_score(weight: float) -> float:
    """The score (0–100) of a program that fits by its text: from TEXT_FLOOR at TEXT_MIN up to
    TEXT_TOP. The top stays under a local program's one rare keyword (60) once the national
    area factor (0.85) applies: text alone is weaker evidence than a word an officer chose."""
    rise = 1.0 - math.exp(-max(0.0, weight - TEXT_MIN) / TEXT_SCALE)
    return TEXT_FLOOR + (TEXT_TOP - TEXT_FLOOR) * rise


def national_scores(
    keyword_scores: Mapping[int, float], text_weights: Mapping[int, float], national, *, welfare: bool, asks: bool
) -> dict[int, float]:
    """Scores of the national programs, fusing the keyword matcher and the text ranking.

    The order is the text weight plus a share of the keyword score (names said outright and
    officers' words count twice). Whether anything fits: a message about welfare (`welfare`:
    it holds a word such as 지원, 신청, 자격) whose best text weight reaches TEXT_MIN fits by
    text, and so does another question (`asks`) whose text weight reaches the much higher
    TEXT_MIN_ASKING, or TEXT_MIN_ASKING_WORDS with several of its words met (`_question_fits`);
    otherwise only programs the keyword matcher found can fit, at its score,
    as before, so small talk ("건강검진 왔어") never has the text decide. The thresholds were
    set on the tune half of Welfare-QA against the chit-chat lines and out-of-scope questions
    written for the tests. The best program gets the better of its text score and the best
    keyword score; runners-up a little less, in order.
    """
    fused = {index: weight + KEYWORD_SHARE * keyword_scores.get(index, 0.0) for index, weight in text_weights.items()}
    found = [index for index in keyword_scores if index in national]
    for index in found:
        fused.setdefault(index, KEYWORD_SHARE * keyword_scores[index])
    best_text = max(text_weights.values(), default=0.0)
    if (welfare and best_text >= TEXT_MIN) or (asks and _question_fits(text_weights, best_text)):
        top = max(fused.values())
        chosen = {index: value for index, value in fused.items() if value >= RUNNER_UP_SHARE * top}
        level = max([text_score(best_text), *(keyword_scores[i] for i in chosen if i in keyword_scores)])
    elif found:
        chosen = {index: fused[index] for index in found}
        top = max(chosen.values())
        level = max(keyword_scores[index] for index in found)
    else:
        return {}
    return {index: level - RUNNER_UP_SPREAD * (1.0 - value / top) for index, value in chosen.items()}


def _question_fits(text_weights: Mapping[int, float], best_text: float) -> bool:
    """Whether a question without a word of welfare fits its best program by text: far above
    TEXT_MIN, or above TEXT_MIN_ASKING_WORDS when that program's text holds WORDS_MET of the
    question's words (`TextWeights.words_met`; a plain mapping has none)."""
    if best_text >= TEXT_MIN_ASKING:
        return True
    if best_text < TEXT_MIN_ASKING_WORDS:
        return False
    met = getattr(text_weights, "words_met", {})
    best = max(text_weights, key=text_weights.__getitem__)
    return met.get(best, 0) >= WORDS_MET
