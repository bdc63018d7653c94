"""The second tier of crisis detection: a weighted sum of cues, for when no concept matched.

The concept table (`catalog.crisis_concepts.CONCEPTS`) is exact: each row is a conjunction that names
one way of telling of danger. Rows written from missed messages fit the messages they came
from and carry little to new wording; suicide told in euphemism ("이제 편히 쉬러 갈게요, 다들
잘 지내") is where unseen messages are missed. This tier does not look for a sentence but
counts the signs that such messages share, each a small class of words, and adds them up:

| cue class | weight | why |
|---|---|---|
| dying, willed | 4.0 | 죽다, 뒤지다, 뛰어내리다 with an ending of wish, intent or resolve (`GRAMMAR`) |
| living refused | 3.0 | 살기 싫다, 살고 싶지 않다, 깨어나고 싶지 않다, tired of living |
| others better off without me | 3.0 | my going named as a relief to the others |
| a note, a will or my funeral | 3.5 | 유서, 유언, 신변정리, 내 장례, goodbye letters |
| gone by then, not coming back | 3.0 | 나 (그때쯤이면) 없을 거야, 안 돌아올 거야, 다시는 못 뵐 거예요, won't be here |
| suicide or a way to die, named | 2.5 | 자살, ㅈㅅ, 극단적 선택, 목을 매다, 뛰어내리다, kms |
| death the better way | 2.5 | 죽는 게 낫다, 죽음이 답 |
| ending or leaving, willed | 2.0 | 끝내다, 떠나다, 사라지다, 내려놓다 (or 먼저 가다, 영원히 쉬다) willed |
| preparation | 2.0 | given away, put in order, a letter left |
| means or place | 2.0 | pills by name, rope, charcoal, a blade; a roof, a railing, the river, the tracks |
| asking how much or how high | 2.0 | a dose or a height that would be sure |
| a plan or a resolve | 2.0 | a day, a place or a way chosen; 말려도 소용없어, nobody can talk me out of it |
| going before my parents | 2.0 | 먼저 갑니다 / 떠납니다 to a mother or father, with an apology; 불효 |
| keys and codes left for others | 1.5 | where the keys, the seal or the passwords are put, to be found |
| told no one | 1.0 | 아무한테도 말 안 했어, nobody knows |
| death named, finality, farewell, hopelessness | 1.5 each | death; a last time; goodbye, sorry to all; no hope |
| taken or made ready, in quantity, drastic will, tonight | 1.0 each | done already, how much, -어 버리다, when |
| life or everything, now, for real | 0.5 each | what ends is all of it; today, now; 진짜로, not joking |
| exaggeration idiom | -4.0 | 배고파 죽겠다, 웃겨 죽는 줄, dying to, killing me |
| an everyday thing ended | -3.0 | work, school, a trip, cooking, a garden |
| laughter | -2.0 | ㅋㅋ, lol |
| a relationship's ending | -1.5 | a last call to a partner: love ends, not life |

`TOGETHER` adds 0.5 to 1.5 when two classes meet (a will to end with life or all of it, a
means with a will to just do it, a last time with a goodbye, suicide named with any will,
absence foretold with things arranged or a goodbye, no strength left with a goodbye…).
`CRISIS_AT` is 4.0 and `CONCERN_AT` 3.0: a will to die alone is a crisis; a will to vanish or
to end needs one more sign (all of it, no hope, a goodbye, tonight); a wish to vanish alone
("사라지고 싶다", common in everyday venting) is neither. The tier tells only of suicide, so its
crisis gives the suicide lines (109 first, then 119); overdoses and the body are the table's.

A message whose score reaches `CRISIS_AT` is a suicide crisis; one that reaches `CONCERN_AT`
gets the counselling lines beside the programs (a concern), a far cheaper error than a missed
crisis. Counter-cues weigh against: everyday exaggeration ("배고파 죽겠다"), laughter, an
everyday thing ended ("야근 그만하고 싶다"), and a message told as a story, hearsay, about
someone else or about a past that is over (the same context rules as the table) is at most a
concern.

The weights and the two bars were chosen on spent evaluation sets with the table switched
off (`assess_cues` is the tier alone), choosing on some sets and checking on others, under
the rule that everyday chat lines which are not distress must stay clear of a crisis and
almost all clear of a concern. The cues are word classes, never a sentence of any set.
`Assessment.concepts` of a decision by this tier starts with "cues: <score>" and names every
class and pair that was found, so staff can see why.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.crisis_concepts import EMBARRASSED_ENGLISH, EMBARRASSMENT_MEASURED_BY_DEATH
from catalog.crisis_context import (
    HELP,
    SOMEONE_ELSE,
    STORY,
    guessed_about_other,
    hearsay,
    reported,
    told_as_past,
    told_now,
)
from catalog.crisis_outcome import Assessment, concern_of, crisis_of
from catalog.crisis_reading import Pattern, Reading, any_found, jamo, ko, morph, word
from catalog.results import CrisisKind

# ---- the classes of words -----------------------------------------------------------------------

# Verbs of dying, of ending, and of leaving or vanishing, as kiwi's lemmas (see `morpheme_line`).
_DYING_VERBS = r"죽|자살하|자결하|투신하|뒤지"
_ENDING_VERBS = r"끝내|마감하|그만하|그만두|포기하|내려놓|멈추"
_LEAVING_VERBS = r"떠나|사라지|없어지"
# Going, resting and sleeping are everyday verbs: willed, they are leaving life only after an
# adverb of for ever or of before everyone ("먼저 갈게", "영원히 쉬고 싶다", "엄마 곁으로 갈래").
_FOR_EVER = r"(?:먼저|그만|영원히|영영|편히|멀리)/MAG (?:\S+/MAG )?|곁/NNG 으로/JKB (?:\S+/MAG )?|편하/VA 게/EC "
_WILL = r"{THROUGH}(?:{WISH}|{INTENT})"
_FIRST_PERSON_KO = r"(?<![가-힣])(나|내가|난|나는|나도|저|제가|전|저는|저도|내|제)(?![가-힣])"


@dataclass(frozen=True)
class Cue:
    """One class of signs: found when any of its patterns is found; `weight` is added."""

    name: str
    weight: float
    why: str
    patterns: tuple[Pattern, ...]

    def found_in(self, reading: Reading) -> bool:
        return any_found(self.patterns, reading)


@dataclass(frozen=True)
class Together:
    """Two cues found in one message weigh more than their sum: `weight` is added on top."""

    first: str
    second: str
    weight: float
    why: str


CUES: tuple[Cue, ...] = (
    # -- what is said of death, ending and leaving --------------------------------------------
    Cue("dying, willed", 4.0, "a verb of dying with an ending of wish, intention, resolve or the future",
        (morph(r"(?<! 어/EC) (?:" + _DYING_VERBS + r"|뛰어내리|뛰어들)/VV(?:{THROUGH}(?:{WISH}|{INTENT})"
               r"| 어/EC 버리/VX 겠/EP)"
               r"| (?:꼭|그만|차라리|기필코|반드시|확|콱)/MAG (?:\S+/MAG )?(?:죽|뒤지)/VV 겠/EP"
               r"| (?:죽|자살하)/VV ᆯ/ETM 준비/NNG",
               r"죽|자살|자결|투신|뒤지|뒤져|뒤질|뛰어"),
         word(r"\b(want|wanna|going|gonna|ready|plan(ning)?|decided|about|trying) to (die|kill myself"
              r"|end (it|it all|my life|everything)|jump|unalive|off myself)\b"
              r"|\b(i'?ll|i will|i'?m going to) (die|end it|kill myself|jump)\b"
              r"|\b(going|gonna|want|wanna|about|decided|plan(ning)?) to (walk|swim|wade) (out )?into the"
              r" (sea|ocean|river|lake|water|waves)\b"
              r"(?!.{0,30}\b(swim|swimming|paddle|surf\w*|dip|together|with)\b)"))),
    Cue("suicide or a way to die, named", 2.5, "suicide, self-harm or a way of dying named by its word",
        (word(r"(?<![가-힣])자[\W\d_]?(살|해)"),
         ko(r"곡기(를|도)?끊|극단(적)?(인)?선택|목숨(을)?끊|생(을)?마감|(?<!에)(?<!한테)(?<!에게)목(을)?매|목맬|목매달|뛰어내|투신|손목(을)?그|번개탄피|약먹고죽"),
         jamo(r"ㅈㅅ"),
         word(r"\b(suicid\w*|kill myself|kms|unalive\w*|overdose|jump off|slit|hang myself)\b"))),
    Cue("death named", 1.5, "death, dying or the other world spoken of at all",
        (morph(r" (?:" + _DYING_VERBS + r")/VV| 죽음/NNG", r"죽|자살|자결|투신|뒤지|뒤져|뒤질"),
         ko(r"저세상|하늘나라|저승|황천|목숨|기일|먼저간|먼저보낸|먼저떠난|돌아가신"),
         word(r"\b(die|dying|death|(be|being|was|were) dead)\b"))),
    Cue("living refused", 3.0, "not wanting to live, or stopping living",
        (ko(r"살기(가|도|는)?(너무|정말|진짜)?싫|살고싶지(가|는|도)?않|그만살|더(는|이상)?못살|살아있고싶지|살아서뭐|살아봤자|살아야할이유|살아갈이유|사는이유(를"
            r"|가)?(모르|없)|사는게(지옥|의미없|무슨의미|징)|태어나지말"
            r"|세상에[가-힣]{0,4}(있|남아있|머물)고싶지|(깨어나|깨|눈뜨)고싶지(가|는)?않|(안|다시는)(깨어났|깼|떴)으면|(뜨|깨)지(않았|말았)으면"),
         word(r"\b(tired of (living|life|being alive)|don'?t want to (live|be alive|be here|wake up)"
              r"|done with (life|living)|won'?t be here|not be here|never wake( up)?|not wake up"
              r"|disappear forever)\b"))),
    Cue("ending or leaving, willed", 2.0, "a verb of ending, leaving or vanishing with an ending of wish or intent",
        # (kiwi reads some "-ㄹ게" as "-ㄹ 것이": "사라질게 다들…")
        (morph(r" (?:" + _ENDING_VERBS + r"|" + _LEAVING_VERBS + r")/VV(?:" + _WILL + r""
               r"| ᆯ/ETM 것/NNB 이/JKS)", r"끝|마감|그만|포기|놓|놔|멈|떠|사라|없어"),
         morph(r" (?:" + _FOR_EVER + r"|다/MAG )(?:가|쉬|잠들|눈감|놓)/VV" + _WILL,
               r"먼저|그만|영원|영영|편히|조용|멀리|곁|편하"
               r"|다놓|다놔"),
         ko(r"따라(가려|갈게|갈거|가야|갈래|가고싶|가련)|(인생|삶|생|현생)(은|도|을|를)?(여기까지|이만|로그아웃|하차|강종|리셋)|편해지려|편해질래|편해질게|편해질거"
            r"|편히쉬|영원히잠|영영잠|눈뜨지않|안깨어나|깨지않|깨어나지"),
         word(r"\b(end (it|it all|everything|things|this|my life)|disappear|vanish|give up on (life"
              r"|everything)|sleep (forever|for good)|never wake|leave (this|for good))\b"))),
    Cue("gone by then, not coming back", 3.0, "my own absence announced for a time to come, or no return",
        # "나 내일 집에 없을 거야" names where I will not be (에/JKB), "돈이 없을 거야" what will
        # be lacking (이/JKS): only I, with nothing else, am what will be gone.
        (morph(r" (?:나|저)/NP(?: (?!\S+/JK[SBO])(?!\S+ 도/JX)\S+){{0,8}}? (?:\S+/MAG )?없/VA"
               r" (?:ᆯ/ETM (?:거|것|꺼|테)/NNB|겠/EP)",
               r"없을|없겠"),
         ko(r"세상에(서)?(더는|이제|더이상)?없(을|겠)|(다시는|영영|영원히)?안돌아올(거|것|꺼|테니|겁)|돌아오지(않을|못할)(거|것|꺼|겁)"
            r"|다시는[가-힣]{0,8}(못|안)[가-힣]{0,3}(드릴|볼|뵐|뵙|할)(거|것|꺼|겁)"
            r"|(해|해뜨는거|해뜨는걸|내일|내일아침|아침|새해|봄)(을|는|은|도)?[가-힣]{0,3}못(볼|맞을|맞이할)(것같|거같|거야|거예요|듯|겁니다)"),
         word(r"\b(won'?t|will not) (be (here|around) (much longer|tomorrow|anymore|by)|see (me|you) again"
              r"|be coming back)\b|\bnot coming back\b|\b(be|i'?ll be) gone (by|before)\b"
              r"|\bi'?ll (already )?be gone\b(?! (for|on|till|until|to|from|all|a|the)\b)"))),
    Cue("keys and codes left for others", 1.5, "where the keys, the bankbook or the passwords are, left to be found",
        (ko(r"(통장|카드|폰|휴대폰|핸드폰|집|현관|금고)?(비번|비밀번호|열쇠|도장|공인인증서|인증서)(이랑|하고|과|와|은|는|도)?[가-힣]{0,12}(뒀|놨|두었|놓았|적어|남겨|넣어)"),
         word(r"\b(keys|passwords?|pin|bank details)\b.{0,30}\b(left|are in|under|on the|in the)\b"))),
    Cue("told no one", 1.0, "kept secret from everyone",
        (ko(r"아무(한테|에게|도)[가-힣]{0,3}(말|얘기|이야기|연락)(을|도)?(안|못|하지않)|아무도몰라|아무도모르게"),
         word(r"\b(told|telling) (no one|nobody|no-one)\b|\bnobody knows\b"))),
    Cue("a plan or a resolve", 2.0, "a place, a day or a way chosen; a mind that others cannot change",
        (ko(r"말려도(소용|안)|마음(이)?(안|절대)바뀌|마음(을)?굳혔|결심(이)?섰|(날|날짜|장소|곳|방법|시간|때|데)(을|를|도|는)?(정했|골랐|골라놨|정해놨|잡았)"),
         word(r"\b(chosen|picked|found|decided on) (the|a|my) (place|spot|day|date|time|method|bridge)\b"
              r"|\b(a|my) plan and a date\b"
              r"|\b(nobody|no one|no-one|can'?t|won'?t)( can)? talk me out of it\b|\bmade up my mind\b"))),
    Cue("going before my parents", 2.0, "going first, ahead of a mother or father, with an apology",
                # (not "엄마 미안 먼저 갈게", leaving a dinner early: going is told in its solemn forms)
        (ko(r"(어머니|아버지|엄마|아빠|부모님|어무이|어머이|아부지|아버님|어머님)[가-힣]{0,8}먼저(갑니다|떠나|떠납|떠날)[가-힣]{0,10}(죄송|미안|불효|용서)"
            r"|(죄송|미안|불효|용서)[가-힣]{0,10}먼저(갑니다|떠나|떠납|떠날)|불효"
            r"|(어머니|아버지|엄마|아빠|부모님|어무이|아부지|엄니)[가-힣]{0,8}먼저(가서|떠나서|가게돼서|가게되어)[가-힣]{0,3}(미안|죄송)"),)),
    # -- what is said around it ---------------------------------------------------------------
    Cue("finality", 1.5, "a last time, this time for real, the day has come",
        (ko(r"마지막|이번엔진짜|이번에는진짜|끝이야|끝이다|끝입니다|여기까지(인|야|다|예요|에요|입니다|일|라)|여한(이|은|도)?없|미련(이|은|도)?(하나도|전혀)?없"
            r"|할일(은|을|도)?(다|전부)(했|끝)|홀가분|(나한테|나에게|저에게|제게|내게|나는|저는)?내일(은|이|따위)?(없|오지않|안와)"
            # "by the time you read this": a message written to be read after
            r"|(이|이거|이글|이문자|이메시지|이톡|이카톡|이편지|이걸)[가-힣]{0,3}(볼|읽을|받을|보일|발견할)(때|때쯤|쯤|즈음)"),
         word(r"\b(last (time|message|night|words|goodbye)|final|is the (day|night)|for the last time"
              r"|(tonight|today|this) is the end|nothing left to do"
              # "I'm done." said to close, not "I'm done with the dishes"
              r"|i'?m (so |just |really )?done(?=\s*(\.|!|$|,? with (life|living|everything|it all|this world)))"
              r"|by the time (you|anyone|someone|somebody|they|u) (reads?|sees?|gets?|finds?) this)\b"))),
    Cue("finality or farewell", 1.5, "a goodbye, thanks or apology to everyone",
        (word(r"(?<![가-힣])안녕(?!하)"),
         ko(r"작별|그동안[가-힣]{0,8}(고마웠|감사했|미안했|즐거웠)|용서해|잘지내|잘있어|잘살아|찾지마|찾지말"
            r"|먼저갈|먼저가|먼저갑|먼저떠나|먼저떠납|(다들|모두|여러분|엄마|아빠|가족|어머니|아버지|부모님|여보|엄니|어무이|아부지|어매)[가-힣]{0,3}(미안|죄송)|미안해요다들|고마웠어|사랑했어|말리지마"
            r"|그동안[가-힣]{0,4}(신세|감사|고마)"),
         word(r"\b(goodbye|goodbyes|farewell|forgive me|sorry for everything|love(d)? (you all|her|him"
              r"|them)|take care of (mum|mom|dad|my)|tell my"
              r"|tell (mum|mom|dad|them|everyone|her|him) (that )?i (love|loved))\b"))),
    Cue("a note, a will or my funeral", 3.5, "a suicide note, a will or my own funeral: prepared for after",
        (ko(r"유서|유언|신변(을)?정리|(내|제|나의)장례"),
         word(r"\b((suicide|goodbye) (note|letter)s?|whoever finds me|my funeral)\b"))),
    Cue("preparation", 2.0, "things put in order, given away or left for after",
        (ko(r"(편지|메모|쪽지)[가-힣]{0,6}(남겨|남겼|써놨|써놓|써뒀|다써)|장례|수익자|보험금|(다|전부|모두)(정리|나눠|물려|줬|처분)|나눠줬"
            r"|물려줬|물려주|맡아달라|맡아줘|(폰|휴대폰|핸드폰|전화|보험|적금)(도|은|는|까지)?(다)?해지(했|해놨|해뒀|하고|해버)"
            r"|준비(는|가|도)?(다)?(됐|끝|완료)|준비끝|정리끝|정리해부"
            r"|정리(도|는|를)?(다|전부)(했|끝|마쳤)|부탁(해)?(놨|뒀|했어|해뒀|해놨)|맡겨(놨|뒀)"
            r"|(돈|물건|옷|짐|살림|재산|적금|저금|통장)[가-힣]{0,8}(다|전부|모두)[가-힣]{0,6}(보냈|버렸|줬|나눠|물려|넘겼|부쳤|이체)"),
         word(r"\b(note|letters?|my will|gave away|giving away|gave my|given (away|my|all my|everything)|affairs|paid (all )?(my|the) bills"
              r"|paid (the last|off (everything|all my|my debts))|cancell?(ed|ing) my (phone|lease|contract|subscriptions?|insurance|accounts?)(?! (plan|deal|bill|provider|carrier|and (switch|move|go)))"
              r"|said (goodbye|my goodbyes) to (everyone|everybody|all|my)"
              r"|insurance|rehomed|already know where)\b"))),
    Cue("means or place", 2.0, "a means of death or a place to fall from",
        (ko(r"수면제|수면유도제|신경안정제|안정제|졸피뎀|진통제|타이레놀|항우울제|농약|제초제|락스|번개탄|연탄|숯|밧줄|로프|노끈|올가미|면도날|커터칼"
            r"|옥상|난간|한강|대교|(?<!사)다리위|철길|기찻길|선로|열차|[0-9]+층|절벽|낭떠러지|저수지|바다|바당|약통|약병|약봉지"
            r"|(?<![예절계요공조특규언제])약(을|를|도|이)?(한꺼번에|전부|모아|한통|몽땅|한달치|통째|병째|한움큼|한주먹|한줌)|면도칼"),
         word(r"\b(pills|tablets|meds|medication|medicine|antidepressants|painkillers|rope|noose|bridge"
              r"|roof|rooftop|ledge|tracks|train|railway|charcoal|blade|razor|gun|cliff)\b"))),
    Cue("taken, used or made ready", 1.0, "what is already done with it: swallowed, lit, bought, kept, climbed",
        (ko(r"먹었|먹음|삼켰|삼킴|마셨|마심|털어넣|피웠|피워놨|그었|사놨|사다놨|사왔|샀|모아|모았|챙겼|준비해|준비했|봐뒀|찾아놨|들고있|(날|날짜|장소|곳|방법|시간|때"
            r"|데)(을|를|도|는)?(정했|골랐|골라놨)|남겨놨|써놨|넣어놨|바꿔놨|올라왔|올라간|와있|서있|앉아있|막았|쥐고있|쥐고앉|받아놨|받아뒀|열어놨|열어뒀|꺼내놨|옆에있|옆에둔"),
         word(r"\b(took|swallowed|downed|drank|mixed|bought|saved|saving|lined up|ready|standing|climbed"
              r"|written|left)\b"))),
    Cue("in quantity", 1.0, "all of it, a whole bottle, dozens",
        (ko(r"한통|한병|병째|통째|몽땅|전부|한꺼번에|한움큼|[0-9]+알|스무알|서른알|수십알|많이|다삼"),
         word(r"\b(all (of )?my|whole (bottle|pack|box)|bottle of|handful|too many|everything in)\b"))),
    Cue("hopelessness or burden", 1.5, "no hope, no meaning, no strength left, a burden to others",
        (ko(r"희망(이|도)?없|의미(가|도)?없|의미없|이유(가|도)?없|짐(이|만)?(되|될|돼)|짐만|민폐만"
            r"|(버틸|견딜)(힘|자신|수)(이|가|도)?(없|안)|못버티|못견디|더(는|이상)?못하겠|지쳤|지친다|지겹|괴로워|괴롭|고통스러|재미없"
            r"|아무도(모를|모르|몰라|없|안슬퍼|신경)|없어도(세상|다들|잘)|(나|내가|저|제가)(하나)?없(으면|어지면|는게|어져도)|혼자(남|버려)|끝이안보|출구(가)?없"
            r"|답이없|나같은(건|게|사람|놈|년)"
            r"|(아무도|누구도)[가-힣]{0,4}(날|나를|저를|절)?필요(로)?(하지)?(안|않|없)|필요없는(사람|존재|인간)|(오늘밤|이밤|오늘|밤)(을|은)?(넘기|버티)(기|지)[가-힣]{0,3}(힘들|어렵|못)"),
         word(r"\b(hopeless|no hope|no way out|burden|pointless|no point|can'?t (go on|take (it|this)"
              r"|do this)|tired of (everything|it all)"
              r"|nobody (would|will) (notice|care|miss)|better off without|nothing left"
              r"|not even scared|won'?t be a burden)\b"))),
    Cue("others better off without me", 3.0, "my going named as a relief to the others",
        (ko(r"(내가|나|제가|저)(하나|같은건|같은게)?(없|사라지|사라|죽|없어지|없어)[가-힣]{0,6}(다들|모두|가족|세상|다|엄마|애들)[가-힣]{0,8}(편|낫|나을"
            r"|행복|좋|잘돌아|모를)"),
         word(r"\b(better off without me|(be|are) better without me|(relief|easier) (for|to) (everyone"
              r"|them|you all) if i)\b"))),
    Cue("death the better way", 2.5, "death called the answer, the better choice or the only way",
        (ko(r"(죽|없어지|사라지)(는|을)(게|것이|거|것|편이|수)(밖에)?[가-힣]{0,3}(답|낫|나아|나을|편하|편할|유일|뿐|최선|해결)|차라리죽|죽어야(끝|편|해결"
            r"|답)|죽음(만이|밖에|이)?(답|유일|해결|탈출)"),
         word(r"\b(death is the (only|best) (way|answer|option)|only way out)\b"))),
    Cue("life or everything", 0.5, "what ends is life, the world or all of it",
        (word(r"(?<![가-힣])다 ?(끝|그만|포기|놓|내려|정리)"),
         ko(r"모든(걸|것|게)|전부|삶|인생|이번생|이생|현생|세상|이대로|영원히|영영|목숨"),
         word(r"\b(everything|it all|my life|this world|forever|for good)\b"))),
    Cue("drastic will", 1.0, "-어 버리다 with a will: I will just do it",
        (morph(r" 어/EC 버리/VX(?:{WISH}|{INTENT})", r"버리|버릴|버려|버린"),)),
    Cue("now or tonight", 0.5, "it is set for now: today, this time",
        (ko(r"오늘|지금|이제|곧|내일|이번엔|당장|방금"),
         word(r"\b(today|now|tomorrow|this weekend)\b"))),
    Cue("tonight", 1.0, "the night, when it is done alone",
        (ko(r"오늘밤|이밤"),
         word(r"\b(tonight|after dark|tonight'?s)\b"))),
    Cue("a will of my own", 0.0, "any verb willed, or craving (마렵다): weighs only beside a way to die named",
        (morph(r"/V[VX]{THROUGH}(?:{WISH}|{INTENT})", r"[가-힣]"),
         ko(r"마렵|마려워"),
         word(r"\b(want to|wanna|going to|gonna|i'?ll|decided|plan(ning)? to)\b"))),
    Cue("asking how much or how high", 2.0, "a dose or a height that would be sure",
        (ko(r"(몇알|몇개|몇통|몇층|몇미터|얼마나|어느정도)[가-힣]{0,10}(먹어야|먹으면|삼켜야|삼키면|뛰어내려야|뛰어내리면|떨어지면|떨어져야|높아야)"),
         word(r"\bhow (many|much|high|far)\b.{0,40}\b(to die|to be sure|would kill|lethal|fatal"
              r"|not wake)\b"))),
    Cue("for real", 0.5, "insisting that it is meant",
        (ko(r"진짜로|진심|정말로|장난아|농담아|이번엔진짜|마음(이)?바뀌지|ㄹㅇ"),
         word(r"\b(for real|not joking|i mean it|seriously|fr)\b"))),
    # -- what weighs against ------------------------------------------------------------------
    Cue("exaggeration idiom", -4.0, "'hungry to death': an adjective or verb + 아/어 죽겠다, 죽는 줄, 죽을 맛",
        (morph(r" 어/EC 죽/V[VX] (?:겠/EP|ᆯ/ETM 것/NNB 같|는/ETM 줄/NNB|ᆯ/ETM 뻔|ᆯ/ETM 맛)| 죽/VV ᆯ/ETM 맛/NNG"
               r"| 어/EC 죽/VV 었/EP", r"죽|죽을|죽는|죽겠|죽것"),
         ko(r"죽을맛|죽는줄|죽을뻔|죽여주|죽인다|죽이네|(배고파|졸려|더워|추워|심심해|웃겨|귀여워|좋아|바빠|피곤해|힘들어|짜증나|궁금해)죽"),
         EMBARRASSMENT_MEASURED_BY_DEATH, EMBARRASSED_ENGLISH,
         word(r"\b(dying to|killing me|kill for|killed it|dead tired|i'?m dead|died laughing|death of me"
              r"|could (just )?die)\b"))),
    Cue("laughter", -2.0, "ㅋㅋ, lol: said in jest",
        (jamo(r"ㅋㅋ|ㅎㅎ"), word(r"\b(lol|lmao|haha\w*|jk)\b|😂|🤣|💀"))),
    Cue("an everyday thing ended", -3.0, "work, a chat, a trip: what is ended or left is not life",
        (ko(r"야근|회사|직장|알바|일을|과제|숙제|공부|시험|다이어트|프로젝트|단톡|카톡방|여행|휴가|이사|출장|게임|연애|월요일|퇴사|출근|학교|수업|담배|술을끊|고기|삼겹"
            r"|구워|구웠|캠핑|바베큐|요리|사진|놀러|텃밭|화분|상추|빨래|청소|공사|수리|구경|산책|야경|감기|기침|영양제|비타민|처방|치맥|치킨|소풍|반신욕|목욕|결혼식|파티|약속|회식|출발|도착|차가막|길이막|늦잠"),
         word(r"(?<![가-힣])(?<!할 )일(을|이|은|도)?(?= )"),
         word(r"\b(job|work|project|trip|holiday|vacation|game|class|semester|subscription|diet|wedding|party|proposal)\b"))),
    Cue("a relationship's ending", -1.5, "a last call or a goodbye to a partner: it is love that ends",
        (ko(r"연락|문자|통화|데이트|매달|헤어|짝사랑|재회|고백|썸|전여친|전남친|여친|남친|여자친구|남자친구|이별|그녀|그사람"),
         word(r"\b(ex|boyfriend|girlfriend|breakup|broke up|dating|crush)\b"))),
)

TOGETHER: tuple[Together, ...] = (
    Together("death named", "ending or leaving, willed", 1.5, "dying and a will to end or leave in one message"),
    Together("finality or farewell", "ending or leaving, willed", 1.0, "a goodbye with a leaving that is willed"),
    Together("means or place", "ending or leaving, willed", 1.0, "a means at hand and a will to end"),
    Together("means or place", "death named", 1.0, "a means and death in one message"),
    Together("means or place", "taken, used or made ready", 0.5, "a means already taken, bought or climbed to"),
    Together("means or place", "in quantity", 1.0, "a means in quantity: an overdose"),
    Together("preparation", "finality or farewell", 1.0, "things in order and a goodbye"),
    Together("preparation", "now or tonight", 1.0, "things in order, and now"),
    Together("preparation", "ending or leaving, willed", 1.5, "things in order and a will to leave"),
    Together("suicide or a way to die, named", "a will of my own", 1.5, "suicide or its way named, and willed"),
    Together("ending or leaving, willed", "tonight", 1.0, "leaving, tonight"),
    Together("means or place", "tonight", 0.5, "a means or a place, tonight"),
    Together("finality", "finality or farewell", 1.0, "a last time and a goodbye"),
    Together("finality", "now or tonight", 0.5, "the last time is now"),
    Together("life or everything", "ending or leaving, willed", 1.5, "ending life or all of it, willed"),
    Together("means or place", "drastic will", 1.5, "a means and a will to just do it"),
    Together("death named", "taken, used or made ready", 1.5, "death and a day, a place or a means chosen"),
    Together("hopelessness or burden", "ending or leaving, willed", 1.0, "no hope left and a will to end"),
    Together("gone by then, not coming back", "preparation", 1.0, "gone by then, and things arranged for after"),
    Together("gone by then, not coming back", "finality or farewell", 1.0, "gone by then, and a goodbye"),
    Together("preparation", "keys and codes left for others", 1.0, "things in order and the keys left to be found"),
    Together("hopelessness or burden", "finality or farewell", 1.0, "no strength left, and a goodbye"),
    Together("means or place", "finality", 1.0, "a means or a place, for the last time"),
    Together("preparation", "finality", 1.0, "things in order, and nothing left to do"),
    Together("a plan or a resolve", "finality", 1.0, "a plan made, and the end named"),
    Together("a plan or a resolve", "death named", 1.0, "a plan made, and death named"),
    Together("going before my parents", "finality or farewell", 1.0, "going first, and a goodbye"),
    Together("gone by then, not coming back", "finality", 1.0, "gone by the time this is read"),
)

# A message at or over this score is a suicide crisis; at or over the lower bar, a concern.
CRISIS_AT = 4.0
CONCERN_AT = 3.0

_BY_NAME = {cue.name: cue for cue in CUES}
assert all(t.first in _BY_NAME and t.second in _BY_NAME for t in TOGETHER)


@dataclass(frozen=True)
class Score:
    """A message's score and the cues (and pairs) that made it."""

    total: float
    cues: tuple[str, ...]


def score(reading: Reading) -> Score:
    # A cue of weight 0 counts only beside its partner in `TOGETHER`, so it is looked for only
    # once that partner is found: "a will of my own" reads any verb through kiwi, which on a
    # long message is the whole cost of the tier.
    weighed = [cue for cue in CUES if cue.weight and cue.found_in(reading)]
    names = {cue.name for cue in weighed}
    beside_found = {t.second for t in TOGETHER if t.first in names} | {t.first for t in TOGETHER if t.second in names}
    only_in_pairs = [cue for cue in CUES if not cue.weight and cue.name in beside_found and cue.found_in(reading)]
    found = weighed + only_in_pairs
    names |= {cue.name for cue in only_in_pairs}
    total = sum(cue.weight for cue in found)
    pairs = [t for t in TOGETHER if t.first in names and t.second in names]
    total += sum(t.weight for t in pairs)
    return Score(total, tuple(cue.name for cue in found) + tuple(f"{t.first} + {t.second}" for t in pairs))


def _told_secondhand(reading: Reading) -> tuple[bool, bool]:
    """(a story, not sure it is the speaker's danger now): the context rules of the table, for
    the whole message, and two more, since cues are less sure than a row: someone else named
    as the subject ("친구가 …"), or help asked for ("어떻게 도와줘야 해요"), make it a concern."""
    story = any_found(STORY, reading)
    # The past as the table reads it: a time gone by in a clause of its own tells a cause.
    past = told_as_past(reading, lambda clause: score(clause).total >= CONCERN_AT)
    guessed = guessed_about_other(reading)
    # Someone else named as the subject is not sure to be danger now, unless it is told as now
    # and no help is asked ("방금 어르신께서 오늘 밤 다 정리하고 가겠다고 하시고 전화를 끊으셨어요
    # 지금 혼자 계세요": a carer reporting danger now, for whom the numbers are the answer).
    help_asked = any_found(HELP, reading)
    someone_else = help_asked or (SOMEONE_ELSE.found_in(reading) and not told_now(reading))
    return story, past or guessed or someone_else or hearsay(reading) or reported(reading)


TIER = "cues"  # the name `Assessment.concepts` starts with when this tier decided


def assess_cues(text: str) -> Assessment:
    """The tier alone: crisis, concern or neither for `text`, with the cues that decided it."""
    return assess_reading(Reading.of(text))


def assess_reading(reading: Reading) -> Assessment:
    result = score(reading)
    if result.total < CONCERN_AT:
        return Assessment()
    story, secondhand = _told_secondhand(reading)
    if story:
        return Assessment()
    named = (f"{TIER}: {result.total:g}", *result.cues)
    if result.total >= CRISIS_AT and not secondhand:
        return Assessment(crisis=crisis_of(CrisisKind.SUICIDE), concepts=named, decided_by=TIER)
    return Assessment(concern=concern_of(CrisisKind.SUICIDE), concepts=named, decided_by=TIER)
