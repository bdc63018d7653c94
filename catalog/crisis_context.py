"""The context of a crisis message: whether danger is told as now, as a story, as hearsay,
as the past, about someone else, or as a question about help.

These decide between a crisis and a concern (see `catalog.crisis.assess`) for the concept table
and the weighted cues alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from catalog.crisis_reading import Reading, any_found, ko, morph, word
from catalog.results import CrisisKind
from catalog.text import FIRST_PERSON_SUBJECT, syllables_with_final

# Signs that it is happening at this moment; a weapon or a hand at the throat always is.
# A syllable in the past tense (its final consonant ㅆ: 났, 했, 셨), and "it is over now".
_PAST_TENSE = syllables_with_final("ㅆ")
_OVER_NOW = r"괜찮|잠잠|조용|멀쩡|나았|다나|좋아|건강|다고쳤|고쳤|해결|안전"
# "지금 당장은 아니고", "지금 뭔 일은 없어요", "지금 당장 뭘 하겠다는 건 아니고": now named to
# say that nothing happens now.
# "지금은 언니 괜찮아요": a short subject may come between (not 안 or 못: "지금은 안 괜찮아").
_NOTHING_NOW = (r"(당장)?(은|는)?(" + _OVER_NOW + r"|아니|(뭔|먼|무슨|별|아무)?일(은|이|도)?(없|업)|[가-힣]{0,12}?(건|것은|거는|분은)(아니|아닌|아님)"
                r"|[가-힣]{0,6}?(위험|급)[가-힣]{0,6}?(않|아니|없))"
                r"|(은|는)(?!안|못)[가-힣]{1,4}?(이|가|도|는|은)?(" + _OVER_NOW + r")")
# "nothing is happening right now", "not right now": the same in English.
_NOTHING_BEFORE_NOW = "".join(f"(?<!{before} )(?<!{before} right )" for before in (
    "not", "nothing", "nothing is happening", "nothing's happening", "nothing happening", "isn't happening", "not happening"))
# "지금은 괜찮아", "he's fine now" and "어떻게 해야 할까요" (a calm question) are not; nor is
# "어떻게 해요" after a thing or a condition ("환기 어떻게 해요", "쓰러지면 어떻게 해요": how
# to do something), only after what happened ("불났어 어떻게 해").
_NOW_ENGLISH = _NOTHING_BEFORE_NOW + r"(?<!fine )(?<!ok )(?<!okay )(?<!better )(?<!alright )(?<!sorted )(?<!fixed )(?<!resolved )(?<!settled )now(?!,? (i'?m|i am|he'?s|she'?s|it'?s|we'?re|they'?re) (doing )?(fine|ok|okay|better|good|alright|all right|safe)\b)"
NOW = (ko(r"지금(?!" + _NOTHING_NOW + r")|방금|(?<!지금)당장(?!" + _NOTHING_NOW + r")|현재|살려|(?<!어떻게)(?<!어떻게든)(?<!어떻게좀)(?<!어떻게잘)도와(주세요|줘(?![야서도]))|빨리와|빨리좀|급해|급합니다|제발|어떡해|칼|흉기|목을졸|목졸|목(을)?조르"),
        morph(r"(?<!/NNG)(?<!/NNP)(?<!/NNB)(?<!/JKO)(?<!/JX)(?<!/JKB)(?<!면/EC) (?:어떻/VA 게/EC|어떻게/MAG) 하/VV (?:어|어요)/E\w+", "어떻게해"),
        # a call or a word just now, and tonight ("she has just called me", "this evening")
        word(r"\b(" + _NOTHING_BEFORE_NOW + r"right now|" + _NOW_ENGLISH + r"|help me|please help|hurry|asap"
             r"|just (called|told|texted|rang|phoned|messaged)|this evening|tonight)\b"))
_DEVICES = ("it", "meter", "screen", "monitor", "reading", "test", "app", "alarm", "display", "sign", "label", "watch", "phone", "machine", "thermometer", "scale")
_NOT_AFTER_A_DEVICE = "".join(f"(?<!{device} )(?<!{device} just )(?<!{device} now )" for device in _DEVICES)
HEARSAY = (morph(r" (?:대|대요|다는데|ᆫ다는데|는다는데|다더라|다던데|단다|답니다|다네)/E\w+(?! (?:생각|느낌|마음|충동)/NNG)| 이/VCP (?:래|래요)/E\w+"
                  r"| (?:ᆫ|는)?다는/ETM (?:말|말씀|뉴스|소문|기사|얘기|이야기|소식)/NNG| 다고/EC (?:\S+/MAG )?(?:하|말하|그러)/VV (?:\S+ )*?(?:대|대요|더라|는데|ᆫ데)/E",
                  r"대|다더라|다는|다던|단다|답니다|다네|래"),
            # Messenger shorthand of "…다고 함" (so it is said): "다 꺼졌다 함".
            ko(r"(?<=[가-힣])[다라]고?함(?![가-힣])"),
            # Not when the one who says it threatens me: "says he'll hurt me" is my own danger.
            # Not a device that reads something out ("the meter says LOW"), nor a sound heard.
            word(r"(?<!\bi )(?<!\bi've )(?<!already )" + _NOT_AFTER_A_DEVICE + r"\b(says|said|told me|keeps saying|talks about|talked about|heard|according to)\b(?! (my|our) (goodbyes?|farewells?))"
                 r"(?:(?<!heard)|(?! (a |the |some |loud )?(glass|noises?|footsteps|sounds?|bangs?|banging|crash\w*|scream\w*|voices|knocking|smash\w*|something|thuds?|the (door|window|lock|alarm))))"
                 r"(?! (that )?(he|she|they)('?ll| will| would| is going to|'s going to|'s gonna| is gonna| gonna)\b.{0,30}\b(me|us)\b)"))
STORY = (ko(r"뉴스|(?<!택배|배달|수리|가스|기술|버스|택시|운전|설치|점검|보일|전기)기사(?!님)|영화|드라마|소설|웹툰|만화|게임|예능|연예인|배우|가수|주인공|장면|유튜브|방송|다큐"),
          word(r"\b(news|film|movie|show|series|episode|novel|book|game|character|scene|actor|actress|singer|celebrity|article|documentary)\b"))
# "…ㄴ 적이 있다", what has happened to me before (not "…ㄴ 적 없는데", which is never).
# Also the pluperfect (-었었-: "불렀었어", what happened and is over), "when it happened"
# (-었을 때) and "it is over now" (지금은 괜찮아, he's fine now).
PAST = (morph(r" ᆫ/ETM 적/NNB (?:이/JKS |도/JX |은/JX |는/JX )?있/V", "적"),
         ko(r"예전에|옛날에|과거에|어릴때|어렸을때|\d+년전|몇년전|몇달전|작년|재작년|지난해|지난(봄|여름|가을|겨울)|(지난|저번)(주|달|번|주말)(?!부터|내내|째)|저번에|엊그제|그저께|며칠전(?!부터)|(일주일|한달|한주|\d+(일|주|주일|달|개월))전(?!부터)|" + _PAST_TENSE + r"었|" + _PAST_TENSE + r"을때|지금은(" + _OVER_NOW + r")"
            # Mended since: "배관 다 고쳐 줬어요" tells a danger that is over.
            r"|고쳐줬|고쳐주셨|다고쳤|수리했|수리해줬|수리받았|교체했|교체해줬"),
         word(r"\b(used to|years ago|in the past|once tried|when i was|in (19|20)\d\d|(is|'s|am|'m|are|'re) (fine|ok|okay|better|alright|all right) now"
              r"|last (week|month|year|spring|summer|autumn|fall|winter)|(a few|\d+|two|three|some) (days|weeks|months|years) ago"
              r"|(all |it'?s |it is |everything'?s |everything is )(sorted|fixed|resolved|settled)( now)?)\b"))
# -더라 retells what I saw myself ("옥상 문이 열려 있더라"): hearsay only when it is about
# someone else ("동생이 죽고 싶다고 울더라"), see `hearsay`.
_RETOLD = morph(r" (?:더라|더라고|더라고요|더라구요|더라구)/E\w+(?! (?:생각|느낌|마음|충동)/NNG)", r"더라")
# Someone else, guessed at ("친구가 … 것 같아요"): told about another person, not danger of my own.
SOMEONE_ELSE = ko(r"(친구|동생|언니|누나|오빠|형|엄마|아빠|어머니|아버지|아들|딸|이웃|옆집|지인|동료|남편|아내|할머니|할아버지"
                   r"|후배|선배|애인|남친|여친|남자친구|여자친구|그사람|그분|걔|쟤|그애|룸메|조카|손자|손녀|사촌|제자|직원|팀원|학생"
                   # how older people and neighbours name one another
                   r"|양반|어르신|할매|할배|아저씨|아줌마|아주머니|아재|아지매|아짐|이모|고모|삼촌|집주인|주인집|영감|할멈"
                   r"|어머님|아버님|할머님|할아버님)"
                   # with a word of fondness or scorn between: "친구놈이", "영감님이", "동생녀석이"
                   r"(놈|녀석|님)?(가|이|는|도|께서)"
                   # the honorific subject, which no one uses of themselves: "집사님께서", "그 분께서"
                   r"|(?<=[가-힣])께서")
ABOUT_OTHER_GUESSED = (SOMEONE_ELSE, ko(r"것같(은데|아|아요|다|습니다)|거같(은데|아|아요)|는듯|나봐"))
# A guess of what someone is about to do ("뛰어내릴 것 같아요", the future ᆯ before 것 같다) is
# danger now, unlike a guess of how they are ("죽고 싶어하는 것 같아요", 는/ᆫ before it).
_ACT_ABOUT_TO_HAPPEN = morph(r" ᆯ/ETM (?:것|거)/NNB (?:\S+/J\w+ )?같/VA", r"것같|거같")
# The same in English: "my friend seems …", "how do I know if my brother's self-harm is serious";
# "I think she's going to jump" guesses an act.
_SOMEONE_ELSE_ENGLISH = word(r"\bmy (\w+ )?(friend|friends|mum|mom|mother|dad|father|son|daughter|sister|brother|neighbou?r|husband|wife"
                             r"|partner|boyfriend|girlfriend|roommate|flatmate|colleague|coworker|grandma|grandpa|uncle|aunt|cousin|student|client)('?s)?\b")
_GUESSED_ENGLISH = word(r"\b(i think|i guess|i feel like|seems?|seemed|might be|may be|not sure (if|whether)|how (do|can|would) i (know|tell)"
                        r"|is it serious|serious enough|worried (that|about|if))\b")
_ACT_ABOUT_TO_HAPPEN_ENGLISH = word(r"\b(will|'ll|going to|gonna|about to)\b")
# The speaker's own wish or plan in the same message keeps it the speaker's danger.
_SPEAKER_OWN_ENGLISH = word(r"\b(myself|i (want|wanna|need|plan|have to|just want)|i'?m (going|gonna|about|ready|planning|done))\b")

# SOMEONE_ELSE in the spaced text, to find where it is first named ("친구 가" as well as "친구가").
_SOMEONE_ELSE_SPACED = re.compile(SOMEONE_ELSE.regex.pattern.replace(")?(가|이|는|도|께서)", r")?\s?(가|이|는|도|께서)"))
assert _SOMEONE_ELSE_SPACED.pattern != SOMEONE_ELSE.regex.pattern, "SOMEONE_ELSE no longer ends in its particles"


def before_someone_else(reading: Reading) -> Reading | None:
    """What the message says before it first names someone else ("죽고 싶어 친구가 …": 죽고
    싶어), or None when it names no one else: danger told there is the speaker's own."""
    named = _SOMEONE_ELSE_SPACED.search(reading.text) or _SOMEONE_ELSE_ENGLISH.regex.search(reading.text)
    return Reading.of(reading.text[: named.start()]) if named else None


def guessed_about_other(reading: Reading) -> bool:
    """Someone else's state guessed at ("친구가 요즘 힘든 것 같아요", "my friend seems low"): a
    worry, not danger now, unless what is guessed is an act about to happen."""
    if all(p.found_in(reading) for p in ABOUT_OTHER_GUESSED):
        return not _ACT_ABOUT_TO_HAPPEN.found_in(reading)
    return (_SOMEONE_ELSE_ENGLISH.found_in(reading) and _GUESSED_ENGLISH.found_in(reading)
            and not _ACT_ABOUT_TO_HAPPEN_ENGLISH.found_in(reading) and not _SPEAKER_OWN_ENGLISH.found_in(reading))


# Reported speech ("친구가 죽고 싶다고 하는데", "동생이 사라지고 싶다며"): somebody else's words,
# when somebody else is the subject and the speaker is not ("내가 죽고 싶다고 했잖아" is mine).
# "…다는 소리를 입에 달고 산다" (says things like that) reports too; of a thing, 소리 is a sound.
_REPORTED = morph(r" 다고/EC (?:\S+/MAG )?(?:하|말하|그러|얘기하|이야기하)/VV| (?:다며|다면서|다길래)/EC| 다는/ETM 소리/NNG",
                  r"다고|다며|다면서|다길래|다는소리")
_SPEAKER_AS_SUBJECT = re.compile(FIRST_PERSON_SUBJECT)
# Spoken, the quoting 고 drops: "죽고 싶다 그래쌓는디", "죽겠다 카더라", "살기 싫다 하드라".
# Not a connective that starts the speaker's next sentence ("죽고 싶다 그래서 술 마셨어"), nor
# the Gyeongsang "카이", which insists on what the speaker says.
# Nor "… 다 해도" (even if I say so) or "… 다 하면" (if I say so): only 하다 that reports
# (하네, 하오, 한대, 했어, 합디다).
_SPOKEN_QUOTING = (r"그래(?!서|도|야|가지고|갖고)|그러(?=는|던|더|드|대|네|시|셔)|그랬(?!더니|는데|지만)"
                   r"|캐|카(?!이)|켔|쿠|허드|허더|하드|하더|해쌓|혀"
                   r"|하(?=네|오|는데|니|던|시|셔|대|잖|길래)|한(?=다|대|데)|해요|했(?=어|대|다|는데|잖|습)|합(?=니다|디다)")
_REPORTED_SPOKEN = ko(r"[싶잡겠겄싫]다(?:" + _SPOKEN_QUOTING + ")")
# Where the reported words end, in either form: what comes before is someone else's.
_REPORTING_ENDING = re.compile(r"다고|다며|다면서|다길래|다는 ?소리|(?<=[싶잡겠겄싫])다 ?(?=" + _SPOKEN_QUOTING + ")")
# What was over comes back: "작년에 한 번 시도했는데 또 죽고 싶어" is told now, not in the past;
# a fear or a memory that stays ("아직도 물이 무서워") is not the danger back.
# ("요즘은 많이 좋아졌어요" is the past being over, not coming back.)
# "지금은" set against that past ("예전에 맞았대요 지금은 친정에 와 있어요") tells how things are
# now that it is over, not that it is back.
AGAIN_NOW = (ko(r"(?<![가-힣])또|다시|(요즘|요새)(?![가-힣]{0,10}(좋아졌|괜찮아졌|나아졌|나았|괜찮아요|괜찮아|편해졌))|오늘|지금(?!은|는|" + _NOTHING_NOW + r")|이번엔|아직(도)?(?![가-힣]{0,8}(무서|무섭|겁나|겁이|두려|트라우마|생각나|기억나|꿈에))|방금"),
              word(r"\b(again|" + _NOW_ENGLISH + r"|tonight|today|still)\b"))
# "for fear that", "what if": a door or a stranger feared, not at the door now.
FEARED = (ko(r"까(봐|바|봐서|봐요|무서|걱정|겁)|(으면|면)(어떡|어쩌|어떻게하)"),
           word(r"\b(what if|in case|afraid (that|of)|worried (that|about)|scared that)\b"))
FEARED_KINDS = (CrisisKind.INTRUDER, CrisisKind.VIOLENCE)
HELP = (ko(r"상담|조언|자문|도움|도와줄|도와야|도울|돕는|도와드|지원(?!사)|기관|센터|신청|교육|모임|프로그램|제도|어디서|어디에|전화번호|연락처|알려주|받을수있|법률|쉼터"
            # Whether or how to report it is a question about help, not a cry for it.
            r"|신고(해도|하면|할까|해야|하려면|하는법|방법|는어떻게|가능)"),
         # Not a cry heard through the wall ("screaming for help"): that is danger now.
         word(r"\b(?<!screaming for )(?<!crying for )(?<!yelling for )(?<!shouting for )(?<!begging for )(?<!calling for )(?<!screams for )(?<!cries for )help\b"
              r"|\b(advice|support|counsel\w*|where can|where do|how do i|how can i|programs?|services?|hotline|number|groups?|shelter|therapy)\b"
              # asking how to be safer ("anything to make her place safer"), not crying for help now
              r"|\b(safer|more secure)\b"))


# A fright that came to nothing, or a fire or a stranger already dealt with, told in the same
# message: "별일 아님", "환기 중", "창문 열어놨어요", "it turned out", "false alarm"; and a fright
# told with what it turned out to be ("놀랐는데 … 였어요"). The danger is over, not now.
_FRIGHT = ko(r"놀랐|놀랫|놀래|식겁|쫄았|깜짝|간떨어질|심장떨어질|겁먹었")
_EXPLAINED = ko(r"(였|이었|엿)(어|다|네|더라|대|음|습니|고|는데)|(거|것)(라네|래|였|엿|이었|더라|이더라)")
DEALT_WITH = (ko(r"별일(은|이|도)?(아니|없)|별거아니|별것아니|아무일(도|은)?없|아무것도아니|괜히(놀|쫄|겁|호들갑|난리)"
                 r"|다행(이|임|입니|이에|이네|이야|이다|히아무)|환기(중|했|시켰|시킴|하고|시키)|창문(을)?(다|활짝)?열어(놨|놓|놧|불|둠|뒀)"
                 r"|끝났|해결됐|해결했|(불|불길)(을|은)?(다)?껐|잠겨있(더라|었)"),
              word(r"\b(false alarm|turned out|it was (just|only)|nothing (serious|happened|wrong)|all (good|fine|ok|okay|sorted) now|phew|no harm done)\b"))
DEALT_WITH_KINDS = (CrisisKind.FIRE, CrisisKind.INTRUDER)
# What goes on despite it: "창문 열어놨는데도 냄새가 계속 나요" is a leak now.
_GOING_ON = (ko(r"계속|여전|안빠|는데도|었는데도|그래도|자꾸"), word(r"\b(still|keeps?|keep (on|going)|won'?t stop|again)\b"))


def dealt_with(reading: Reading) -> bool:
    """A fire or a stranger told as over: a fright that came to nothing, or dealt with (see
    `DEALT_WITH`), and nothing brings it back ("또", "아직", "지금") or goes on ("계속").
    Only for these kinds: a wish to die told as "끝났다" is not over at all."""
    over = any_found(DEALT_WITH, reading) or (_FRIGHT.found_in(reading) and _EXPLAINED.found_in(reading))
    return over and not any_found(AGAIN_NOW, reading) and not any_found(_GOING_ON, reading)


# Where one clause of a sentence ends and the next begins: after a verb in the past tense
# ("헤어졌는데 | 죽고 싶어", "돌아가셨어 | 나도 따라 …"), and in English at a comma or a
# conjunction ("my wife left me last week | and i want to die").
_CLAUSE_BREAK = re.compile(r"(?<=" + _PAST_TENSE + r")(?:는데|는디|지만|어서|고|어|다|음|어요|네|죠|지)\s+"
                           r"|\s*[,;]\s*|\s+(?=(?:and|but|so|now)\b)")


def clauses(sentence: Reading) -> list[Reading]:
    """The sentence's clauses (see _CLAUSE_BREAK), or the sentence itself when it has one."""
    pieces = [piece for piece in _CLAUSE_BREAK.split(sentence.text) if piece.strip()]
    return [Reading.of(piece) for piece in pieces] if len(pieces) > 1 else [sentence]


def told_as_past(sentence: Reading, tells: Callable[[Reading], bool]) -> bool:
    """Whether what `tells` finds is told as over in `sentence`: the clauses that tell it are in
    the past and nothing brings it back. A time in the past that belongs to another clause
    ("지난주에 헤어졌는데 죽고 싶어", "last week she left and i want to die") tells the cause,
    not the danger, which is now."""
    if not any_found(PAST, sentence) or any_found(AGAIN_NOW, sentence):
        return False
    telling = [clause for clause in clauses(sentence) if tells(clause)] or [sentence]
    return all(any_found(PAST, clause) for clause in telling)


_NOW_SET_AGAINST_PAST = re.compile(r"지금\s?(?:은|는)")


def told_now(reading: Reading) -> bool:
    """Something happens at this moment (`NOW`). Not "지금은 …" in a message that tells a time
    gone by ("작년 겨울에 가스가 샜어요 지금은 다 고쳤고", "예전에 맞았대요 지금은 친정에 와 있음"):
    set against the past, it tells how things are now that it is over."""
    if not any_found(NOW, reading):
        return False
    if not _NOW_SET_AGAINST_PAST.search(reading.text) or not any_found(PAST, reading):
        return True
    return any_found(NOW, Reading.of(_NOW_SET_AGAINST_PAST.sub(" ", reading.text)))


# An English supposition, up to where its clause ends: "visits if she is not responding", "in
# case there is a fire". Not "I don't know if …", which asks whether it is so now.
_SUPPOSED = re.compile(r"(?<!know )(?<!sure )(?<!tell )(?<!check )(?<!wonder )(?<!see )\b(?:if|in case|whenever|what if)\b[^.,;!?]*")


def only_supposed(sentence: Reading, tells: Callable[[Reading], bool]) -> bool:
    """What `tells` finds is in an English supposition only, so it is not happening now."""
    if not _SUPPOSED.search(sentence.text):
        return False
    return not tells(Reading.of(_SUPPOSED.sub(" ", sentence.text)))


def hearsay(sentence: Reading) -> bool:
    """Told as heard from others, or as seen happen to someone else."""
    return any_found(HEARSAY, sentence) or (_RETOLD.found_in(sentence) and SOMEONE_ELSE.found_in(sentence))


# Words in quotation marks (`_QUOTATION`), then said (`_QUOTED`): "'살아서 뭐 하나' 하는 말씀",
# "'다 끝났다'라고 하세요".
_QUOTATION = re.compile(r"['\"‘“][^'\"’”]{2,80}['\"’”]")
_QUOTED = re.compile(_QUOTATION.pattern + r" ?(?:하는|라는|하고|라고|하며|하면서|하시|하셔|하십|라며|라시|라면서|이라고"
                     # "'다 귀찮다' 소리만 하셔": words of that kind, said often
                     r"|(?:하는 |라는 )?(?:소리|말)(?:을|를|만|도)? ?(?:\S+ )?(?:하|해|했))")


def reported(sentence: Reading) -> bool:
    """Someone else's words: the speaker is not the subject of what is reported, which comes
    before its ending ("후배가 죽고 싶다며 우는데 제가 뭘 해 줄 수 있을까요" is the junior's)."""
    quoted = _QUOTED.search(sentence.text)
    if not ((_REPORTED.found_in(sentence) or _REPORTED_SPOKEN.found_in(sentence) or quoted) and SOMEONE_ELSE.found_in(sentence)):
        return False
    ending = _REPORTING_ENDING.search(sentence.text) or quoted
    told = sentence.text[: ending.start()] if ending else sentence.text
    # The words quoted are the other's, whoever they name: "'나는 왜 사나' 소리만 하셔".
    return _SPEAKER_AS_SUBJECT.search(_QUOTATION.sub(" ", told)) is None
