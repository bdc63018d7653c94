"""Matching a resident's message to the programs of their district (contract: the matching spec).

How a message meets a program:
1. The message is cleaned and analysed into content lemmas (Korean stems via kiwipiepy,
   English stems), so particles, endings and spacing do not matter.
2. Every catalog keyword was analysed the same way when the index was built. A keyword
   matches when all of its lemmas are in the message; a keyword of three or more Hangul
   letters also matches when it appears in the message with the spaces removed.
3. Words the analyser does not know (typos like 간벙인) and long words are compared with the
   catalog's vocabulary letter by letter (jamo), and a close one counts at a discount.
4. A program's score adds its matched keywords' weights; each lemma counts once, rarer
   lemmas weigh more, related words weigh a third. Only a program with at least one matched
   keyword (not only related words) can fit, and only above a calibrated threshold.
5. National programs are also ranked by their whole text, the booklet's passages included
   (catalog.ranking: BM25 on the same lemmas), fused with their keyword scores; a question
   about welfare may then fit a national program by its text alone, small talk never does.
6. Programs of the resident's own district rank before city-wide ones, which rank before
   national ones, when they fit about equally.
7. Talk that is not a request finds nothing, though it shares a program's word: a how-to
   question, a pet, a film or a shop, an exam, hearsay or news about someone else, enjoyment
   told, a deed done (see `Matcher.talk_kind`). A broad ask (which services the district has)
   gets the district's own programs, then its city's (see `Matcher.is_broad_ask`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import kiwipiepy
from rapidfuzz import fuzz, process

from catalog.bulk import collector_paused
from catalog.crisis import assess, detect_crisis, morpheme_line, prepare
from catalog.loader import Catalog, data_dir
from catalog.morphology import KoreanAnalyzer, LemmaCache, shared_analyzer
from catalog.need_model import broad_chance, need_chances
from catalog.need_model import shipped_model as shipped_need_model
from catalog.ranking import (
    NAME_SAID,
    TEXT_MARGIN,
    ProgramText,
    SpelledNames,
    TextIndex,
    index_key,
    load_passages,
    national_scores,
    texts_of,
)
from catalog.results import Match, MatchResult
from catalog.schema import NATIONAL, Category, Kind, Program, Status
from catalog.talk_model import is_other_talk
from catalog.talk_model import shipped_model as shipped_talk_model
from catalog.text import FIRST_PERSON_SUBJECT, clean, compact, english_words, for_matching, has_hangul, jamo

TEXT_INDEX_FILE = f"text-index-kiwi-{kiwipiepy.__version__}.marshal"  # beside the text analyses
# Calibrated on the development set and the chit-chat corpus (see the README's figures).
MIN_SCORE = 30.0
SCORE_SCALE = 1.1  # raw weight 1.0 (one rare keyword) → score 60
RELATED_WEIGHT = 0.35
PROMOTED_WEIGHT = 0.7  # related words that decide (request cue or two agreeing) weigh clearly less than keywords
PHRASE_BONUS = 0.25  # per extra lemma in a multi-word keyword: phrases are more specific
FUZZY_FACTOR = 0.8
FUZZY_MIN_RATIO = 82.0
FUZZY_MAX_WORDS = 12  # bounds the work on a long or adversarial message
FUZZY_WORD_MIN = 4  # syllables of a whole written word before any close spelling of it counts
SLIP_WORD_MIN = 3  # syllables of a whole written word before a one-letter slip in one syllable counts
AREA_FACTOR = {"local": 1.0, "city": 0.95, "national": 0.85}
AMBIGUOUS_RATIO = 0.92
# The need model's word (catalog.need_model): a district or city program gains this many points
# times the model's chance that its kind of help is the one asked for. Chosen on the tune halves
# of the held-out sets and the development set (5 and 10 found fewer; 30 and 40 as many as 20).
NEED_BONUS = 20.0
NEED_LIFT_AT = 0.6  # 0.8 and 0.9 lost one request of the tune halves, 0.95 two
# A question is a broad ask when the need model gives it this chance of asking what help there
# is at all (0.9 to 0.98 gave the same lines on the tune halves; 0.8 three lines of talk more).
BROAD_AT = 0.95
MAX_MATCHES = 5
SHOP_COMPOUND_MIN = 4  # syllables of a shop's name before it is looked for inside the written letters
COMPACT_MIN, COMPACT_MAX = 3, 12
_TRAILING_PARTICLE = re.compile(r"(에서|에게|한테|으로|로|이랑|랑|하고|이나|나|은|는|이|가|을|를|에|도|만|요)$")


class Keyword(NamedTuple):
    """One keyword or related word of one program (a tuple: a big catalog holds 80,000)."""

    program: int
    lemmas: frozenset[str]
    content: tuple[str, ...]
    strong: bool


class _Weighing(NamedTuple):
    """What scoring needs of a keyword, worked out once per distinct keyword when the index is
    built (programs share most of their words, so a big catalog has far fewer than keywords)."""

    lemma_weights: tuple[tuple[str, float], ...]  # (content lemma, rarity weight)
    phrase_factor: float  # 1 + PHRASE_BONUS per extra lemma
    # The score of a program that this keyword alone fits, every lemma read as written (no
    # typo discount): most programs a message meets are such, and need no arithmetic then.
    exact_score: float


class _DistrictView(NamedTuple):
    """The index narrowed to the programs one district may be offered, with their area factors.

    A lemma's keywords are split into those that match on the lemma alone and those that need
    more words, so the common case is one set update instead of a subset test per keyword. A
    keyword of several words is filed under its rarest word only, with every keyword of the
    same words: a common word ("장애인") then tests few word sets, and each set once.
    """

    by_lemma: dict[str, tuple[tuple[int, ...], tuple[tuple[frozenset[str], tuple[int, ...]], ...]]]
    by_compact: dict[str, tuple[tuple[int, ...], tuple[str, ...]]]  # keyword ids, their content lemmas
    area_factor: dict[int, float]  # program index → factor, for the programs the district is served


class Scores(dict):
    """Program index → score (0–100), as `Matcher.score` gives them, and which of them are
    national programs that fit by their text alone: with one of those, the national programs
    need a margin to rank above a district's or city's program (see `Matcher.rank`)."""

    by_text: frozenset[int] = frozenset()
    broad: bool = False  # a broad ask: `rank` lists the district's programs (see Matcher.is_broad_ask)


@dataclass(frozen=True)
class Lexicon:
    """Editable language data: words that never decide a match, and spelling variants."""

    generic: frozenset[str]
    variants: dict[str, str]
    request_cues: frozenset[str] = frozenset()
    # Words that make a message a question about public help (지원, 신청, 자격): with one, a
    # national program may fit by its text alone (see catalog.ranking.national_scores).
    welfare_cues: frozenset[str] = frozenset()
    # Kind → words that tell other talk from a request, and a broad ask from a specific one
    # (data/lexicon/talk-words.tsv; English entries stemmed, several words a phrase).
    talk: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The same words as written, English unstemmed: a deed told in the past ("bought",
    # "fixed") is read from the written form, which the stem ("fix") no longer shows.
    talk_as_written: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> Lexicon:
        folder = folder or data_dir() / "lexicon"
        generic = _word_list(folder / "generic-words.txt")
        cues = _word_list(folder / "request-cues.txt")
        welfare = _word_list(folder / "welfare-cues.txt")
        variants = {}
        for line in (folder / "variants.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                written, canonical = line.split("\t")
                variants[written.strip()] = canonical.strip()
        talk: dict[str, set[str]] = defaultdict(set)
        as_written: dict[str, set[str]] = defaultdict(set)
        for line in (folder / "talk-words.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                kind, word = line.split("\t")
                word = word.strip()
                talk[kind.strip()].add(word if has_hangul(word) else " ".join(english_words(word.lower())))
                as_written[kind.strip()].add(word.lower())
        return cls(
            generic=frozenset(generic), variants=variants, request_cues=frozenset(cues),
            welfare_cues=frozenset(welfare), talk={kind: frozenset(words) for kind, words in talk.items()},
            talk_as_written={kind: frozenset(words) for kind, words in as_written.items()},
        )


def _word_list(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


class Matcher:
    """Answers `match(text, district)`; build once per process (the index takes a moment)."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        analyzer: KoreanAnalyzer | None = None,
        lexicon: Lexicon | None = None,
        min_score: float = MIN_SCORE,
        lemma_cache: LemmaCache | None = None,
        passages: Mapping[str, Sequence[str]] | None = None,
    ):
        """`passages`: program id → the booklet's passages about it (default: the bundled
        booklet's, catalog.ranking.load_passages); only national programs' are read."""
        self.catalog = catalog
        self.analyzer = analyzer or shared_analyzer()
        self.lexicon = lexicon or Lexicon.load()
        self.min_score = min_score
        self._search_floor = min_score / min(AREA_FACTOR.values())
        self._lemma_cache = lemma_cache if lemma_cache is not None else LemmaCache()
        self.programs: list[Program] = [p for p in catalog.programs.values()]
        self.keywords: list[Keyword] = []
        self._keyword_program: list[int] = []  # keyword id → program index, for grouping fast
        # Per content lemma: the keywords it completes alone, and the word sets of keywords of
        # several words filed under it (see _DistrictView); per word set, its keywords.
        self._by_lemma: dict[str, tuple[list[int], list[frozenset[str]]]] = {}
        self._by_lemma_set: dict[frozenset[str], list[int]] = {}
        self._by_compact: dict[str, list[int]] = defaultdict(list)
        self._views: dict[str | None, _DistrictView] = {}
        with collector_paused():  # the index of a big catalog is ~100,000 objects: see catalog.bulk
            self._build_index()
            self.text_index = self._build_text_index(
                load_passages() if passages is None else passages, self._lemma_cache.for_texts()
            )
        self._talk = _TalkWords.of(self.lexicon, self._place_words())
        # The learned tiers' weights and the tables the reading uses, read now (some 450 ms
        # together) by every front end that builds a matcher, not by the first message that
        # needs them: the talk model here, the crisis tiers' in catalog.crisis.prepare.
        shipped_talk_model()
        shipped_need_model()
        prepare()
        # Words that name a need some program meets: every Korean word of a keyword, and English
        # keywords of one word (the small words of English phrases, "time", "first", name none).
        # A broad ask holds none of them: "any help for people like me?" is broad, "… for my boiler" not.
        self._need_words = frozenset(
            lemma for keyword in self.keywords for lemma in keyword.content
            if len(keyword.content) == 1 or has_hangul(lemma)
        ) - self._talk.broad

    # ---- index -------------------------------------------------------------------------
    def _build_index(self) -> None:
        # How many programs use a lemma, per tier: a word that is a keyword of two programs
        # stays distinctive even when many national programs mention it among related words.
        # A lemma inside an n-word keyword counts 1/n: a long national program name only
        # matches whole, so it barely makes its words common.
        entries, phrases = keyword_entries(self.programs)
        korean = [phrase for phrase in phrases if has_hangul(phrase)]  # English: english_words
        keyword_lemmas = self.analyzer.lemmas_of_many(korean, self._lemma_cache)
        self._keyword_lemmas = keyword_lemmas  # kept for the keyword lint
        forms = {phrase: self._keyword_form(phrase, keyword_lemmas) for phrase in phrases}
        program_lemmas = self._add_keywords(entries, forms)
        self._file_lemma_sets()
        self._weight = {
            (strong, lemma): 1.0 / (1.0 + math.log(max(1.0, sum(shares.values()))))
            for strong in (True, False)
            for lemma, shares in program_lemmas[strong].items()
        }
        weighings: dict[tuple[bool, tuple[str, ...]], _Weighing] = {}
        self._weighing = [
            weighings.get((keyword.strong, keyword.content)) or weighings.setdefault(
                (keyword.strong, keyword.content), self._weighing_of(keyword.strong, keyword.content)
            )
            for keyword in self.keywords
        ]
        # Without a request cue, related words alone never fit (see _program_score).
        self._alone_score_asking = [weighing.exact_score for weighing in self._weighing]
        self._alone_score = [
            weighing.exact_score if keyword.strong else None
            for keyword, weighing in zip(self.keywords, self._weighing, strict=True)
        ]
        # The first letters of every compact spelling: most places in a message start none.
        self._compact_openings = frozenset(spelled[:COMPACT_MIN] for spelled in self._by_compact)
        buckets: dict[int, list[str]] = defaultdict(list)
        self._jamo_to_word: dict[str, str] = {}
        for word in [*self._by_lemma, *self._by_compact]:
            if has_hangul(word) and len(word) >= 2:
                letters = jamo(word)
                self._jamo_to_word.setdefault(letters, word)
                buckets[len(letters)].append(letters)
        by_length = {size: sorted(set(words)) for size, words in buckets.items()}
        self._fuzzy_choices = _neighbouring_lengths(by_length)

    def _build_text_index(self, passages: Mapping[str, Sequence[str]], cache: LemmaCache) -> TextIndex:
        """The text index of the active national programs (catalog.ranking), read from the
        file it was kept in when nothing it is made of has changed, else built and kept."""
        national = [
            (index, program)
            for index, program in enumerate(self.programs)
            if NATIONAL in program.area and program.status is Status.ACTIVE
        ]
        self._national = frozenset(index for index, _ in national)
        self._spelled_names = SpelledNames((index, program.name.ko) for index, program in national)
        inputs = [
            (index, _name_phrases(program), [*program.related.ko, *program.related.en], texts_of(program, passages))
            for index, program in national
        ]
        key = index_key(self.analyzer.signature(), self.lexicon.variants, inputs)
        path = cache.path.with_name(TEXT_INDEX_FILE)

        def documents() -> list[ProgramText]:
            return self._program_texts(inputs, cache)

        found = TextIndex.load(path, key, documents)
        if found is not None:
            return found
        built = TextIndex(documents())
        built.save(path, key)
        return built

    def _program_texts(self, inputs, cache: LemmaCache) -> list[ProgramText]:
        """Each program's name and texts read into lemma sequences, as messages are read."""
        korean = [text for *_, texts in inputs for text in texts if has_hangul(text)]
        analysed = self.analyzer.lemmas_of_many(korean, cache)
        variants = self.lexicon.variants

        def read(lemmas) -> tuple[str, ...]:
            if variants.keys().isdisjoint(lemmas):
                return tuple(lemmas)
            return tuple(variants.get(lemma, lemma) for lemma in lemmas)

        def lemmas_of(text: str, found: Mapping[str, list[str]]) -> tuple[str, ...]:
            return read(found[text] if has_hangul(text) else english_words(text))

        documents = []
        keyword_lemmas = self._keyword_lemmas  # names and related words are analysed as keywords
        for index, phrases, related, texts in inputs:
            name = tuple(lemmas_of(clean(phrase), keyword_lemmas) for phrase in phrases)
            body = name + tuple(lemmas_of(clean(phrase), keyword_lemmas) for phrase in related)
            body += tuple(lemmas_of(text, analysed) for text in texts if text)
            documents.append(ProgramText(index, name, body))
        return documents

    def _keyword_form(self, cleaned: str, keyword_lemmas: dict[str, list[str]]):
        """(all lemmas, content lemmas, compact spelling or None), or None for a keyword made
        only of generic words, which could never tell programs apart."""
        raw = keyword_lemmas[cleaned] if has_hangul(cleaned) else english_words(cleaned)
        lemmas = [self.lexicon.variants.get(lemma, lemma) for lemma in raw]
        content = tuple(dict.fromkeys(lemma for lemma in lemmas if lemma not in self.lexicon.generic))
        if not content:
            return None
        squeezed = compact(cleaned)
        spelled = squeezed if has_hangul(squeezed) and COMPACT_MIN <= len(squeezed) <= COMPACT_MAX else None
        return frozenset(lemmas), content, spelled

    def _weighing_of(self, strong: bool, content: tuple[str, ...]) -> _Weighing:
        lemma_weights = tuple((lemma, self._weight[(strong, lemma)]) for lemma in content)
        phrase_factor = 1.0 + PHRASE_BONUS * (len(content) - 1)
        exact_weight = sum(lemma_weight * 1.0 for _, lemma_weight in lemma_weights) * phrase_factor
        alone_weight = exact_weight if strong else exact_weight * PROMOTED_WEIGHT
        return _Weighing(lemma_weights, phrase_factor, _score_of(alone_weight))

    def _add_keywords(self, entries, forms) -> dict[bool, dict[str, dict[int, float]]]:
        """Index every (program, phrase, strong) entry; returns, per tier (keywords: True) and
        lemma, each program's share of it. Some 80,000 entries for 5,000 programs, but far
        fewer distinct (phrase, strong) pairs: where a pair goes is looked up once (_filing),
        and each entry only appends its id and raises its program's shares."""
        keywords, program_of = self.keywords, self._keyword_program
        program_lemmas: dict[bool, dict[str, dict[int, float]]] = {True: {}, False: {}}
        filings: dict[bool, dict[str, tuple | None]] = {True: {}, False: {}}
        for index, phrase, strong in entries:
            filed = filings[strong]
            if phrase not in filed:
                filed[phrase] = self._filing(forms[phrase], program_lemmas[strong])
            filing = filed[phrase]
            if filing is None:
                continue
            lemmas, content, share, id_lists, shares_of_lemmas = filing
            keyword_id = len(keywords)
            keywords.append(Keyword(index, lemmas, content, strong))
            program_of.append(index)
            for ids in id_lists:
                ids.append(keyword_id)
            for shares in shares_of_lemmas:
                if shares.get(index, 0.0) < share:
                    shares[index] = share
        return program_lemmas

    def _filing(self, form, tier: dict[str, dict[int, float]]):
        """Where a keyword of `form` goes: (lemmas, content lemmas, each lemma's share, the id
        lists it joins, the per-program share tables of its lemmas); None when it goes nowhere."""
        if form is None:
            return None
        lemmas, content, spelled = form
        id_lists = []
        for lemma in content:
            postings = self._by_lemma.setdefault(lemma, ([], []))
            if len(lemmas) == 1:
                id_lists.append(postings[0])
        shares_of_lemmas = [tier.setdefault(lemma, {}) for lemma in content]
        if len(lemmas) > 1:
            id_lists.append(self._by_lemma_set.setdefault(lemmas, []))
        if spelled is not None:
            id_lists.append(self._by_compact[spelled])
        return lemmas, content, 1.0 / len(content), id_lists, shares_of_lemmas

    def _file_lemma_sets(self) -> None:
        """File each word set of a keyword of several words under its rarest content word: a
        message holding the whole set holds that word, so the set is tried exactly once."""
        uses: dict[str, int] = defaultdict(int)
        for lemma_set in self._by_lemma_set:
            for lemma in lemma_set:
                uses[lemma] += 1
        by_lemma = self._by_lemma
        for lemma_set in self._by_lemma_set:
            content = [lemma for lemma in lemma_set if lemma in by_lemma]
            rarest = min(content, key=lambda lemma: (len(by_lemma[lemma][0]) + uses[lemma], lemma))
            by_lemma[rarest][1].append(lemma_set)

    def keyword_warnings(self) -> list[str]:
        """Keywords of several words that analysis reduces to one ("걸어서 10분" → 걷다, as
        numbers and counters are not words): they match any message with that one word,
        which is rarely what the officer meant."""
        warnings = []
        for program in self.programs:
            for phrase in (*program.keywords.ko, *program.keywords.en):
                cleaned = clean(phrase)
                form = self._keyword_form(cleaned, self._keyword_lemmas)
                if form is None:
                    continue
                if len(cleaned.split()) >= 2 and len(form[0]) == 1:
                    warnings.append(f"{program.id}: keyword '{phrase}' matches on '{form[1][0]}' alone")
                elif " " not in cleaned and _hangul_letters(form[0]) * 2 < _hangul_letters([cleaned]):
                    # "이소" → 소: the analyser split a name it does not know into other words.
                    words = "/".join(form[1])
                    warnings.append(
                        f"{program.id}: keyword '{phrase}' is read as '{words}'; "
                        "if it is a name, add it to data/lexicon/user-words.txt"
                    )
        return warnings

    # ---- matching ------------------------------------------------------------------------
    def match(self, text: str, district: str, *, limit: int = MAX_MATCHES) -> MatchResult:
        """Crisis first; otherwise the programs serving `district` that fit, best first, and
        for a message about crisis help (a concern) the numbers to show beside them."""
        self.catalog.area_codes(district)  # raises UnknownDistrictError before any work
        assessment = assess(text)
        if assessment.crisis is not None:
            # Whichever tier saw danger, the numbers come alone and at once. A learned-tier
            # crisis was once shown as a concern when a local program also fitted; on the
            # labelled sets that turned three true crises into menus (a rope tied to a door
            # handle matched the repair programs) against one false alarm it spared.
            return MatchResult(crisis=assessment.crisis)
        result = self.rank(self.score(text, district=district), district, limit=limit)
        return replace(result, concern=assessment.concern) if assessment.concern else result

    def elsewhere(self, text: str, district: str, *, limit: int = 2) -> list[Match]:
        """The programs that would fit `text` but are not offered in `district`, best first:
        for a resident who found nothing, where such help does exist (see matching.md)."""
        if detect_crisis(text) is not None:
            return []
        result = self.rank(self.score(text), None, limit=len(self.programs))
        programs = self.catalog.programs
        return [m for m in result.matches if not self.catalog.serves(programs[m.program_id], district)][:limit]

    def rank(self, scores: dict[int, float], district: str | None, *, limit: int = MAX_MATCHES) -> MatchResult:
        """The programs of `district` (None: of every district) among `scores` that pass the
        threshold, best first. When a national program fits by its text alone (see
        `Scores.by_text`), the national programs (in their own order, the text ranking's) rank
        before a district's or city's program only if they score TEXT_MARGIN times higher: an
        officer's word for a nearer program outweighs a resemblance of texts unless that
        resemblance is much the stronger."""
        broad = getattr(scores, "broad", False)
        if broad and district is not None:
            listed = self._district_programs(scores, district, limit)
            if listed.matches:
                return listed
        area_factor = self._view(district).area_factor
        programs = self.programs
        by_text: frozenset[int] = getattr(scores, "by_text", frozenset())
        ranked: list[tuple[float, Program]] = []
        text_decides = False
        for index, score in scores.items():
            factor = area_factor.get(index)
            if factor is None:
                continue  # not offered in the district
            final = score * factor
            if final >= self.min_score:
                ranked.append((final, programs[index]))
                text_decides = text_decides or index in by_text
        if text_decides:
            ranked.sort(key=lambda item: (-item[0] / (TEXT_MARGIN if NATIONAL in item[1].area else 1.0), item[1].id))
        else:
            ranked.sort(key=lambda item: (-item[0], item[1].id))
        # A score shows at most 100: the need model's bonus may carry a ranking score past it.
        matches = [Match(program.id, round(min(final, 100.0), 1)) for final, program in ranked[:limit]]
        ambiguous = (
            len(ranked) >= 2
            and ranked[1][0] >= AMBIGUOUS_RATIO * ranked[0][0]
            and ranked[0][1].category != ranked[1][1].category
        )
        return MatchResult(matches=matches, ambiguous=ambiguous, broad=broad)

    def score(self, text: str, *, district: str | None = None) -> Scores:
        """Score (0–100) of every program with at least one matched keyword, in `district`
        (its programs only: the others are never weighed) or in any district."""
        cleaned = for_matching(text)
        if not cleaned:
            return Scores()
        lemmas, present = self._read(cleaned)
        asking = not self.lexicon.request_cues.isdisjoint(present)
        matched = self._matched_keywords(present, compact(cleaned), district)
        by_program: dict[int, list[int]] = defaultdict(list)
        program_of = self._keyword_program
        for keyword_id in matched:
            by_program[program_of[keyword_id]].append(keyword_id)
        exact = all(factor == 1.0 for factor in present.values())
        # A program met on one keyword, read as written: its score was worked out at build.
        alone_scores = self._alone_score_asking if asking else self._alone_score
        searched = self._searched_words(present) if exact else None
        scores = {}
        bare = False  # the message is a bare search for a keyword
        for index, keyword_ids in by_program.items():
            if exact and len(keyword_ids) == 1:
                score = alone_scores[keyword_ids[0]]
            else:
                score = self._program_score(keyword_ids, present, asking)
            if searched and any(self.keywords[k].strong and searched <= self.keywords[k].lemmas for k in keyword_ids):
                # Nothing but a keyword (and words of asking): a search for it, however many
                # national programs also use the word ("일자리" alone), so it always fits,
                # wherever the program is offered from (see AREA_FACTOR).
                score = max(score or 0.0, self._search_floor)
                bare = True
            if score is not None:
                scores[index] = score
        found = self._with_national_texts(scores, lemmas, present, cleaned)
        if self._broad_ask(cleaned, lemmas) or self._reads_as_broad(text, cleaned, lemmas):
            found.broad = True  # ranked as the district's programs; `found` orders them
        elif found:
            kind = self._talk_kind(cleaned, lemmas)
            if kind in _TOLD:  # "빨래 다 했다" tells, though its one keyword makes it look a search
                return Scores()
            if kind is None and is_other_talk(text, len(lemmas)):
                # The rules found neither a kind of talk nor a need or a request told; the
                # learned tier is sure it is talk (see catalog.talk_model).
                kind = "other"
            elif kind == _NEED:
                kind = None
            if kind is not None and not bare:  # "laundry app", typed alone, searches for it
                # Everyday talk meets the local programs' everyday words; a national program
                # fits only a question or its own words ("장애인 보조견", "LPG 할인"). Talk of an
                # animal fits by text only with a word of welfare: "강아지 예방접종 어디서 해요?"
                # shares the children's vaccination program's words, yet asks nothing of it.
                text_fits = kind != "pet" or not self.lexicon.welfare_cues.isdisjoint(present)
                kept = Scores(
                    (index, score) for index, score in found.items()
                    if index in self._national and (text_fits or index not in found.by_text)
                )
                kept.by_text = found.by_text
                return kept
            if kind is None:
                self._weigh_the_need(found, text, asks=self._asks(cleaned, lemmas))
        return found

    def _reads_as_broad(self, text: str, cleaned: str, lemmas: list[str]) -> bool:
        """A question the broad-ask rules do not see as one, which says whose life it is about
        (living alone, an age, the district, a move) and which the need model is sure
        (`BROAD_AT`) asks what help there is at all. The rules want every other word to say who
        or where the resident is; a long, polite ask, with the writer's apologies and the
        person's news around it, holds words they cannot list, some of them a program's. The
        model knows the district's kinds of help, not the national ones, and takes a question
        about a national need put broadly ("임금을 못 받았는데 받을 수 있는 제도가 있나요?") for a
        broad ask; such a question says nothing of the person."""
        if self._talk.situation.isdisjoint(lemmas) or not self._asks(cleaned, lemmas):
            return False
        # The model first: most questions are not broad, and the kinds of talk take longer to read.
        return broad_chance(text) >= BROAD_AT and self._talk_kind(cleaned, lemmas) in (None, _NEED)

    def _weigh_the_need(self, found: Scores, text: str, *, asks: bool) -> None:
        """Add to each district or city program in `found` `NEED_BONUS` times the need model's
        chance that its kind of help is what `text` asks for (see catalog.need_model): of two
        programs the keywords met, the one of the kind asked for comes first (a score may pass
        100 here; `rank` shows at most 100). A program under the threshold is lifted only in a
        question, and only when the model gives its kind `NEED_LIFT_AT` or more: a need told as
        news or a complaint ("… 구했대") holds words of asking too, and a national need the
        model does not know (coal for the winter) reads to it as a little of several kinds
        (money: jobs)."""
        national, programs, threshold = self._national, self.programs, self.min_score
        local = [index for index in found if index not in national and (asks or found[index] >= threshold)]
        if not local:
            return  # the model is not read for nothing
        chances = need_chances(text)
        for index in local:
            chance = chances.get(programs[index].category, 0.0)
            if found[index] >= threshold or chance >= NEED_LIFT_AT:  # under it only in a question
                found[index] += NEED_BONUS * chance

    def _with_national_texts(self, scores: dict[int, float], lemmas: list[str], present, cleaned: str) -> Scores:
        """`scores` with the national programs' scores fused with their text ranking (see
        catalog.ranking.national_scores). The text is read only for a question, a message
        with a word of welfare, or when the keywords already found a national program."""
        national = self._national
        welfare = not self.lexicon.welfare_cues.isdisjoint(present)
        asks = self.analyzer.asks(cleaned) if has_hangul(cleaned) else "?" in cleaned
        if not (welfare or asks or any(index in national for index in scores)):
            return Scores(scores)
        weights = self.text_index.scores(lemmas)
        for index in self._spelled_names.said(compact(cleaned)):
            weights[index] = weights.get(index, 0.0) + NAME_SAID
        fused = national_scores(scores, weights, national, welfare=welfare, asks=asks)
        kept = Scores((index, score) for index, score in scores.items() if index not in national)
        kept.update(fused)
        # Those the keywords alone would not have made fit (area factors aside: see rank).
        kept.by_text = frozenset(index for index in fused if scores.get(index, 0.0) < self._search_floor)
        return kept

    def anchor_ranking(self, text: str, *, limit: int = 3) -> list[str]:
        """The ids of the national programs that plain BM25 of the message's lemmas ranks
        first (catalog.ranking.TextIndex.plain_scores): the anchor evaluation prints beside
        the matcher's own figures."""
        cleaned = for_matching(text)
        weights = self.text_index.plain_scores(self._analyse(cleaned)[0]) if cleaned else {}
        best = sorted(weights, key=lambda index: (-weights[index], self.programs[index].id))[:limit]
        return [self.programs[index].id for index in best]

    def _searched_words(self, present: dict[str, float]) -> frozenset[str]:
        """The message's own words, leaving out generic words and words of asking
        ("필요하다", "찾다"): what a message that is a bare search names."""
        lexicon = self.lexicon
        return frozenset(
        lemma for lemma in present if lemma not in lexicon.generic and lemma not in lexicon.request_cues
    )

    # ---- requests versus other talk ----------------------------------------------------------
    def is_broad_ask(self, text: str) -> bool:
        """True for a question about what help there is in general, with no specific need:
        "동네에 나 같은 1인 가구 위한 거 있나?", "what services are there for me?".
        It names help in general (an offer word: 서비스, 복지, support) or a thing to receive
        ("받을 수 있는 거", "anything for …"), and every other word says who or where the
        resident is or asks for a list (data/lexicon/talk-words.tsv, the districts' names); or
        the need model is sure a question asks what there is (`_reads_as_broad`). The same
        decision `match` makes and marks on its result (`MatchResult.broad`)."""
        return getattr(self.score(text), "broad", False)

    def talk_kind(self, text: str) -> str | None:
        """Why a message that shares a program's word is not a request, or None when it may be
        one: "pet" (about an animal), "media" (a film, a game, the news), "shop" (a shop, a
        brand, an app, buying and selling), "hearsay" (someone else's news told as heard),
        "advice" (how to do something oneself), "study" (a question about an exam or a
        licence), "pleased" (enjoyment told), "done" (a deed the writer did)."""
        cleaned = for_matching(text)
        kind = self._talk_kind(cleaned, self._analyse(cleaned)[0]) if cleaned else None
        return None if kind == _NEED else kind

    def _broad_ask(self, cleaned: str, lemmas: list[str]) -> bool:
        talk, words = self._talk, frozenset(lemmas)
        if not words:
            return False
        if not words <= talk.broad:
            # Other words too ("이사 온 지 일주일", "직장인", "farming"): still broad when none of
            # them names a need a program meets, and the message says whose life it is about
            # (living alone, an older person, a district, just moved in).
            names_a_need = not words.isdisjoint(self._need_words)
            says_whose_life = not words.isdisjoint(talk.situation)
            if names_a_need or not says_whose_life:
                return False
        korean = has_hangul(cleaned)
        if not korean and words.isdisjoint(talk.opening):
            return False
        grammar = morpheme_line(cleaned) if korean else ""
        if _MUSING.search(grammar):
            return False  # one's own choice mused over: "자취하는 친구한테 뭘 챙겨 줄까?"
        what = _WHAT.search(grammar) or (korean and _WHAT_IS_THERE.search(cleaned))
        wants_to_know = korean and _WANTS_TO_KNOW.search(cleaned) is not None
        asks = self._asks(cleaned, lemmas) or (not korean and _ENGLISH_ASKS.search(cleaned) is not None)
        if not (what or wants_to_know or asks):
            return False  # "복지 뭐 있어요" asks even without its question mark
        if words.isdisjoint(talk.words["exists"]) and not (what or wants_to_know):
            return False  # not what there is: "사업 해볼까?", "이사 도와줄까?"
        if not words.isdisjoint(talk.words["offer"]):
            return True
        if grammar:
            # "받을 수 있는 거", "위한 것", "해 주는 거", "뭐 받을 수 있어요": a thing one receives.
            receives = not words.isdisjoint(talk.words["receive"]) or _FOR_SOMEONE.search(grammar) is not None
            if receives and (_THING.search(grammar) or what):
                return True
            # "독거노인인데 이 동네 뭐 있소": what there is, asked by someone who says only who and where
            # they are (not "혼자 사는데 냉장고에 뭐 있더라").
            return bool(_WHAT_IS_THERE.search(cleaned)) and words <= talk.broad and not words.isdisjoint(talk.situation)
        # "what can I get", "anything for someone living alone".
        receives = not words.isdisjoint(talk.words["receive"]) or "for" in words
        return receives and not words.isdisjoint(talk.words["thing"])

    def _talk_kind(self, cleaned: str, lemmas: list[str]) -> str | None:
        talk, words = self._talk, frozenset(lemmas)
        korean = has_hangul(cleaned)
        english = None if korean else " " + " ".join(lemmas) + " "
        written = None if korean else " " + " ".join(_ENGLISH_WRITTEN.findall(cleaned)) + " "
        if talk.has("pet", words, english):
            return "pet"  # programs serve people: whatever the animal needs, it is the animal's
        squeezed = compact(cleaned)
        shop_named = False
        for shop, cues in talk.shop_compounds:  # "서비스센터": a company's desk, not a service asked for
            if shop in squeezed:
                shop_named, words = True, words - cues
        grammar = morpheme_line(cleaned) if korean else ""
        if talk.has("media", words, english) and talk.has("topic", words, english):
            return "media"  # a documentary about caregivers tells of its subject, not of the writer
        asks = self._asks(cleaned, lemmas)
        if _ONESELF.search(cleaned) or _I_DO_IT.search(grammar):
            # The writer means to do it: "막힌 배수구 직접 뚫는 법", "how to fix it myself" ask
            # how, though the problem or a tool needed is named, unless a person or public help
            # is asked for.
            # In English any question word then asks how ("… himself, what ladder is safest"). A
            # Korean question must ask how itself: taking any question ("… 셀프로 해볼게요") cost
            # one in-scope request on each of three blind sets' frozen halves.
            english_asks = english is not None and (" how " in english or _ENGLISH_ASKS.search(cleaned) is not None)
            how = english_asks or self._asks_how_to(words, english, grammar, asks)
            if how and not self._names_help(words, english, grammar):
                return "advice"
        if (_WAY_OF_DOING.search(grammar) and not self._names_help(words, english, grammar)
                and not (_CANNOT.search(grammar) or _LACKING.search(grammar) or _NO_WAY.search(grammar))):
            # The way of doing it asked for ("막힌 배수구 뚫는 법 알려줘요"): knowledge, though the
            # problem is told, unless a person or public help is named, or no way is had
            # ("씻을 방법이 없어요" tells a lack).
            return "advice"
        # Someone else's life, the writer not in it: their pay or their news is told, not asked for.
        of_someone_else = talk.has("others", words, english) and not _WRITER.search(cleaned)
        if of_someone_else and talk.has("wage", words, english) and not (
            _CANNOT.search(grammar) or _LACKING.search(grammar)
        ):
            return "hearsay"  # what a friend's job pays: "친구가 요양보호사 하는데 시급 얼마야?"
        asking = set(words & talk.asking)
        if english is not None:
            # "dish soap didn't help" asks for nothing: an English word of asking after a negation.
            asking = {word for word in asking if not re.search(_NEGATED_ENGLISH + re.escape(word), cleaned)}
        if asking:
            return _NEED  # a request for help may come in any talk
        if asks and of_someone_else and (
            not words.isdisjoint(talk.words["news"]) or (written is not None and talk.written("news", written))
        ):
            return "hearsay"  # a question about someone else's news: "my son got a job as …, is that good work?"
        if asks and talk.has("study", words, english):
            return "study"  # a question about an exam or a licence: "is it hard" is the exam's
        if talk.has("need", words, english) or _CANNOT.search(grammar) or _LACKING.search(grammar):
            return _NEED  # a problem, distress or a lack may come in any talk
        if talk.has("media", words, english):
            return "media"
        if shop_named or talk.has("shop", words, english):
            return "shop"
        if not asks:
            told = self._told_kind(words, english, written, grammar)
            if told is not None:
                return told
        if self._asks_how_to(words, english, grammar, asks):
            # How to do it oneself, unless public help or receiving something is named with it.
            if not self._names_help(words, english, grammar):
                return "advice"
        if not asks and talk.has("pleased", words, english) and words.isdisjoint(talk.wishes):
            return "pleased"
        return None

    def _told_kind(self, words: frozenset[str], english: str | None, written: str | None, grammar: str) -> str | None:
        """Why a statement (no question, no need) asks for nothing: "hearsay" for news of
        someone else (heard, or what became of them: "후배가 상담사가 됐어요", "my friend
        works as a caregiver"), "done" for a deed the writer did ("새 수전 하나 샀어",
        "I fixed the tap myself"), or None."""
        talk = self._talk
        if _HEARSAY.search(_TOLD_TO.sub(" ", grammar)) or talk.has("hearsay", words, english):
            return "hearsay"
        if talk.has("others", words, english) and (
            _BECAME.search(grammar) or not words.isdisjoint(talk.words["news"])
            or (written is not None and talk.written("news", written))
        ):
            return "hearsay"
        if written is not None:  # English: a deed in the past tense, not negated
            if talk.written("done", written) and not _ENGLISH_NEGATION.search(written):
                return "done"
            return None
        if _NEGATED.search(grammar):
            return None  # "빨래를 며칠째 안 했어요" tells of a need
        if not words.isdisjoint(talk.words["finished"]) or _ALL_DONE.search(grammar):
            return "done"
        for chain in _PAST.findall(_LIGHT_VERB.sub(r" \1하/VV ", grammar)):
            verbs = {part.split("/")[0] + "다" for part in chain.split() if part.endswith(("/VV", "/VX"))}
            if not verbs.isdisjoint(talk.words["done"]):
                return "done"
        return None

    def _names_help(self, words: frozenset[str], english: str | None, grammar: str) -> bool:
        """Whether public help or a person to do it is named ("구청 지원", "해 줄 사람", "someone
        who …"): a how-to question then asks for help, not for a way to do it oneself."""
        return (not words.isdisjoint(self._talk.public) or _FOR_SOMEONE.search(grammar) is not None
                or self._talk.has("someone", words, english))

    def _asks_how_to(self, words: frozenset[str], english: str | None, grammar: str, asks: bool) -> bool:
        """A question about how to do something oneself: how, how often, which is better,
        may I, what shall I; "…하는 방법" needs no question mark."""
        if _WAY_OF_DOING.search(grammar) or _MUSING.search(grammar) or self._talk.has("tips", words, english):
            return True
        if not asks:
            return False
        return bool(
            self._talk.has("advice", words, english) or _HOW_TO.search(grammar)
            or _MAY_I.search(grammar) or _WHICH_IS_BEST.search(grammar)
        )

    def _asks(self, cleaned: str, lemmas: list[str]) -> bool:
        """A question: its ending, a question word or mark; in English also its first word."""
        if has_hangul(cleaned):
            return self.analyzer.asks(cleaned) or not self._talk.words["ask"].isdisjoint(lemmas)
        if "?" in cleaned or bool(lemmas) and lemmas[0] in self._talk.words["ask"] or _WHICH_ONE.search(cleaned):
            return True
        # A sentence after the first that opens with a question word: "retired now. anything for pensioners".
        return any(
            opening in self._talk.words["ask"]
            for sentence in _SENTENCE_END.split(cleaned)[1:]
            for opening in english_words(sentence)[:1]
        )

    def _district_programs(self, scores: Mapping[int, float], district: str, limit: int) -> MatchResult:
        """A broad ask's answer: the district's own programs, then its city's (public ones: a
        company is not what the district offers), those the message's words fit best first
        ("어르신"), then by category. A program the words fit over the threshold comes before
        all of them: a request for one kind of help the need model took for a broad ask still
        finds its program first. Each is listed, not fitted: its score is the threshold."""
        area_factor = self._view(district).area_factor
        programs, local, city = self.programs, AREA_FACTOR["local"], AREA_FACTOR["city"]
        listed = [
            index for index, factor in area_factor.items()
            if factor in (local, city) and programs[index].kind is Kind.PUBLIC
        ]
        categories = list(Category)
        fit = self.min_score
        listed.sort(key=lambda index: (
            scores.get(index, 0.0) * area_factor[index] < fit, -area_factor[index], -scores.get(index, 0.0),
            categories.index(programs[index].category), programs[index].id
        ))
        return MatchResult(matches=[Match(programs[index].id, round(self.min_score, 1)) for index in listed[:limit]],
                           broad=True)

    def _place_words(self) -> frozenset[str]:
        """The areas' names as a message holds them: "서초구", "서초", "seocho", "seoul". The
        analyser reads a place name as one proper noun, so its written words are enough."""
        words: set[str] = set()
        for district in self.catalog.districts.values():
            for word in clean(district.name.ko).split():
                words.add(word)
                if len(word) > 2 and word[-1] in "구군시":
                    words.add(word[:-1])
            words.update(english_words(clean(district.name.en or "")))
        return frozenset(words)

    def explain(self, text: str) -> dict[str, list[str]]:
        """Which keywords ("+") and related words ("~") matched, per program id: for editing keywords."""
        cleaned = for_matching(text)
        present = self._present(cleaned)
        found: dict[str, list[str]] = defaultdict(list)
        for keyword_id in sorted(self._matched_keywords(present, compact(cleaned))):
            keyword = self.keywords[keyword_id]
            mark = "+" if keyword.strong else "~"
            found[self.programs[keyword.program].id].append(mark + "/".join(keyword.content))
        return dict(found)

    def _present(self, cleaned: str) -> dict[str, float]:
        """The message's lemmas (1.0) and the vocabulary words its typos stand for (discounted)."""
        return self._read(cleaned)[1]

    def _read(self, cleaned: str) -> tuple[list[str], dict[str, float]]:
        """The message's lemmas in order, and `_present`'s words with their weights."""
        lemmas, unknown = self._analyse(cleaned)
        present: dict[str, float] = {lemma: 1.0 for lemma in lemmas}
        for word, factor in self._fuzzy_lemmas(cleaned, unknown, present):
            present.setdefault(word, factor)
        return lemmas, present

    def _view(self, district: str | None) -> _DistrictView:
        """The index narrowed to what `district` may be offered (None: every program): built on
        the first message from each district, so common words ("혼자", "집") do not walk
        thousands of other districts' keywords on every message."""
        view = self._views.get(district)
        if view is None:
            with collector_paused():
                view = self._views[district] = self._build_view(district)
        return view

    def _build_view(self, district: str | None) -> _DistrictView:
        if district is None:
            area_factor = {index: 1.0 for index in range(len(self.programs))}
        else:
            area_codes = self.catalog.area_codes(district)
            area_factor = {
                index: AREA_FACTOR[_area_kind(program, district, area_codes)]
                for index, program in enumerate(self.programs)
                if self.catalog.serves(program, district)
            }
        keywords, program_of, by_lemma_set = self.keywords, self._keyword_program, self._by_lemma_set
        by_lemma = {}
        for lemma, (alone, lemma_sets) in self._by_lemma.items():
            kept_alone = tuple(k for k in alone if program_of[k] in area_factor)
            more = []
            for lemma_set in lemma_sets:
                kept = tuple(k for k in by_lemma_set[lemma_set] if program_of[k] in area_factor)
                if kept:
                    more.append((lemma_set, kept))
            if kept_alone or more:
                by_lemma[lemma] = (kept_alone, tuple(more))
        by_compact = {}
        for spelled, ids in self._by_compact.items():
            kept = tuple(k for k in ids if program_of[k] in area_factor)
            if kept:
                lemmas = tuple(dict.fromkeys(lemma for k in kept for lemma in keywords[k].content))
                by_compact[spelled] = (kept, lemmas)
        return _DistrictView(by_lemma, by_compact, area_factor)

    def _analyse(self, cleaned: str) -> tuple[list[str], tuple[str, ...]]:
        if has_hangul(cleaned):
            lemmas, unknown = self.analyzer.analyse(cleaned)
        else:
            lemmas, unknown = tuple(english_words(cleaned)), ()
        variants = self.lexicon.variants
        return [variants.get(lemma, lemma) for lemma in lemmas], unknown

    def _fuzzy_lemmas(self, cleaned: str, unknown: tuple[str, ...], present: dict[str, float]):
        """Vocabulary words close (letter by letter) to unknown words or to whole written words."""
        words = list(unknown)
        short: set[str] = set()
        # A long written word may hide a misspelt compound (수도꼭찌); a word of three
        # syllables (싱크데, 형광둥) only a slip of one vowel or final letter, as the analyser
        # reads such a slip as other words (싱크 + 데). Shorter ones are too often real words
        # one letter from a keyword (괴롭다/외롭다, 방법/방범), so they are left alone.
        for word in cleaned.split(" "):
            if len(word) < SLIP_WORD_MIN:
                continue  # cleaning and particles only ever make it shorter
            word = _TRAILING_PARTICLE.sub("", compact(word))
            if has_hangul(word) and len(word) >= SLIP_WORD_MIN and word not in present:
                words.append(word)
                if len(word) < FUZZY_WORD_MIN:
                    short.add(word)
        for word in list(dict.fromkeys(words))[:FUZZY_MAX_WORDS]:
            if word in self._by_lemma or word in self._by_compact:
                continue
            letters = jamo(word)
            choices = self._fuzzy_choices.get(len(letters))
            if not choices:
                continue
            if word in short:
                for found, _, _ in process.extract(
                    letters, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO, limit=5
                ):
                    if _one_syllable_slip(word, self._jamo_to_word[found]):
                        yield self._jamo_to_word[found], FUZZY_FACTOR
                        break
                continue
            best = process.extractOne(letters, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO)
            if best is not None:
                yield self._jamo_to_word[best[0]], FUZZY_FACTOR

    def _matched_keywords(
        self, present: dict[str, float], squeezed: str, district: str | None = None
    ) -> set[int]:
        view = self._view(district)
        by_lemma, by_compact = view.by_lemma, view.by_compact
        matched: set[int] = set()
        words = set(present)
        for lemma in words:
            postings = by_lemma.get(lemma)
            if postings is None:
                continue
            alone, more = postings
            matched.update(alone)  # a keyword of this one lemma
            for lemma_set, keyword_ids in more:
                if lemma_set <= words:
                    matched.update(keyword_ids)
        # Fuzzy hits on a whole keyword ("간벙인" ≈ "간병인") arrive as compact forms, and a
        # keyword of 3+ letters may stand inside a longer run of letters ("반찬배달써비스").
        spelled = [(word, factor) for word, factor in present.items() if word in by_compact]
        openings, length = self._compact_openings, len(squeezed)
        for start in range(length - COMPACT_MIN + 1):
            if squeezed[start : start + COMPACT_MIN] not in openings:
                continue  # no keyword starts with these letters
            for end in range(start + COMPACT_MIN, min(start + COMPACT_MAX, length) + 1):
                if squeezed[start:end] in by_compact:
                    spelled.append((squeezed[start:end], 1.0))
        for word, factor in spelled:
            keyword_ids, lemmas = by_compact[word]
            matched.update(keyword_ids)
            for lemma in lemmas:
                present[lemma] = max(present.get(lemma, 0.0), factor)
        return matched

    def _program_score(self, keyword_ids: list[int], present: dict[str, float], asking: bool) -> float | None:
        """The program's score, or None when it cannot fit: a program fits on one keyword, or
        on related words when the message asks for help or two related words agree
        (보일러 + 고장); everyday words alone ("친구가 운동 갔어") do not make a request.
        A lemma that typo matching found (`present` below 1.0) weighs less."""
        keywords = self.keywords
        if len(keyword_ids) == 1:  # one word, nothing to sort
            keyword = keywords[keyword_ids[0]]
            if not (keyword.strong or asking):
                return None
            lemma_weights, phrase_factor, _ = self._weighing[keyword_ids[0]]
            weight = sum(weight * present[lemma] for lemma, weight in lemma_weights) * phrase_factor
            return _score_of(weight if keyword.strong else weight * PROMOTED_WEIGHT)
        strong = False
        related = set()
        for keyword_id in keyword_ids:
            keyword = keywords[keyword_id]
            if keyword.strong:
                strong = True
            else:
                related.add(keyword.content)
        # Words that say who or where the resident is ("혼자 사는 노인", "집 근처") fit many
        # programs alike: two related words agree on a need only when one of them names it,
        # and such a word weighs as a related word even then (see _TalkWords.about_resident).
        about_resident = self._talk.about_resident
        promoted = not strong and (
            asking or len(related) >= 2 and not all(about_resident(content) for content in related)
        )
        if not (strong or promoted):
            return None  # related words only, too few or naming no need: skip the weighing
        weighing = self._weighing
        # Keywords first, longer phrases first (then by id, so the sum's order is fixed).
        keyword_ids.sort(key=lambda k: (not keywords[k].strong, -len(keywords[k].content), k))
        related_factor = PROMOTED_WEIGHT if promoted else RELATED_WEIGHT
        covered: set[str] = set()
        raw = 0.0
        for keyword_id in keyword_ids:
            lemma_weights, phrase_factor, _ = weighing[keyword_id]
            new = [(lemma, weight) for lemma, weight in lemma_weights if lemma not in covered]
            if not new:
                continue
            weight = sum(weight * present[lemma] for lemma, weight in new)
            weight *= phrase_factor
            if keywords[keyword_id].strong:
                raw += weight
            elif about_resident(keywords[keyword_id].content):
                raw += weight * RELATED_WEIGHT
            else:
                raw += weight * related_factor
            covered.update(lemma for lemma, _ in lemma_weights)
        return _score_of(raw)


# Grammar that words alone do not show (catalog.crisis.morpheme_line's normal form): a thing
# ("받을 수 있는 거"), a question word ("뭐", "어떤"), done for someone ("해 주는"), how to or
# how many ("하는 법", "몇 번"), and news told as heard ("잘렸대", "하신다더라", "좋다고 하던데").
_THING = re.compile(r" (?:것|거)/NNB ")
# Talk told, not asked (someone's news, one's enjoyment, a deed done): no program fits it,
# national or not.
_TOLD = frozenset({"hearsay", "pleased", "done"})
# What `_talk_kind` answers when the rules see a request or a need told (a problem, a lack,
# distress): a request may come in any talk, and the learned tier has no say.
_NEED = "need"
# "What is there" with any ending, dialect ones too: "뭐 있노", "뭐가 있능교", "모 있당가"
# (the analyser reads none of these endings as a question; 머 is already 뭐, see for_matching).
_WHAT_IS_THERE = re.compile(r"(?<![가-힣])(?:뭐|모|뭣)(?:가|이|시)?\s?(?:있|잇)")
# Wanting to know ("알고 싶어요", "알고 싶소"): a request for information, like "궁금해요".
_WANTS_TO_KNOW = re.compile(r"알고\s?싶")
_SENTENCE_END = re.compile(r"[.!;]+\s*")
# A choice asked for anywhere in an English message: "kettle which one boils faster".
_WHICH_ONE = re.compile(r"\bwhich (?:one|is|are|of)\b")
# An English question without its mark: "are there any …", "is there …", "can I …".
_ENGLISH_ASKS = re.compile(r"\b(?:are|is) there\b|\b(?:can|could) i\b|\bwhat\b|\bwhich\b")
_WHAT = re.compile(r" (?:뭐|무엇|뭐뭐)/(?:NP|IC) | (?:어떤|무슨|어느)/MM ")
# Done for the writer ("해 주세요", "와 줄 분"); telling or teaching the writer ("알려 줘",
# "가르쳐 주세요") asks for knowledge, not for a deed, so it is not this.
_FOR_SOMEONE = re.compile(r"(?<! 알리/VV 어/EC)(?<! 가르치/VV 어/EC)(?<! 설명하/VV 어/EC) 주/VX ")
# How to, how many, how often, how long it takes: "하는 법", "몇 번", "몇 와트", "얼마마다",
# "며칠 걸려요", "얼마나 걸려요" ("몇 시간만", "며칠만", only a few hours or days, asks no number).
_HOW_TO = re.compile(
    r" (?:법/NNB|몇/(?:MM|NR)(?! \S+/NN[GB] 만/JX)|얼마/NNG 마다/JX) | 려면/EC .*(?:뭐|무엇)/(?:NP|IC) | 되/VV 려면/EC "
    r"| 며칠/NNG (?!만/JX|동안/NNG|간/NNB|씩/XSN)(?:\S+ )*?걸리/VV | 얼마나/MAG (?:\S+ )?걸리/VV "
)
# Doing it oneself: "직접", "스스로", "손수", "셀프", "내 손으로", "fix it myself", "DIY", and "by
# myself" in a question of how; "내가" as the subject of the very verb whose way is asked ("내가
# 고치는 법"). Not what also means living alone: 혼자서, "on my own", "moved in by himself"; nor
# whom a thing is for: "cooking for myself" says who eats, not who does the work.
_ONESELF = re.compile(
    r"(?<![가-힣])(?:직접|스스로|손수|셀프|(?:내|제) ?(?:손|힘)으로)"
    r"|(?<!by )(?<!for )\b(?:myself|yourself|himself|herself|themselves)\b"
    r"|\bhow\b[^.?!]{0,60}\bby (?:myself|yourself|himself|herself|themselves)\b|\bdiy\b"
)
_I_DO_IT = re.compile(r" (?:나|저)/NP 가/JKS \S+/VV \S+/ETM (?:방법|법|요령)/NN[GB] ")
# The writer named as the one it is about: "I'm 27 and out of work", "저는 …".
_WRITER = re.compile(FIRST_PERSON_SUBJECT + r"|\b(?:i|i'?m|i'?ve|me)\b")
# A way of doing named after the deed ("샤워기 교체하는 방법", "국 끓이는 법"): a how-to question
# even without a question mark.
_WAY_OF_DOING = re.compile(r" \S+/ETM (?:방법|법|요령|노하우|비법|비결)/NN[GB] ")
# A noun and its light verb written apart ("대청소 했어"): one verb, as the analyser joins "청소했어".
_LIGHT_VERB = re.compile(r" (\S+)/NNG 하/VV ")
# Asking leave to do something oneself, whether one must, or what comes of it: "넣어도
# 되나요", "돌리면 안 돼요?", "손으로 빨아야 하나요?", "뜨거운 물에 빨아도 괜찮아요?".
# The Gyeongsang "내도" ("me too"), which the analyser reads as 내다 + 어도, asks leave only
# when 되다/괜찮다 follows ("돈 내도 돼요?").
_MAY_I = re.compile(
    r"(?<! 내/V[VX]) 어도/EC | 어도/EC (?:\S+ )?(?:되/VV|괜찮/VA) | 면/EC 안/MAG 되/VV | 어야/EC (?:하|되)/V[VX] "
)
# Which is better, or which works: "뭐가 좋아요", "어떤 게 나아요", "어느 게 잘 들어요".
_WHICH_IS_BEST = re.compile(r"(?: (?:뭐|무엇)/(?:NP|IC) | (?:어떤|무슨|어느)/MM ).*(?: (?:좋|낫|괜찮)/VA | 잘/MAG )")
# Musing over one's own choice: "저녁 뭐 하지", "뭐 해 먹을까" (ending 지 or ㄹ까 after a
# question word).
_MUSING = re.compile(r" (?:뭐|무엇)/(?:NP|IC) .*(?:지|ᆯ까)/EF ")
# Cannot: "갈 수가 없어요", "할 수도 없고".
_CANNOT = re.compile(r" 수/NNB (?:\S+/(?:JKS|JX) )?없/VA ")
# A negation just before a word: "didn't help", "no help at all", "never used".
_NEGATED_ENGLISH = r"\b(?:not|no|never|didn'?t|doesn'?t|don'?t|won'?t|wouldn'?t|isn'?t|wasn'?t)\s+"
# No way to do it: "씻을 방법이 없어요", "할 방도가 없네".
_NO_WAY = re.compile(r" (?:방법|법|방도|요령)/NN[GB] (?:\S+/J\S+ )?없/VA ")
# No place to do something, or nobody to do it: "잘 데가 없어요", "일할 공간이 없어서", "봐 줄
# 사람이 없어요": a need, whatever else the message mentions (a café that is too loud, a shop).
_LACKING = re.compile(r" ᆯ/ETM (?:자리|데|곳|공간|방|사람|분|이)/NN[GB] (?:\S+ ){0,3}없/VA ")
# A deed, with the verbs of its chain: "사 왔어" → 사, 오; "널어 놨어" → 널, 놓.
_PAST = re.compile(r"((?: \S+/(?:VV|VX) (?:어/EC |다/EC |어서/EC )?)+)었/EP ")
_NEGATED = re.compile(r" (?:안|못)/MAG | 않/VX | 없/VA | 말/VX ")
_ALL_DONE = re.compile(r" 다/MAG 하/VV 었/EP ")
_HEARSAY = re.compile(
    r" (?:ᆫ|는)?(?:다)?(?:대|대요|래|래요|더라|더라고|더라고요|다네|답니다)/E| 다고/EC (?:\S+ )?하/VV "
)
# What the writer was told they must do ("입원해야 된대요", "수술해야 한대요"): the doctor's or
# the office's word passed on, so news of the writer's own need, not someone else's news.
# Read with its endings ("했다고 하더라" too), which then tell no one else's news.
_TOLD_TO = re.compile(r" 어야/EC (?:되|하)/V[VX] (?:\S+/E\S* )+(?:하/VV (?:\S+/E\S* )+)?")
_BECAME = re.compile(r" (?:이|가)/JKC 되/VV ")
_ENGLISH_WRITTEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
_ENGLISH_NEGATION = re.compile(
    r"\b(?:not|never|no|cannot|can't|cant|won't|wont|don't|dont|didn't|didnt|doesn't|isn't)\b"
)


@dataclass(frozen=True)
class _TalkWords:
    """The lexicon's talk words made ready for one message's check (see Matcher.talk_kind)."""

    words: Mapping[str, frozenset[str]]  # kind → single words
    phrases: Mapping[str, tuple[str, ...]]  # kind → English phrases, " how long "
    broad: frozenset[str]  # every word a broad ask may hold
    resident: frozenset[str]  # who and where the resident is: the broad words and the places
    situation: frozenset[str]  # whose life a broad ask is about: living alone, age, a move, a place
    opening: frozenset[str]  # words of which a broad ask holds one (offer, receive)
    asking: frozenset[str]  # asking for help: the request cues that are not advice ("방법")
    public: frozenset[str]  # public help or receiving it named: a how-to question about it asks
    wishes: frozenset[str]  # a wish told: enjoyment with one ("재밌는 거 하고 싶어") may ask
    as_written: Mapping[str, frozenset[str]]  # kind → words as written (English deeds in the past)
    # Shops' compound names ("고객센터", "서비스센터"), found in the message's letters as the
    # analyser splits them, with the words of asking inside them, which then ask nothing.
    shop_compounds: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def of(cls, lexicon: Lexicon, places: frozenset[str]) -> _TalkWords:
        words = {kind: frozenset(w for w in found if " " not in w) for kind, found in lexicon.talk.items()}
        phrases = {kind: tuple(f" {w} " for w in found if " " in w) for kind, found in lexicon.talk.items()}
        words = defaultdict(frozenset, words)
        opening = words["offer"] | words["receive"] | words["thing"]
        broad = opening | words["broad"] | words["ask"] | lexicon.generic | lexicon.request_cues | places | {"for"}
        return cls(
            words=words,
            phrases=defaultdict(tuple, phrases),
            broad=broad,
            resident=words["broad"] | places,
            situation=words["situation"] | places,
            opening=opening,
            asking=lexicon.request_cues - words["advice"],
            public=lexicon.welfare_cues | words["public"] | (words["receive"] - words["everyday"]),
            wishes=frozenset({"싶다", "want", "wish", "hope"}),
            as_written=defaultdict(frozenset, lexicon.talk_as_written),
            shop_compounds=tuple(
                (word, frozenset(cue for cue in lexicon.request_cues if has_hangul(cue) and cue in word))
                for word in sorted(words["shop"])
                if has_hangul(word) and len(word) >= SHOP_COMPOUND_MIN
            ),
        )

    def about_resident(self, content: tuple[str, ...]) -> bool:
        """Whether a related word only says who or where the resident is (혼자, 노인, 근처)."""
        return self.resident.issuperset(content)

    def has(self, kind: str, words: frozenset[str], english: str | None) -> bool:
        if not self.words[kind].isdisjoint(words):
            return True
        return english is not None and any(phrase in english for phrase in self.phrases[kind])

    def written(self, kind: str, written: str) -> bool:
        """Whether an English word or phrase of `kind` stands, as written, in `written`
        (" "-padded words of the cleaned message)."""
        return any(f" {word} " in written for word in self.as_written[kind] if not has_hangul(word))


def _score_of(raw_weight: float) -> float:
    """A program's raw weight on the 0–100 scale of MIN_SCORE."""
    return 100.0 * (1.0 - math.exp(-raw_weight / SCORE_SCALE))


def keyword_entries(programs: list[Program]) -> tuple[list[tuple[int, str, bool]], set[str]]:
    """Every (program index, cleaned phrase, is a keyword) of the programs, and the distinct
    cleaned phrases: what the index is built of, and what the analyser must read."""
    entries: list[tuple[int, str, bool]] = []
    cleaned: dict[str, str] = {}  # catalogs repeat their words: clean each phrase once
    for index, program in enumerate(programs):
        phrases = [(True, p) for p in (*program.keywords.ko, *program.keywords.en)]
        phrases += [(False, p) for p in (*program.related.ko, *program.related.en)]
        # The program's own name always counts as a keyword ("서리풀 뚝딱이").
        phrases += [(True, name) for name in (program.name.ko, program.name.en) if name]
        for strong, phrase in phrases:
            if phrase not in cleaned:
                cleaned[phrase] = clean(phrase)
            entries.append((index, cleaned[phrase], strong))
    return entries, set(cleaned.values())


def phrases_to_analyse(programs: list[Program]) -> set[str]:
    """The distinct Korean phrases of the programs' keywords, related words and names."""
    return {phrase for phrase in keyword_entries(programs)[1] if has_hangul(phrase)}


def texts_to_analyse(programs: list[Program], passages: Mapping[str, Sequence[str]] | None = None) -> set[str]:
    """The distinct Korean texts of the national programs that the ranking indexes (cleaned)."""
    passages = load_passages() if passages is None else passages
    return {
        text
        for program in programs
        if NATIONAL in program.area and program.status is Status.ACTIVE
        for text in texts_of(program, passages)
        if has_hangul(text)
    }


def _name_phrases(program: Program) -> list[str]:
    """A program's name and keywords, each once: the name field of the text index."""
    phrases = [program.name.ko, program.name.en, *program.keywords.ko, *program.keywords.en]
    return [phrase for phrase in dict.fromkeys(phrases) if phrase]


def _neighbouring_lengths(by_length: dict[int, list[str]]) -> dict[int, list[str]]:
    """Per length n, the words of n - 1, n and n + 1 letters in that order: a typo adds, drops
    or changes a letter. One search over them finds what three searches did, ties going the
    same way (the first best wins), with a third of the calls."""
    sizes = {size + step for size in by_length for step in (-1, 0, 1)}
    return {
        size: [word for near in (size - 1, size, size + 1) for word in by_length.get(near, ())]
        for size in sorted(sizes)
    }


def _one_syllable_slip(written: str, word: str) -> bool:
    """Whether `written` is `word` with one syllable's vowel or final letter slipped
    (싱크데/싱크대, 형광둥/형광등): the same first letter keeps 상한게 from being 상한제."""
    if len(written) != len(word):
        return False
    differing = [(a, b) for a, b in zip(written, word, strict=True) if a != b]
    return len(differing) == 1 and has_hangul(differing[0][0]) and jamo(differing[0][0])[0] == jamo(differing[0][1])[0]


def _hangul_letters(words) -> int:
    """Hangul syllables in `words`, a verb counted without its dictionary ending -다."""
    stems = (w.removesuffix("다") if w.endswith("다") and len(w) > 1 else w for w in words)
    return sum(1 for word in stems for char in word if "\uac00" <= char <= "\ud7a3")


def _area_kind(program: Program, district: str, area_codes: frozenset[str]) -> str:
    if district in program.area:
        return "local"
    if "national" in program.area and area_codes.isdisjoint(set(program.area) - {"national"}):
        return "national"
    return "city"
