"""Crisis detection: danger now gets the right emergency numbers, never a program list.

Patterns run on the whole message in two spellings: Korean with all spaces removed (so
"죽고 싶어", "죽고싶어" and "죽 고 싶 어" meet) and English lower-cased with single spaces.
They are regular expressions, not the morphological matcher, because they must be exact,
fast on any input, and readable by the people who check them: a missed crisis is the worst
error this product can make, a false alarm the second worst.

Colloquial exaggeration is deliberately not matched: "배고파 죽겠어", "힘들어 죽을 것 같아",
"가슴이 아파" (heartache) and "일 끝내고 싶어" are everyday speech.
"""

from __future__ import annotations

import re

from catalog.results import Crisis, CrisisKind, Hotline
from catalog.schema import Text
from catalog.text import clean, compact

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

# Order matters: an overdose is also suicidal, and the ambulance comes first for it.
_KOREAN = [
    (CrisisKind.OVERDOSE, [
        r"(약|알약|수면제|수면유도제|진통제|농약)(을|를)?[가-힣]{0,6}?"
        r"(한꺼번에|많이|잔뜩|한통|왕창|한움큼|몽땅|전부)[가-힣]{0,4}?(먹었|삼켰|삼키|털어)",
        r"(약|알약|수면제|수면유도제|진통제)(을|를)?[가-힣]{0,4}?털어(넣|먹)",
        r"(수면제|농약)(을|를)?(먹었|마셨|삼켰)",
        r"과다복용",
        r"번개탄(을|를)?(피웠|피우고|피우려)",
    ]),
    (CrisisKind.SUICIDE, [
        r"죽고싶(?!지(는|도)?않)",
        r"죽어버리고싶",
        r"극단(적)?(인)?선택",
        r"목숨(을)?끊",
        r"목(을)?매달",
        r"뛰어내리(고싶|려고|면|겠)|뛰어내릴(까|래)",
        r"살기(가)?싫",
        r"살고싶지(가)?않",
        r"그만살고싶",
        r"더(는|이상)못살겠",
        r"(살아갈|살아야할)이유(가)?(없|모르)",
        r"사는이유(를)?모르",
        r"사는(게|것이|것)?의미(가)?없",
        r"(^|그냥|이제|정말|진짜|차라리|모두|전부)(다)?끝내(고싶|버리고싶)",
        r"(삶|인생|모든걸|모든것을|목숨)(을|를)?끝내",
        r"(사라지|없어지)고싶",
        r"세상(을)?떠나고싶",
        r"영원히잠들고싶",
        r"유서(를)?(썼|쓰고|써놓)",
    ]),
    (CrisisKind.MEDICAL, [
        r"숨(을|이)?(못쉬|안쉬어|쉴수(가)?없|쉬기(가)?(너무)?(힘들|어렵|곤란))",
        r"숨쉬기(가)?(너무)?(힘들|어렵)",
        r"(흉통|가슴통증|심장마비|뇌졸중|뇌출혈|심정지)",
        r"가슴(이|을)?(너무)?(조여|쥐어짜)",
        r"쓰러졌",
        r"의식(이|을)?(없|잃)",
        r"정신(을)?잃",
        r"(넘어져|넘어졌는데|쓰러져|미끄러져|낙상|떨어져)(서)?(혼자|도저히)?(못|안)일어나",
        r"(넘어져|넘어졌는데|쓰러져|미끄러져|낙상)(서)?(혼자)?일어날수(가)?없",
        r"피(가)?(너무)?(많이|철철)(나|흘)",
        r"피(가)?(안|멈추지)(멈|않)",
        r"몸(이|한쪽이)?(마비|안움직)",
        r"경련(을|이)?(해|일으|나)",
    ]),
    (CrisisKind.FIRE, [
        r"(?<![열천화])불(이)?(났|나서|났어|붙었|번지)",
        r"화재(가)?(났|발생)",
        r"(타는|가스)냄새(가)?(나|심)",
        r"가스(가)?새",
        r"연기(가)?(가득|자욱|차올|새어)",
        r"집(에|안에)연기",
    ]),
    (CrisisKind.INTRUDER, [
        r"(누가|누군가|낯선사람|모르는사람|모르는남자|이상한사람)(이|가)?"
        r"(우리집|집|문|현관|현관문|창문|도어락|방)*(을|를|에|으로)?"
        r"(억지로|강제로|자꾸|계속)?(열려|따려|부수|들어오려|들어왔|침입|두드리|두들기|비밀번호)",
        r"침입",
        r"도둑(이)?(들|들었|들어)",
        r"강도(가)?(들|침입|왔)|강도야",
        r"(스토커|스토킹)",
        r"(누가|누군가|모르는사람|낯선사람)(이|가)?(계속|자꾸)?(따라와|따라오|쫓아와|쫓아오|미행)",
        r"집(에|안에)누가(있|숨어)",
    ]),
    (CrisisKind.VIOLENCE, [
        r"(남편|아내|애인|남친|여친|남자친구|여자친구|아들|딸|가족|누가|누군가|아버지|아빠|엄마|집주인)"
        r"(이|가|한테|에게)?(자꾸|계속|또|매일)?(때려(?![치쳐칠])|때린|때리|폭행|목을졸)",
        r"폭행(을)?당|가정폭력|폭력(을)?당",
        r"죽이(겠다고|겠대|려고|려해)",
        r"칼(을|로)?(들고|휘두르|위협)",
        r"협박(을)?당",
    ]),
]

_ENGLISH = [
    (CrisisKind.OVERDOSE, [
        r"\boverdos", r"\btook (too many|all (my|the)|a lot of|a bottle of) (pills|tablets|meds|sleeping pills)",
        r"\bswallowed (pills|tablets|all)",
    ]),
    (CrisisKind.SUICIDE, [
        r"\bkill(ing)? myself\b", r"\bsuicid", r"\bend (my|it) (life|all)\b", r"\bend it all\b",
        r"\bwant(ed)? to die\b", r"\bwanna die\b", r"\b(don'?t|do not|no longer) want to (live|be alive)\b",
        r"\bno reason to live\b", r"\bbetter off dead\b", r"\btake my (own )?life\b",
        r"\b(want to|going to|been) (hurt|hurting|cut|cutting) myself\b", r"\bself[- ]harm",
    ]),
    (CrisisKind.MEDICAL, [
        r"\b(can'?t|cannot|can not|unable to|hard to|struggling to) breathe?\b", r"\bchest pains?\b",
        r"\bheart attack\b", r"\b(having|had) a stroke\b",
        r"\b(fell|fallen) (down )?and (i )?(can'?t|cannot) (get|stand) up\b",
        r"\bcollapsed\b", r"\bunconscious\b", r"\bpassed out\b", r"\bbleeding (badly|a lot|heavily)\b",
        r"\bseizure\b",
    ]),
    (CrisisKind.FIRE, [
        r"\b(house|flat|apartment|room|kitchen|building|home) (is )?on fire\b", r"\bthere'?s a fire\b",
        r"\bfire in (my|the)\b", r"\bsmells? (of )?(gas|smoke)\b",
        r"\bgas leak\b", r"\bsmoke (everywhere|in my|filling)\b", r"\bhouse is burning\b",
    ]),
    (CrisisKind.INTRUDER, [
        r"\b(someone|somebody|a man|people|they|he)('?s| is| are)? (trying to )?(break|breaking|broke) in(to)?\b",
        r"\bbreak-?in\b", r"\bintruder\b", r"\bburglar",
        r"\bsomeone('?s| is)? (in|inside) my (house|home|flat|apartment|room)\b",
        r"\b(someone|somebody|a man|a stranger) (is )?(following|stalking) me\b", r"\bstalk(er|ing)\b",
        r"\btrying to (open|force) my door\b",
    ]),
    (CrisisKind.VIOLENCE, [
        r"\b(hitting|beating|hit|beat|attacked|attacking) me\b", r"\bthreaten(ing|ed)? to kill\b",
        r"\b(going|wants?) to kill me\b", r"\bdomestic violence\b",
    ]),
]

# Short words that other words end in once spaces are gone ("혼자 살고" → "혼자살고" holds 자살,
# "투자해" holds 자해): these are matched only at the start of a written word.
_KOREAN_WORD_START = [
    (CrisisKind.SUICIDE, [r"(?<![가-힣])자살(?!골)", r"(?<![가-힣])자해"]),
]

_KOREAN_COMPILED = [(kind, re.compile("|".join(f"(?:{p})" for p in patterns))) for kind, patterns in _KOREAN]
_WORD_START_COMPILED = [
    (kind, re.compile("|".join(f"(?:{p})" for p in patterns))) for kind, patterns in _KOREAN_WORD_START
]
_ENGLISH_COMPILED = [(kind, re.compile("|".join(f"(?:{p})" for p in patterns))) for kind, patterns in _ENGLISH]


def detect_crisis(text: str) -> Crisis | None:
    """The kind of danger the message speaks of, with the numbers to call, or None."""
    cleaned = clean(text)
    korean = compact(cleaned)
    for kind, pattern in _KOREAN_COMPILED:
        if pattern.search(korean):
            return crisis_of(kind)
    for kind, pattern in _WORD_START_COMPILED + _ENGLISH_COMPILED:
        if pattern.search(cleaned):
            return crisis_of(kind)
    return None


def crisis_of(kind: CrisisKind) -> Crisis:
    return Crisis(kind=kind, hotlines=tuple(HOTLINES[number] for number in HOTLINES_BY_KIND[kind]))
