"""Crisis detection: danger now gets the right numbers at once; a question *about* crisis help
gets them beside the programs (a concern); everyday exaggeration gets neither.

A message is read in a few ways (see `Reading`): Korean letters with the spaces removed, the
cleaned text with its spaces (English, and words that must start a word), the text with its
jamo kept (ㅈㅅ), and kiwi's morphemes ("죽/VV 려고/EC 하/VX 어요/EF"), so that the grammar of
intention, resolve and the future is written once for every spelling and spacing of it.

What counts as danger is the table `CONCEPTS` below: one row per way of telling of it, with
an example sentence, the patterns that must all be found, and those that mark an innocent
use. Rules are kept as patterns and not as a trained model because they must be exact, fast
on every message, and readable by the people who check them. A row is a concept (ending
one's life, a means and a place, preparation already made, a symptom cluster), never one
sentence: the product is judged on messages nobody here has seen.

After the table, the message's context decides between crisis, concern and nothing (see
`assess`): a story, news or hearsay about someone else is not danger now; a question about
where to get help for suicide or violence is a concern, unless something happens right now.
A missed crisis is the worst error this product can make, a false alarm the second worst, so
a first-person wish or intention to die stays a crisis whatever else the message says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from catalog.morphology import shared_analyzer
from catalog.results import Concern, Crisis, CrisisKind, Hotline
from catalog.schema import Text
from catalog.text import LONGEST_WORD, clean, compact

HOTLINES = {
    "109": Hotline("109", Text(ko="자살예방 상담전화", en="Suicide prevention line")),
    "119": Hotline("119", Text(ko="화재·구급", en="Fire and ambulance")),
    "112": Hotline("112", Text(ko="경찰", en="Police")),
    "1366": Hotline("1366", Text(ko="여성긴급전화", en="Women's emergency line")),
    "129": Hotline("129", Text(ko="보건복지상담센터", en="Health and welfare call centre")),
    "1577-0199": Hotline("1577-0199", Text(ko="정신건강 위기상담", en="Mental health crisis line")),
}

# Which numbers to show, first the one to call first.
HOTLINES_BY_KIND: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: ("109", "119", "1577-0199", "129"),
    CrisisKind.OVERDOSE: ("119", "109"),
    CrisisKind.MEDICAL: ("119",),
    CrisisKind.FIRE: ("119",),
    CrisisKind.INTRUDER: ("112", "1366"),
    CrisisKind.VIOLENCE: ("112", "1366"),
}
# A concern is not an emergency: the counselling lines come first, the emergency one last.
CONCERN_HOTLINES_BY_KIND: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: ("109", "1577-0199", "129"),
    CrisisKind.OVERDOSE: ("109", "1577-0199", "119"),
    CrisisKind.MEDICAL: ("129", "119"),
    CrisisKind.FIRE: ("119",),
    CrisisKind.INTRUDER: ("1366", "112"),
    CrisisKind.VIOLENCE: ("1366", "112"),
}
# When two kinds are told at once, the one whose first number must be called first wins:
# an overdose is also suicidal, and the ambulance comes first for it.
_KIND_ORDER = (
    CrisisKind.OVERDOSE, CrisisKind.SUICIDE, CrisisKind.MEDICAL,
    CrisisKind.FIRE, CrisisKind.INTRUDER, CrisisKind.VIOLENCE,
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
)
_DIALECT = tuple((re.compile(spelling), standard) for spelling, standard, _ in DIALECT)
# Laughter and crying (ㅋㅋ, ㅠㅠ): `clean` meant to drop them, but after NFKC they are the
# syllable-building jamo (U+1100-11FF), which it does not look for; left in, kiwi reads them as
# nouns and "죽을래 ㅠㅠ" loses its final ending.
_JAMO_RUN = re.compile(r"[\u1100-\u11ff\u3131-\u318e]{2,}")
_KEEP_JAMO = re.compile(r"[^0-9a-z\uac00-\ud7a3\u3131-\u318e]+")
# NFKC turns the jamo people type (ㅈ, U+3148) into the letters that build syllables (U+110C).
_TYPED_JAMO = str.maketrans(dict(zip(map(chr, range(0x1100, 0x1113)), "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ", strict=True)))
_LONG_RUN = re.compile(rf"\S{{{LONGEST_WORD + 1},}}")


@dataclass
class Reading:
    """One message, read in the ways the concepts need; kiwi runs only when a row asks."""

    text: str  # cleaned, dialect in standard spelling: English and word-start patterns
    korean: str  # the same, letters and digits only: spacing-proof Korean patterns
    jamo: str  # before jamo runs are dropped: ㅈㅅ

    @classmethod
    def of(cls, message: str) -> Reading:
        text = _JAMO_RUN.sub(" ", clean(message)).strip()
        for spelling, standard in _DIALECT:
            text = spelling.sub(standard, text)
        jamo = _KEEP_JAMO.sub("", unicodedata.normalize("NFKC", message).lower().translate(_TYPED_JAMO))
        return cls(text=text, korean=compact(text), jamo=jamo)

    @cached_property
    def morphemes(self) -> str:
        return "".join(morpheme_line(piece) for piece in _pieces(self.text, ANALYSIS_LIMIT))


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
    # kiwi's time grows fast with one long unbroken run of letters: cut it as `for_matching` does.
    text = _LONG_RUN.sub(lambda run: " ".join(run[0][i : i + LONGEST_WORD] for i in range(0, len(run[0]), LONGEST_WORD)), text)
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

    def found_in(self, reading: Reading) -> bool:
        if self.hint is not None and not self.hint.search(reading.korean):
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
    "VOLITION": r" (?:ᆯ래|ᆯ래요|래|래요)/E\w+(?! \?/SF)| (?:ᆯ게|ᆯ게요|ᆯ께|ᆯ께요|ᆯ까|ᆯ까요)/EF| 자/E\w+(?! 살/VV)",
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
GRAMMAR["INTENT"] = "(?:{INTENTION}|{VOLITION}|{RESOLVE}|{FUTURE}|{MUST})".format(**GRAMMAR)
GRAMMAR["WILL"] = "(?:{WISH}|{INTENT}| 겠/EP)".format(**GRAMMAR)  # after -어 버리-, -겠- is resolve too

# Nouns that a verb of ending or leaving may take and still mean one's life.
_LIFE_WORDS = frozenset({"삶", "인생", "생", "이생", "현생", "목숨", "세상", "이승", "세계", "지구", "숨", "전부", "모두", "다"})
# Nouns that say when, not what: "오늘 밤 다 끝내고 싶다" still has no object.
_TIME_WORDS = frozenset({"오늘", "내일", "모레", "밤", "새벽", "아침", "저녁", "낮", "주말", "이번", "올해", "날", "때", "지금", "당장", "오늘밤", "진짜", "정말", "혼자", "조용히"})
_CLAUSE_ENDS = frozenset({"EC", "EF", "SF", "SE", "SP"})
_EVERYTHING = re.compile(r" (?:다/MAG|모든/MM|전부/\w+|모두/\w+|다/NNG) ")
_LIFE_MENTION = re.compile(r" (?:살|죽)/VV | 사/VV 는/ETM (?:것|거)/NNB | (?:삶|인생|목숨|세상|숨|생)/NNG ")


def _about_life(line: str, start: int, rule: str) -> bool:
    """Whether a verb of ending or disappearing at `start` is about life itself.

    "이제 다 끝내고 싶다", "삶을 내려놓고 싶다", "이 세상에서 사라지고 싶다" are; "일 다 끝내고 싶어",
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


# ---- the table of concepts --------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    """One way of telling of danger: its name, an example, and how it is recognised."""

    name: str
    kind: CrisisKind
    example: str  # written for this table; tested to be recognised as this concept
    all_of: tuple[Pattern, ...]  # every one must be found
    none_of: tuple[Pattern, ...] = ()  # any one found: an innocent use ("숯불에 고기")
    # Names the subject (자살, 가정폭력) without telling that it happens: a concern (hotlines
    # beside the programs), a crisis only with a sign that it happens now (see `assess`).
    topic: bool = False

    def found_in(self, reading: Reading) -> bool:
        return all(p.found_in(reading) for p in self.all_of) and not any(p.found_in(reading) for p in self.none_of)


S, O, M, F, I, V = (CrisisKind.SUICIDE, CrisisKind.OVERDOSE, CrisisKind.MEDICAL,
                    CrisisKind.FIRE, CrisisKind.INTRUDER, CrisisKind.VIOLENCE)
_DIE = r"(?<!너/NP )(?:죽|자살하|자결하|투신하|뛰어내리)/VV"
_DIE_HINT = r"죽|자살|자결|투신|뛰어내"
_NOT_AFTER_COLLOQUIAL = r"(?<! 어/EC)"  # 배고파 죽겠다, 힘들어 죽을 거야 (but 힘들어서 죽으려고 is not)
_HIGH_PLACE = r"옥상|난간|대교|다리위|다리에서|육교|\d+층|베란다|창문|창밖|절벽"
_STRANGER = r"누가|누군가|모르는(사람|남자|여자|놈)|낯선(사람|남자|여자)?|이상한(사람|남자)|수상한(사람|남자)|어떤(사람|남자|놈)|웬(사람|남자|놈)|스토커"
_AGENT = r"남편|아내|와이프|애인|남친|여친|남자친구|여자친구|동거인|룸메|아들|딸|아버지|아빠|엄마|어머니|오빠|형|누나|언니|동생|가족|집주인|시아버지|시어머니|전남편|전남친|전애인|그사람|그놈|누가|누군가"
_PILLS = r"수면제|수면유도제|신경안정제|안정제|진통제|알약|약|타이레놀|감기약|처방약"
_POISON = r"락스|표백제|세제|농약|제초제|살충제|부동액|쥐약"
_SEDATIVES = r"수면제|수면유도제|신경안정제|안정제|진통제|졸피뎀"
_EX_PARTNER = r"전남친|전남편|전여친|전애인|전부인|전처|전남자친구|전여자친구|헤어진|이혼한"

CONCEPTS: tuple[Concept, ...] = (
    # -- suicide: the will to die, in the grammar of wish, intention, resolve and the future --
    Concept("a wish to die", S, "요즘은 그냥 죽고 싶다는 생각뿐이에요",
            (morph(r" {DIE}{THROUGH}{WISH}".replace("{DIE}", _DIE), _DIE_HINT),)),
    Concept("an intention, resolve or plan to die", S, "이번 달 안에 죽기로 결심했어",
            (morph(_NOT_AFTER_COLLOQUIAL + r" " + _DIE + r"{THROUGH}{INTENT}", _DIE_HINT),)),
    Concept("dying, made stronger with 버리다", S, "확 죽어버리겠다",
            (morph(_NOT_AFTER_COLLOQUIAL + r" " + _DIE + r" 어/EC 버리/VX{WILL}", _DIE_HINT),)),
    Concept("resolve: 죽겠다 with an adverb of resolve (not 배고파 죽겠다)", S, "차라리 그만 죽겠어",
            (morph(r" (?:꼭|그만|차라리|기필코|반드시|확|콱)/MAG (?:\S+/MAG )?(?:죽|뒤지)/VV 겠/EP", _DIE_HINT),)),
    Concept("slang for dying (뒤지다), about nothing else", S, "걍 뒤져버리고 싶네",
            (morph(_NOT_AFTER_COLLOQUIAL + r" 뒤지/VV(?: 어/EC 버리/VX{WILL}|{WISH}|{INTENT})", r"뒤지|뒤져|뒤질", about_life="bare"),)),
    Concept("not wanting to live", S, "솔직히 이제 살기가 싫어",
            (ko(r"살기(가|도|는)?(너무|정말|진짜|더)?싫|살고싶지(가|는|도)?않|살고싶은마음(이)?(없|안)|그만살|더(는|이상)?못살겠"
                r"|(살아갈|살아야할)이유(가|를)?(없|모르)|사는이유(를|가)?(모르|없)|사는(게|것이|것)?의미(가)?없"
                r"|세상에(더)?(있|머물|남아있)고싶지않|더는살아있고싶지"),),
            none_of=(ko(r"(여기|이동네|이집|이나라|이도시|서울|시골|이런집|이런동네|한국|이회사)(에서|에)?(는)?(더는?)?살(기|고싶지)"),)),
    Concept("no reason or worth in living", S, "이제 나는 살 의미가 하나도 없어",
            (morph(r" (?:살|사)/VV ᆯ/ETM (?:이유|가치|의미|필요)/NNG(?: \S+){{0,4}}? (?:없|모르)/V", r"살이유|살가치|살의미|살필요",
                   about_life="bare"),),),
    Concept("wanting to stop living, said with 그만/더는 and a will", S, "이제 그만 살래요",
            (morph(r" (?:그만/MAG|더는/\S+|더/MAG 는/JX|이상/NNG) (?:\S+/MAG )?살/VV{INTENT}", "그만살|더는살|이상살"),)),
    Concept("ending it all: life, everything, or nothing else named", S, "오늘로 다 끝낼 거야",
            (morph(r" (?:끝내|마감하)/VV{THROUGH}(?:{WISH}|{INTENT})", r"끝내|끝낼|마감", about_life="bare-if-life"),)),
    Concept("giving up, stopping or leaving, when it is life that is left", S, "사는 게 지옥이라 이제 그만두려고",
            (morph(r" (?:내려놓|포기하|그만두|그만하|등지|멈추|떠나)/VV{THROUGH}(?:{WISH}|{INTENT})",
                   r"내려놓|포기|그만|등지|멈추|떠나|떠날", about_life="life"),)),
    Concept("disappearing from the world", S, "아무도 모르게 없어져 버리고 싶다",
            (morph(r" (?:사라지|없어지)/VV{THROUGH}(?:{WISH}|{INTENT})", r"사라지|사라져|사라질|없어지|없어져|없어질", about_life="bare"),)),
    Concept("sleeping or resting for ever", S, "영영 잠들어 버렸으면 좋겠어",
            (ko(r"영원히|영영|영면"), ko(r"잠들|잠자|쉬고싶|쉬었으면|쉴래|눈(을)?감")),
            none_of=(ko(r"푹|주말|늦잠|휴가|방학|연휴"),)),
    Concept("not waking up again", S, "아침에 다시는 눈 안 떴으면 좋겠다",
            (ko(r"(깨어나|깨|눈(을)?뜨)고싶지(는)?않|(눈(을)?뜨|깨|깨어나)지(않았|말았)으면|안(떴|깼|깨어났)으면|다시(는)?(안)?(깨|깨어나|뜨)(지않|고싶지|지말)"),),
            none_of=(ko(r"늦잠|알람|주말|휴일|출근|학교"),)),
    Concept("being a burden: better for all if I were gone", S, "내가 사라지면 다들 편해질 거야",
            (ko(r"(내가|나|나만|나하나|제가|저|저만|저하나)(없|사라지|사라|죽|없어지|떠나)(는게|으면|어지면|지면|져야|면|야)"),
             ko(r"(다들|모두|다|가족|엄마|세상|전부)[가-힣]{0,6}(편|낫|나을|행복|좋)"))),
    Concept("the last day of my life", S, "내 인생 오늘이 마지막이야",
            (ko(r"(인생|삶|생애|이생|이번생)(의)?[가-힣]{0,6}(마지막날|마지막이)"),)),
    Concept("taking one's own life, named", S, "스스로 목숨을 끊을 거예요",
            (ko(r"목숨(을)?끊|생(을)?마감(하고싶|하려|하기로|할|하겠)|스스로생을|극단(적)?(인)?선택(을)?(하고싶|하려|할래|할거|할까|하기로|해야겠|할게)"),)),
    Concept("suicide or self-harm as my own thought, plan or urge", S, "요즘 자해 충동이 심해요",
            (word(r"(?<![가-힣])(자살|자해) ?(생각|충동|계획|욕구|시도하려|하고 ?싶|하려|할래|할 ?거|할까|하기로|해야겠|해 ?버리|각|하고 ?있|했어|했다|했는데|중)"),),
            none_of=(ko(r"자살골|자살률|자해공갈"),)),
    Concept("suicide in internet slang", S, "오늘따라 ㅈㅅ 충동이 세다",
            (jamo(r"ㅈㅅ(?:하|할|각|충동|해)"),),),
    Concept("suicide in internet slang, spelt out", S, "진짜 자살각 나온다",
            # Word-start: "혼자 살 각오" holds 자살각 once its spaces are gone. 자삭 is also
            # "deleting my own post", so a post named with it is not a crisis.
            (word(r"(?<![가-힣])자살 ?각|(?<![가-힣])자삭 ?(?:하고 ?싶|할래|하려|각)"),),
            none_of=(ko(r"(글|댓글|게시글|게시물|사진|계정|영상|포스팅|트윗)(을|를)?자삭"),)),
    Concept("suicide spelt with spaces between its letters", S, "자 살 할 거야",
            (ko(r"자살(?:하고싶|하려고|할래|할거|하기로|해야겠|해버리)"),),),
    Concept("leaving life in internet slang", S, "현생 로그아웃 하고 싶다",
            (ko(r"(인생|삶|현생|세상)(에서)?(로그아웃|강종|강제종료|하차|탈주)(하고싶|하려|할래|할거|각)"),),),
    Concept("jumping from a height or into water", S, "지금 육교 위인데 뛰어내릴까",
            (morph(r" (?:뛰어내리|뛰어들|떨어지|투신하|몸/NNG (?:을/JKO )?던지)/VV{THROUGH}(?:{WISH}|{INTENT}| 겠/EP)",
                   r"뛰어|떨어|투신|몸을던|몸던"),
             ko(_HIGH_PLACE + r"|한강|강물|바다|물에|다리|빌딩|건물|아파트|층")),
            none_of=(ko(r"시험|성적|면접|합격|점수|주가|가격|등급|불합격"),)),
    Concept("on a high place, leaning out or over", S, "12층 창문 밖으로 다리를 내놓고 있어",
            (ko(_HIGH_PLACE),
             ko(r"몸을(밖으로)?내밀|(밖으로|밖에)[가-힣]{0,4}(내밀|내놓|매달)|난간(에|을)?(넘|매달|걸터)|매달려있|뛰어내리(려|고싶|기)|뛰어내릴")),),
    Concept("hanging oneself", S, "올가미를 만들 끈을 샀어 목 매려고",
            (morph(r" 목/NNG (?:을/JKO )?(?:매|매달)/VV{THROUGH}(?:{WISH}|{INTENT})", r"목매|목을매|목을맬|목맬|목매달"),),
            # "돈에 목매다", "그 사람한테 목매지 마": to be desperate for something.
            none_of=(ko(r"(한테|에게)목(을)?(매|맬|메|멜)|(돈|일|결과|성적|점수|연애|승진|시험)에목"),)),
    Concept("hanging oneself, named", S, "목매달고 싶다", (ko(r"목(을)?매달(고싶|려|기로|아야|거)|목(을)?매달릴"),),),
    Concept("charcoal or a briquette lit in a closed room or car", S, "차 문 다 잠그고 숯불 피웠어",
            (ko(r"번개탄|연탄|숯"), ko(r"피우|피웠|피워|붙였|켜"), ko(r"방|차안|차에|문틈|창문|막았|막고|잠그|잠갔|번개탄")),
            none_of=(ko(r"고기|굽|구워|구웠|바베큐|캠핑|삼겹|난로|마시멜로|생선"),)),
    Concept("charcoal bought and kept by", S, "번개탄 두 개 사 뒀어",
            (ko(r"번개탄(을|를)?(두개|한개|몇개|하나)?(사|샀|구했|구해|준비)"),),
            none_of=(ko(r"고기|굽|구워|바베큐|캠핑|삼겹"),)),
    Concept("a suicide note or a farewell letter", S, "어젯밤 유서를 써서 서랍에 넣어 뒀어",
            (ko(r"유서(를)?(썼|쓰고|써|작성|남기|남겼|준비)|유언(장)?(을)?(썼|써놓|작성|남기|남겼)[가-힣]{0,12}(미련|이제|마지막|떠나|가려|죽)"
                r"|(편지|메모|쪽지)[가-힣]{0,8}(써|썼|남겼|남겨)[가-힣]{0,12}(가려고|떠나려고|떠날|갈게|간다|죽|이제가|마지막)"),)),
    Concept("things given away, affairs put in order, ready to go", S, "신세 진 사람들한테 물건 다 돌렸어 이제 정리 끝",
            (ko(r"나눠줬|나눠주고|줘버렸|다줬|돌렸|정리했|정리하고|정리끝|처분했|입양보냈"),
             ko(r"준비끝|준비(다)?됐|준비완료|정리끝|이제(가|떠나|갈|끝)|미련(이|은)?없|마지막으로|떠나려고|떠날거|떠날게")),
            none_of=(ko(r"이사|여행|출장|유학|이민|미니멀|중고|당근|팔았|팔고|대청소|퇴사"),)),
    Concept("putting one's affairs in order (신변정리)", S, "슬슬 신변 정리를 하고 있어요",
            (ko(r"신변(을)?정리|(내|나의|제)장례식"),)),
    Concept("cutting oneself", S, "커터칼로 팔을 그었어",
            (ko(r"(손목|팔|허벅지|몸)(을|에)?[가-힣]{0,4}(긋|그었|그어|그을|그으|긁었|베었|자해)|(칼|커터|면도날|유리)[가-힣]{0,6}(손목|팔)[가-힣]{0,4}(그|긋|베)"),),
            none_of=(ko(r"요리|채소|야채|종이|실수로|다쳤|타투|문신"),)),
    Concept("pills kept aside to take at once", S, "진통제를 한 통씩 사서 모아 두고 있어",
            (ko(r"(" + _PILLS + r")(을|를)?[가-힣]{0,10}(모아|모았|모으|쌓아)"),),
            none_of=(ko(r"영양제|비타민|유산균"),)),
    # -- overdose and poisoning ---------------------------------------------------------------
    Concept("many pills swallowed", O, "수면유도제를 한 움큼 털어 넣었어",
            (ko(r"(" + _PILLS + r"|농약)(을|를)?[가-힣0-9]{0,10}?(한꺼번에|많이|잔뜩|한통|통째|왕창|한움큼|몽땅|전부|다|한줌|한봉지"
                r"|([0-9]+|[일이삼사오육칠팔구십백]+|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|서른|마흔|쉰|여러|수십|몇십)(몇)?(알|정|개|봉지|통))[가-힣]{0,4}?(먹었|삼켰|삼키|털어|먹어버|마셨)"
                r"|(" + _PILLS + r")(을|를)?[가-힣]{0,4}?털어(넣|먹)|과다복용|약물과다"),),
            none_of=(ko(r"영양제|비타민"),)),
    Concept("a poison drunk", O, "방금 제초제를 조금 마셨어요",
            (ko(r"(" + _POISON + r")(을|를)?[가-힣0-9]{0,6}?(마셨|먹었|삼켰|마시고|먹고|마셔버|들이켰)"),)),
    # -- medical emergencies, told by their symptoms -------------------------------------------
    Concept("cannot breathe", M, "갑자기 숨을 쉴 수가 없어요",
            (ko(r"숨(을|이)?(못쉬|안쉬어|안쉬|쉴수(가)?없|안쉬여|멎|넘어갈|가빠|가쁘)|숨쉬기(가)?(너무)?(힘들|어렵|곤란)"),),
            none_of=(ko(r"마음(이)?(찢|아프|아파|무너)|이별|헤어|웃겨|웃다가|웃느라|미세먼지|답답해서|긴장|설레|경기|스트레스|분위기|숨막히는|숨이막힐듯|숨막힐듯|더워서"),)),
    Concept("chest pain or pressure", M, "가슴을 쥐어짜는 듯하고 턱까지 아파요",
            (ko(r"흉통|가슴통증|심장마비|심근경색|뇌졸중|뇌출혈|심정지|가슴(이|을)?(너무|꽉|막)?(조여|조이|쥐어짜|짓누르|짓눌|움켜쥐|움켜잡)"),),
            none_of=(ko(r"설레|긴장|좋아하는|보고싶|짝사랑"),)),
    Concept("chest pain with a second sign", M, "가슴이 뻐근하고 식은땀이 나요",
            (ko(r"가슴|심장"), ko(r"아프|아파|통증|뻐근|답답|조이|두근|뛰|움켜"),
             ko(r"왼팔|팔이저|어깨가저|턱|식은땀|숨(이|을)?(차|막|못|안)|주저앉|쓰러|기절|어지러|토하|정신(이)?(없|잃)")),
            none_of=(ko(r"설레|좋아하는|보고싶|생각에|짝사랑|이별|헤어"),)),
    Concept("signs of a stroke", M, "엄마 발음이 꼬이고 입이 한쪽으로 돌아갔어",
            (ko(r"말(이|을)?(어눌|꼬이|꼬여)|발음(이)?(꼬|이상|어눌)|(얼굴|입)[가-힣]{0,6}(처지|처졌|돌아가|비뚤)"
                r"|한쪽(팔|다리|팔다리|얼굴|몸|손)?[가-힣]{0,4}(마비|힘이(하나도)?안|감각이없|안움직)"),),
            none_of=(ko(r"술(을|에)?(마시|취|먹)|취해서|취했"),)),
    Concept("collapsed or unresponsive", M, "아버지가 거실에서 쓰러졌어요",
            (ko(r"쓰러졌|쓰러져있|쓰러지셨|쓰러져계|쓰러진(것|거)같|의식(이|을)?(없|잃)|정신(을)?잃|기절했|실신"),),),
    Concept("about to faint, with the heart racing", M, "심장이 터질 것처럼 뛰면서 눈앞이 하얘져요",
            (ko(r"(심장|가슴)(이)?[가-힣]{0,8}(뛰|두근|쿵쾅)"), ko(r"쓰러질|기절할|눈앞이(하얘|캄캄|깜깜)|숨(이)?(차|막|안)|식은땀")),
            none_of=(ko(r"설레|좋아하는|보고싶|사랑|고백|짝사랑|데이트"),)),
    Concept("fallen and cannot get up", M, "빙판에서 넘어졌는데 일어설 수가 없어요",
            (ko(r"(넘어지|넘어져|넘어졌|쓰러져|쓰러졌|미끄러지|미끄러져|미끄러졌|낙상|떨어져|떨어졌|굴러|굴렀)[가-힣]{0,10}"
                r"(못일어나|안일어나|일어나지(를|도)?못|일어나질못|일어날수(가)?없|일어설수(가)?없|못일어서|움직일수(가)?없|꼼짝(도)?못)"),),),
    Concept("bleeding that does not stop", M, "칼에 베였는데 피가 멈추질 않아요",
            (ko(r"피(가)?(너무)?(많이|철철|계속|콸콸|펑펑)(나|흘|쏟)|피(가)?(안|멈추지|멈추질|안멈|멎지)(멈|않)|지혈(이)?(안|되지)"
                r"|피(를)?(토하|토해|토했|쏟|게워)|토혈|각혈|피가섞인"),),
            none_of=(ko(r"코피(가)?(조금|살짝)|생리"),)),
    Concept("a seizure", M, "동생이 경련을 일으켜서 몸이 뻣뻣해요",
            (ko(r"경련(을|이)?(해|일으|나)"),),
            none_of=(ko(r"공황"),)),
    Concept("the throat swelling or closing (allergy)", M, "새우 먹고 입술이 붓더니 숨쉬기가 힘들어요",
            (ko(r"(목|혀|입술|얼굴|눈)(이|가)?[가-힣]{0,4}(붓|부어|부었|부풀)|(쏘인|쏘였|물린|물렸)[가-힣]{0,6}(붓|부어|부풀)"),
             ko(r"숨|호흡|쏘였|쏘인|알레르기|알러지|아나필락시스")),
            none_of=(ko(r"감기|편도|목감기|노래|울어서|울었더니"),)),
    Concept("choking on food", M, "사탕이 목에 걸려서 숨을 못 쉬어요",
            (ko(r"목에(걸려|걸렸)"), ko(r"숨|켁|기침|말이안|말을못")),),
    Concept("a sudden, worst-ever headache with other signs", M, "망치로 맞은 것처럼 머리가 아프고 계속 토해요",
            (ko(r"머리(가)?[가-힣]{0,6}(깨질|터질|망치|쪼개질)|망치로맞은"), ko(r"토하|토해|구토|토했|눈앞(이)?(흐|안보|캄캄)|시야|마비|어눌|의식|정신(이)?(없|잃|가물)")),),
    Concept("a severe burn", M, "다리미에 데어서 손바닥 전체에 물집이 생겼어요",
            (ko(r"화상|데어서|데었|데였|데여서|델"), ko(r"물집|크게|심하게|심해|전체|온몸|얼굴|벗겨|피부가")),
            none_of=(ko(r"햇볕|햇빛|선크림|살짝|조금"),)),
    # -- fire and gas ------------------------------------------------------------------------------
    Concept("a fire breaking out", F, "거실 커튼에 불이 붙었어요",
            (ko(r"(?<![열천화])불(이)?(났|나서|났어|붙었|붙어|붙고|번지|번져|타오르)|화재(가)?(났|발생)"),),
            none_of=(ko(r"(입|혀|속|발등|얼굴|눈|엉덩이|가슴)에불|열불|천불|불닭|매워|매운|눈에서불|집에불이안|불이안"),)),
    Concept("something burning", F, "콘센트가 녹으면서 타고 있어요",
            (ko(r"(멀티탭|콘센트|전선|플러그|충전기|배터리|전기장판|냄비|프라이팬|이불|커튼|전자레인지|가스레인지|보일러|난로|히터)"
                r"(이|가|에서)?[가-힣]{0,6}(타고있|타요|탄다|타는중|불꽃|녹고|녹아|터졌|폭발|연기)"),),),
    Concept("smoke where it should not be", F, "방문 틈으로 연기가 새어 들어와요",
            (ko(r"연기(가)?(가득|자욱|차올|새어|올라)|(집|방|복도|계단|부엌|주방)(에|안에|으로)[가-힣]{0,4}연기"),),
            none_of=(ko(r"담배|흡연|고기|굽|구워|수증기|김이|가습기|향|전자담배|연기학원|연기를배|연기수업|연기연습|배우|연기력"),)),
    Concept("a gas or burning smell", F, "부엌에서 가스 냄새가 진동해요",
            (ko(r"(가스|타는|탄|매캐한|그을린)냄새(가)?[가-힣]{0,4}?(나|심|진동|가득|확|퍼|올라|많이)|가스(가)?새"),),
            none_of=(ko(r"냄새(가)?(안나|안났|없)|감지기|경보기설치|탐지기|요금|가스비|검침"),)),
    # -- someone breaking in -------------------------------------------------------------------
    Concept("a stranger forcing the way in", I, "누가 자꾸 현관 손잡이를 잡아당겨요",
            (ko(_STRANGER),
             ko(r"문|문고리|손잡이|도어락|비밀번호|현관|창문|창|베란다|자물쇠|열쇠구멍"),
             ko(r"열려|열려고|열고|따려|따고|부수|부숴|누르|눌러|두드리|두드려|두들기|두들겨|발로차|차고|걷어차|흔들|돌려|돌리|잡아당|당기|들어오려|들어왔|들어와|넘어오|넘어와|침입")),
            none_of=(ko(r"택배였|배달(이|원)?였|관리실이었|잘못눌|잘못찾|친구였|가족이었"),)),
    Concept("breaking in, named", I, "도둑이 들어서 집이 난장판이야",
            (ko(r"침입(했|하려|하고|당|자가있)|도둑(이)?(들었|들어|들고|이다|이야)|강도(가)?(들|침입|왔)|강도야|빈집털이(가)?(들|왔)"),),),
    Concept("someone inside, or in sight, where only I live", I, "혼자 있는데 옷장 안에서 인기척이 나요",
            (ko(r"(누가|누군가|모르는사람|낯선사람|모르는남자|이상한사람)(이|가)?[가-힣]{0,8}(집|방|거실|베란다|옷장|화장실|부엌|창밖|창문밖|안방)(에|안에|에서)[가-힣]{0,4}(있|숨어|서있|서성)"
                r"|(집|방|거실|베란다|옷장|화장실|부엌|안방)(에|안에|에서)[가-힣]{0,4}(누가|누군가|모르는사람|낯선사람)[가-힣]{0,4}(있|숨어|서있|서성)"
                r"|(발소리|발자국소리|인기척|문여는소리|숨소리|말소리)[가-힣]{0,8}(나요|나|들려|들리|났)"),
             ko(r"혼자|아무도없|아무도안|저밖에|나밖에|빈집|무서|숨어|지금")),
            none_of=(ko(r"옆집|윗집|아랫집|층간|이웃|고양이|강아지|티비|tv|유튜브|꿈"),)),
    Concept("followed home", I, "낯선 남자가 집 근처까지 따라왔어요",
            (ko(r"(" + _STRANGER + r")(이|가)?[가-힣]{0,10}(따라와|따라오|따라왔|쫓아와|쫓아오|쫓아왔|미행)|미행당|미행하"),),),
    Concept("someone at the door who will not leave", I, "모르는 사람이 문 열어 달라면서 계속 안 가요",
            (ko(r"문(을|좀)?열어"), ko(r"안가|안가고|버티|계속|자꾸|안떠나")),
            none_of=(ko(r"택배였|배달이었|고양이|강아지|냥이|엄마가|아빠가|동생이|룸메"),)),
    Concept("stalking, named", I, "스토킹 때문에 밤마다 무서워요", (ko(r"스토커|스토킹"),), topic=True),
    Concept("being stalked now", I, "요즘 스토킹을 당하고 있어요",
            (ko(r"스토킹(을)?당하고있|스토커(가)?[가-힣]{0,6}(있|왔|와서|기다|따라)"),),),
    # -- violence ----------------------------------------------------------------------------------
    Concept("being hit or strangled by someone", V, "오빠가 술만 마시면 때려요",
            (ko(r"(" + _AGENT + r")(이|가|한테|에게)?[가-힣]{0,8}?(때려(?![치쳐칠])|때린|때리|폭행|목을졸|목졸|목을조르|발로차)"),),
            none_of=(ko(r"장난"),)),
    Concept("hit by someone, told from my side", V, "시아버지한테 맞아서 얼굴에 멍이 들었어",
            (ko(r"(" + _AGENT + r")(한테|에게)(또|계속|자꾸|매일|맨날|오늘|방금)?(맞|얻어맞|두들겨맞)"),),
            none_of=(ko(r"장난"),)),
    Concept("an attack with fists, feet or a thing", V, "주먹으로 얼굴을 맞아서 입술이 터졌어",
            (ko(r"(주먹|발|손바닥|몽둥이|벨트|허리띠|의자|물건|병)(으로|을|를)[가-힣]{0,6}(때리|때려|쳐서|쳤|치고|차서|찼|맞|던지|던져)|머리채(를)?(잡|끌)|뺨(을)?(때리|맞|쳤)|목(을)?졸|멱살"),
             ko(_AGENT + r"|코피|멍|피|다쳤|부었|터졌")),
            none_of=(ko(r"장난|축구|공을|게임"),)),
    Concept("held captive", V, "남친이 못 나가게 문을 막고 있어요",
            # Word-start: "누나가 두 명" holds 가두 once its spaces are gone.
            (ko(_AGENT), word(r"(?<![가-힣])(가둬|가두|가뒀|감금)|못 ?나가게|나가지 ?못하게|(휴대폰|핸드폰|폰)(을|를)? ?(뺏|빼앗|부수|부쉈)")),),
    Concept("threatened with death or a weapon", V, "그 사람이 나를 죽이겠다고 소리쳐요",
            (ko(r"죽이(겠다고|겠대|려고|려해)|칼(을|로)?(들고|휘두르|휘둘|위협|들이대)|흉기"),),
            none_of=(ko(r"(모기|벌레|바퀴|파리)(를|을)?죽|노래|게임|영화|드라마"),)),
    Concept("violence, named", V, "가정폭력 때문에 집에 들어가기 무서워요",
            (ko(r"가정폭력|데이트폭력|학교폭력|성폭력|폭행|폭력|학대|협박"),), topic=True),
    Concept("suffering violence now", V, "데이트폭력을 당하고 있어요",
            (ko(r"(폭행|폭력|학대|협박)(을)?(당하고있|당하는중|당했어|당했는데|당해서|당하고)"),),),
    Concept("suicide or self-harm, named", S, "자살 같은 말 하면 안 되는 거 알지만", (word(r"(?<![가-힣])(자살|자해)(?!골|률)"),
            ), none_of=(ko(r"자살골|자살률"),), topic=True),
    Concept("a suicide note, named", S, "유서 라는 단어만 봐도 마음이 무거워", (ko(r"유서"),),
            none_of=(ko(r"유서깊|유서가깊|유서있는"),), topic=True),
    Concept("giving up on life, named", S, "극단적인 선택 이라는 말", (ko(r"극단(적)?(인)?선택"),), topic=True),
    # -- added after the second held-out set's tune half: concepts, each with an example of its own --
    Concept("asking for a way or a dose to die", S, "수면제 몇 통 먹으면 확실히 죽어?",
            (ko(r"(자살|죽는|목매는|목매다는)(하는)?(방법|법)"
                r"|(몇알|몇개|몇통|몇봉지|얼마나|몇층|몇미터)[가-힣]{0,10}(먹어야|먹으면|삼키면|떨어지면|뛰어내리면|높아야)[가-힣]{0,8}(죽|안깨|못깨|깨어나지|확실)"),),
            none_of=(ko(r"벌레|바퀴|모기|개미|식물|화분|게임|세포|균"),)),
    Concept("asking for a way to die, in internet slang", S, "ㅈㅅ 하는 법 있어?",
            (jamo(r"ㅈㅅ(?:하는)?(?:방법|법)"),)),
    Concept("going after a loved one who has died", S, "먼저 떠난 아내 곁으로 나도 가고 싶어",
            (ko(r"따라(가|갈|가려|가고싶|가야겠|가기로|갈래|갈게|갈거|가련)|곁으로[가-힣]{0,3}(가|갈|가려|가고싶)"),
             ko(r"먼저(간|가|보내|떠난|떠나|갔)|돌아가신|기일|하늘나라|저세상|저승|세상을떠난|사별|고인")),
            none_of=(ko(r"성묘|산소|납골당|추모공원|제사|여행|따라가서|따라갔"),)),
    Concept("the last goodbye", S, "다들 고마웠어요 이게 제 마지막 인사예요",
            (ko(r"마지막(으로)?(인사|메시지|연락|문자|카톡|편지)"), ko(r"미안|고마웠|잘지내|안녕|용서|사랑했")),
            none_of=(ko(r"퇴사|졸업|이사|전학|회사|모임|동호회|송별|단톡|탈퇴|정년|퇴임|학기"),)),
    Concept("a place or a rope made ready for hanging", S, "목 맬 줄을 베란다에 걸어 뒀어",
            (ko(r"목(을)?(맬|매달)(곳|데|자리|줄|끈|나무|밧줄)"),)),
    Concept("pills taken, then said to be many", O, "약 먹었어 아주 많이",
            (ko(r"(" + _PILLS + r")(을|를)?(먹었|삼켰|털어넣었|드셨)[가-힣]{0,4}(많이|잔뜩|한꺼번에|전부|몽땅|한통|통째)"),),
            none_of=(ko(r"나았|좋아졌|괜찮아졌|효과|영양제|비타민"),)),
    Concept("pills taken at once, said politely", O, "할아버지가 수면제를 통째로 드셨어요",
            (ko(r"(" + _PILLS + r")(을|를)?[가-힣0-9]{0,10}?(한꺼번에|많이|잔뜩|한통|통째|왕창|몽땅|전부|다)[가-힣]{0,4}?(드셨|복용했|복용하셨|드시고)"),),
            none_of=(ko(r"영양제|비타민"),)),
    Concept("alcohol taken with sedatives", O, "소주 한 병에 수면제를 타서 마셨어",
            (ko(r"술|소주|맥주|양주|와인|막걸리"),
             ko(r"(" + _SEDATIVES + r")[가-힣]{0,8}(먹었|삼켰|마셨|털어|타서)|(술|소주|맥주|양주|와인|막걸리)(이랑|하고|과|와|에)[가-힣]{0,6}(" + _SEDATIVES + r")")),),
    Concept("foaming at the mouth", M, "할머니가 입에 거품을 물고 쓰러지셨어요",
            (ko(r"거품(을)?(물|흘|토하|토해|나와)"),),
            none_of=(ko(r"맥주|비누|샴푸|세제|커피|라떼|우유|게|강아지|고양이"),)),
    Concept("not waking however called", M, "아무리 흔들어도 아빠가 안 깨요",
            (ko(r"(깨워도|불러도|흔들어도|때려도|꼬집어도)[가-힣]{0,6}(안일어나|안깨|못깨|반응(이)?없|대답(이)?없|꼼짝)"),),),
    Concept("a finger or a limb cut off", M, "기계에 끼어서 손가락 두 개가 잘려 나갔어요",
            (ko(r"(손가락|발가락|손|팔|다리|손목|발)(이|가|을|를)?[가-힣0-9]{0,4}(잘렸|잘려|잘라졌|절단)"),),
            none_of=(ko(r"손톱|발톱|머리|고기|가지치기"),)),
    Concept("very low blood sugar", M, "인슐린 맞고 나서 식은땀이 나고 어지러워요",
            (ko(r"저혈당|혈당|당뇨|인슐린"), ko(r"떨리|떨려|식은땀|가물|캄캄|어지러|쓰러|정신(이)?(없|잃|흐)|의식")),
            none_of=(ko(r"검사|측정기|관리|식단|교실|교육|프로그램|지원"),)),
    Concept("one side of the body suddenly weak or numb", M, "갑자기 오른쪽 손이 마비된 것처럼 안 움직여요",
            (ko(r"갑자기|방금|지금"),
             ko(r"(왼쪽|오른쪽|한쪽)(팔|다리|팔다리|얼굴|몸|손|발)[가-힣]{0,4}(마비|힘이(하나도)?안|감각(이)?없|안움직|저려)")),),
    Concept("lips or face turning blue, breath rattling", M, "아기 숨소리가 그르렁거리고 얼굴이 새파래졌어요",
            (ko(r"(입술|얼굴)(이)?[가-힣]{0,3}(파래|파랗|보라색|새파래)|(쌕쌕|헐떡|그르렁)[가-힣]{0,10}(숨|호흡)|(숨|호흡)[가-힣]{0,10}(쌕쌕|헐떡|그르렁)"),),
            none_of=(ko(r"추워서|추워|수영|물놀이|운동|달리기|뛰어서|등산"),)),
    Concept("unable to get up for days", M, "사흘째 방바닥에서 꼼짝도 못 하고 있어요",
            (ko(r"이틀|사흘|며칠|하루종일|밤새"),
             ko(r"(일어날|일어설|움직일)(힘|수)(이|가)?(없|안)|못일어나|못움직|꼼짝(도)?못"),
             ko(r"바닥|누워|쓰러|넘어")),),
    Concept("a fit with shaking or collapse", M, "아버지가 발작을 일으키며 몸을 떨어요",
            (ko(r"발작"), ko(r"쓰러|떨|경련|거품|눈(이)?돌아|의식")),
            none_of=(ko(r"공황"),)),
    Concept("a scald with the skin coming away", M, "라면 끓이다 냄비를 엎어서 다리에 물집이 잡혔어요",
            (ko(r"(뜨거운물|끓는물|기름|냄비|국|주전자|커피)[가-힣]{0,6}(쏟|엎|튀|부었|흘)"),
             ko(r"(피부|살)(이|가)?[가-힣]{0,3}(벗겨|녹|타)|물집|화상")),),
    Concept("flames in sight", F, "옆 건물 창문에서 불길이 솟고 있어요",
            (ko(r"불길|화염|시뻘건불"), ko(r"보여|보이|치솟|솟|올라|번지|번져|나와|나오")),
            none_of=(ko(r"불꽃놀이|축제|캠프파이어|불멍|모닥불|화염병"),)),
    Concept("a gas appliance hissing, banging or smelling", F, "가스 밸브 쪽에서 쉭쉭 소리랑 냄새가 나요",
            (ko(r"가스"), ko(r"펑|폭발|터지|터졌|쉭쉭|냄새(가)?(계속|심|나|진동|올라)|소리(랑|와|하고)냄새")),
            none_of=(ko(r"냄새(가)?(안나|안났|없)|감지기|경보기|탐지기|요금|가스비|검침|점검|설치|교체|지원"),)),
    Concept("a door opening or its handle turning while I am alone", I, "혼자 자는데 새벽에 도어락 열리는 소리가 났어요",
            (ko(r"(현관문|현관|방문|문|창문|도어락|손잡이|문고리)(이|가)?[가-힣]{0,4}(열렸|열리는|열렸다|돌아가|돌아갔|덜컥|철컥|띠리릭)"),
             ko(r"혼자|아무도없|자는데|자고있는데|새벽|무서")),
            none_of=(ko(r"바람|고양이|강아지|택배|가족|룸메|엄마|아빠|남편|아내|고장|수리|교체|안열"),)),
    Concept("someone looking in from outside", I, "누군가 베란다 창으로 집 안을 훔쳐보고 있어요",
            (ko(_STRANGER), ko(r"들여다보|훔쳐보|엿보|쳐다보|지켜보|들여다봐|훔쳐봐|엿봐"), ko(r"창|문|현관|베란다|집")),
            none_of=(ko(r"고양이|강아지|새|택배"),)),
    Concept("a stranger waiting at the door", I, "낯선 남자가 현관 앞에서 한참 서성이고 있어요",
            (ko(_STRANGER),
             ko(r"(문앞|현관앞|집앞|창문앞|현관)(에|에서)?[가-힣]{0,6}(서있|서서|서성|기다리|기다려|안가|버티|지키|숨어)")),
            none_of=(ko(r"택배|배달|관리|검침|수리|기사"),)),
    Concept("followed into the lift or the building", I, "엘리베이터에 모르는 사람이 따라 타더니 같은 층에서 내렸어요",
            (ko(r"따라(탄|타|타더니|탔|내린|내렸|들어온|들어왔|올라)"), ko(_STRANGER + r"|남자|사람|놈"),
             ko(r"엘리베이터|층|건물|현관|집|계단|무서")),
            none_of=(ko(r"친구|엄마|아빠|동생|가족|강아지|고양이|아이|애들"),)),
    Concept("strangled", V, "자다가 목을 졸려서 숨이 막혔어",
            (ko(r"목(을|이)?졸(렸|려서|려|랐|라서|리고|린)"),),),
    Concept("someone at home being beaten now", V, "언니가 형부한테 맞고 있어요 지금",
            (ko(r"맞고(있|계)|맞는중|(계속|자꾸|또|막|매일|맨날)때(려|리|린)"),),
            none_of=(ko(r"장난|게임|드라마|웹툰|영화|주사|예방|매를|박자|리듬|답|정답|점수|비를|비맞"),)),
    Concept("threatened with a blade shown", V, "그 사람이 주머니에서 칼을 꺼내 보였어요",
            (ko(r"칼(을|로)?[가-힣]{0,3}(보여주|보여줬|보이며|보였|꺼내|꺼냈|들이밀)"),),
            none_of=(ko(r"요리|과일|주방|부엌|칼국수|칼갈|칼질"),)),
    Concept("an ex at the door, threatening", V, "이혼한 전남편이 집 앞까지 찾아와서 문을 두드려요",
            (ko(_EX_PARTNER), ko(r"집앞|문앞|현관|찾아와|찾아왔|기다리|기다려"),
             ko(r"소리|문열|문을열|두드|안가|협박|욕|때리|죽이|부수|발로")),),
    # -- English -------------------------------------------------------------------------------------
    Concept("English: to kill oneself, end one's life", S, "i'm going to kill myself after work",
            (word(r"\bkill(ing)? myself\b|\bend(ing)? (my|it) (life|all)\b|\bend it all\b|\b(going to|gonna|want to|wanna|decided to|ready to|about to) end it\b(?! with)|\btake my (own )?life\b|\bhang myself\b|\bkms\b"
                  r"|\b(want|wants|wanted|going|gonna|decided|plan|planning|ready|about) to (die\b(?! (of|laughing|for))|end everything\b)|\bwanna (die|end it)\b"
                  r"|\b(i'?m|i am) suicidal\b|\bsuicidal (thoughts|feelings)\b|\bsuicide note\b"
                  r"|\b(don'?t|do not|no longer) want to (live|be alive|exist|wake up)\b|\bno reason to live\b|\bbetter off dead\b"
                  r"|\b(want|wanted|going|plan|planning|decided) to (hurt|cut|kill) myself\b|\bself[- ]harm(ing)?\b"),),),
    Concept("English: a wish to vanish or never wake", S, "i wish i could go to sleep and not wake up",
            (word(r"\bdisappear (forever|for good|from this world)\b|\b(never|not) (to )?wake up\b|\bsleep forever\b|\bvanish forever\b"
                  r"|\b(done|finished) with (life|living)\b|\btired of (living|being alive)\b|\bcan'?t go on (living|anymore)\b"
                  r"|\bbetter off without me\b|\bbetter (off )?if i (was|were) gone\b|\bwon'?t be here tomorrow\b"),),),
    Concept("English: preparation made", S, "i've written letters to say goodbye to my family",
            (word(r"\b(wrote|written|writing|left) (a |my )?(goodbye|farewell|suicide) (letter|note)s?\b|\b(goodbye|farewell) (letter|note)s?\b"
                  r"|\b(letters?|notes?|messages?) (to say )?goodbye\b|\bgave away (my|all my|all of my)\b|\b(saving|stockpiling|collecting|hoarding) (up )?(pills|tablets|meds|sleeping pills)\b"
                  r"|\bbought (a )?rope\b|\btied (a|the) (rope|noose)\b|\bnoose\b|\bput my affairs in order\b"),),),
    Concept("English: about to jump, from a height", S, "i want to jump from my window",
            (word(r"\b(going to|gonna|want to|wanna|about to|ready to) jump\b"),
             word(r"\b(roof|rooftop|bridge|ledge|building|window|balcony|cliff|floor|edge)\b")),),
    Concept("English: on a bridge, a roof or a ledge", S, "i'm up on the roof of my building right now",
            (word(r"\b(i'?m|i am) (standing|sitting|climbing|up|out) on (the|a|my|this) (\w+ )?(bridge|ledge|roof|rooftop|edge|railing|balcony railing)\b"
                  r"|\bjump(ing)? (off|from) (the|a|my|this) (\w+ )?(bridge|roof|rooftop|building|balcony|ledge|cliff)\b"),),),
    Concept("English: an overdose", O, "i swallowed a handful of painkillers",
            (word(r"\boverdos|\b(took|swallowed|taken|ate) (too many|all (of )?(my|the)|a lot of|a (whole )?bottle of|a handful of|\d+|a box of|a pack of)"
                  r" (\w+ )?(pills|tablets|meds|medication|painkillers|capsules)\b|\bdrank (bleach|poison|pesticide|antifreeze)"),),
            none_of=(word(r"vitamin"),)),
    Concept("English: cannot breathe", M, "my son can't breathe properly",
            (word(r"\b(can'?t|cannot|can not|unable to|hard to|struggling to) breathe?\b|\bstopped breathing\b|\bnot breathing\b"
                  r"|\bthroat (is )?(swelling|closing|tight)\b"),),
            none_of=(word(r"laugh|lol|lmao|haha|smog|dust"),)),
    Concept("English: chest pain, stroke, collapse, bleeding, seizure", M, "my grandad's words are slurred and his arm is weak",
            (word(r"\bchest (pains?|feels? (crushed|tight|heavy)|pressure|is (crushing|tight))\b|\bheart attack\b|\b(having|had) a stroke\b"
                  r"|\b(slurred|slurring)\b|\b(face|mouth) (is )?drooping\b|\bone side of (my|his|her) (face|body)\b|\b(arm|left arm) (is |went |feels )?numb\b"
                  r"|\b(fell|fallen) (down )?and (i )?(can'?t|cannot) (get|stand) up\b|\bcollapsed\b|\bunconscious\b|\bpassed out\b"
                  r"|\b(not|isn'?t|is not) responding\b|\bunresponsive\b|\bbleeding (badly|a lot|heavily)\b|\b(won'?t|doesn'?t|will not) stop bleeding\b"
                  r"|\bseizure\b|\bcoughing up blood\b|\bvomiting blood\b"),),),
    Concept("English: fire, smoke or gas", F, "the curtains in my room are on fire",
            (word(r"\b(house|flat|apartment|room|kitchen|building|home|curtains?|stove|bed|car) (is |are )?on fire\b|\bthere'?s a fire\b"
                  r"|\bfire in (my|the)\b|\bsmells? (of )?(gas|smoke|burning)\b|\bgas leak\b|\bsmoke (everywhere|in my|filling|coming|pouring)\b"
                  r"|\bhouse is burning\b|\b(carbon monoxide|co|smoke|fire) (alarm|detector) (is )?(going off|beeping|ringing)\b"),),
            none_of=(word(r"\bif\b|\bwhat should|\bin case\b"),)),
    Concept("English: someone breaking in", I, "someone is forcing my front door",
            (word(r"\b(someone|somebody|a man|people|they|he|a stranger)('?s| is| are)? (trying to )?(break|breaking|broke) in(to)?\b"
                  r"|\bbreak-?in\b|\bintruder\b|\bburglar|\bsomeone('?s| is)? (in|inside) my (house|home|flat|apartment|room)\b"
                  r"|\b(someone|somebody|a man|a stranger|a guy)('?s| is)? (following|stalking) me\b|\b(followed|stalked) me (home|to my)\b"
                  r"|\btrying (to open |to force )?(my|the) (front )?(door|window|lock|door handle)\b|\bforcing (my|the) (front )?(door|window|lock)\b"
                  r"|\b(someone|somebody|a stranger|a man)('?s| is| keeps)? (trying|rattling|banging on|kicking) (my|the) (door|window)"),),),
    Concept("English: being hurt by someone", V, "my brother is beating me again",
            (word(r"\b(hitting|beating|hit|beat|attacked|attacking|punched|punching|kicked|kicking|choking|strangling|strangled|slapped) me\b"
                  r"|\bthreaten(ing|ed)? to kill\b|\b(going|wants?) to kill me\b|\bwon'?t let me (leave|go out|out)\b"),),),
    Concept("English: asking for a lethal dose or height", S, "what's a lethal dose of my heart pills",
            (word(r"\b(lethal|fatal|deadly) (dose|amount|height)\b|\bpainless(ly)? ways? to die\b|\bhow to (kill myself|end my life|commit suicide)\b"
                  r"|\bhow (many|much|high|far)\b.{0,40}\b(to die|to be sure|would kill|is lethal|is fatal|to not wake|won'?t wake)\b"),),),
    Concept("English: the last message, found after", S, "this is my final goodbye, please forgive me",
            (word(r"\b(last|final) (message|text|goodbye|words)\b|\bwhoever finds me\b|\bwhen (you|they|someone) finds? me\b"),
             word(r"\b(sorry|goodbye|bye|forgive|love you|thank you|anyone|everyone|finds? me|letters?|notes?)\b")),
            none_of=(word(r"\b(job|work|office|team|class|group|chat|moving|retire|retiring|semester|school)\b"),)),
    Concept("English: a pet or things given away, not needed after", S, "found a new home for my cat, i won't be around to feed her",
            (word(r"\b(gave|giving|found a (new )?home for|rehomed) (away )?(my|our) (dog|cat|pets?|bird|things|stuff)\b"),
             word(r"\b(won'?t|will not|no longer|not going to) (need|be (around|here)|look after|care)\b|\banymore\b|\bafter i'?m gone\b")),),
    Concept("English: charcoal in a closed room or car", S, "lit charcoal in my room and taped the windows shut",
            (word(r"\bcharcoal\b"), word(r"\b(car|tape|taped|sealed|room|windows?|closed)\b")),
            none_of=(word(r"\b(bbq|barbecue|grill|grilling|camping|steak|sausages?|drawing|sketch)\b"),)),
    Concept("English: pills in quantity, or with alcohol", O, "he swallowed way too many of his sleeping tablets",
            (word(r"\b(took|swallowed|taken|had) (way )?too many\b|\b(the|a) whole (bottle|pack|packet|box|strip)\b"
                  r"|\b(pills|tablets|sleeping pills|meds) (with|and) (vodka|whisky|whiskey|wine|alcohol|soju|beer)\b"),),
            none_of=(word(r"vitamin|candy|sweets|cookies|drinks|beers"),)),
    Concept("English: limb cut off, scald, blood, lost senses", M, "my lips are turning blue and i'm wheezing",
            (word(r"\b(cut|chopped|sliced) off (my|his|her) (finger|thumb|toe|hand)\b|\b(finger|thumb|toe)s? (was |got |is )?(cut|chopped|sliced) off\b"
                  r"|\bblood (is )?(soaking|pouring|gushing|everywhere|spurting)\b|\bworst headache (of my life|ever)\b"
                  r"|\blips? (are |is )?(turning |turned |going )?(blue|purple)\b|\bwheezing\b|\b(won'?t|can'?t|doesn'?t) wake (up|him|her|them)\b"
                  r"|\bsuddenly (can'?t|cannot) (move|feel) (my|his|her|one)\b|\bfoaming at the mouth\b|\bskin (is )?(peeling|coming) off\b"),),),
    Concept("English: something burning where it should not", F, "there's a burning smell from the socket and it's gone black",
            (word(r"\bsomething('?s| is) burning\b|\bburning smell\b|\bflames\b"
                  r"|\b(outlet|socket|plug|wire|wiring|wall|cord)s? (is |are |has |have )?(gone |turned )?(smoking|sparking|melting|black|charred|on fire)\b"),),
            none_of=(word(r"\bif\b|\bwhat should|\bin case\b|\bcandles?\b|\bfireplace\b"),)),
    Concept("English: a stranger at the lock, the door or the window", I, "a stranger keeps rattling my window latch",
            (word(r"\b(someone|somebody|a man|a stranger|a guy|a woman|this (guy|man))\b"),
             word(r"\b(door ?lock|door|lock|window|handle|latch|keypad|code|codes)\b"),
             word(r"\b(keeps?|kept|trying|tried|entering|pressing|rattling|banging|kicking|forcing|opening|watching|peering|staring)\b")),
            none_of=(word(r"\b(delivery|courier|landlord|repair|fix|fixed|plumber|neighbou?r'?s cat)\b"),)),
    Concept("English: followed, still now", I, "this man has been walking behind me since the bus stop",
            (word(r"\b(someone|somebody|a man|a stranger|a guy|a woman|this (guy|man))('?s| is| has been| keeps| kept)? (following|stalking|walking behind) me\b"),),),
    Concept("English: a threat to kill or hurt me, or pushed down", V, "my husband just shoved me against the wall again",
            (word(r"\b(he|she|they)('?ll| will| is going to| is gonna|'s going to|'s gonna) (kill|hurt|beat) me\b|\bthreaten\w* (to )?(kill|hurt|beat) me\b"
                  r"|\b(pushed|shoved|threw|knocked) me (down|over|to the (floor|ground)|against)\b"),),
            none_of=(word(r"\b(game|joke|joking|kidding|lol|haha)\b"),)),
    Concept("English: suicide or self-harm, named", S, "is it normal to think about suicide sometimes",
            (word(r"\bsuicid\w*\b|\bself[- ]harm"),), topic=True),
    Concept("English: violence, abuse or stalking, named", V, "what counts as domestic abuse",
            (word(r"\bdomestic (violence|abuse)\b|\b(partner|spousal|child|elder) abuse\b|\babusive\b|\bstalk(er|ing)\b"),), topic=True),
)

# ---- the message's context ------------------------------------------------------------------------

# Signs that it is happening at this moment; a weapon or a hand at the throat always is.
# A syllable in the past tense (its final consonant ㅆ: 났, 했, 셨), and "it is over now".
_PAST_TENSE = "[" + "".join(chr(0xAC00 + syllable * 28 + 20) for syllable in range(19 * 21)) + "]"
_OVER_NOW = r"괜찮|잠잠|멀쩡|나았|다나|좋아|건강|다고쳤|고쳤|해결"
# "지금은 괜찮아", "he's fine now" and "어떻게 해야 할까요" (a calm question) are not.
_NOW = (ko(r"지금(?!은(" + _OVER_NOW + r"))|방금|당장|현재|살려|도와주세요|도와줘|빨리와|빨리좀|급해|급합니다|제발|어떡해|어떻게해(?!야)|칼|흉기|목을졸|목졸"),
        word(r"\b(right now|(?<!fine )(?<!ok )(?<!okay )(?<!better )(?<!alright )now|help me|please help|hurry|asap)\b"))
_HEARSAY = (morph(r" (?:대|대요|다는데|ᆫ다는데|는다는데|다더라|더라|더라고|더라고요|더라구요|다던데|단다|답니다|다네)/E\w+(?! (?:생각|느낌|마음|충동)/NNG)| 이/VCP (?:래|래요)/E\w+"
                  r"| (?:ᆫ|는)?다는/ETM (?:말|뉴스|소문|기사|얘기|이야기|소식)/NNG| 다고/EC (?:\S+/MAG )?(?:하|말하|그러)/VV (?:\S+ )*?(?:대|대요|더라|는데|ᆫ데)/E",
                  r"대|더라|다는|다던|단다|답니다|다네|래"),
            word(r"\b(says|said|told me|keeps saying|talks about|talked about|heard|according to)\b"))
_STORY = (ko(r"뉴스|기사|영화|드라마|소설|웹툰|만화|게임|예능|연예인|배우|가수|주인공|장면|유튜브|방송|다큐"),
          word(r"\b(news|film|movie|show|series|episode|novel|book|game|character|scene|actor|actress|singer|celebrity|article|documentary)\b"))
# "…ㄴ 적이 있다", what has happened to me before (not "…ㄴ 적 없는데", which is never).
# Also the pluperfect (-었었-: "불렀었어", what happened and is over), "when it happened"
# (-었을 때) and "it is over now" (지금은 괜찮아, he's fine now).
_PAST = (morph(r" ᆫ/ETM 적/NNB (?:이/JKS |도/JX |은/JX |는/JX )?있/V", "적"),
         ko(r"예전에|옛날에|과거에|어릴때|어렸을때|\d+년전|몇년전|몇달전|" + _PAST_TENSE + r"었|" + _PAST_TENSE + r"을때|지금은(" + _OVER_NOW + r")"),
         word(r"\b(used to|years ago|in the past|once tried|when i was|in (19|20)\d\d|(is|'s|am|'m|are|'re) (fine|ok|okay|better|alright|all right) now)\b"))
# Someone else, guessed at ("친구가 … 것 같아요"): told about another person, not danger of my own.
_ABOUT_OTHER_GUESSED = (ko(r"(친구|동생|언니|누나|오빠|형|엄마|아빠|어머니|아버지|아들|딸|이웃|옆집|지인|동료|남편|아내|할머니|할아버지)(가|이|는|도)"),
                        ko(r"것같(은데|아|아요|다|습니다)|거같(은데|아|아요)|는듯|나봐"))
_HELP = (ko(r"상담|도움|도와줄|도와야|도울|돕는|도와드|지원|기관|센터|신청|교육|모임|프로그램|제도|어디서|어디에|전화번호|연락처|알려주|받을수있|법률|쉼터"),
         word(r"\b(help|advice|support|counsel\w*|where can|where do|how do i|how can i|programs?|services?|hotline|number|groups?|shelter|therapy)\b"))


def _any(patterns: Iterable[Pattern], reading: Reading) -> bool:
    return any(p.found_in(reading) for p in patterns)


# ---- the decision ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Assessment:
    """What a message tells of danger: a crisis (danger now), a concern (crisis help asked about,
    or danger told secondhand), or neither; `concepts` names the rows that were found."""

    crisis: Crisis | None = None
    concern: Concern | None = None
    concepts: tuple[str, ...] = field(default=())


@lru_cache(maxsize=4096)
def assess(text: str) -> Assessment:
    """Crisis, concern or neither for one message, with the table rows that decided it."""
    reading = Reading.of(text)
    found = [c for c in CONCEPTS if c.found_in(reading)]
    if not found:
        return Assessment()
    now = _any(_NOW, reading)
    help_asked = _any(_HELP, reading)
    sentences = _sentences(text, reading)

    crisis_kinds: list[CrisisKind] = []
    concern_kinds: list[CrisisKind] = []
    for concept in found:
        story, secondhand = _how_told(concept, reading, sentences)
        if concept.kind in _BODY_AND_HOUSE and not concept.topic:
            # The body and the house: only hearsay about elsewhere is not danger now. A story
            # is not enough ("드라마 보다가 가슴이 조여요"), nor is asking what to do.
            if now or not secondhand:
                crisis_kinds.append(concept.kind)
            continue
        if story and not now:
            continue  # a film, a game, the news: somebody else's, somewhere else
        if concept.topic:
            # Named, not told: "자살 예방 교육", "가정폭력 상담", "스토킹 때문에 무서워요".
            (crisis_kinds if now and not help_asked else concern_kinds).append(concept.kind)
        elif now:
            crisis_kinds.append(concept.kind)
        elif concept.kind is CrisisKind.SUICIDE:
            # A first-person wish or plan stays a crisis even when help is asked for with it.
            (concern_kinds if secondhand else crisis_kinds).append(concept.kind)
        else:
            # Violence and intruders: asking where to get help for it is a concern.
            (concern_kinds if secondhand or help_asked else crisis_kinds).append(concept.kind)

    names = tuple(c.name for c in found)
    if crisis_kinds:
        return Assessment(crisis=crisis_of(_first(crisis_kinds)), concepts=names)
    if concern_kinds:
        return Assessment(concern=concern_of(_first(concern_kinds)), concepts=names)
    return Assessment(concepts=names)


_BODY_AND_HOUSE = (CrisisKind.MEDICAL, CrisisKind.FIRE, CrisisKind.OVERDOSE)
_SENTENCE_BREAK = re.compile(r"[.!?。\n]+")


def _sentences(text: str, reading: Reading) -> list[Reading]:
    pieces = [piece for piece in _SENTENCE_BREAK.split(text) if piece.strip()]
    return [Reading.of(piece) for piece in pieces] if len(pieces) > 1 else [reading]


def _how_told(concept: Concept, reading: Reading, sentences: list[Reading]) -> tuple[bool, bool]:
    """(told as a story, told secondhand) for the sentences that tell `concept`.

    Hearsay, a past experience or a story in one sentence says nothing of the next: in
    "그 사람이 다른 사람을 좋아한대. 살기 싫다." the second sentence is the speaker's own. A
    concept that needs two sentences (a symptom in each) is judged on the whole message.
    """
    telling = [s for s in sentences if concept.found_in(s)] or [reading]
    story = all(_any(_STORY, s) for s in telling)
    # A guess about another's body or house ("엄마가 쓰러진 것 같아요") is still danger now.
    guessed = concept.kind not in _BODY_AND_HOUSE and all(p.found_in(reading) for p in _ABOUT_OTHER_GUESSED)
    secondhand = guessed or all(_any(_HEARSAY, s) or _any(_PAST, s) for s in telling)
    return story, secondhand


def _first(kinds: list[CrisisKind]) -> CrisisKind:
    return min(kinds, key=_KIND_ORDER.index)


def detect_crisis(text: str) -> Crisis | None:
    """The kind of danger now the message speaks of, with the numbers to call, or None."""
    return assess(text).crisis


def detect_concern(text: str) -> Concern | None:
    """For a message about crisis help that is not danger now (a friend at risk, where to get
    advice on domestic violence): the numbers to show beside the matching programs, or None.
    Never set together with a crisis."""
    return assess(text).concern


def crisis_of(kind: CrisisKind) -> Crisis:
    return Crisis(kind=kind, hotlines=tuple(HOTLINES[number] for number in HOTLINES_BY_KIND[kind]))


def concern_of(kind: CrisisKind) -> Concern:
    return Concern(kind=kind, hotlines=tuple(HOTLINES[number] for number in CONCERN_HOTLINES_BY_KIND[kind]))
