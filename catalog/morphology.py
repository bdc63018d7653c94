"""Korean morphology: the content words of a message, whatever its particles, endings and spacing.

"간병해 줄 사람이 필요해요" and "간병인 구해요" both contain the morpheme 간병; a keyword list
can then hold dictionary forms ("고장나다") and still meet "고장났어요". kiwipiepy does the
analysis offline; its model takes about a second to load, so one analyser is shared per process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import kiwipiepy
import kiwipiepy_model
import platformdirs
from kiwipiepy import Kiwi

from catalog.text import english_words

# Nouns, roots, verb and adjective stems, adverbs, foreign words; not particles or endings.
_CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NR", "XR", "VV", "VA", "VV-I", "VV-R", "VA-I", "VA-R", "MAG", "SL", "SH"}
)
KIWI_OPTIONS = {"load_default_dict": False, "load_typo_dict": False, "load_multi_dict": False}
_PREDICATE_TAGS = frozenset({"VV", "VA"})
_FIRST_DICTIONARY_ID = 10

log = logging.getLogger(__name__)

_shared: KoreanAnalyzer | None = None
_shared_lock = threading.Lock()


class KoreanAnalyzer:
    """Turns text into content lemmas: Korean stems ("돌보", "간병") and English stems ("repair")."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        # The typo and multi-word dictionaries add a second of loading for no gain here:
        # typos are handled by jamo-level fuzzy matching against the catalog's own words.
        # Without the default user dictionary too: it costs 0.4 s of loading and changed no
        # figure of the development or chit-chat sets.
        # A message is analysed on the calling thread whatever the pool (kiwi uses its threads
        # only for many texts at once), so the pool serves `lemmas_of_many` alone: the first
        # start after a kiwipiepy upgrade analyses the booklet's 4,000 texts on every core.
        # kiwipiepy warns that num_workers=0 meant "all cores" before 0.21; it is never 0 here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._kiwi = Kiwi(num_workers=bulk_workers(), **KIWI_OPTIONS)
        self.user_words = tuple(sorted(set(user_words)))
        for word in self.user_words:
            self._kiwi.add_user_word(word, "NNP")
        self._kiwi.tokenize("준비")  # the model finishes loading on its first use
        # Kiwi gives words it does not know one of the first, reserved morpheme ids (one per
        # part of speech); only those are typo candidates, so a real word one letter away
        # from a keyword (방법/방범) stays itself.
        probe = self._kiwi.tokenize("뷁쀍 꿿뛣")
        assert all(token.id < _FIRST_DICTIONARY_ID for token in probe), "kiwi's unknown-word ids moved"

    def signature(self) -> dict:
        """What decides how text is split: a keyword cache made under another is not reused."""
        return {
            "kiwipiepy": kiwipiepy.__version__,
            "model": kiwipiepy_model.__version__,
            "options": KIWI_OPTIONS,
            "user_words": list(self.user_words),
        }

    def lemmas_of_many(self, texts: Iterable[str], cache: LemmaCache | None = None) -> dict[str, list[str]]:
        """Lemmas of many texts (catalog keywords), reusing `cache` across processes."""
        known = cache.load(self) if cache else {}
        # In sorted order: neighbours share words, so the model's tables they need are still in
        # the processor's cache (a third less time than in arbitrary order, for 6,000 phrases).
        wanted = sorted(set(texts))
        missing = [text for text in wanted if text not in known]
        fresh = dict(zip(missing, self.analyse_afresh(missing), strict=True)) if missing else {}
        known.update(fresh)
        if cache and fresh:
            cache.save(self, known)
        return {text: known[text] for text in wanted}

    def analyse_afresh(self, texts: list[str]) -> list[list[str]]:
        """The lemmas of each of `texts`, in order, all analysed now: kiwi shares many texts
        among its pool's threads (`bulk_workers`), so a catalog is read on every core."""
        return [list(_read_tokens(tokens)[0]) for tokens in self._kiwi.tokenize(iter(texts))]

    def lemmas(self, text: str) -> list[str]:
        """Content lemmas in order of appearance (text is expected to be `clean`ed)."""
        return list(self._analyse(text)[0])

    def analyse(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(content lemmas, nouns the model did not know): the second feeds fuzzy matching."""
        return self._analyse(text)[:2]

    def asks(self, text: str) -> bool:
        """True for a question or a request for information: a question ending ("…나요",
        "…ㄹ까요", "…ㅂ니까"), a question mark, a question word (어디, 누구, 몇, 어떤), or
        "알려 주세요" / "궁금해요". Read from the same analysis as `analyse` (cached)."""
        return self._analyse(text)[2]

    # B019: the caches hold `self`, which is kept for the whole process anyway (one analyser).
    @lru_cache(maxsize=64)  # noqa: B019
    def tokens(self, text: str) -> tuple:
        """Kiwi's tokens (form, tag, …) of `text`, for readers that need the endings too (the
        crisis check): one model serves both, a second would cost a second and 200 MB. Kept
        for the last messages: the crisis reading and the matcher mostly analyse the same
        cleaned text, and kiwi is most of the time a long message takes."""
        return tuple(self._kiwi.tokenize(text))

    @lru_cache(maxsize=4096)  # noqa: B019
    def _analyse(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
        return _read_tokens(self.tokens(text))


def bulk_workers() -> int:
    """Threads kiwi may use for many texts at once: every core, up to four (the booklet's
    texts take 2.8 s on one core, and more threads than cores only wait)."""
    return max(1, min(4, os.cpu_count() or 1))


def _read_tokens(tokens) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """(content lemmas, unknown nouns, whether it asks) of one text's kiwi tokens."""
    lemmas: list[str] = []
    candidates: list[str] = []
    asks = False
    for token in tokens:
        if token.tag not in _CONTENT_TAGS:
            if not asks:
                asks = _asks(token.tag, token.form)
            continue
        if token.tag == "SL":
            lemmas.extend(english_words(token.form.lower()))
            continue
        # Verbs and adjectives keep their dictionary form (죽다, 돌보다) so they never meet
        # a noun of the same letters (죽 "porridge", 돌 "stone").
        lemma = token.lemma if token.tag[:2] in _PREDICATE_TAGS else token.form
        lemmas.append(lemma)
        asks = asks or lemma in _ASKING_LEMMAS
        if token.id < _FIRST_DICTIONARY_ID and len(token.form) >= 2:
            candidates.append(token.form)
    return tuple(lemmas), tuple(candidates), asks


# What makes a message ask (KoreanAnalyzer.asks): final endings of a question, by their last
# letters (kiwi writes "ᆯ까" with a final-consonant letter, so the end is what is compared);
# question words, which are pronouns and determiners, not content words; and verbs of asking.
_QUESTION_ENDINGS = ("까", "까요", "나", "나요", "니", "냐", "가", "가요", "는지요", "을지요")
_QUESTION_WORDS = {
    "NP": {"어디", "무엇", "뭐", "누구", "언제"},
    "MM": {"몇", "어떤", "무슨", "어느"},
    "MAG": {"왜", "얼마나", "어떻게"},
}
_ASKING_LEMMAS = frozenset({"궁금하다", "알리다", "얼마"})


def _asks(tag: str, form: str) -> bool:
    if tag == "EF":
        return form.endswith(_QUESTION_ENDINGS)
    if tag == "SF":
        return form == "?"
    return form in _QUESTION_WORDS.get(tag, ())


def shared_analyzer() -> KoreanAnalyzer:
    """The process-wide analyser, loaded on first use (thread-safe)."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = KoreanAnalyzer(user_words=bundled_user_words())
    return _shared


def bundled_user_words() -> list[str]:
    from catalog.loader import data_dir

    lines = (data_dir() / "lexicon" / "user-words.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def shipped_analyses_path(kind: str = "keyword") -> Path:
    """The bundled catalog's analyses, made by `ddokddok catalog keyword-analyses`: of its
    keywords ("keyword"), or of the programs' texts that the ranking indexes ("text")."""
    from catalog.loader import data_dir

    return data_dir() / "lexicon" / f"{kind}-lemmas.json"


class LemmaCache:
    """Keyword analyses kept between runs, so a restart does not re-analyse the whole catalog.

    Two layers: the analyses shipped with the bundled catalog (so even the first start after
    an install analyses only words that catalog does not have), under the ones this machine
    made and saved. Either is used only when made by an analyser with the same kiwipiepy and
    model versions, options and user words (see `KoreanAnalyzer.signature`): one analysis
    depends on nothing else, so a file made for an older catalog is still right for every
    phrase it holds. A missing, unreadable or foreign file counts as empty, and what it lacked
    is analysed and saved here (only that: the shipped analyses are not copied).

    `shipped`: True for the bundled file, False for none, or another file's path. `kind`:
    "keyword" for catalog keywords, "text" for the programs' texts (see `for_texts`).
    """

    def __init__(self, path: Path | None = None, *, shipped: bool | Path = True, kind: str = "keyword"):
        cache_dir = Path(os.environ.get("DDOKDDOK_CACHE_DIR") or platformdirs.user_cache_dir("ddokddok"))
        self.kind = kind
        self.path = path or cache_dir / self.file_name(kind)
        self.shipped = shipped_analyses_path(kind) if shipped is True else shipped or None
        self._shipped_phrases: frozenset[str] = frozenset()

    @staticmethod
    def file_name(kind: str = "keyword") -> str:
        return f"{kind}-lemmas-kiwi-{kiwipiepy.__version__}.json"

    def for_texts(self) -> LemmaCache:
        """The cache of the programs' texts kept beside this keyword cache: the same folder, and
        the bundled text analyses unless this cache was told to use no shipped file at all
        (a file of keywords given instead says nothing about texts)."""
        return LemmaCache(
            self.path.with_name(self.file_name("text")), shipped=self.shipped is not None, kind="text"
        )

    def load(self, analyzer: KoreanAnalyzer) -> dict[str, list[str]]:
        """The stored analyses made by an analyser like this one: shipped, then this machine's."""
        signature = analyzer.signature()
        shipped = _read_analyses(self.shipped, signature) if self.shipped else {}
        self._shipped_phrases = frozenset(shipped)
        return {**shipped, **_read_analyses(self.path, signature)}

    def save(self, analyzer: KoreanAnalyzer, lemmas: dict[str, list[str]]) -> None:
        lemmas = {phrase: found for phrase, found in lemmas.items() if phrase not in self._shipped_phrases}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # json.dumps, not json.dump: dump encodes in Python, five times slower for 10,000 texts.
            text = json.dumps({"analyser": analyzer.signature(), "lemmas": lemmas}, ensure_ascii=False)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.path.parent, delete=False, suffix=".tmp"
            ) as handle:
                handle.write(text)
            os.replace(handle.name, self.path)  # atomic: a concurrent reader sees old or new
        except OSError as error:
            log.warning("keyword analysis cache not saved (%s)", type(error).__name__)


def _read_analyses(path: Path, signature: dict) -> dict[str, list[str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("analyser") != signature:
        return {}
    lemmas = data.get("lemmas")
    return lemmas if isinstance(lemmas, dict) else {}


def phrases_digest(phrases: Iterable[str]) -> str:
    """Names a set of phrases, so a shipped file can be checked against the catalog it is for."""
    return hashlib.sha256("\n".join(sorted(set(phrases))).encode("utf-8")).hexdigest()


def write_shipped_analyses(
    path: Path, analyzer: KoreanAnalyzer, phrases: Iterable[str], *, what: str = "keywords"
) -> int:
    """Analyse `phrases` afresh and write them as the file `LemmaCache` ships; returns how many.
    `what` names them in the file's note ("keywords", or the "texts" the ranking indexes)."""
    phrases = sorted(set(phrases))
    about = {
        "about": f"The bundled catalog's {what} as the analyser reads them, shipped so that a first "
        "start need not analyse them. Made by `ddokddok catalog keyword-analyses`; do not edit.",
        "analyser": analyzer.signature(),
        "phrases": phrases_digest(phrases),
    }
    # One phrase a line, so that a catalog edit shows as a short diff.
    lines = [f"{_json(key)}: {_json(value)}" for key, value in about.items()]
    analyses = [f"{_json(phrase)}: {_json(analyzer.lemmas(phrase))}" for phrase in phrases]
    text = "{\n" + ",\n".join(lines) + ',\n"lemmas": {\n' + ",\n".join(analyses) + "\n}\n}\n"
    path.write_text(text, encoding="utf-8")
    return len(analyses)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
