"""Plain-text helpers shared by the matcher and crisis detection: cleaning, Hangul jamo, English words.

Everything here is deterministic string work with no model, so it is cheap enough to run on
every message, including a 4,096-character one full of emoji or control characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from catalog.romanised import with_romanised_read

# A resident's request fits in a few sentences; analysing more only costs time. Crisis
# detection reads the whole message (it is linear), the matcher only this much of it.
MATCH_TEXT_LIMIT = 300
# The analyser's time grows fast with one long unbroken run of letters ("가가가…"); no word a
# resident writes is this long, so longer runs are cut into pieces of this size.
LONGEST_WORD = 24
_LONG_RUN = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")

# The writer as the subject of a Korean sentence ("내가 …", "저는 …", "난 …"): whose life a
# message tells, the writer's own or somebody else's (the crisis context and the matcher's
# talk of other people both ask).
FIRST_PERSON_SUBJECT = r"(?<![가-힣])(?:내가|제가|나는|저는|난|나도|저도)(?![가-힣])"

# Lone surrogates too: they reach `match` from the console or argv (undecodable bytes become
# \udc80-\udcff) and the Korean analyser cannot encode them (UnicodeDecodeError).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
# Laughter, crying and other jamo-only runs carry no request: ㅋㅋ, ㅠㅠ, ㅎㅎ, ㄱㄱ.
# NFKC turns the compatibility jamo typed on phones (U+3131…) into conjoining ones (U+1100…),
# so both ranges are dropped.
_JAMO_RUN = re.compile(r"[\u1100-\u11ff\u3131-\u318e]{2,}")
_REPEATS = re.compile(r"(.)\1{2,}")
_NOT_WORD = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")
_ENGLISH_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def clean(text: str) -> str:
    """NFKC, lower case, no control or zero-width characters, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _CONTROL.sub(" ", text)
    text = _JAMO_RUN.sub(" ", text)
    text = _REPEATS.sub(r"\1\1", text)  # "너무 좋아아아아!!!!" → "너무 좋아아!!"
    return _SPACES.sub(" ", text).strip()


Standard = str | Callable[[re.Match[str]], str]


def syllables_with_final(final: str) -> str:
    """A regex character class of every Hangul syllable whose final consonant is `final`
    ("ㅆ": 했, 났, 있 …), for spellings and tenses told by the last letter of a syllable."""
    offset = _JONGSEONG.index(final)
    return "[" + "".join(chr(0xAC00 + syllable * 28 + offset) for syllable in range(19 * 21)) + "]"


def _next_final(typed: re.Match[str]) -> str:
    """The typed syllable with the final consonant after its own: ㅅ → ㅆ (졋 → 졌), ㅁ → ㅂ
    (감 → 갑), neighbours in Hangul's order."""
    return chr(ord(typed[0]) + 1)


def compiled_spellings(table: tuple[tuple[str, Standard, str], ...]) -> tuple[tuple[re.Pattern[str], Standard], ...]:
    """A table of (spelling, standard, example) rows made ready for `respelled`."""
    return tuple((re.compile(spelling), standard) for spelling, standard, _ in table)


def respelled(text: str, spellings: tuple[tuple[re.Pattern[str], Standard], ...]) -> str:
    """`text` with every spelling of a compiled table written in its standard form, row by row."""
    for spelling, standard in spellings:
        text = spelling.sub(standard, text)
    return text


# ㅆ typed as a single ㅅ (햇어, 받앗는데, 와잇어, 쓰러졋어), a slip of quick or older typing
# that the analyser and the surface patterns read as another word: (spelling, standard,
# example). Each row is a syllable that no standard word has before these endings (잇다
# "to connect" conjugates 이어; 잇몸, 잇따라, 갓난, 셧다운, 뚜렷하다 are kept).
_ENDINGS = "어다는고지네음잖요대던나니죠슴습읍겠"
_BEFORE_ENDING = f"(?=[{_ENDINGS}]|$|\\s)"
TYPED_SINGLE_S = (
    (r"(?<=[가-힣])엇" + _BEFORE_ENDING, "었", "먹엇는데 (typed 었)"),
    (r"(?<=[가-힣])(?<!빼)앗" + _BEFORE_ENDING, "았", "받앗어 (typed 았; not 빼앗다)"),
    (r"햇" + _BEFORE_ENDING, "했", "햇어 (typed 했)"),
    (r"됏" + _BEFORE_ENDING, "됐", "됏어 (typed 됐)"),
    (r"(?<=[가-힣])겻" + _BEFORE_ENDING, "겼", "이겻다 (typed 겼)"),
    (f"잇(?=[{_ENDINGS}을으었았]|$|\\s)", "있", "와잇어, 뭐 잇나요 (typed 있)"),
    (r"(?:웟|졋|쳣|켯|렷|겟|봣|왓|갓|놧|랫|셧(?!다운))" + f"(?=[{_ENDINGS}])",
     _next_final, "고마웟어, 쓰러졋어, 다쳣다, 죽겟다, 그랫대 (typed 웠 졌 쳤 겠 랬)"),
)
# Endings written as spoken: the Yanbian and older -슴다 and -슴까 (있슴다, 없슴까), which kiwi
# reads as a noun, are -습니다 and -습니까 (not 가슴: "가슴까지").
# -ㅂ니다 spelled as it sounds, -ㅁ니다 (감니다, 함니다), which no standard word has.
YANBIAN_ENDINGS = (
    (r"(?<![가고머서])슴(다|까)(?![가-힣])", r"습니\1", "있슴까 (습니까)"),
    (syllables_with_final("ㅁ") + "(?=니다|니까)", _next_final, "먼저 감니다 (갑니다)"),
)
# What the matcher reads in standard form before analysis: ㅆ typed as ㅅ, -슴다, and 뭐 ("what")
# spoken as 머 ("머가 나아요", "머 해"), not the start of 머리 or 머물다; 어떻게 typed 어케.
SPOKEN_FORMS = (
    # "Is there …?" asked in the regions' own endings, which kiwi reads as unknown nouns, so a
    # question looked like a statement: 뭐 있노, 있능교 (Gyeongsang), 있당가요, 있다요? (Jeolla),
    # 있남유, 있슈 (Chungcheong). Before the ㅆ typed as ㅅ, so 잇노 is read too.
    (r"(?<![가-힣])([있잇])(?:노|능교|는교|니꺼|당가요?|간디|남유?|슈|다요(?=\s*\?))(?=\s|$|[?!.,~])", "있나요",
     "뭐 있노, 도와주는 거 있능교, 뭐 있당가요, 있남유 (있나요)"),
    *TYPED_SINGLE_S,
    *YANBIAN_ENDINGS,
    (r"(?<![가-힣])머(?=[가를야]?(?:\s|$|[?!.,])|[가를]?있|해|하)", "뭐", "머가 나아요 (spoken 뭐)"),
    (r"(?<![가-힣])어(?:케|캐|떠케|떠캐)(?=[가-힣]|\s|$|[?!.,])", "어떻게", "어케 해요 (typed 어떻게)"),
    (r"(?<![가-힣])일인(?=\s?(?:가구|세대|가정|가족))", "1인", "일인가구 (1인가구; 일 is work on its own)"),
)
_SPOKEN_FORMS = compiled_spellings(SPOKEN_FORMS)


def for_matching(text: str) -> str:
    """The cleaned start of a message, romanised Korean in Hangul, long unbroken runs cut,
    ready for the analyser."""
    return with_long_runs_cut(respelled(with_romanised_read(clean(text)[:MATCH_TEXT_LIMIT]), _SPOKEN_FORMS))


def with_long_runs_cut(text: str) -> str:
    """`text` with every unbroken run longer than LONGEST_WORD cut into pieces of that length:
    kiwi's time grows fast with one long run of letters ("ㅋㅋㅋ…", a pasted address), and no
    word a resident writes is that long."""
    return _LONG_RUN.sub(
        lambda run: " ".join(run[0][i : i + LONGEST_WORD] for i in range(0, len(run[0]), LONGEST_WORD)), text
    )


def compact(text: str) -> str:
    """Letters and digits only, no spaces: "반찬 배달 써비스!" → "반찬배달써비스". Spacing-proof matching."""
    return _NOT_WORD.sub("", text)


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


def jamo(text: str) -> str:
    """Hangul syllables split into their letters, so one wrong vowel is one edit, not a whole syllable."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            out.append(_CHOSEONG[code // 588])
            out.append(_JUNGSEONG[(code % 588) // 28])
            if code % 28:
                out.append(_JONGSEONG[code % 28])
        else:
            out.append(char)
    return "".join(out)


def english_words(text: str) -> list[str]:
    """Lower-case English words with their light stem (see `stem`)."""
    return [stem(word) for word in _ENGLISH_WORD.findall(text)]


def stem(word: str) -> str:
    """A light suffix stripper: enough that "repairs", "repairing" and "repaired" meet.

    Keywords and messages pass through the same function, so consistency matters more than
    linguistics; a full Porter stemmer would be overkill for the few hundred catalog words.
    """
    word = word.replace("'", "")
    for suffix, replacement, keep in (
        ("ies", "y", 3),
        ("sses", "ss", 3),
        ("ing", "", 4),
        ("ed", "", 4),
        ("ly", "", 4),
        ("es", "", 4),
        ("s", "", 3),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep - 1 and not word.endswith("ss"):
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "stopp(ed)" → "stop", "plann(ing)" → "plan"
    return word
