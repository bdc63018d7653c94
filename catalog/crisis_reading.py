"""How a crisis message is read: in the several ways its concepts look at it.

A message is read as Korean letters with the spaces removed, as the cleaned text with its
spaces (English, and words that must start a word), with its jamo kept (ㅈㅅ), and as kiwi's
morphemes ("죽/VV 려고/EC 하/VX 어요/EF"), so that the grammar of intention, resolve and the
future is written once for every spelling and spacing of it. `Pattern` is a regular expression
over one of these readings; `GRAMMAR` names the endings of a speaker's own will.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from catalog.first_letters import first_letters
from catalog.loader import data_dir
from catalog.morphology import shared_analyzer
from catalog.romanised import with_romanised_read
from catalog.text import (
    TYPED_SINGLE_S,
    YANBIAN_ENDINGS,
    clean,
    compact,
    compiled_spellings,
    respelled,
    with_long_runs_cut,
)

# Kiwi reads a message in pieces of at most this many characters (its time grows faster than
# the length), every piece of it: a crisis told at the end of a long message is still read.
ANALYSIS_LIMIT = 400

# ---- reading a message ------------------------------------------------------------------------

# The -아/어 form of any verb ("죽어", "뒤져", "끝내"): an open syllable in ㅏ ㅐ ㅓ ㅕ ㅘ ㅝ,
# which is what 버리다's dialect forms follow ("발목 삐고", a sprain, does not).
_EO_FORM = "[" + "".join(
    chr(0xAC00 + initial * 588 + vowel * 28) for initial in range(19) for vowel in (0, 1, 4, 6, 9, 14)
) + "]"
# Dialect and spoken spellings that kiwi does not know, rewritten to the standard form before
# anything else reads the message: (spelling, standard, example).
DIALECT = (
    (r"고 ?잡(?=[다아어고네])", "고 싶", "죽고잡다 (Jeolla/Gyeongsang 싶다)"),
    (rf"(?<={_EO_FORM})\s?삘", "버릴", "죽어삘라 (Gyeongsang 버리다)"),
    (rf"(?<={_EO_FORM})\s?삔", "버린", "끝내삔다"),
    (rf"(?<={_EO_FORM})\s?(?:삐|뿌)", "버리", "죽어삐고 싶다, 죽어뿌라"),
    (rf"(?<={_EO_FORM})\s?뿔", "버릴", "뒤져뿔까"),
    (r"을라(?:카이|카노|칸다|캤|꼬|고)", "으려고 ", "죽을라카이 (Gyeongsang 으려고)"),
    (r"(?<![가-힣])고마(?= )", "그만", "고마 해라 (Gyeongsang 그만; not 고마워)"),
    (rf"(?<={_EO_FORM})\s?불(?=[라랑란래])", "버릴", "죽어불라고 (Jeolla 버리다)"),
    (rf"(?<={_EO_FORM})\s?부러(?=야|라)", "버려", "죽어부러야 (Jeolla 버려)"),
    (r"겄", "겠", "죽겄다 (Jeolla and Chungcheong 겠)"),
    (r"(?<=[을릴낼갈질])겨(?![가-힣])", " 거여", "죽을겨 (Chungcheong 거여)"),
    (r"(?<=[가-힣])젠(?= ?[허하햄])", "으려고 ", "죽젠 허여 (Jeju 으려고)"),
    (rf"(?<={_EO_FORM})\s?불쿠(?=다|가|과)", "버리겠", "먹어불쿠다 (Jeju 버리겠다)"),
    (r"(?<=[가-힣])쿠다(?![가-힣])", "겠다", "가쿠다 (Jeju 겠다)"),
    (r"(?<=[가-힣])어수다(?![가-힣])", " 없습니다", "소용어수다 (Jeju 없습니다)"),
    (r"(?<=[가-힣])허(?=[요다네고게지니며면])", "하", "미안허요 (Jeolla and Chungcheong 하다)"),
    (r"(?<![가-힣])인자(?= )", "이제", "인자 갈란다 (Jeolla and Gyeongsang 이제)"),
    (r"(?<![가-힣])일나(?=[가-힣])", "일어나", "몬 일나신다 (Gyeongsang 일어나다)"),
    (r"(?<![가-힣])몬(?= )", "못", "몬 간다 (Gyeongsang 못)"),
    (r"(?<=[져쳐워와뎌혀])가(?=\s|$)", "서", "넘어져가 (Gyeongsang 서)"),
    # ㅆ typed as a single ㅅ (먹엇어, 와잇어) and the Yanbian -슴다 (see `catalog.text`).
    *TYPED_SINGLE_S,
    *YANBIAN_ENDINGS,
)
_DIALECT = compiled_spellings(DIALECT)
# Laughter and crying (ㅋㅋ, ㅠㅠ): `clean` meant to drop them, but after NFKC they are the
# syllable-building jamo (U+1100-11FF), which it does not look for; left in, kiwi reads them as
# nouns and "죽을래 ㅠㅠ" loses its final ending.
_JAMO_RUN = re.compile(r"[\u1100-\u11ff\u3131-\u318e]{2,}")
_KEEP_JAMO = re.compile(r"[^0-9a-z\uac00-\ud7a3\u3131-\u318e]+")
# NFKC turns the jamo people type (ㅈ, U+3148) into the letters that build syllables (U+110C).
_TYPED_JAMO = str.maketrans(dict(zip(map(chr, range(0x1100, 0x1113)), "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ", strict=True)))


@dataclass
class Reading:
    """One message, read in the ways the concepts need; kiwi runs only when a row asks."""

    text: str  # cleaned, dialect in standard spelling: English and word-start patterns
    korean: str  # the same, letters and digits only: spacing-proof Korean patterns
    jamo: str  # before jamo runs are dropped: ㅈㅅ
    # The letters each view holds, worked out when a pattern first asks (see `Pattern.found_in`).
    _letters: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def letters(self, view: str) -> frozenset[str]:
        found = self._letters.get(view)
        if found is None:
            found = self._letters[view] = frozenset(getattr(self, view))
        return found

    @classmethod
    def of(cls, message: str) -> Reading:
        text = mended_english(respelled(with_romanised_read(_JAMO_RUN.sub(" ", clean(message)).strip()), _DIALECT))
        jamo = _KEEP_JAMO.sub("", unicodedata.normalize("NFKC", message).lower().translate(_TYPED_JAMO))
        return cls(text=text, korean=compact(text), jamo=jamo)

    @cached_property
    def morphemes(self) -> str:
        return "".join(morpheme_line(piece) for piece in _pieces(self.text, ANALYSIS_LIMIT))


# English words the crisis reader knows: those of the learned tier's training messages, which
# tell danger and the everyday talk that shares its words in English as residents write it.
_TRAINING_FILE = data_dir() / "crisis" / "training.jsonl"
_ENGLISH_TOKEN = re.compile(r"[a-z]{4,}")
_SHORTEST_MENDED = 5


@lru_cache(maxsize=1)
def english_mends() -> tuple[frozenset[str], dict[str, str]]:
    """(the known words, each known word of five letters or more with one letter dropped → the
    word): "hidng" → "hiding", "bathrom" → "bathroom". A dropped letter is the commonest slip of
    one-finger typing, and a word the rows and the model know is then read as such. A spelling
    that is itself a known word, that two words share, or that lacks only a last letter (an
    ending: "collapse", "collapsed") is left as it is."""
    words: set[str] = set()
    with _TRAINING_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            words.update(_ENGLISH_TOKEN.findall(json.loads(line)["text"].lower()))
    candidates: dict[str, set[str]] = {}
    for word in words:
        if len(word) >= _SHORTEST_MENDED:
            # Not the last letter: "collapse" is a word of its own, not "collapsed" mistyped.
            for index in range(len(word) - 1):
                candidates.setdefault(word[:index] + word[index + 1:], set()).add(word)
    mends = {typed: next(iter(found)) for typed, found in candidates.items() if len(found) == 1 and typed not in words}
    return frozenset(words), mends


# Messenger shorthand, written out: "rn" (right now), "tmrw" (tomorrow), "u" (you).
_SHORTHAND = {"rn": "right now", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow",
              "2morrow": "tomorrow", "u": "you", "ur": "your", "pls": "please", "plz": "please", "bc": "because"}
_SHORTHAND_WORD = re.compile(r"(?<![\w'])(" + "|".join(sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w'])")


def mended_english(text: str) -> str:
    """`text` with messenger shorthand written out and English words missing one letter written
    whole (see `english_mends`)."""
    if not _ENGLISH_TOKEN.search(text) and not _SHORTHAND_WORD.search(text):
        return text
    text = _SHORTHAND_WORD.sub(lambda short: _SHORTHAND[short[1]], text)
    known, mends = english_mends()
    return _ENGLISH_TOKEN.sub(lambda typed: typed[0] if typed[0] in known else mends.get(typed[0], typed[0]), text)


def _pieces(text: str, limit: int) -> list[str]:
    """`text` cut at spaces into pieces of at most `limit` characters (a longer word alone)."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    return [*pieces, text] if text or not pieces else pieces


@lru_cache(maxsize=2048)
def morpheme_line(text: str) -> str:
    """Kiwi's analysis as one line, " 죽/VV 려고/EC 하/VX 어요/EF ", in a normal form:
    endings without their linking 으/아 (으려고 → 려고, 을래 → ᆯ래, 아서 → 어서), tags without
    kiwi's irregular-verb marks (VA-I → VA), and the split verbs joined again (자살/NNG 하/XSV →
    자살하/VV, 끝/NNG 내/VV → 끝내/VV, 그만/MAG 하/VV → 그만하/VV)."""
    text = with_long_runs_cut(text)
    if not text:
        return " "
    # The matcher's analyser, shared: a second kiwi model would cost a second and 200 MB.
    tokens = shared_analyzer().tokens(text)
    parts: list[str] = []
    for token in tokens:
        form, tag = token.form, token.tag.split("-")[0]
        if tag.startswith("E"):
            form = _plain_ending(form)
        previous = parts[-1] if parts else ""
        if tag in ("XSV", "XSA") and previous.endswith("/NNG"):
            parts[-1] = f"{previous[:-4]}{form}/{'VV' if tag == 'XSV' else 'VA'}"
            continue
        if (previous, form, tag) in (("끝/NNG", "내", "VV"), ("그만/MAG", "하", "VV"), ("그만/MAG", "두", "VV")):
            parts[-1] = f"{previous.split('/')[0]}{form}/VV"
            continue
        # 없/VA 어/EC 지/VX → 없어지/VV; 뛰/VV 어/EC 내리/VV → 뛰어내리/VV.
        if previous == "어/EC" and len(parts) >= 2:
            stem = parts[-2].split("/")[0]
            if (tag == "VX" and form == "지" and parts[-2].endswith("/VA")) or stem + "어" + form in _COMPOUND_VERBS:
                parts[-2:] = [f"{stem}어{form}/VV"]
                continue
        parts.append(f"{form}/{tag}")
    return " " + " ".join(parts) + " "


_COMPOUND_VERBS = frozenset({"뛰어내리", "뛰어들", "떨어지"})


def _plain_ending(form: str) -> str:
    if len(form) > 1 and form[0] == "으":
        return form[1:]
    for written, plain in (("을", "ᆯ"), ("은", "ᆫ"), ("았", "었"), ("아", "어")):
        if form.startswith(written):
            return plain + form[1:]
    return form


# ---- patterns ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    """A regular expression over one way of reading the message."""

    view: str  # "korean", "text", "jamo" or "morphemes"
    regex: re.Pattern
    # For morphemes: a cheap regex over the Korean letters that must be found first, so kiwi
    # runs only on messages that could hold the pattern at all.
    hint: re.Pattern | None = None
    # For verbs of ending and disappearing: "what" must be life itself (see `_about_life`).
    about_life: str = ""
    # The letters a match can begin with (see `catalog.first_letters`), for the hint and the
    # pattern: a message holding none of them is passed over without searching it. Most
    # patterns begin with one of a few words, and a long message costs every search it gets.
    hint_first: frozenset[str] | None = field(init=False, repr=False, compare=False)
    first: frozenset[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hint_first", None if self.hint is None else first_letters(self.hint))
        object.__setattr__(self, "first", first_letters(self.regex))

    def ruled_out(self, reading: Reading) -> bool:
        """True when the message holds none of the letters a match of the hint or of the
        pattern can begin with: it cannot be found, and nothing was searched. (A morpheme
        pattern's own letters are weighed only once its hint is found, which runs kiwi.)"""
        if self.hint is not None:
            return self.hint_first is not None and self.hint_first.isdisjoint(reading.letters("korean"))
        return self.first is not None and self.first.isdisjoint(reading.letters(self.view))

    def found_in(self, reading: Reading) -> bool:
        return not self.ruled_out(reading) and self.searched_in(reading)

    def searched_in(self, reading: Reading) -> bool:
        """`found_in` once `ruled_out` has been asked and said no: a row asks it of all its
        patterns first, and then searches, so no pattern's letters are weighed twice."""
        if self.hint is not None:
            if not self.hint.search(reading.korean):
                return False
            if self.first is not None and self.first.isdisjoint(reading.letters(self.view)):
                return False
        haystack = getattr(reading, self.view)
        if not self.about_life:
            return self.regex.search(haystack) is not None
        return any(_about_life(haystack, match.start(), self.about_life) for match in self.regex.finditer(haystack))


def ko(regex: str) -> Pattern:
    """Korean letters, spaces and punctuation removed: "죽 고 싶 어" and "죽고싶어" meet."""
    return Pattern("korean", re.compile(regex))


def word(regex: str) -> Pattern:
    """The cleaned text with its spaces: English, and Korean words that must start a word."""
    return Pattern("text", re.compile(regex))


def jamo(regex: str) -> Pattern:
    """Letters with their bare jamo kept: ㅈㅅ."""
    return Pattern("jamo", re.compile(regex))


def morph(regex: str, hint: str, about_life: str = "") -> Pattern:
    """Kiwi's morphemes (see `morpheme_line`), looked at only when `hint` is in the Korean.
    `{WISH}`, `{INTENT}`… name the grammar below, so a brace of the regex is written twice."""
    return Pattern("morphemes", re.compile(regex.format(**GRAMMAR)), re.compile(hint), about_life)


# The grammar of a speaker's own will, written after a verb's stem in `morpheme_line` form.
GRAMMAR = {
    # -고 싶다 / dialect -고 잡다, not negated (-고 싶지 않다 is the opposite).
    "WISH": r" 고/EC (?:싶|잡)/V[VX](?! 지/EC(?: 는/JX| 도/JX)? 않)",
    # -(으)려고, -(으)려, -(으)려는, dialect -(을)라.
    # (-ㄹ까 보다 is "I am minded to"; -ㄹ까 봐 is "for fear that", and is not here.)
    # Dialect: -(을)란다, -(을)랍니더, -(을)랑께 (Gyeongsang, Jeolla).
    "INTENTION": r" (?:려고|려|려는|려던|려구|려고요|ᆯ라|ᆯ라고|ᆯ란다|ᆯ랍니더|ᆯ랍니다|ᆯ랑께|ᆯ라네)/E\w+| ᆯ까/EC 보/VX (?:다|ᆫ다|네)/EF",
    # -(으)ㄹ래, -(으)ㄹ게, -(으)ㄹ까: what I will do, or am weighing.
    # (-ㄹ래? asked is the listener's will, "죽을래?" a playful threat, so not before a "?".)
    # -자: "죽자", urging oneself (not the idiom 죽자 살자, "desperately").
    # (kiwi sometimes reads a final -ㄹ게 as -ㄹ 것이: "사라질게".)
    # -(으)ㄹ까 싶다 / 한다 / 생각 중: weighing it ("뛰어들까 생각 중", "죽을까 싶어").
    "VOLITION": r" (?:ᆯ래|ᆯ래요|래|래요)/E\w+(?! \?/SF)| (?:ᆯ게|ᆯ게요|ᆯ께|ᆯ께요|ᆯ까|ᆯ까요)/EF| 자/E\w+(?! 살/VV)| ᆯ/ETM 것/NNB 이/JKS(?= $| \S+/S[FPE] )"
                r"| ᆯ까/EC(?= (?:생각|고민)/NN| 싶/V| 하/V)",
    # -ㄹ 생각이다, -ㄹ 작정이다, -ㄹ 마음이 들다, -ㄹ 용기가 생기다: a plan or an urge named as a noun.
    "PLAN": r" ᆯ/ETM (?:생각|계획|작정|예정|셈|마음|결심|용기)/NN\w (?:이/VCP|(?:이|가)/JKS (?:들|있|생기|나)/V\w+(?! 지/EC)|을/JKO (?:먹|굳히|정하)/VV)",
    # -기로 하다 / 결심하다 / 마음먹다: a decision taken.
    "RESOLVE": r" 기/ETN (?:로/JKB|로는/JX) (?:\S+/MAG )?(?:하|결심하|마음먹|정하|결정하|다짐하)/VV",
    # -(으)ㄹ 거다 / 것이다: the future I announce (not -ㄹ 것 같다, "I feel like").
    # Gyeongsang -ㄹ 끼다 / 기라 is the same future.
    "FUTURE": r" ᆯ/ETM (?:거|것|꺼|끼|기)/NNB 이/VCP",
    # -어야겠다, -어야지, -어야 하다: what I hold I must do.
    "MUST": r" 어야/EC (?:겠/EP|하/VX|되/VV)| 어야지/EF| 어야겠\S*",
    # -어 버리다: the same, stronger ("죽어버릴 거야").
    "THROUGH": r"(?: 어/EC 버리/VX)?",
}
GRAMMAR["INTENT"] = "(?:{INTENTION}|{VOLITION}|{RESOLVE}|{FUTURE}|{MUST}|{PLAN})".format(**GRAMMAR)
GRAMMAR["WILL"] = "(?:{WISH}|{INTENT}| 겠/EP)".format(**GRAMMAR)  # after -어 버리-, -겠- is resolve too

# Nouns that a verb of ending or leaving may take and still mean one's life.
# The pain of living counts as life here: "이 고통을 끝내고 싶다" is not about a toothache.
_LIFE_WORDS = frozenset({"삶", "인생", "생", "이생", "현생", "목숨", "세상", "이승", "세계", "지구", "숨", "전부", "모두", "다", "고통", "괴로움", "지옥"})
# Nouns that say when, not what: "오늘 밤 다 끝내고 싶다" still has no object.
_TIME_WORDS = frozenset({"오늘", "내일", "모레", "밤", "새벽", "아침", "저녁", "낮", "주말", "이번", "올해", "날", "때", "지금", "당장", "오늘밤", "진짜", "정말", "혼자", "조용히"})
_CLAUSE_ENDS = frozenset({"EC", "EF", "SF", "SE", "SP"})
_EVERYTHING = re.compile(r" (?:다/MAG|모든/MM|전부/\w+|모두/\w+|다/NNG) ")
_LIFE_MENTION = re.compile(r" (?:살|죽)/VV | 사/VV 는/ETM (?:것|거)/NNB | (?:삶|인생|목숨|세상|숨|생)/NNG ")


def _about_life(line: str, start: int, rule: str) -> bool:
    """Whether a verb of ending or disappearing at `start` is about life itself.

    "이제 다 끝내고 싶다", "삶을 이제 내려놓을래", "이 세상에서 사라지고 싶다" are; "일 다 끝내고 싶어",
    "야근 그만하고 싶어", "단톡방에서 사라지고 싶다" are not: any other noun in the verb's clause is
    what ends. With no noun at all, `rule` "bare" accepts it as it is, and "bare-if-life" only
    when the message speaks of living elsewhere ("살아 있는 게 괴로워, 끝내버리고 싶어"), and also
    when the clause says "all of it" (다, 모든 것); "life" wants life named or spoken of.
    """
    clause: list[str] = []
    for token in reversed(line[:start].split()):
        form, _, tag = token.rpartition("/")
        if tag in _CLAUSE_ENDS:
            break
        clause.append(token)
    nouns = [t.rpartition("/")[0] for t in clause if t.rpartition("/")[2] in ("NNG", "NNP", "SL")]
    nouns = [n for n in nouns if n not in _TIME_WORDS]
    if any(n not in _LIFE_WORDS for n in nouns):
        return False
    if nouns or rule == "bare":
        return True
    if rule == "bare-if-life" and _EVERYTHING.search(" " + " ".join(reversed(clause)) + " "):
        return True
    return _LIFE_MENTION.search(line) is not None


def any_found(patterns: Iterable[Pattern], reading: Reading) -> bool:
    """Whether any of `patterns` is found in `reading`."""
    return any(p.found_in(reading) for p in patterns)
