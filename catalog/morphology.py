"""Korean morphology: the content words of a message, whatever its particles, endings and spacing.

"간병해 줄 사람이 필요해요" and "간병인 구해요" both contain the morpheme 간병; a keyword list
can then hold dictionary forms ("고장나다") and still meet "고장났어요". kiwipiepy does the
analysis offline; its model takes about a second to load, so one analyser is shared per process.
"""

from __future__ import annotations

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
        # num_workers=0: one thread, no pool; one message at a time needs no more. kiwipiepy
        # warns that 0 meant "all cores" before 0.21, which is exactly what we avoid.
        # Without the default user dictionary too: it costs 0.4 s of loading and changed no
        # figure of the development or chit-chat sets.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._kiwi = Kiwi(num_workers=0, **KIWI_OPTIONS)
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
        return {"kiwipiepy": kiwipiepy.__version__, "options": KIWI_OPTIONS, "user_words": list(self.user_words)}

    def lemmas_of_many(self, texts: Iterable[str], cache: LemmaCache | None = None) -> dict[str, list[str]]:
        """Lemmas of many texts (catalog keywords), reusing `cache` across processes."""
        known = cache.load(self) if cache else {}
        result, fresh = {}, {}
        for text in dict.fromkeys(texts):
            if text not in known:
                fresh[text] = known[text] = self.lemmas(text)
            result[text] = known[text]
        if cache and fresh:
            cache.save(self, known)
        return result

    def lemmas(self, text: str) -> list[str]:
        """Content lemmas in order of appearance (text is expected to be `clean`ed)."""
        return list(self._analyse(text)[0])

    def analyse(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(content lemmas, nouns the model did not know): the second feeds fuzzy matching."""
        return self._analyse(text)

    @lru_cache(maxsize=4096)
    def _analyse(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        lemmas: list[str] = []
        candidates: list[str] = []
        for token in self._kiwi.tokenize(text):
            if token.tag not in _CONTENT_TAGS:
                continue
            if token.tag == "SL":
                lemmas.extend(english_words(token.form.lower()))
                continue
            # Verbs and adjectives keep their dictionary form (죽다, 돌보다) so they never meet
            # a noun of the same letters (죽 "porridge", 돌 "stone").
            lemmas.append(token.lemma if token.tag[:2] in _PREDICATE_TAGS else token.form)
            if token.id < _FIRST_DICTIONARY_ID and len(token.form) >= 2:
                candidates.append(token.form)
        return tuple(lemmas), tuple(candidates)


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


class LemmaCache:
    """Keyword analyses kept between runs, so a restart does not re-analyse the whole catalog.

    Reused only by an analyser with the same kiwipiepy version, options and user words (see
    `KoreanAnalyzer.signature`); a missing, unreadable or foreign file is simply rebuilt.
    """

    def __init__(self, path: Path | None = None):
        cache_dir = Path(os.environ.get("DDOKDDOK_CACHE_DIR") or platformdirs.user_cache_dir("ddokddok"))
        self.path = path or cache_dir / self.file_name()

    @staticmethod
    def file_name() -> str:
        return f"keyword-lemmas-kiwi-{kiwipiepy.__version__}.json"

    def load(self, analyzer: KoreanAnalyzer) -> dict[str, list[str]]:
        """The stored analyses, if they were made by an analyser with the same user words."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("analyser") != analyzer.signature():
            return {}
        lemmas = data.get("lemmas")
        return lemmas if isinstance(lemmas, dict) else {}

    def save(self, analyzer: KoreanAnalyzer, lemmas: dict[str, list[str]]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.path.parent, delete=False, suffix=".tmp"
            ) as handle:
                json.dump({"analyser": analyzer.signature(), "lemmas": lemmas}, handle, ensure_ascii=False)
            os.replace(handle.name, self.path)  # atomic: a concurrent reader sees old or new
        except OSError as error:
            log.warning("keyword analysis cache not saved (%s)", type(error).__name__)
