"""The table of crisis concepts: one row per way of telling of danger.

Each row has an example sentence, the patterns that must all be found, and those that mark an
innocent use. Rules are kept as patterns and not as a trained model because they must be
exact, fast on every message, and readable by the people who check them. A row is a concept
(ending one's life, a means and a place, preparation already made, a symptom cluster), never
one sentence: the product is judged on messages nobody here has seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.crisis_reading import Pattern, Reading, jamo, ko, morph, word
from catalog.results import CrisisKind


@dataclass(frozen=True)
class Concept:
    """One way of telling of danger: its name, an example, and how it is recognised."""

    name: str
    kind: CrisisKind
    example: str  # written for this table; tested to be recognised as this concept
    all_of: tuple[Pattern, ...]  # every one must be found
    none_of: tuple[Pattern, ...] = ()  # any one found: an innocent use ("숯불에 고기")
    # Names the subject (자살, 가정폭력) without telling that it happens: a concern (hotlines
    # beside the programs), a crisis only with a sign that it happens now (see `catalog.crisis.assess`).
    topic: bool = False
    # A threat told by the one it is made to: "죽이겠대요", "says he'll hurt me" report what was
    # said to me, so the grammar of hearsay does not make it someone else's.
    threat: bool = False
    # Told by a witness of what happens now: whoever's danger it is, and however what they said
    # is reported ("…고마웠다고 하고 전화를 안 받아요"), it is danger now (see `catalog.crisis`).
    witnessed: bool = False
    # Past by its own words ("나쁜 생각을 했었다", a death in the family by suicide): a concern at
    # most, whatever "now" the message holds ("지금 돌아보면", "지금도 보고 싶어"); danger back
    # now is told in the words of other rows.
    behind: bool = False

    def found_in(self, reading: Reading) -> bool:
        # Every pattern's letters first, which costs no search: most rows fail there.
        if any(p.ruled_out(reading) for p in self.all_of):
            return False
        return all(p.searched_in(reading) for p in self.all_of) and not any(p.found_in(reading) for p in self.none_of)


S, O, M, F, I, V = (CrisisKind.SUICIDE, CrisisKind.OVERDOSE, CrisisKind.MEDICAL,
                    CrisisKind.FIRE, CrisisKind.INTRUDER, CrisisKind.VIOLENCE)
_DIE = r"(?<!너/NP )(?:죽|자살하|자결하|투신하|뛰어내리)/VV"
_DIE_HINT = r"죽|자살|자결|투신|뛰어내"
_NOT_AFTER_COLLOQUIAL = r"(?<! 어/EC)"  # 배고파 죽겠다, 힘들어 죽을 거야 (but 힘들어서 죽으려고 is not)
# A bridge (다리), never the ladder (사다리) one climbs to change a bulb.
_HIGH_PLACE = r"옥상|난간|대교|(?<!사)다리위|(?<!사)다리에서|육교|\d+층|베란다|창문|창밖|절벽"
_STRANGER = r"누가|누군가|모르는(사람|남자|여자|놈)|낯선(사람|남자|여자)?|이상한(사람|남자)|수상한(사람|남자)|어떤(사람|남자|놈)|웬(사람|남자|놈)|스토커"
_AGENT = (r"남편|아내|와이프|애인|남친|여친|남자친구|여자친구|동거인|룸메|아들|딸|아버지|아빠|엄마|어머니|오빠|형|누나|언니|동생|가족|집주인|시아버지|시어머니|전남편|전남친|전애인|그사람|그놈|누가|누군가"
          r"|동거남|동거녀|사위|며느리|형부|매형|시누이|삼촌|이모부|고모부|새아빠|새엄마|계부|계모|의붓아버지|의붓오빠|손자|조카"
          # how older people name a spouse: 영감 (my old man), 할멈, 마누라, 바깥양반
          r"|영감|영감탱이|할멈|마누라|바깥양반|집사람")
_PILLS = r"수면제|수면유도제|신경안정제|안정제|진통제|알약|약|타이레놀|감기약|처방약"
_POISON = r"락스|표백제|세제|농약|제초제|살충제|부동액|쥐약"
_SEDATIVES = r"수면제|수면유도제|신경안정제|안정제|진통제|졸피뎀"
_EX_PARTNER = r"전남친|전남편|전여친|전애인|전부인|전처|전남자친구|전여자친구|헤어진|이혼한"
# Word classes shared by the rows below: each a vocabulary, not a sentence.
_STRANGER_PERSON = r"모르는(사람|남자|여자|놈|분)|낯선(사람|남자|여자|놈)|이상한(사람|남자|놈)|수상한(사람|남자|놈)|어떤(사람|남자|놈|아저씨)|웬(사람|남자|놈|아저씨)|괴한|도둑|강도"
_FOLLOWER = _STRANGER + r"|남자(?!친구)|남성|아저씨|놈|차량|오토바이"
_ROPE = r"밧줄|로프|노끈|빨랫줄|올가미|전깃줄"
_LETHAL_MEANS = _ROPE + r"|번개탄|착화탄|연탄|농약|제초제|그라목손|청산가리|살충제|쥐약|" + _SEDATIVES + r"|항우울제|면도날|면도칼"
_WEAPON = r"칼|식칼|과도|회칼|가위|망치|골프채|야구방망이|방망이|몽둥이|쇠파이프|각목|벽돌|흉기|둔기|낫|도끼|송곳|깨진병|유리병|총"
_DEATH_PLACE = (_HIGH_PLACE + r"|한강|강물|강가|바다|저수지|댐|호수|(?<!사)다리|대교|철교|기찻길|철길|철로|선로|기차길|레일|승강장|지붕|꼭대기|낭떠러지")
# Where one goes to be alone, and what runs one down.
_LONELY_PLACE = r"뒷산|야산|산속|산에|산으로|숲|모텔|여관|차안|차에서|창고|외딴|인적|아무도없|혼자|바닷가|강가|저수지"
_VEHICLE = r"트럭|덤프|차도|찻길|도로|고속도로|버스|기차|열차|지하철|전철|선로|달리는차|차에|차로|오는차|중앙선"
# Medicines and poisons one can take too much of, by their everyday names.
_MEDICINES = (_PILLS + r"|" + _POISON + r"|항우울제|우울증약|정신과약|졸피뎀|혈압약|당뇨약|심장약|인슐린|해열제|두통약|진통패치|마약성|펜타닐|패치|약봉지")
# A cut or a burn got in the kitchen, shaving or opening a tin is a mishap, not self-harm.
_NOT_A_MISHAP = (r"(?! (on(?! purpose)|while|when|chopping|cooking|shaving|opening|slicing|peeling|ironing|gardening|fixing|by accident|accidentally"
                 r"|in the kitchen|with (a|the) (knife|can|tin|glass|paper|iron|kettle|pan|razor|saw)))")
# What a goodbye may close in everyday life: a job, a school, a move, a group, a class, a show.
_EVERYDAY_PARTING = r"퇴사|졸업|이사|전학|회사|모임|동호회|송별|단톡|탈퇴|정년|퇴임|학기|수업|강의|방송"
# What is hung or tied up for everyday use: washing, curtains, pictures, lights, signs, a hammock.
_HUNG_FOR_EVERYDAY_USE = r"빨래|옷|커튼|그림|액자|조명|간판|현수막|해먹|그네|화분|모빌"
_FAREWELL = r"안녕(?!하)|찾지마|찾지말|날찾지|나를찾지|잘지내|잘살아|잘있어|잘있어요|고마웠|미안했|사랑했|용서해|용서하|안녕히|그동안|먼저갈게|먼저가|아무도모르게|이번엔진짜|이번에는진짜|마지막"

# "죽고 싶을 만큼 창피해": dying used as the measure of embarrassment, an everyday hyperbole. The
# same measure of pain or loneliness ("죽고 싶을 만큼 힘들어") is not matched: it stays a wish.
# Embarrassment told as the cause is the same hyperbole: "창피해서 죽고 싶어", "쪽팔려서 죽고 싶다".
EMBARRASSMENT_MEASURED_BY_DEATH = ko(
    r"죽고싶을(만큼|정도로?)(너무|진짜|정말|넘|완전)?(창피|부끄럽|부끄러|쪽팔|민망|수치스럽|수치스러)"
    r"|(창피|부끄러|쪽팔|민망|수치스러)(해서|해가지고|하니까|워서|러워서|려서|려가지고)(너무|진짜|정말|넘|완전)?죽고싶"
)
# The English of it: "so embarrassing I want to dig a hole and disappear forever".
EMBARRASSED_ENGLISH = word(r"\b(dig a hole|crawl (into|in|under) a (hole|rock)|hide under a rock|embarrass\w*|cringe\w*)\b")

CONCEPTS: tuple[Concept, ...] = (
    # -- suicide: the will to die, in the grammar of wish, intention, resolve and the future --
    Concept("a wish to die", S, "요즘은 그냥 죽고 싶다는 생각뿐이에요",
            (morph(r" {DIE}{THROUGH}{WISH}".replace("{DIE}", _DIE), _DIE_HINT),),
            none_of=(EMBARRASSMENT_MEASURED_BY_DEATH,)),
    Concept("an intention, resolve or plan to die", S, "이번 달 안에 죽기로 결심했어",
            (morph(_NOT_AFTER_COLLOQUIAL + r" " + _DIE + r"{THROUGH}{INTENT}", _DIE_HINT),)),
    # "배고파 죽어버리겠다" is still a way of speaking; "…없어 죽어버릴 거야" (a will announced
    # with 버리다 and an ending of intent) is not, whatever stands before it.
    Concept("dying, made stronger with 버리다", S, "확 죽어버리겠다",
            (morph(r"(?:" + _NOT_AFTER_COLLOQUIAL + r" " + _DIE + r" 어/EC 버리/VX{WILL}| " + _DIE + r" 어/EC 버리/VX{INTENT})", _DIE_HINT),)),
    Concept("resolve: 죽겠다 with an adverb of resolve (not 배고파 죽겠다)", S, "차라리 그만 죽겠어",
            (morph(r" (?:꼭|그만|차라리|기필코|반드시|확|콱)/MAG (?:\S+/MAG )?(?:죽|뒤지)/VV 겠/EP", _DIE_HINT),)),
    Concept("slang for dying (뒤지다), about nothing else", S, "걍 뒤져버리고 싶네",
            (morph(_NOT_AFTER_COLLOQUIAL + r" 뒤지/VV(?: 어/EC 버리/VX{WILL}|{WISH}|{INTENT})", r"뒤지|뒤져|뒤질", about_life="bare"),)),
    Concept("not wanting to live", S, "솔직히 이제 살기가 싫어",
            (ko(r"살기(가|도|는)?(너무|정말|진짜|더)?싫|살고싶지(가|는|도)?않|살고싶은마음(이)?(없|안)|그만살|더(는|이상)?못살겠"
                r"|(살아갈|살아야할)이유(가|를)?(없|모르)|(더|더는|이제)살이유(가|도|는)?(하나도|전혀)?(없|모르)|사는이유(를|가)?(모르|없)|사는(게|것이|것)?의미(가)?없"
                r"|세상에(더)?(있|머물|남아있)고싶지않|더는살아있고싶지"
                r"|(더|더는|더이상|이제)살아갈(힘|자신|용기|기운|의지|이유)(이|가|도)?(더는?|이제)?(없|안나|안생|모르)"),),
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
    Concept("letting go of everything", S, "이제 모든 걸 내려놓을래",
            (morph(r" (?:내려놓|놓/VV 어/EC 버리|손/NNG 놓)/V\w+{THROUGH}(?:{WISH}|{INTENT})|놓/VV 어/EC 버리/VX{INTENT}",
                   r"내려놓|놓아|놔버|손놓|손을놓", about_life="bare-if-life"),)),
    Concept("disappearing from the world", S, "아무도 모르게 없어져 버리고 싶다",
            (morph(r" (?:사라지|없어지)/VV{THROUGH}(?:{WISH}|{INTENT})", r"사라지|사라져|사라질|없어지|없어져|없어질", about_life="bare"),)),
    Concept("sleeping or resting for ever", S, "영영 잠들어 버렸으면 좋겠어",
            (ko(r"영원히|영영|영면"), ko(r"잠들|잠자|쉬고싶|쉬었으면|쉴래|눈(을)?감")),
            none_of=(ko(r"푹|주말|늦잠|휴가|방학|연휴"),)),
    Concept("not waking up again", S, "아침에 다시는 눈 안 떴으면 좋겠다",
            (ko(r"(깨어나|깨|눈(을)?뜨)고싶지(는)?않|(눈(을)?뜨|깨|깨어나)지(않았|말았)으면|안(떴|깼|깨어났)으면|다시(는)?(안)?(깨|깨어나|뜨)(지않|고싶지|지말)"),),
            none_of=(ko(r"늦잠|알람|주말|휴일|출근|학교"),)),
    Concept("being a burden: better for all if I were gone", S, "내가 사라지면 다들 편해질 거야",
            (ko(r"(내가|나|나만|나하나|제가|저|저만|저하나|그냥|차라리|조용히)(없|사라지|사라|죽|없어지|떠나)(는게|으면|어지면|지면|져야|면|야)"),
             ko(r"(다들|모두|다|가족|엄마|세상|전부)[가-힣]{0,6}(편|낫|나을|행복|좋)"))),
    Concept("the last day of my life", S, "내 인생 오늘이 마지막이야",
            (ko(r"(인생|삶|생애|이생|이번생)(의)?[가-힣]{0,6}(마지막날|마지막이)"),)),
    Concept("taking one's own life, named", S, "스스로 목숨을 끊을 거예요",
            (ko(r"목숨(을)?끊|생(을)?마감(하고싶|하려|하기로|할|하겠)|스스로생을|극단(적)?(인)?선택(을)?(하고싶|하려|할래|할거|할까|하기로|해야겠|할게)"),)),
    Concept("suicide or self-harm as my own thought, plan or urge", S, "요즘 자해 충동이 심해요",
            (word(r"(?<![가-힣])(자[0-9._*·-]?살|자[0-9._*·-]?해) ?(또 |다시 |오늘 |어제 |방금 |결국 )?(생각|충동|계획|욕구|시도하려|하고 ?싶|하려|할래|할 ?거|할까|하기로|해야겠|해 ?버리|각|하고 ?있|했어|했다|했는데|했음|함|중)"),),
            none_of=(ko(r"자살골|자살률|자해공갈"),)),
    Concept("suicide in internet slang", S, "오늘따라 ㅈㅅ 충동이 세다",
            (jamo(r"ㅈㅅ(?:하|할|각|충동|해|생각|방법|계획|시도|마렵)|ㅈㄱㅅ[ㄷㅇㅍ]|ㄷㄱㅅ[ㄷㅇㅍ]"),),),
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
             ko(_HIGH_PLACE + r"|한강|강물|바다|물에|(?<!사)다리|빌딩|건물|아파트|층|" + _VEHICLE)),
            none_of=(ko(r"시험|성적|면접|합격|점수|주가|가격|등급|불합격|사업|업계|시장|창업|투자"),)),
    Concept("on a high place, leaning out or over", S, "12층 창문 밖으로 다리를 내놓고 있어",
            (ko(_HIGH_PLACE),
             ko(r"몸을(밖으로)?내밀|(밖으로|밖에)[가-힣]{0,4}(내밀|내놓|매달)|난간(에|을)?(넘|매달|걸터)|매달려있|뛰어내리(려|고싶|기)|뛰어내릴"
                r"|(다리|두다리|한쪽다리|발|몸)(를|을|만)?(밖으로|밖에|바깥으로)?(걸치|걸쳐|걸터|내놓|내밀|내려놓|늘어뜨)")),),
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
            (ko(r"유서(를|도|는|까지)?(다|미리|벌써|이미|몰래)?(썼|쓰고|써|작성|남기|남겼|준비)"
                # left where it will be found: "유서는 책상 서랍에 넣어 두었어"
                r"|유서(를|는|도)?[가-힣]{0,8}(에|위에|밑에|옆에)(다)?(두었|뒀|놓았|놨|놔뒀|넣어|올려|붙여)|유언(장)?(을)?(썼|써놓|작성|남기|남겼)[가-힣]{0,12}(미련|이제|마지막|떠나|가려|죽)"
                r"|(편지|메모|쪽지)[가-힣]{0,8}(써|썼|남겼|남겨)[가-힣]{0,12}(가려고|떠나려고|떠날|갈게|간다|죽|이제가|마지막)"),)),
    Concept("things given away, affairs put in order, ready to go", S, "신세 진 사람들한테 물건 다 돌렸어 이제 정리 끝",
            (ko(r"나눠줬|나눠주고|줘버렸|다줬|돌렸|정리했|정리하고|정리끝|처분했|입양보냈"),
             ko(r"준비끝|준비(다)?됐|준비완료|정리끝|이제(가|떠나|갈|끝)|미련(이|은)?없|마지막으로|떠나려고|떠날거|떠날게")),
            none_of=(ko(r"이사|여행|출장|유학|이민|미니멀|중고|당근|팔았|팔고|대청소|퇴사"),)),
    # A farewell, and now no answer: the message a friend, a parent or a tenant sends before
    # an attempt, told by the one who got it and cannot reach them.
    Concept("a farewell from someone who cannot be reached now", S, "동생이 그동안 고마웠다는 문자만 남기고 전화기가 꺼져 있어요",
            (ko(r"그동안(고마|감사)|잘있어|잘있거라|잘지내라|잘살아라|(고양이|강아지|애들|아이|엄마|아빠)[가-힣]{0,3}부탁"
                r"|마지막(인사|문자|연락|말|입니다|이야|이다)|작별|유서|프사(를|도|까지)?(내렸|지웠)"),
             ko(r"전화(를|도|가)?(안|못)받|전화(기)?(가|도)?(꺼져|꺼졌|꺼놨)|폰(이|도)?(꺼져|꺼졌)|연락(이|도)?(안되|안돼|두절|끊)"
                r"|인기척(이|도)?없|대답(이|도)?없|답(장)?(이|도)?없|문(을)?두드려도|(안|못)읽|읽지(도)?않")),
            none_of=(ko(r"드라마|영화|소설|노래|가사|게임"),), witnessed=True),
    Concept("putting one's affairs in order (신변정리)", S, "슬슬 신변 정리를 하고 있어요",
            (ko(r"신변(을)?정리|(내|나의|제)장례식"),)),
    Concept("cutting oneself", S, "커터칼로 팔을 그었어",
            (ko(r"(손목|팔|허벅지|몸)(을|에)?[가-힣]{0,4}(긋|그었|그어|그을|그으|긁었|베었|자해)|(칼|커터|면도날|유리)[가-힣]{0,6}(손목|팔)[가-힣]{0,4}(그|긋|베)"
                r"|(깊게|깊이|세게|여러번|더깊)[가-힣]{0,3}(그었|그어버|긋고|그을|베었)"),),
            none_of=(ko(r"요리|채소|야채|종이|실수로|다쳤|타투|문신|선을|줄을|밑줄|금을|획을|경계"),)),
    Concept("pills kept aside to take at once", S, "진통제를 한 통씩 사서 모아 두고 있어",
            (ko(r"(" + _PILLS + r")(을|를)?[가-힣0-9]{0,10}(모아|모았|모으|쌓아)"),),
            none_of=(ko(r"영양제|비타민|유산균"),)),
    # -- overdose and poisoning ---------------------------------------------------------------
    Concept("many pills swallowed", O, "수면유도제를 한 움큼 털어 넣었어",
            (ko(r"(" + _PILLS + r"|농약)(을|를)?[가-힣0-9]{0,10}?(한꺼번에|많이|잔뜩|한통|통째|왕창|한움큼|몽땅|전부|다|한줌|한봉지"
                r"|([0-9]+|[일이삼사오육칠팔구십백]+|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|서른|마흔|쉰|여러|수십|몇십)(몇)?(알|정|개|봉지|통))[가-힣]{0,4}?(먹었|삼켰|삼키|삼킨|털어|먹어버|마셨|먹은것|먹은거|드신|드셨|드시고|먹어서|삼켜서)"
                r"|(" + _PILLS + r")(을|를)?[가-힣]{0,4}?털어(넣|먹)|과다복용|약물과다"),),
            # "약 다 먹었는데 안 나아": a course of medicine finished.
            none_of=(ko(r"영양제|비타민|(?<![통병지알정개째줌])다먹(었는데|어서|었으니)|안나아|안낫|약국|처방|다떨어"),)),
    Concept("a poison drunk", O, "방금 제초제를 조금 마셨어요",
            (ko(r"(" + _POISON + r"|청산가리|그라목손|양잿물|염산|메탄올|소독약|세정제)(을|를)?(?:(?!냄새)[가-힣0-9]){0,6}?(마셨|먹었|삼켰|마시고|먹고|마셔버|들이켰|드셨|드시고|드신|마시셨|삼키셨|마심|먹음|마신것|마신거|먹은것|먹은거)"),),
            none_of=(ko(r"뿌렸|뿌리고|냄새(를)?맡|청소|희석|세탁|빨래|먹으면|마시면|마셔도|먹어도"),)),
    # -- medical emergencies, told by their symptoms -------------------------------------------
    Concept("cannot breathe", M, "갑자기 숨을 쉴 수가 없어요",
            (ko(r"숨(을|이)?(못쉬|안쉬어|안쉬|쉴수(가)?없|안쉬여|멎|넘어갈|가빠|가쁘)|숨쉬기(가)?(너무)?(힘들|어렵|곤란)"),),
            none_of=(ko(r"마음(이)?(찢|아프|아파|무너)|이별|헤어|웃겨|웃다가|웃느라|미세먼지|답답해서|긴장|설레|경기|스트레스|분위기|숨막히는|숨이막힐듯|숨막힐듯|더워서"),)),
    Concept("chest pain or pressure", M, "가슴을 쥐어짜는 듯하고 턱까지 아파요",
            (ko(r"흉통|가슴통증|가슴(이|을)?(너무|꽉|막)?(조여|조이|쥐어짜|짓누르|짓눌|움켜쥐|움켜잡)"),),
            none_of=(ko(r"설레|긴장|좋아하는|보고싶|짝사랑"),)),
    Concept("chest pain with a second sign", M, "가슴이 뻐근하고 식은땀이 나요",
            (ko(r"가슴|심장"), ko(r"아프|아파|통증|뻐근|답답|조이|두근|뛰|움켜"),
             ko(r"왼팔|팔이저|어깨가저|턱|식은땀|숨(이|을)?(차|막|못|안)|주저앉|쓰러|기절|어지러|토하|정신(이)?(없|잃)")),
            none_of=(ko(r"설레|좋아하는|보고싶|생각에|짝사랑|이별|헤어"),)),
    Concept("signs of a stroke", M, "엄마 발음이 꼬이고 입이 한쪽으로 돌아갔어",
            (ko(r"말(이|을)?어눌|발음(이)?어눌|(얼굴|입|입꼬리)(이|가|꼬리가|술이)?(한쪽|한쪽으로|옆으로|왼쪽으로|오른쪽으로|갑자기|살짝)?(이)?(처지|처졌|돌아가|돌아갔|비뚤)"
                r"|한쪽(팔|다리|팔다리|얼굴|몸|손)?[가-힣]{0,4}(마비|힘이(하나도)?안|감각이없|안움직)"),),
            none_of=(ko(r"술(을|에)?(마시|취|먹)|취해서|취했"),)),
    Concept("collapsed or unresponsive", M, "아버지가 거실에서 쓰러졌어요",
            (ko(r"쓰러졌|쓰러져있|쓰러지셨|쓰러져계|쓰러진(것|거)같|의식(이|을)?(없|잃)|정신(을)?잃|기절했|실신"),),),
    Concept("about to faint, with the heart racing", M, "심장이 터질 것처럼 뛰면서 눈앞이 하얘져요",
            (ko(r"(심장|가슴)(이)?[가-힣]{0,8}(뛰|두근|쿵쾅)"), ko(r"쓰러질|기절할|눈앞이(하얘|캄캄|깜깜)|숨(이)?(차|막|안)|식은땀")),
            none_of=(ko(r"설레|좋아하는|보고싶|사랑|고백|짝사랑|데이트"),)),
    Concept("fallen and cannot get up", M, "빙판에서 넘어졌는데 일어설 수가 없어요",
            (ko(r"(넘어지|넘어져|넘어졌|쓰러져|쓰러졌|쓰러지|자빠져|자빠졌|미끄러지|미끄러져|미끄러졌|낙상|떨어져|떨어졌|굴러|굴렀)[가-힣]{0,10}"
                r"(못일어나|안일어나|일어나지(를|도)?못|일어나질못|일어날수(가)?없|일어설수(가)?없|못일어서|움직일수(가)?없|꼼짝(도)?못)"),),),
    Concept("bleeding that does not stop", M, "칼에 베였는데 피가 멈추질 않아요",
            # how much, said in dialect too: 억수로 (Gyeongsang), 겁나 (Jeolla)
            (ko(r"피(가)?(너무)?(많이|철철|계속|콸콸|펑펑|엄청|억수로|겁나|줄줄|뚝뚝|뚝뚝뚝)(나|흘|쏟|떨어)|피(가)?(안|멈추지|멈추질|안멈|멎지)(멈|않)|지혈(이)?(안|되지)"
                r"|피(를)?(엄청|많이|잔뜩|한가득|막|계속|또|왈칵|한바가지)?(토하|토해|토했|쏟|게워)|토혈|각혈|피가섞인"),),
            none_of=(ko(r"코피(가)?(조금|살짝)|생리|영화|드라마|웹툰|게임|장면|추천|만화|공포물|호러"), jamo(r"ㅋㅋ|ㅎㅎ"))),
    Concept("a seizure", M, "동생이 경련을 일으켜서 몸이 뻣뻣해요",
            (ko(r"경련(을|이)?(해|일으|나)"),),
            none_of=(ko(r"공황"),)),
    Concept("the throat swelling or closing (allergy)", M, "새우 먹고 입술이 붓더니 숨쉬기가 힘들어요",
            (ko(r"(목|혀|입술|얼굴|눈)(이|가)?[가-힣]{0,4}(붓|부어|부었|부풀)|(목|목구멍|기도)(이|가)?[가-힣]{0,2}(조여|조이|막히|막혀|좁아)|(쏘인|쏘였|물린|물렸)[가-힣]{0,6}(붓|부어|부풀)"),
             ko(r"숨|호흡|쏘였|쏘인|알레르기|알러지|아나필락시스|두드러기|땅콩|새우|갑각류|복숭아|견과|벌에|약먹고|주사맞고|주사를맞")),
            none_of=(ko(r"감기|편도|목감기|노래|울어서|울었더니"),)),
    Concept("choking on food", M, "사탕이 목에 걸려서 숨을 못 쉬어요",
            (ko(r"목에(걸려|걸렸)"), ko(r"숨|켁|기침|말이안|말을못|얼굴이(빨개|파래|새파)|(아기|애기|애|아이|할머니|할아버지|엄마|아빠|어르신|손녀|손자|아들|딸|남편|아내|아버지|어머니|동생|조카)(가|이|께서)[가-힣]{0,10}(떡|사탕|땅콩|포도|젤리|고기|음식|밥|알약|장난감|동전)")),
            none_of=(ko(r"가시|생선뼈|뼈가|말이목에|한이|기침약"),)),
    Concept("a sudden, worst-ever headache with other signs", M, "망치로 맞은 것처럼 머리가 아프고 계속 토해요",
            (ko(r"머리(가)?[가-힣]{0,6}(깨질|터질|망치|쪼개질)|망치로맞은"), ko(r"토하|토해|구토|토(를|도)?했|눈앞(이)?(흐|안보|캄캄)|눈(이)?(안보|흐릿|침침)|한쪽눈|앞이안보|두개로보|시야|마비|어눌|의식|정신(이)?(없|잃|가물)")),),
    Concept("a severe burn", M, "다리미에 데어서 손바닥 전체에 물집이 생겼어요",
            (ko(r"화상|데어서|데었|데였|데여서|델"), ko(r"물집|크게|심하게|심해|전체|온몸|얼굴|벗겨|피부가")),
            none_of=(ko(r"햇볕|햇빛|선크림|살짝|조금"),)),
    # -- fire and gas ------------------------------------------------------------------------------
    Concept("a fire breaking out", F, "거실 커튼에 불이 붙었어요",
            (ko(r"(?<![열천화])불(이)?(났|나서|났어|붙었|붙어|붙고|번지|번져|타오르)|화재(가)?(났|발생)"),),
            none_of=(ko(r"(입|혀|속|발등|얼굴|눈|엉덩이|가슴)에불|열불|천불|불닭|매워|매운|눈에서불|집에불이안|불이안"),)),
    Concept("something burning", F, "콘센트가 녹으면서 타고 있어요",
            (ko(r"(멀티탭|콘센트|전선|플러그|충전기|배터리|전기장판|냄비|프라이팬|이불|커튼|전자레인지|가스레인지|보일러|난로|히터"
                r"|보닛|본넷|엔진|엔진룸|자동차|차량|내차|승용차|전기차|오토바이|킥보드|노트북|휴대폰|핸드폰|실외기|에어컨|선풍기|형광등|두꺼비집|차단기|분전반|환풍기|건조기|세탁기|밥솥|토스터|에어프라이어|차(?=에서|밑|안|엔진|보닛|본넷))"
                r"(이|가|에서)?[가-힣]{0,6}(타고있|타요|탄다|타는중|불꽃|녹고|녹아|(?<![려러져])터졌|폭발|연기)"),),
            none_of=(ko(r"꿈|게임|영화|드라마|연기연습|연기학원|담배|흡연|수증기|김이|ㅋㅋ"),)),
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
            (ko(r"침입(했|하려|하고|당|자가있)|도둑(이)?(들었|들어|들고|이다|이야|든것|든거|든듯)|강도(가)?(들|침입|왔)|강도야|빈집털이(가)?(들|왔)"),),),
    Concept("someone inside, or in sight, where only I live", I, "혼자 있는데 옷장 안에서 인기척이 나요",
            (ko(r"(누가|누군가|모르는사람|낯선사람|모르는남자|이상한사람)(이|가)?[가-힣]{0,8}(집|방|거실|베란다|옷장|화장실|부엌|창밖|창문밖|안방)(에|안에|에서)[가-힣]{0,4}(있|숨어|서있|서성)"
                r"|(집|방|거실|베란다|옷장|화장실|부엌|안방)(에|안에|에서)[가-힣]{0,4}(누가|누군가|모르는사람|낯선사람)[가-힣]{0,4}(있|숨어|서있|서성)"
                r"|(집|방|거실|베란다|옷장|화장실|부엌|안방|욕실|다락|현관)(에서|안에서|쪽에서)[가-힣]{0,4}(누가|누군가)[가-힣]{0,8}(소리|기침|움직|걸어|말하)"
                r"|(발소리|발자국소리|인기척|문여는소리|숨소리|말소리|걷는소리|부스럭|달그락|뒤지는소리|(서랍|옷장|장롱|문|방문|창문|냉장고|현관문)(을|이)?(여는|열리는|닫는|닫히는|뒤지는)소리)[가-힣]{0,8}(나요|나|들려|들리|났)"),
             ko(r"혼자|아무도없|아무도안|저밖에|나밖에|빈집|무서|숨어|지금|것같|거같|듯|흔적")),
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
            (ko(r"죽이(겠다고|겠대|려고|려해)|죽(인다고|인대|일거라고|일거래|일거야|여버린다|여버리겠|여버릴|여버린대|일까봐|이겠대)|칼(을|로)?(들고|휘두르|휘둘|위협|들이대)|흉기"),),
            none_of=(ko(r"(모기|벌레|바퀴|파리)(를|을)?죽|노래|게임|영화|드라마|웹툰|맛|장난|농담"), jamo(r"ㅋㅋ|ㅎㅎ")), threat=True),
    Concept("violence, named", V, "가정폭력 때문에 집에 들어가기 무서워요",
            (ko(r"가정폭력|데이트폭력|학교폭력|성폭력|폭행|폭력|학대|협박"),), topic=True),
    Concept("suffering violence now", V, "데이트폭력을 당하고 있어요",
            (ko(r"(폭행|폭력|학대|협박)(을)?(당하고있|당하는중|당했어|당했는데|당해서|당하고)"),),
            # "…당하고 있는 친구": the victim is someone else, told about.
            none_of=(ko(r"당하(고있|는)(는)?(친구|동생|언니|누나|형|오빠|이웃|사람|분|지인|동료|아이|학생|여성|피해자|노인|어르신)"),)),
    Concept("a heart attack or a stroke, named", M, "심근경색 전조 증상이 궁금해요",
            (ko(r"심장마비|심근경색|뇌졸중|뇌경색|뇌출혈|심정지"),), topic=True),
    Concept("suicide or self-harm, named", S, "자살 같은 말 하면 안 되는 거 알지만", (word(r"(?<![가-힣])(자살|자해)(?!골|률)"),
            ), none_of=(ko(r"자살골|자살률"),), topic=True),
    Concept("a suicide note, named", S, "유서 라는 단어만 봐도 마음이 무거워", (ko(r"유서"),),
            none_of=(ko(r"유서깊|유서가깊|유서있는"),), topic=True),
    Concept("giving up on life, named", S, "극단적인 선택 이라는 말", (ko(r"극단(적)?(인)?선택"),), topic=True),
    # Named, not told: a family bereaved by suicide looking for others like them, and dark
    # thoughts of one's own that are behind one now. Both ask for the lines beside the programs.
    Concept("a death by suicide in the family, named", S, "형이 스스로 세상을 떠난 뒤로 유가족 모임을 찾고 있어요",
            (ko(r"스스로(세상|목숨)(을)?(떠나|떠난|떠났|끊|버리|버린|버렸)|자살로(잃|떠나|떠난|떠났|보내|보낸|보냈)|자살유가족|유가족(모임|자조)"),), topic=True, behind=True),
    Concept("dark thoughts had before, named", S, "예전에 나쁜 생각을 많이 했었어요 이야기할 곳이 있을까요",
            (ko(r"(안좋은|나쁜|몹쓸|극단적인|극단적)생각(을|도|까지)?(많이|마이|자주|좀|한때)?(했|한적|하던|들었|든적)"),), topic=True, behind=True),
    # The worry of living alone: collapsing with no one to know. Said as a fear, it asks for the
    # check-in programs (a concern), not for an ambulance now; a fall told as happening is the
    # rows of falls and collapses. Dying is not among its words: "죽어도 아무도 모를 거야" may be
    # despair, which the other tiers read.
    Concept("collapsing alone unnoticed, feared", M, "혼자 있다가 쓰러져도 아무도 모를까 봐 걱정돼요",
            (ko(r"(쓰러지|쓰러져|쓰러질|넘어지|넘어져|넘어질|아프|아파|아플|잘못되|잘못돼|잘못될)[가-힣]{0,3}(도|더라도|면|으면|을까|까봐|까바)[가-힣]{0,10}"
                r"(아무도|누가|모를|모르|몰라|발견)"),), topic=True),
    Concept("English: collapsing alone unnoticed, feared", M, "if I collapse at home nobody would even know",
            (word(r"\b(if|when|in case) i (collapse|fall( down| over)?|pass out|get (sick|ill)|have a fall)\b.{0,40}\b(no ?one|nobody|no-one)\b"),),
            topic=True),
    # Asking for the numbers themselves, or where someone with depression can be seen: the
    # hotlines are the answer, beside the counselling programs.
    Concept("a crisis or counselling line, asked for", S, "자살예방 상담전화 번호 좀 알려 주세요",
            (ko(r"(자살예방|위기|정신건강|생명의|마음)(상담)?(전화|번호|센터|핫라인|콜센터)|상담전화번호|위기상담"),), topic=True),
    Concept("depression, named, with help sought", S, "요즘 우울증이 심해져서 상담 받을 곳을 찾아요",
            (ko(r"우울증|우울감|우울장애|조울증"), ko(r"상담|치료|병원|정신과|진료|어디|도움|센터")), topic=True),
    # -- added after the second held-out set's tune half: concepts, each with an example of its own --
    Concept("asking for a way or a dose to die", S, "수면제 몇 통 먹으면 확실히 죽어?",
            (ko(r"(자살|죽는|목매는|목매다는)(하는)?(방법|법)"
                r"|(몇알|몇개|몇통|몇봉지|얼마나|몇층|몇미터)[가-힣]{0,10}(먹어야|먹으면|삼키면|떨어지면|뛰어내리면|높아야)[가-힣]{0,8}(죽|안깨|못깨|깨어나지|확실)"),),
            none_of=(ko(r"벌레|바퀴|모기|개미|식물|화분|게임|세포|균"),)),
    Concept("asking for a way to die, in internet slang", S, "ㅈㅅ 하는 법 있어?",
            (jamo(r"ㅈㅅ(?:하는)?(?:방법|법)"),)),
    Concept("going after a loved one who has died", S, "먼저 떠난 아내 곁으로 나도 가고 싶어",
            (ko(r"따라(가|갈|가려|가고싶|가야겠|가기로|갈래|갈게|갈거|가련)|곁으로[가-힣]{0,3}(가|갈|가려|가고싶)"),
             ko(r"먼저(간|가|보내|떠난|떠나|갔)|돌아가신|기일|하늘나라|저세상|저승|세상을떠난|사별|고인|(없는|잃은|보낸)세상|(잃고|잃은뒤|보내고|떠나보내고)")),
            none_of=(ko(r"성묘|산소|납골당|추모공원|제사|여행|따라가서|따라갔"),)),
    Concept("the last goodbye", S, "다들 고마웠어요 이게 제 마지막 인사예요",
            (ko(r"마지막(으로)?(인사|메시지|연락|문자|카톡|편지|글|말)|(인사|메시지|연락|문자|카톡|편지|글|톡)(가|이|는|은)?(제|내|나의|저의|우리)?(인생)?마지막(이|입|일|으로|이다|임)"),
             ko(r"미안|고마웠|잘지내|잘있어|안녕(?!하)|용서|사랑했|이제(는)?(가|갑|간|떠나|떠납|떠난|갈)|먼저(가|갈|떠나)|찾지마|그동안|신세")),
            none_of=(ko(_EVERYDAY_PARTING + r"|안내|공지|알림|연재|회차|이벤트|신청|접수|마감"),)),
    Concept("a place or a rope made ready for hanging", S, "목 맬 줄을 베란다에 걸어 뒀어",
            (ko(r"목(을)?(맬|매달)(곳|데|자리|줄|끈|나무|밧줄)|(문고리|손잡이|옷걸이|샤워기|행거|방문|천장|나무|철봉|난간|계단)(에|에다)[가-힣]{0,3}목(을)?(매|맬|메|멜|매달)"),),
            none_of=(ko(r"(한테|에게)목(을)?(매|맬|메|멜)|(돈|일|결과|성적|점수|연애|승진|시험)에목"),)),
    # Hanging told by what was done, not named: a rope hung or tied where no one can come in.
    Concept("a rope hung behind a locked door", S, "아들이 방문 걸어 잠그고 천장에 끈을 매달았어요",
            (ko(r"(줄|끈|" + _ROPE + r")(을|를|이)?(걸|매달|매|묶|달)(었|어|고|놨|놓|뒀|두|았|아)"),
             ko(r"(방문|문|화장실|욕실|창고)(을|를|이)?(걸어)?(잠그|잠갔|잠궈|잠가|잠겨|잠근|안열)|천장|목")),
            none_of=(ko(_HUNG_FOR_EVERYDAY_USE + r"|텐트|캠핑|강아지|개줄|목줄|산책|리드줄|운동|줄넘기|짐|이삿|박스|상자"),)),
    # A goodbye that thanks for all the time and goes first, with no work, move or meeting
    # it could close ("그동안 고마웠어 먼저 갈게"); "see you tomorrow" or "I'll head off" is a day's end.
    Concept("thanks for everything, and going first", S, "그동안 정말 고마웠어 나 먼저 갈게",
            (ko(r"그동안[가-힣]{0,6}(고마웠|감사했|미안했|행복했|즐거웠|고맙|감사하)"),
             ko(r"먼저(가|갑|갈|떠나|떠납|떠날|간다)|이제(가|갑|갈|떠나|떠납)|안녕히계세요|잘있어|잘지내")),
            none_of=(ko(_EVERYDAY_PARTING + r"|퇴근|은퇴|출근|회식|내일|다음에|또봐|또만나|나중에|가보겠|가볼게|가볼께|들어가|봉사|근무|계약|알바|여행|귀국|출국|고향"),)),
    # Dying wished for as a relief: "뛰어내리면 편하겠다", "차라리 죽으면 좋겠어".
    Concept("dying by a means wished for as a relief", S, "여기서 뛰어내리면 다 편하겠다",
            (ko(r"(뛰어내리|뛰어내려|죽으|목매|목을매|투신하)(면|으면)[가-힣]{0,4}(편하겠|편할|편해지겠|좋겠|끝나겠|끝날|낫겠|속편하)"),),
            none_of=(ko(r"죽으면(안|어떡|어쩌|어떻게)|게임|캐릭터|드라마|영화"),)),
    # A car left running in a shut garage: the fumes of the engine.
    Concept("English: a car running in a closed garage", S, "i'm sitting in the car in the garage with the door down and the engine on",
            (word(r"\b(engine|car|motor)('?s| is)? (running|on|idling)\b|\bwith the engine (running|on)\b"),
             word(r"\b(garage|shut|closed|sealed|door down)\b")),
            none_of=(word(r"\b(warm(ing)? (it |the car )?up|defrost\w*|mechanic|repair\w*|noise|battery|open|opened|charging|electric)\b"),)),
    Concept("pills taken, then said to be many", O, "약 먹었어 아주 많이",
            (ko(r"(" + _PILLS + r")(을|를)?(먹었|삼켰|털어넣었|드셨)[가-힣]{0,4}(많이|잔뜩|한꺼번에|전부|몽땅|한통|통째)"),),
            none_of=(ko(r"나았|좋아졌|괜찮아졌|효과|영양제|비타민"),)),
    Concept("pills taken at once, said politely", O, "할아버지가 수면제를 통째로 드셨어요",
            (ko(r"(" + _PILLS + r")(을|를)?[가-힣0-9]{0,10}?(한꺼번에|한번에|많이|잔뜩|한통|통째|왕창|몽땅|전부|다)[가-힣]{0,4}?(드셨|복용했|복용하셨|드시고|드신것|드신거|드신듯|먹은것|먹은거|먹은듯|삼킨것|삼킨거|삼킨듯)"),),
            none_of=(ko(r"영양제|비타민"),)),
    Concept("alcohol taken with sedatives", O, "소주 한 병에 수면제를 타서 마셨어",
            (ko(r"술|소주|맥주|양주|와인|막걸리"),
             ko(r"(" + _SEDATIVES + r")[가-힣]{0,8}(먹었|삼켰|마셨|털어|타서)|(술|소주|맥주|양주|와인|막걸리)(이랑|랑|하고|과|와|에|에다)[가-힣]{0,6}(" + _SEDATIVES + r")")),),
    Concept("foaming at the mouth", M, "할머니가 입에 거품을 물고 쓰러지셨어요",
            (ko(r"거품(을)?(물|흘|토하|토해|나와)"),),
            none_of=(ko(r"맥주|비누|샴푸|세제|커피|라떼|우유|게|강아지|고양이"),)),
    Concept("not waking however called", M, "아무리 흔들어도 아빠가 안 깨요",
            (ko(r"(깨워도|불러도|흔들어도|때려도|꼬집어도)[가-힣]{0,6}(안일어나|안깨|못깨|반응(이)?없|대답(이)?없|꼼짝|눈(을)?(제대로)?(못뜨|안뜨|뜨지못|뜨질못))"),),),
    Concept("a finger or a limb cut off", M, "기계에 끼어서 손가락 두 개가 잘려 나갔어요",
            (ko(r"(손가락|발가락|손|팔|다리|손목|발)(이|가|을|를)?[가-힣0-9]{0,4}(잘렸|잘려|잘라졌|절단)"),),
            none_of=(ko(r"손톱|발톱|머리|고기|가지치기"),)),
    Concept("very low blood sugar", M, "인슐린 맞고 나서 식은땀이 나고 어지러워요",
            (ko(r"저혈당|혈당|당뇨|인슐린"), ko(r"떨리|떨려|식은땀|가물|캄캄|어지러|쓰러|정신(이)?(없|잃|흐)|의식|횡설수설|말(을|이)?[가-힣]{0,3}(이상|어눌|못알아)|눈(을)?(못|안)맞|엉뚱한|멍하|반응(이)?없")),
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
             ko(r"(문앞|문밖|현관앞|집앞|창문앞|현관)(에|에서)?[가-힣]{0,12}(서있|서서|서성|기다리|기다려|안가|버티|지키|숨어)")),
            none_of=(ko(r"택배|배달|관리|검침|수리|기사"),)),
    Concept("followed into the lift or the building", I, "엘리베이터에 모르는 사람이 따라 타더니 같은 층에서 내렸어요",
            (ko(r"따라(탄|타|타더니|탔|내린|내렸|들어온|들어왔|올라)"), ko(_STRANGER + r"|남자|사람|놈"),
             ko(r"엘리베이터|층|건물|현관|집|계단|무서")),
            none_of=(ko(r"친구|엄마|아빠|동생|가족|강아지|고양이|아이|애들"),)),
    Concept("strangled", V, "자다가 목을 졸려서 숨이 막혔어",
            (ko(r"목(을|이)?졸(렸|려서|려|랐|라서|리고|린)|목(을)?(조르|조른|졸라|졸랐)"),),
            none_of=(ko(r"넥타이|셔츠|옷|목도리|목걸이|후드|카라|끈이|마스크"),)),
    Concept("someone at home being beaten now", V, "언니가 형부한테 맞고 있어요 지금",
            (ko(r"맞고(있|계)|맞는중|(계속|자꾸|또|막|매일|맨날)때(려|리|린)|(때리|두들겨패|마구패|짓밟|걷어차|발로차|두들기|폭행하)고(있|계)"
                r"|둘러싸고[가-힣]{0,8}(때리|때려|차|밟|패)|집단(으로)?(폭행|구타)|다구리"),),
            none_of=(ko(r"장난|게임|드라마|웹툰|영화|주사|예방|매를|박자|리듬|답|정답|점수|비를|비맞|비가|빗방울|바람이|파도가|공을|공차|축구|북을|드럼|모기|파리|벌레|반죽|빨래|이불"),)),
    Concept("threatened with a blade shown", V, "그 사람이 주머니에서 칼을 꺼내 보였어요",
            (ko(r"칼(을|로)?[가-힣]{0,3}(보여주|보여줬|보이며|보였|꺼내|꺼냈|들이밀)"),),
            none_of=(ko(r"요리|과일|주방|부엌|칼국수|칼갈|칼질"),)),
    Concept("an ex at the door, threatening", V, "이혼한 전남편이 집 앞까지 찾아와서 문을 두드려요",
            (ko(_EX_PARTNER), ko(r"집앞|문앞|현관|찾아와|찾아왔|기다리|기다려"),
             ko(r"소리|문열|문을열|두드|안가|협박|욕|때리|죽이|부수|발로")),),
    # -- broad vocabularies: means, places, farewells and threats, shared across kinds -------------
    Concept("death as the only way out or the better choice", S, "이렇게 사느니 차라리 죽는 편이 나아",
            (ko(r"(죽|없어지|사라지)(는|을)(게|것이|거|것|편이|수)(밖에)?[가-힣]{0,3}(답|낫|나아|나을|편하|편할|유일|뿐|최선|해결)|죽는(것|거|게)뿐"
                r"|죽어야(끝나|편해|해결|답)|죽음(만이|밖에|이)?(답|유일|해결|탈출)|죽을수밖에없"),),
            none_of=(ko(r"웃겨|배고파|배고프|귀찮|졸려|심심|게임|캐릭터|주인공|드라마|영화|벌레|바퀴"), jamo(r"ㅋㅋ|ㅎㅎ"))),
    Concept("this life ended here", S, "이번 생은 이쯤에서 마감할래",
            (word(r"(?<![가-힣])(인생|삶|생|이번 ?생|이생|현생|내 ?생|목숨)(은|도|을|를|이)? ?(이제 |그냥 |진짜 |이쯤에서 |오늘로 )?(여기까지|이만 ?(끝|마칠|접)|끝내|끝낼|마감|접을|접으려|접고 ?싶)"),),),
    Concept("no strength left to endure, and letting go", S, "더 견딜 힘이 없어서 다 놓아 버리고 싶어",
            (ko(r"(버틸|견딜|살아갈)(힘|수|자신|기운)(이|가|도)?(더)?(없|안)|더(는|이상)?(못|안)(버티|견디)|못(버티|견디)겠|버티기(가)?(너무)?(힘들|싫)"),
             ko(r"놓을|놓고싶|놓으려|놓아버|놓겠|놓아야|포기할|포기하려|포기하고싶|끝낼|끝내고싶|끝내려|그만하고싶|그만할래|그만하려|떠나고싶|떠나려|떠날래"
                r"|사라지|없어지|죽|쉬고싶|편해지고싶|편해지려|편해질|가고싶|내려놓|눈감")),
            none_of=(ko(r"회사|직장|알바|공부|다이어트|시험|과제|숙제|운동|학교|야근|출근|금연|금주|연애"),)),
    Concept("going to rest or leave, with a farewell or everything ready", S, "그동안 다들 고마웠어요 이제 편하게 쉬러 갈게요",
            (ko(r"편해지려|편해질래|편해질게|편해질거|편히쉬려|편하게쉬러|편히쉬러|쉬러갈|먼저갈|먼저간다|먼저갑니다|먼저가요|먼저가네|먼저가마|떠나려|떠날게|떠날래|떠날거|가려고|갈게|갈께|끝내려|끝낼게|끝낼거|끝낼래|갈란다|가련다|가야겠"
                r"|(이제|오늘로|여기서|진짜)[가-힣]{0,3}(끝이야|끝이다|끝이에요|끝입니다)"),
             ko(r"준비(는|가|도)?(다)?(끝|됐|되었|마쳤|완료)|정리(는|도)?(다)?(했|끝|마쳤)|유서|" + _FAREWELL
                + r"|(애들|아이들|가족|엄마|아빠|부모님|여보|당신|딸|아들|손주)(한테|에게|들한테)?[가-힣]{0,3}미안(하다|해|합니다|했다|하구나)")),
            none_of=(ko(r"이사|여행|출장|유학|이민|퇴사|휴가|출근|학교|회사|공항|비행기|짐|출발|캠핑|졸업|군대|입대|모임|회식|퇴근|카페|집에|먼저갈게요?다들|우리(먼저|이제|같이|다음|헤어|사이|관계|그만|끝)|너랑|헤어|연애|관계|사이|카톡|단톡|연락"
                r"|오늘(도|은)?(정말|너무|진짜)?(고마웠|즐거웠|재밌었|반가웠)|다음에|내일봐|또봐|이따|나중에|조심히|들어가|약속|친구랑|친구만나"),)),
    Concept("the last night or day, announced", S, "이 밤이 나한테는 마지막이야",
            (ko(r"(오늘|오늘밤|이밤|밤|내일|이번)(이|은|도|이게)?(내|나한테는|나에겐|제)?(인생)?(의)?(마지막)(이야|이다|이에요|예요|입니다|일거|일것|이될|이네|이겠|인듯|이라)"),),
            none_of=(ko(r"출근|수업|근무|휴가|방학|세일|할인|공연|방송|회차|경기|여행|연휴|학기|날씨|연습|촬영|접수|신청|마감|운영|영업|주문|날이야|날이다"),)),
    Concept("standing on a railing or a roof's edge", S, "다리 난간 위에 올라섰어",
            (ko(r"(난간|창틀|옥상끝|옥상가장자리|지붕끝|지붕위|다리난간|베란다난간)(에|위에|위|위에서|을|밖으로)?[가-힣]{0,6}(서있|서서|올라서|올라섰|올라가|올라왔|넘었|넘어|앉아|걸터|매달|걸치|걸쳐)"),),
            none_of=(ko(r"기대|사진|청소|수리|공사|빨래|고양이|새가|화분"),)),
    Concept("standing outside a railing or a window", S, "베란다 난간 바깥쪽에 걸터앉아 있어",
            (ko(r"(난간|창문|창틀|베란다|옥상)(의)?(밖|바깥|바깥쪽|너머|끝|모서리)(에|으로|에서)?[가-힣]{0,4}(서있|서서|서있|앉아|매달|나와있|나가있|걸터|다리를내|발을내)"),),),
    Concept("at a place to die, looking down or waiting", S, "철길 옆에 와 있어 기차 소리 들리면 끝이야",
            (ko(_DEATH_PLACE),
             ko(r"와있|왔어|왔는데|왔음|와서|올라왔|올라와|올라가|서있|앉아|걸터앉|매달려|가는중|가는길|가고있|밖에서|위에서|위에있|위인데|위야|위임|위에요|위예요|위거든|에있어|에있음|에있다|중간|옆에|앞에|누워"),
             ko(r"내려다|밑을보|아래를보|안무섭|무섭지(가)?않|무섭지도|수온|물온도|뛰어|떨어지면|떨어질|끝낼|끝내|끝이|마지막|열차(가)?오|기차(가)?오|지하철(이)?오"
                r"|다음열차|다음기차|죽|아플까|용기|안녕|미안해|고마웠|차갑")),
            none_of=(ko(r"사진|구경|산책|치킨|맥주|야경|텃밭|데이트|피크닉|운동|바람쐬|불꽃|공연|축제|낚시|여행|관광|수영|물놀이|서핑|놀이|데려|출근|퇴근|버스|택시|공사|수리"),)),
    Concept("off to a place to die, telling not to be looked for", S, "바다 보러 왔어 나 찾지 마",
            (ko(r"(" + _DEATH_PLACE + r")(에|으로|로|보러)?[가-힣]{0,3}(간다|갑니다|가요|갈게|가는중|가는길|왔어|왔다|왔음|와있)"),
             ko(r"찾지마|찾지말|날찾지|나를찾지|안녕(?!하)|미안해|잘지내|잘있어|고마웠|사랑했|죽|끝낼|끝내|마지막")),
            none_of=(ko(r"사진|구경|산책|치킨|맥주|야경|데이트|피크닉|여행|관광|수영|물놀이|서핑|낚시|친구들이랑|출근|퇴근|인사"),)),
    Concept("lying on or walking to the railway", S, "기찻길에 드러누워 버릴 거야",
            (ko(r"기찻길|철길|철로|선로|기차길|레일|철도"), ko(r"누워|눕|드러누|뛰어들|들어가|걸어들|뛰어내|앉아|서있|열차(가)?오|기차(가)?오|오면|갈거|가려|갈래|간다")),
            none_of=(ko(r"공사|지연|연착|사진|여행|산책|출근|퇴근|모형|장난감|박물관|레일바이크|구경"),)),
    Concept("the river's temperature, in internet slang", S, "한강 물 온도 확인하러 간다",
            (ko(r"(한강|강물|마포대교|대교)(물)?(수온|온도|입수|다이빙|뛰어들)"),),
            none_of=(ko(r"수영|축제|대회|철인|훈련|레저|서핑|카약"),)),
    Concept("craving death, in internet slang (마렵다)", S, "요즘 ㅈㅅ 개마렵다",
            (jamo(r"(자살|극단(적)?(인)?선택|죽음|죽기|뒤지기|뒤질|ㅈㅅ|자해|투신|한강|목매|번개탄)(이|가|을)?(개|존나|ㅈㄴ|너무|진짜|겁나)?마렵"),),),
    Concept("leaving life, or deleting oneself, in slang", S, "내 인생 오늘 강제종료한다",
            (ko(r"(인생|삶|현생|세상|나|내존재|존재)(을|를|에서)?(오늘|이제|그냥)?(로그아웃|강종|강제종료|하차|탈주|자삭|삭제|셧다운|종료|퇴장|리셋)(하고싶|하려|할래|할거|각|하러|해야|할게|한다|하자|할란다|해버)"),),),
    Concept("asking whether dying by a means hurts or works", S, "목 매면 많이 아플까",
            (ko(r"(뛰어내리|뛰어내려|목매|목을매|떨어지|떨어져|죽|그으|긋|번개탄피우|투신하)(면|으면|야|어야)[가-힣]{0,6}(아플까|아파|안아플|안아프|고통|즉사|한번에|확실|죽을까|죽나|죽어)"
                r"|(몇알|몇개|몇통|몇봉지|얼마나|몇층|몇미터|어느정도|몇mg)[가-힣]{0,12}(먹어야|먹으면|삼키면|삼켜야|떨어지면|떨어져야|뛰어내리면|뛰어내려야|높아야|높으면)[가-힣]{0,8}(죽|안깨|못깨|깨어나지|확실|즉사|한번에|아플|안아플)"
                r"|(목매|목을매|목매달|목을매달|뛰어내려|투신해|번개탄피워|손목그어)(도|면|으면|아도)[가-힣]{0,4}(되|돼|될|괜찮|가능|죽|충분|확실)"),),
            none_of=(ko(r"벌레|바퀴|모기|개미|식물|화분|게임|세포|균|캐릭터|몬스터|강아지가|고양이가|금붕어|조심|위험하니|위험해"),)),
    Concept("the means of death bought and kept ready", S, "노끈 한 묶음 사서 방에 숨겨 놨어",
            (ko(r"(" + _LETHAL_MEANS + r")[가-힣0-9]{0,8}(샀|사왔|사놨|사뒀|사서|구했|구해|준비|챙겼|챙겨|넣어놨|넣어뒀|숨겨|모아|모았|봐뒀|주문|시켰|들고|가지고|가져왔|가져와|싣고|실었)"
                r"|(" + _LETHAL_MEANS + r")(을|를)?(들고|가지고|챙겨서|챙겨|싣고)"),
             ko(r"걸데|걸곳|매달|천장|목|마지막|오늘밤|이제|준비끝|다챙|가려|떠나|결심|계획|유서|가방|주머니|트렁크|숨겨|아무도모르|죽|끝|편해|" + _LONELY_PLACE)),
            none_of=(ko(r"캠핑|등산|이삿짐|짐싸|빨래|텃밭|농사|밭|논|과수원|벌레|바퀴|쥐가|모기|고기|삼겹|바베큐|잡초|방제|처방|병원|약국|불면|여행|출장|비행기|시차|암벽|클라이밍|구조|훈련"),)),
    Concept("the day, the place or the way to die, chosen", S, "죽을 장소를 벌써 골라 놨어",
            (ko(r"(죽을|자살할|목맬|뛰어내릴|투신할|생을마감할)(날|날짜|시간|장소|곳|방법|때)(을|를|은|도|이|가)?[가-힣]{0,4}(정했|정해|골랐|골라|잡았|잡아|찾았|찾고|찾아|알아보|알아봤|결정|봐뒀|봐놨)"),),),
    Concept("a place chosen to hang from", S, "목 맬 만한 데를 봐 뒀어",
            (ko(r"(걸|매달|맬)(데|곳|자리|만한데|만한곳|나무|고리)"), ko(_ROPE + r"|줄|끈|목|천장|나무|문고리|봐뒀|찾고|찾아")),
            none_of=(ko(_HUNG_FOR_EVERYDAY_USE + r"|시계|달력|거울|가방|모자|수건"),)),
    Concept("affairs settled for those left behind", S, "보험금 받을 사람 동생으로 해 뒀으니 이제 걱정 없어",
            (ko(r"장례비|장례비용|장례식비|수익자|보험금|유품|통장(비밀번호|비번)|(비밀번호|비번)(이랑|하고|과|와|은|는|도)?[가-힣]{0,8}적어|(집|현관|금고)열쇠|도장(이랑|하고|위치|둔)|집문서|유산|내장례|내가죽으면|내가없으면|제가없으면"),
             ko(r"넣어놨|넣어뒀|바꿔놨|바꿨|해뒀|해놨|정리했|적어놨|적어뒀|적어놓|적어둔|남겨|맡겨|말해두|알아둬|알아두|부탁|둔데|둔곳|있는곳|위치"),
             ko(r"이제(간|가|갑|떠|끝|없|편|걱정)|미리|마지막|됐어|됐어요|끝|잘지내|고마웠|미안|걱정없|걱정마|떠나|편해|뒷정리|뒷일|뒤처리|뒷처리|정리(좀)?(해줘|해주|부탁)|(너|네|니)가[가-힣]{0,3}(정리|처리|챙겨)")),
            none_of=(ko(r"상조|상담|설계사|가입|청구|약관|해지|갱신|상속세|세금|유언장쓰는법|자동이체|부모님|아버지|어머니|할머니|할아버지"),)),
    Concept("never having been born, no one to notice if I die", S, "내가 죽어도 슬퍼할 사람 하나 없어",
            (ko(r"태어나지(말았어야|않았으면|말걸|않았더라면)|안태어났으면|(내가|제가|나|저)(혼자)?(죽어도|죽든말든|없어져도|사라져도)[가-힣]{0,8}(아무도|누구도|누가|모를|모르겠|몰라|상관없|슬퍼할|알아채)"
                r"|살아서(뭐해|뭐하|뭘해|뭐할)|살아봤자|살아있을(이유|가치)|왜살아야(하는지|할지|돼)"),),
            none_of=(ko(r"주인공|드라마|영화|소설|노래|가사"),)),
    Concept("a blade in hand, aimed at myself", S, "면도날 쥐고 앉아 있어 오늘은 깊게 그을 거야",
            (ko(r"(칼|커터칼|커터|면도날|면도칼|가위|유리조각|유리|송곳)(을|를)?[가-힣]{0,6}(들고|쥐고|손에|꺼내|갈아)"),
             ko(r"깊게|긋|그을|그어|손목|팔|허벅지|죽|끝내|이번엔|오늘은|자해|피")),
            none_of=(ko(r"요리|과일|채소|야채|고기|수박|손질|택배|포장|종이|공예|미술|(" + _AGENT + r"|남자|놈)(이|가)"),)),
    Concept("pills or poison taken in quantity, in short or slurred writing", O, "수면제 스무알 삼킴",
            (ko(r"(" + _PILLS + r"|" + _POISON + r"|항우울제|우울증약|정신과약|졸피뎀|게보린|펜잘|아스피린|부루펜|이부프로펜|해열제|두통약|혈압약|당뇨약|인슐린)(을|를)?[가-힣0-9]{0,8}?"
                r"(다|전부|몽땅|병째|통째|한통|한병|한봉지|한판|한움큼|한웅큼|한주먹|주먹|한줌|수북|여러알|몇십알|왕창|잔뜩|많이|있는대로|있는거|남은거|한꺼번에|\d+알|\d+정|\d+개|\d+봉|수십알|수십개|(한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|서른|마흔|쉰|수십|몇십|여러)(몇)?(알|정|개|봉지|통|병))"
                r"[가-힣]{0,4}?(먹음|삼킴|먹었음|털어넣|털어먹|먹어버|삼켜버|원샷|들이켰|들이킴|마심|마셨|삼켰|먹었|주사했|놨)"),),
            none_of=(ko(r"영양제|비타민|유산균|나았|좋아졌|괜찮아졌|효과|처방대로|식후|식전|정량|아침약|저녁약|하루치|이번주|일주일치|(?<![통병지알정개째줌])다먹(었는데|어서|었으니)|다떨어"),)),
    Concept("a pill bottle emptied", O, "수면제 병을 싹 비워 버렸어",
            (ko(r"(약통|약병|약봉지|약상자|약봉투|통|병)(을|를)?[가-힣]{0,4}(비웠|비워버|다비|털어넣|털어먹)"),
             ko(_PILLS + r"|약통|약병|약봉지|약상자|약봉투")),
            none_of=(ko(r"영양제|비타민|물통|물병|술병|쓰레기|분리수거|재활용|설거지|씻"),)),
    # -- medical, by broader signs -------------------------------------------------------------------
    Concept("breath blocked, with a second sign", M, "갑자기 목이 꽉 막히면서 숨이 안 쉬어져요",
            (ko(r"숨(이|을)?[가-힣]{0,3}(막히|막혀|막혔|안쉬어|쉬어지지|쉬어지질|안쉬|못쉬|쉴수없|멎|넘어가|가빠|가쁘)|호흡(이)?(곤란|안돼|안되|어렵|힘들|가쁘|멈)"),
             ko(r"갑자기|지금|쉬어지|쉬어지지|쉴수|못쉬|켁|쌕|가슴|목이|목에|기침|헐떡|어지러|입술|얼굴|파래|도와|살려|쓰러|아기|애가|할머니|할아버지|엄마|아빠|아버지|어머니|남편|아내|119")),
            none_of=(ko(r"마음(이)?(찢|아프|아파|무너)|이별|헤어|웃겨|웃다가|웃느라|미세먼지|답답해서|긴장|설레|분위기|숨막히는|숨이막힐듯|숨막힐듯|더워서|회사|직장|상사|잔소리|스트레스|공부|시험|발표|면접|사람들|회의|출근|만원|지하철|버스|졸랐|졸라|조르|졸려|목졸"),)),
    Concept("chest crushed or squeezed, with something between", M, "가슴 한가운데를 뭔가가 짓누르는 느낌이에요",
            (ko(r"가슴(이|을|에|한가운데|한가운데를|쪽이)?[가-힣]{0,6}(조여|조이|쥐어짜|짓누르|짓눌|움켜쥐|움켜잡|찌르는듯|터질듯|뻐근)"),
             ko(r"식은땀|왼팔|어깨|턱|숨|어지러|토할|쓰러|아파|아프|통증|느낌|같아|같고")),
            none_of=(ko(r"설레|긴장|좋아하는|보고싶|짝사랑|이별|헤어|그리워|생각에|생각만|슬퍼|서운|감동|노래|영화|드라마|답답해서"),)),
    Concept("a stroke or heart attack, named as happening", M, "아버지 뇌경색이 온 것 같아요",
            (ko(r"(뇌졸중|뇌경색|뇌출혈|중풍|심근경색|심장마비|협심증|심정지|아나필락시스|쇼크)(이|가)?[가-힣]{0,4}(온것같|온거같|왔어|왔나|왔대|같아|같은데|인것같|인거같|일으|증상이(있|보|나타|와)|오신|이에요|이래요|래요|쓰러|발생)"),),
            none_of=(ko(r"예방|교육|검사|후유증|재활|작년|예전에|옛날|걸렸었|있었|전조증상이뭐|초기증상이뭐|증상이뭐|뭐예요|뭔가요|알려주|궁금|위험|원인|보험"),)),
    Concept("fallen, and the legs or body will not move", M, "화장실에서 넘어진 뒤로 다리에 감각이 없어요",
            (ko(r"(넘어지|넘어져|넘어졌|넘어진|쓰러져|쓰러졌|미끄러지|미끄러져|미끄러졌|낙상|떨어져|떨어졌|굴러|굴렀|엎어)[가-힣]{0,24}"
                r"(안움직|움직이지|움직여지지|못움직|감각(이)?없|못걷|걸을수(가)?없|일어나질못|못일어|못일어나|일어설수|일어날수|꼼짝|비명)"),),),
    Concept("the face or body stiff and the eyes rolled (a fit)", M, "애가 갑자기 경기를 일으키면서 팔다리를 떨어요",
            (ko(r"경기(를)?(해|하|일으|했|나|난)|경련|발작|간질|뇌전증|뻣뻣해|경직|몸이굳"),
             ko(r"뻣뻣|경직|굳|눈(이)?(돌아|뒤집|흰자|풀렸|풀려)|거품|떨|의식|쓰러|입술|숨|침(을)?흘|팔다리|몸이|애가|아기|아이")),
            none_of=(ko(r"공황|축구|야구|농구|배구|관람|중계|응원|경기장|경기도|경기가|경기에|경기를보|경기결과|선수|시합|경제|불경기|호경기"),)),
    Concept("a head struck and bleeding, dizzy or sick", M, "뒤로 넘어지면서 뒤통수를 찧었는데 자꾸 토해요",
            (ko(r"(머리|뒤통수|이마|얼굴|관자놀이)(에서|가|를|에|이|를세게)?[가-힣]{0,6}(피(가)?(나|흘|철철)|찢어|깨졌|부딪|박았|다쳤|맞았|찧)"),
             ko(r"어지러|토하|토해|구토|토할|정신(이)?(없|잃|가물|흐)|의식|기억(이)?안|멍하|눈앞|쓰러|피(가)?(나|흘|안멈|계속)|말(이)?어눌")),
            none_of=(ko(r"머리아프게|머리가깨질것|생각하면|공부|회의|숙취|술마시|술먹|게임|시험"),)),
    Concept("a body part on one side without strength", M, "몸 오른쪽으로 힘이 다 빠져서 컵을 못 들어요",
            (ko(r"(왼쪽|오른쪽|한쪽|반쪽|좌측|우측)(에|의|으로|편)?(팔|다리|팔다리|얼굴|몸|손|발|입)?(이|가|에|으로|쪽)?[가-힣]{0,4}"
                r"(힘이(하나도|다|전혀)?(안|없|빠)|마비|감각(이)?(없|이상)|안움직|말을안들|축처)"),),
            none_of=(ko(r"어깨|무릎|허리|손목|발목|쥐가|저려|운동|헬스|근육통"),)),
    Concept("speech slurred with a second sign of a stroke", M, "말투가 이상하게 어눌하고 입꼬리가 한쪽만 처졌어요",
            (ko(r"말(이|을|투가)?[가-힣]{0,4}(어눌|꼬이|꼬여|안나와|이상해)|갑자기(말|대답)(을|이)?[가-힣]{0,2}(못|안나|안되|안돼)|발음(이)?(꼬|이상|뭉개)|혀가(꼬|굳)"),
             ko(r"갑자기|얼굴|입(이|꼬리)|한쪽|오른쪽|왼쪽|저리|저려|팔(이|에)|팔다리|(?<!기)다리(가|에)|마비|두통|어지러|쓰러|침(을)?흘|힘이|감각")),
            none_of=(ko(r"술(을|에)?(마시|취|먹)|취해서|취했|발표|긴장|외국어|영어|일본어|중국어|공부|쪽팔|창피|면접|떨려서|부끄|황당|어이없|어이가|기가막|할말|감동|놀라서"),)),
    Concept("a fall into water, or an electric shock", M, "아이가 계곡 물에 빠져서 안 나와요",
            (ko(r"(물에|강에|바다에|수영장에|욕조에|계곡에|저수지에|웅덩이에)[가-힣]{0,4}(빠졌|빠져|빠진|잠겼|가라앉|휩쓸)|익사|감전(됐|되었|돼서|당했|된것|된거)"),),
            none_of=(ko(r"폰|핸드폰|휴대폰|지갑|열쇠|물건|공이|신발|에어팟|생쥐|꼴|사랑에|정전기|드라마|영화"),)),
    Concept("a pulse or a heartbeat gone", M, "맥박이 안 잡히고 손발이 차가워요",
            (ko(r"맥박(이)?[가-힣]{0,3}(안잡|없|안느껴|약해|안뛰)|맥(이)?안잡|심장(이)?[가-힣]{0,3}(안뛰|멈췄|멎었|멈춘)"),),
            none_of=(ko(r"설레|심쿵|드라마|영화|무서워서|놀라서"),)),
    # -- fire and gas, by broader signs ---------------------------------------------------------------
    Concept("an alarm for gas, smoke or carbon monoxide going off, with signs", F, "가스 감지기가 삐삐 울리고 속이 메스꺼워요",
            (ko(r"(일산화탄소|가스|화재|연기)?(경보기|감지기|경보|탐지기)[가-힣]{0,6}(울리|울려|울린|울림|삐|삑|계속|안꺼)"),
             ko(r"머리|어지러|두통|메스꺼|토|졸려|연기|냄새|타는|불|계속|무서|일산화탄소")),
            none_of=(ko(r"오작동|점검|테스트|훈련|배터리|교체|설치|추천|고장|잘못|방법|꺼지는법|끄는법"),)),
    Concept("a room filled with smoke", F, "자고 일어났더니 거실이 온통 연기투성이예요",
            (ko(r"연기(가|로|에|투성이)?[가-힣]{0,4}(가득|자욱|꽉|차|찼|차올|새어|올라|뿜|퍼지|퍼져|들어와|투성|뿌옇|매캐)|연기투성"),),
            none_of=(ko(r"담배|흡연|고기|굽|구워|수증기|김이|가습기|향|전자담배|연기학원|연기를배|연기수업|연기연습|배우|연기력|캠핑|바베큐|불멍|모기향|드라이아이스|공연|무대"),)),
    Concept("a threat to set the home on fire", V, "남편이 기름 뿌리고 다 태워 버린다고 해요",
            (ko(_AGENT + r"|그사람|그놈|전남편|전남친|이웃|윗집|아랫집|옆집|남자"),
             ko(r"불(을)?(지르|질러|지른|질렀|놓|붙이|붙인|낸다|내버|내겠)|태워(버린|버리겠|죽인)|휘발유|시너|기름(을)?(뿌리|뿌렸|붓|부었)|라이터(를)?(들고|켜)")),
            none_of=(ko(r"회사|학교|ㅋㅋ|싶다|싶어|게임|드라마|영화|바베큐|캠핑|요리"), jamo(r"ㅋㅋ|ㅎㅎ"))),
    # -- someone at the door or inside, by broader signs -----------------------------------------------
    Concept("a stranger opening or tearing at the door or window", I, "모르는 남자가 우리 집 방범창을 뜯으려고 해요",
            (ko(_STRANGER + r"|" + _STRANGER_PERSON),
             ko(r"문|문고리|손잡이|도어락|현관|창문|창|베란다|방충망|창틀|방범창|대문|셔터|유리창|번호키"),
             ko(r"열어|열었|여는|열려|뜯|찢|깨|비틀|쑤시|만지|따려|따고|부수|두드|흔들|잡아당|넘어")),
            none_of=(ko(r"내차|차를|차에|차문|택배였|배달(이|원)?였|관리실이었|잘못눌|잘못찾|친구였|가족이었|열어놨|열어둔|열어놓|열었어\?|누가열었|누가깼|깼어\?|고양이|강아지|바람"),)),
    Concept("someone got in, or is inside now", I, "모르는 사람이 우리 집 안에 들어와 있는 것 같아",
            (ko(r"(누가|누군가|" + _STRANGER_PERSON + r")(이|가)?[가-힣]{0,6}(들어왔|들어와있|들어와서|들어온것|들어온거|들어온흔적|들어온듯|들어갔|들어가있|들어가서|들어간것|들어간거|침입한|안에있|집에있|숨어있|숨어서|숨어)"),),
            none_of=(ko(r"택배|(가족|엄마|아빠|룸메|남편|아내|동생|아들|딸)(이|가|였|이었|인|이랑)|고양이|강아지|들어왔다가|들어왔다나|나갔나|나갔어|다녀갔|들어왔는지|꿈|게임|드라마|영화|카페|식당|가게|회사|사무실|교실|단톡|방에들어왔|채팅"),)),
    Concept("a visitor who is not who they claim", I, "수리 기사라는데 부른 적이 없어요 자꾸 문 열어 달래요",
            (ko(r"택배|배달|기사|검침|점검|수리|관리실|관리사무소|경찰|공무원|가스|전기"),
             ko(r"(시킨|주문한|부른|연락받은|신청한|부른적|시킨적)(게|것|거|적|일)?(이|도)?(없|안|아닌)"),
             ko(r"문|초인종|벨|현관|열어|열라|들어오|안가|계속|자꾸|무서")),),
    Concept("the door lock worked by someone else", I, "번호키 누르는 소리가 나는데 저는 안 눌렀어요",
            (ko(r"(도어락|번호키|비밀번호|비번|현관문|현관|문고리|손잡이)[가-힣]{0,10}(누르는|눌리는|눌러|틀렸|틀린|삑|띠|열리는|돌아가는|덜컥|철컥|달그락|소리)"),
             ko(r"(내가|제가|나는|저는|난|전)[가-힣]{0,6}(안눌|안눌렀|누른게아니|누른거아니|누른게아닌|아닌데|아니에요|아니야|안열)|누가|누군가|새벽|혼자|무서")),
            none_of=(ko(r"바꾸|설정|교체|고장|배터리|수리|방법|추천|설치|택배|가족|엄마|아빠|룸메|동생|남편|아내"),)),
    Concept("followed, by a man or a car", I, "버스에서 내렸는데 아저씨 하나가 골목까지 계속 따라와",
            (ko(r"(" + _FOLLOWER + r")(이|가|들이)?[가-힣]{0,12}(따라와|따라오|따라왔|쫓아와|쫓아오|쫓아왔|미행|뒤를밟|뒤따라|따라붙)"),),
            none_of=(ko(r"강아지|고양이|냥이|친구|동생|아이|애가|애들|엄마|아빠|게임|드라마|영화|웹툰|꿈"),)),
    Concept("found where I live, and waiting outside", V, "헤어진 사람이 새 주소를 알아내서 골목에서 기다려요",
            (ko(r"(사는곳|사는데|주소|집주소|이사한곳|이사한집|새집|직장|회사|집)(을|를|까지|도)?[가-힣]{0,4}(알아냈|알아내서|알아낸|찾아냈|찾아와|찾아왔|알고찾아)"),
             ko(r"지금|앞에|밖에|기다|찾아|와있|서있|세워|무서|접근금지|신고|또|자꾸|계속")),
            none_of=(ko(r"택배|친구가|가족이|엄마가|아빠가|집들이|맛집|이사업체|부동산|중개"),)),
    Concept("an ex turning up at my home", V, "헤어진 남친이 이사한 집까지 와서 초인종을 계속 눌러요",
            (ko(_EX_PARTNER + r"|스토커"),
             ko(r"찾아와|찾아왔|집앞|문앞|현관|집까지|이사한|앞에와|앞에서|밖에서|기다리|기다려"),
             ko(r"접근금지|신고|무서|소리|문열|두드|안가|협박|욕|때리|죽이|부수|발로|또|자꾸|계속|숨어|지금|초인종|벨")),),
    # -- violence, by broader signs --------------------------------------------------------------------
    Concept("hit, pushed or thrown down by someone at home", V, "사위가 나를 밀쳐서 바닥에 넘어졌어요",
            (ko(r"(" + _AGENT + r"|며느리|사위|시누이|시동생|형부|매형|처남|삼촌|이모|고모|손자|손녀|조카|이웃|아랫집|윗집|옆집|동거남|동거녀|사장|상사|그새끼|그자식|남자)"
                r"(이|가|한테|에게|놈이)?[가-힣]{0,16}?(때려(?![치쳐칠])|때린|때리|때렸|(를|을)?(마구|막)?패(요|고|서|는|더라|네|잖아|려고|버리)|두들겨패|밀치|밀쳐|밀쳤|넘어뜨|내동댕이|손찌검|구타|두들겨|걷어차|발로차|짓밟|머리채|멱살|뺨|따귀|폭행|목을졸|목졸)"),),
            none_of=(ko(r"장난|게임|드라마|웹툰|영화|꿈|농담|운동|축구|복싱|권투|태권도|레슬링|학원|체벌"), jamo(r"ㅋㅋ|ㅎㅎ"))),
    Concept("things thrown at me", V, "아빠가 술에 취해서 리모컨이랑 컵을 나한테 던져요",
            (ko(r"(물건|접시|그릇|컵|병|술병|리모컨|휴대폰|핸드폰|의자|재떨이|밥상|상을|화분|가구)[가-힣]{0,6}(던지|던져|던졌|집어던|내던|뒤엎|엎어버)"),
             ko(_AGENT + r"|며느리|사위|나한테|저한테|나에게|저에게|나를|저를|날|절|때리|무서|소리|욕|술")),
            none_of=(ko(r"장난|게임|드라마|웹툰|영화|강아지|고양이|아기가|애기가|실수로|공을|분리수거|이삿짐|버리|중고"),)),
    Concept("a weapon swung or held against me", V, "그 사람이 망치를 들고 문 앞에 서 있어요",
            (ko(r"(" + _WEAPON + r")(을|를|로|으로)?[가-힣]{0,6}(휘두르|휘둘|들고|들이대|겨누|겨눠|위협|찌르|찔러|찔렀|내리치|던지|던져|던졌|꺼내|꺼냈)"),
             ko(_AGENT + r"|며느리|사위|이웃|아랫집|윗집|옆집|남자|놈|그사람|누가|누군가|나를|날|저를|절|나한테|저한테|죽인|죽이|협박|위협|소리|문앞|현관|무서")),
            none_of=(ko(r"요리|과일|채소|야채|고기|수박|손질|연습|스윙|골프장|연습장|스크린|캠핑|장작|게임|드라마|영화|웹툰|공구|목공|수리|만들|공예|택배|포장"),)),
    # -- third round: ways of telling, written from the language (euphemism, staging, signs seen) --
    Concept("dying told as leaving the world (하직, 세상을 뜨다, 저세상 가다)", S, "이 세상 하직하고 싶소",
            (morph(r" (?:(?:세상|이승)/NNG (?:을/JKO |를/JKO |에서/JKB )?(?:\S+/MAG )?(?:뜨|하직하|버리)/VV|하직하/VV"
                   r"|(?:저세상|하늘나라|저승|황천|황천길|극락|천국|먼길|엄마곁|아빠곁)/NN\w (?:\S+/J\w+ )?(?:\S+/MAG )?(?:가|떠나|오르|가버리)/VV"
                   r"|숨/NNG (?:을/JKO )?거두/VV|목숨/NNG (?:을/JKO )?버리/VV){THROUGH}(?:{WISH}|{INTENT}| ᆯ/ETM 준비/NNG)",
                   r"하직|세상|이승|저세상|하늘나라|저승|황천|극락|천국|먼길|곁|숨|목숨"),),
            none_of=(ko(r"여행|휴가|구경|관광|비행기|게임|드라마|영화|노래|맛집"),)),
    Concept("closing one's eyes for good, announced", S, "오늘 밤엔 조용히 눈 감을 거야",
            (morph(r" 눈/NNG (?:을/JKO )?(?:\S+/MAG )?감/VV{THROUGH}(?:{WISH}|{INTENT})", r"눈감|눈을감"),
             ko(r"조용히|편히|편하게|영원히|이제|오늘밤|오늘|마지막|그만|다정|정리|정해|준비|미련|세상|살아|늙|죽")),
            none_of=(ko(r"잠깐|잠시|좀감|피곤|졸려|졸리|명상|안약|렌즈|눈이아|눈아파|건조|수면|낮잠|쉬는시간|모른척|봐주|넘어가|눈감아줘|눈감아주"),)),
    Concept("what is the use of living on", S, "더 살아 봐야 뭐 하겠노",
            (ko(r"(?<!어디)(?<!어디서)(?<!혼자)(?<!같이)(?<!여기)(?<!거기)(?<!자취)살아(서|가|봐야|봤자|가지고|있어봐야|있어서)?(뭐|머|뭘|무엇|무얼)(해|하|할)(?![가-힣]{0,2}(먹|놀|입|사|지내|벌|일))(?!고싶|고살|면서|며살|할지|는지|고있|지\?)"
                r"|(오래|더)살(면|아서|아)[가-힣]{0,2}(뭐|머|뭘|무엇)(해|하|할)|살(면|아서)무엇하리|살아서무엇"),),
            none_of=(ko(r"주인공|드라마|영화|소설|노래|가사|월세|전세|동네|집값|학교|회사"),)),
    Concept("suicide spelt backwards or dodged, to get past a filter", S, "살자를 뒤집은 그거 오늘 할래",
            (ko(r"살자(를|룰|가|를요)?[가-힣]{0,4}(거꾸로|반대로|뒤집|뒤로|뒤에서)|(거꾸로|반대로|뒤집)[가-힣]{0,4}살자"),
             ko(r"할거|할꺼|할래|하려|하러|해버|하고싶|할까|하기로|해야겠|할게|한다|할란다|하겠|할생각|각|오늘|이제")),),
    Concept("leaving now, with a last word or the end made ready", S, "나 이제 떠난다 그동안 신세 많이 졌어",
            (ko(r"이제(는|진짜|정말)?(가요|갑니다|간다|갈게|갈께|갈래|가련다|갈란다|떠나요|떠납니다|떠난다|떠날게|떠날래|가야겠|가야지|가야해|가볼게)|난간다|나간다이제"),
             ko(r"마지막|유서|그동안|찾지마|찾지말|정리(는|도)?(다)?(했|해놨|해뒀|끝)|뒷정리|뒷일|뒤처리|뒷처리|부탁한다|신세(많이)?(졌|짐)|영원히|다시는|미련|준비(는|도)?(다)?(됐|끝)|용서해|잘있어라|잘있거라|잘살아라")),
            none_of=(ko(r"이사|여행|출장|유학|이민|퇴사|휴가|출근|학교|회사|공항|비행기|짐|출발|캠핑|졸업|군대|입대|모임|회식|퇴근|카페|집에|다음에|내일봐|또봐|이따|나중에|조심히|들어가|단톡|알바|가게|수업|모임"),)),
    Concept("a death staged as an accident, or a crash on purpose", S, "사고처럼 보이게 하면 보험은 나오겠지",
            (ko(r"사고(로|처럼|인척|인것처럼|인거처럼|사처럼|사로)[가-힣]{0,4}(보이게|위장|꾸며|꾸밀|처리|보이도록|죽|끝)"
                r"|(일부러|고의로|그냥)[가-힣]{0,4}(들이받|박아버|돌진|뛰어들)"),
             ko(r"죽|목숨|보험|끝|자살|가족|나|내가|제가|차|트럭|운전|핸들|강|벽|가드레일|난간")),
            none_of=(ko(r"영화|드라마|소설|웹툰|범인|살인|추리|게임|기사|뉴스|사건|보험사기|사기"),)),
    Concept("run down or crashing into something, wished or weighed", S, "지나가는 버스에 치였으면 좋겠다",
            (morph(r" (?:치이/VV|들이받/VV|돌진하/VV|뛰어들/VV)(?: 어/EC 버리/VX)?(?:{WISH}|{INTENT}| 었/EP 면/EC (?:좋/VA|하/VX))",
                   r"치이|치여|치일|치였|들이받|돌진|뛰어들"),
             ko(_VEHICLE + r"|차|벽|강|한강|다리|난간|가드레일|전봇대|나무")),
            none_of=(ko(r"사업|업계|시장|창업|투자|연애|일에|공부|경쟁|게임|축구|모기"),)),
    Concept("a medicine taken, and now not waking or breathing slowly", O, "아빠가 수면제를 먹고 흔들어도 눈을 못 떠요",
            (ko(r"(" + _MEDICINES + r")(을|를)?[가-힣0-9]{0,10}(먹|삼키|삼켰|드시|드셨|드신|복용|털어|붙이|붙였|붙인|맞았|맞고|주사)"),
             ko(r"안일어나|못일어나|안깨|못깨|깨워도|흔들어도|불러도|눈을못떠|눈(을)?안떠|의식(이)?(없|잃|흐|가물)|반응(이)?없|대답(이)?없|축늘어|늘어져"
                r"|숨(이|을)?[가-힣]{0,2}(느려|느리|약해|얕|천천히|가늘|안쉬|멈)|호흡(이)?(느려|약|얕|멈)|몸을못가누|횡설수설|입술(이)?(파래|파랗|보라)")),
            none_of=(ko(r"영양제|비타민|먹으면|먹어도|부작용이뭐|궁금|원래|평소|처방대로|푹잤|푹자|잘잤|숙면|감기"),)),
    Concept("empty packets or bottles of medicine found", O, "할머니 방에 빈 알약 통이 여러 개 굴러다녀요",
            (ko(r"(빈|비어있는|텅빈|다비운|뜯어진|까놓은)(알약|약)?(약봉지|약봉투|약통|약병|약상자|약포장|알약통|통|병|봉지|껍데기|포장)"
                r"|(약봉지|약봉투|약통|약병|약상자|약포장|알약통|약껍데기)(가|이|들이|는)?[가-힣]{0,4}(비어|텅|다비었|비었|수북|널려|굴러|잔뜩|여러)"),
             ko(r"약|알약|수면제|진통제|안정제")),
            none_of=(ko(r"재활용|분리수거|버리|버려|모아서|약국|수거|폐의약품|처방|리필|영양제|비타민|정리하|청소"),)),
    Concept("medicine put on or injected in quantity (patches, insulin)", O, "진통 패치를 몇 장이나 겹쳐 붙였어요",
            (ko(r"(패치|파스|인슐린|주사|주사기|펜타닐)(를|을)?[가-힣0-9]{0,8}(여러장|몇장|장이나|한꺼번에|한번에|잔뜩|많이|다|왕창|몇개|여러개|여러번|두배|세배|몇배|겹쳐|\d+장|\d+개|\d+단위)[가-힣]{0,4}(붙였|붙이|붙여|맞았|맞아|놨|놓았|찔렀|주사)"),),
            none_of=(ko(r"파스(를|는)?(어깨|허리|무릎|다리|팔|목)|근육통|예방접종|백신|독감|처방대로|의사가"),)),
    Concept("a bone broken or a limb bent the wrong way", M, "자전거에서 떨어졌는데 팔이 반대쪽으로 휘었어요",
            (ko(r"(다리|팔|발목|손목|무릎|어깨|뼈|발|손가락|허리|고관절|골반)(가|이|는|도)?[가-힣]{0,8}(이상한방향|반대로|반대쪽|반대방향|꺾여|꺾였|꺾인|휘었|휘어|돌아갔|튀어나|튀어나왔|부러진것|부러진거|부러졌|골절)"),
             ko(r"못움직|안움직|움직이지|못걷|못일어|일어설수|일어날수|피(가)?|비명|너무아파|아파서|통증|부었|퉁퉁|넘어|떨어|굴러|굴렀|미끄|사고|다쳤")),
            none_of=(ko(r"스트레칭|요가|운동법|꺾기|자세|게임|드라마|영화|예전에|작년|옛날|깁스|재활|치료중|다나았|붙었"),)),
    Concept("limp and not responding", M, "아기가 축 처져서 불러도 눈을 못 맞춰요",
            (ko(r"축(늘어|처져|처졌|처진)|늘어져(서|있|가지고)|몸(이|에)?힘이(하나도)?없[가-힣]{0,4}(늘어|처져)"),
             ko(r"반응(이)?(없|안)|안깨|못깨|눈(을)?(못떠|안떠|못맞|안맞)|대답(이)?없|의식|숨|입술|열이|쓰러|흔들어도|불러도")),
            none_of=(ko(r"피곤해서|귀찮|주말|소파|게으|ㅋㅋ|고양이|강아지|식물|화분|꽃이"),)),
    Concept("smoke with flames or sparks, or black smoke pouring", F, "세탁실에서 검은 연기가 새어 나와요",
            (ko(r"연기(가|도)?[가-힣]{0,8}(불꽃|불길|불똥|불씨|스파크|화염|시뻘|불이(보|붙|올라|번))|(불꽃|불길|불똥|스파크|화염)[가-힣]{0,8}연기"
                r"|(검은|시커먼|까만|새까만|시꺼먼)연기(가)?[가-힣]{0,4}(나|나와|나오|올라|피어|새|들어|퍼지|퍼져|가득|뿜)"),),
            none_of=(ko(r"담배|고기|굽|구워|캠핑|불꽃놀이|모닥불|불멍|향|공연|무대|드라이아이스|영화|드라마|게임|꿈|용접|폭죽|연기학원|연기를배|배우|연습|훈련|특수효과|화력발전|굴뚝|공장"),)),
    Concept("a heater or a fire burning in a closed space, and people sick from it", F, "창문 닫고 석유난로 틀고 잤더니 둘 다 토하고 어지러워요",
            (ko(r"난로|가스난로|석유난로|등유난로|화로|숯|번개탄|연탄|보일러|히터|발전기|버너|난방기|가스"),
             ko(r"텐트|차안|차에서|방|밀폐|창문(을)?(다)?(닫|잠)|문(을)?(다)?닫|자고|잤|잠(을|들)|캠핑카|작업실|창고|지하"),
             ko(r"토하|토해|토했|구토|메스꺼|안일어나|안깨|못깨|의식|쓰러|정신(이)?(없|잃|몽롱)|몸을못가누|(다들|모두|둘다|가족(들)?(이)?(다|모두)?)[가-힣]{0,4}(머리|두통|어지러)|일산화탄소")),
            none_of=(ko(r"감기|숙취|술마|술먹|과음|예방|점검|설치|추천|방법|주의사항|조심|했었|괜찮아졌|나았"),)),
    Concept("someone moving or lurking outside my window or door at night", I, "새벽에 마당 쪽에 누가 서성거려요 혼자라 무서워요",
            (ko(r"창문|창밖|베란다|현관|문밖|마당|담장|담벼락|창가|방범창|뒷문|뒷마당|테라스|계단"),
             ko(r"누가|누군가|사람|남자|그림자|형체|인기척|어떤놈|웬놈"),
             ko(r"움직|왔다갔다|왔다리갔다리|어른거|서성|기웃|비쳐|비친|어슬렁|서있|숨어|쳐다보|들여다|엿보"),
             ko(r"혼자|무서|밤|새벽|아무도없|지금|방금")),
            none_of=(ko(r"고양이|강아지|새가|바람|커튼|나무|택배|배달|가족|엄마|아빠|남편|아내|룸메|꿈|경비|관리|이웃이|공사|드라마|영화|게임|걱정돼서|방범|설치|지원"),)),
    Concept("the one who followed me, now at my door or building", I, "버스 정류장부터 따라온 아저씨가 아직 건물 앞에 있어요",
            (ko(r"(따라온|쫓아온|따라오던|쫓아오던|미행한|뒤따라온|따라붙은)(사람|남자|여자|놈|아저씨|분|애|차|오토바이)"),
             ko(r"집앞|현관|문앞|우리집|건물|아파트|계단|층|엘베|엘리베이터|안가|서있|기다|아직|지금|계속|무서")),
            none_of=(ko(r"강아지|고양이|냥이|친구|동생|아이|애가|엄마|아빠|게임|드라마|영화|웹툰|꿈|택배|배달"),)),
    Concept("things smashed at home by someone raging", V, "술 취한 남편이 살림을 다 때려 부수고 있어요",
            (ko(r"(" + _AGENT + r"|며느리|사위|이웃|남자|놈)"),
             ko(r"(살림|물건|집안|가구|집기|그릇|접시|유리|유리창|창문|문|티비|tv|가전)(을|를|이|가)?(다)?[가-힣]{0,2}(부수|부숴|부쉈|깨부|때려부|박살|다깨|깨고|깨뜨|던지|던져|집어던)"),
             ko(r"무서|죽인|죽이|때리|때려|소리|욕|술|칼|도와|살려|숨어|떨려|지금|계속|난리")),
            none_of=(ko(r"장난|게임|실수로|아기가|애기가|고양이|강아지|이사|인테리어|리모델링|철거|드라마|영화|꿈|분리수거"),)),
    Concept("English: a death staged as an accident, run down or walked into the water on purpose", S, "maybe i'll just walk into traffic on the way home",
            (word(r"\b(driv(e|ing)|crash(ing)?|steer(ing)?|swerv(e|ing)) (my car |the car |it )?(into|off) (the |a )?(river|wall|tree|bridge|lake|sea|traffic|oncoming|truck|lorry|cliff|barrier|pillar)"
                  r"|\b(step|stepping|walk|walking|jump|jumping|throw myself) (out )?(in front of|into) (a |the )?(bus|train|truck|lorry|car|traffic|oncoming)"
                  r"|\b(walk|walking|wade|wading) (out )?into the (sea|ocean|river|lake|water|waves)\b"
                  r"|\bmake it look like an accident\b|\b(wasn'?t|was not|not) an accident\b"),
             word(r"\b(i|i'?m|i'?ll|me|my|myself|thinking|want|wanna|going|gonna|might|maybe|nobody|no one)\b")),
            none_of=(word(r"\b(movie|film|show|game|novel|book|character|episode|news|police|insurance fraud|dream"
                          r"|swim|swimming|for a swim|cool off|paddl\w*|surf\w*|kids|children|beach day)\b"),)),
    Concept("English: cutting deeper, letting it bleed", S, "i cut too deep on purpose and i'm just letting it bleed",
            (word(r"\b(cut|cutting|sliced|slicing) (deeper|too deep|myself (again|deeper)|my (wrist|wrists|arm|arms|thigh|thighs))\b"
                  r"|\b(let|letting) (it|myself|them) bleed\b|\b(don'?t|do not|won'?t|will not) (want to )?stop (the|my)? ?bleeding\b|\brelapsed\b.{0,30}\b(cut|cutting|self[- ]harm)"),),
            none_of=(word(r"\b(cooking|kitchen|knife skills|onion|vegetables|paper|shaving|accident|accidentally|by mistake)\b"),)),
    Concept("English: someone else being beaten now, heard or seen", V, "the man upstairs is hitting his girlfriend, she keeps crying for help",
            (word(r"\b(hitting|beating|attacking|strangling|choking|kicking|punching|stabbing|hurting|dragging|beat up|beating up) (his|her|their|my|the|a|an|some) (\w+ )?(wife|husband|girlfriend|boyfriend|partner|kid|kids|child|children|son|daughter|mum|mom|mother|dad|father|sister|brother|baby|woman|man|girl|boy|neighbou?r|grandma|grandpa"
                  r"|friend|coworker|co-worker|colleague|roommate|flatmate|housemate|worker|cousin)\b"
                  r"|\b(screaming|crying|yelling|shouting|begging) for help\b|\bbeating (him|her|them) up\b"),),
            none_of=(word(r"\b(game|film|movie|show|tv|episode|novel|joke|joking|kidding|lol|haha|at chess|at cards|in a race|dream)\b"),)),
    Concept("English: things smashed by someone drunk or raging", V, "my brother is drunk and smashing every plate in the kitchen",
            (word(r"\b(smashing|smashed|breaking|broke|throwing|trashing|wrecking|punching) (up )?(things|stuff|everything|every \w+|plates|glasses|bottles|furniture|the (door|doors|windows?|walls?|place|tv|furniture|house|kitchen)|holes in)\b"),
             word(r"\b(drunk|raging|rage|angry|furious|screaming|yelling|threaten\w*|kill|hurt|scared|hiding|husband|wife|partner|boyfriend|girlfriend|father|dad|brother|son|ex|he|she)\b")),
            none_of=(word(r"\b(game|film|movie|show|party|concert|record|records|kid smashed|toddler|dog|cat|accident|accidentally)\b"),)),
    Concept("English: followed, and still outside", I, "a man tailed me home from the station and he's still outside",
            (word(r"\b(followed|tailed|chased|trailed) me\b|\bfollowing me\b"),
             word(r"\b(outside|standing|waiting|still|at my|at the (door|gate|entrance)|downstairs|in the lobby|in the hallway|lurking|won'?t leave|hasn'?t left|now)\b")),
            none_of=(word(r"\b(on (instagram|twitter|tiktok|x|social media)|followers?|dog|cat|puppy|kid|kids|friend|mum|mom|dad|game|film|movie|dream|account)\b"),)),
    Concept("English: a heater or a fire in a closed space, and people sick", F, "we slept with the gas heater on in the caravan and now we're all dizzy and throwing up",
            (word(r"\b(heater|stove|generator|charcoal|barbecue|bbq|grill|boiler|gas|burner|brazier|fire)\b"),
             word(r"\b(tent|car|garage|caravan|camper|van|room|closed|shut|sealed|slept|sleeping|basement|cabin)\b"),
             word(r"\b(throwing up|vomit\w*|nause\w*|dizzy|headaches?|won'?t wake|can'?t wake|confused|passed out|fainted|drowsy)\b")),
            none_of=(word(r"\b(hangover|flu|cold|food|drunk|beer|wine|if|should i|how do|ideas?|recommend)\b"),)),
    Concept("English: a bone broken, bent the wrong way or sticking out", M, "my ankle is bent the wrong way after i fell",
            (word(r"\b(bone|bones) (is |are )?(sticking|poking|coming) (out|through)\b|\b(bent|twisted|pointing|facing) (the )?wrong way\b"
                  r"|\b(broke|broken|snapped|shattered) (my|his|her) (leg|hip|arm|ankle|neck|back|femur|pelvis)\b.{0,40}\b(can'?t|cannot|unable|won'?t|screaming|bleeding|stuck)"),),
            none_of=(word(r"\b(game|film|movie|show|last year|years ago|healed|cast|physio|recovering)\b"),)),
    Concept("English: pills or poison taken by someone, all at once", O, "my grandad took all of his heart tablets at once",
            (word(r"\b(took|swallowed|taken|ate|downed|drank) (all|every one|the rest|the whole (packet|bottle|box|pack|strip)|the lot)( of)? ?(his|her|my|their|the)? ?(\w+ )?(pills|tablets|meds|medication|medicine|sleeping pills|painkillers|insulin|bleach|weed killer|pesticide|poison)?\b"
                  r"|\b(empty|emptied) (pill|medicine|tablet) (bottles?|packets?|boxes?)\b"),
             word(r"\b(pills|tablets|meds|medication|medicine|painkillers|insulin|bleach|poison|pesticide|weed killer|bottles?|packets?|at once|won'?t wake|not waking|drowsy|unconscious|breathing)\b")),
            none_of=(word(r"\b(vitamins?|supplements?|as prescribed|prescribed|course of|antibiotics|finished my|candy|sweets|cookies)\b"),)),
    Concept("a door, a window or a lock found forced", I, "퇴근하고 왔더니 방범창이 뜯겨 있고 안방이 엉망이에요",
            (ko(r"(현관문|현관|문|방문|창문|창|도어락|번호키|자물쇠|방범창|방충망|유리창|창틀|잠금장치)(이|가|은|는)?[가-힣]{0,3}(부서져|부서졌|부서진|뜯겨|뜯어져|뜯긴|찢겨|찢어져|깨져|깨졌|따져|따였|열려있|열려있었|망가져|망가졌|비틀려|휘어)"),
             ko(r"누가|누군가|들어온|들어와|도둑|무서|아직|흔적|집에오니|집에왔더니|왔더니|오니까|없어졌|사라졌|엉망|난장판|발자국|혼자")),
            # A breakage asked to be mended ("문고리 부서졌고 … 고쳐 주는 거 있어요?") is a repair.
            none_of=(ko(r"바람|태풍|고양이|강아지|아이가|애가|실수로|내가|제가|오래돼서|낡아서|고장|수리|교체|설치|지원|공사|드라마|영화|꿈"
                        r"|고쳐|고치|고칠|손봐|손볼|수선"),)),
    Concept("a bang, then smoke or fire", F, "보일러실에서 쾅 하더니 연기가 새어 나와요",
            (ko(r"((?<!펑)펑(?!펑)|쾅|폭발음|폭발|터지는소리|퍽소리)[가-힣]{0,10}(연기|불|타는냄새|불꽃|불길)|(연기|불꽃|불길)[가-힣]{0,10}((?<!펑)펑(?!펑)|쾅|폭발|터졌)"),),
            none_of=(ko(r"불꽃놀이|폭죽|게임|영화|드라마|팝콘|공사|울|웃|꿈|무대|공연|콘서트|특수효과|폭발적|인기"),)),
    Concept("English: someone turning blue or grey", M, "my dad's face has gone grey and he's sweating",
            (word(r"\b(baby|babies|he|she|him|her|face|lips?|skin|son|daughter|dad|mum|mom|grandma|grandad|grandpa|husband|wife)('?s| is| are| has| have)? (turning|turned|going|gone) (blue|purple|grey|gray)\b"),),
            none_of=(word(r"\b(hair|dye|paint|sky|jeans|lol|haha|cold outside|game|film)\b"),)),
    # -- fourth round: kinds of telling, each from the grammar or the vocabulary of a situation --
    Concept("a door found open on coming home, and someone heard inside", I, "장 보고 오니까 현관이 열려 있고 작은방에서 뭔가 뒤지는 소리가 나요",
            (ko(r"(현관문|현관|대문|방문|문|창문|뒷문)(이|가|은|는)?[가-힣]{0,3}(열려있|열려져|열려서|열려|활짝열|안잠겨|잠겨있지않|잠금이풀|따져)"),
             ko(r"(안|안쪽|집안|방|작은방|안방|거실|부엌|주방|화장실|욕실|다락|베란다|위층|아래층)(에서|쪽에서|에)[가-힣]{0,4}(발소리|발자국|인기척|소리|누가|누군가|움직|불이켜|그림자|기척)"
                r"|(발소리|인기척|뒤지는소리|부스럭|숨소리|기척)(가|이)?[가-힣]{0,3}(나|들려|들리|났)")),
            none_of=(ko(r"가족|엄마|아빠|남편|아내|동생|룸메|언니|오빠|형|누나|고양이|강아지|냥이|바람|택배|관리실|수리|꿈|드라마|영화|게임|방금왔|먼저와"),)),
    Concept("an ex or a stalker trying to get in", I, "헤어진 전여친이 현관 번호키를 이것저것 눌러 보고 있어요",
            (ko(_EX_PARTNER + r"|스토커|전부인|전처"),
             ko(r"들어오려|들어오겠|들어온다|열려고|열라고|문(을)?따|비번|비밀번호|번호키|도어락|현관키|열쇠|손잡이|문고리|창문(을)?(열|두드|깨)|누르"),
             ko(r"지금|문밖|문앞|현관|밖에|밖이|앞에|또|계속|자꾸|무서|눌러|누르고|맞추|알아서|알아내")),
            none_of=(ko(r"택배|짐가지러|짐을가지러|물건가지러|약속|허락|괜찮|바꿔야|바꾸는법|바꾸려|드라마|영화|꿈"),)),
    Concept("someone climbing over or into the balcony or window", I, "낯선 사람이 배관을 타고 2층 창문 쪽으로 올라오고 있어요",
            (ko(r"(사람|남자|여자|누가|누군가|놈|아저씨|옆집|윗집|아랫집|이웃|도둑|강도)"),
             ko(r"(벽|담|담장|난간|배관|가스관|창틀|사다리|외벽|지붕)(을|를)?(타고|넘어|넘고)|(베란다|발코니|창문|창|마당|우리집|테라스|옥상)(로|으로|에|쪽으로|안으로)?[가-힣]{0,3}(넘어왔|넘어와|넘어오|넘어들|기어올라|기어들|올라오|올라왔|뛰어넘|들어왔|들어와)")),
            none_of=(ko(r"고양이|강아지|새가|비둘기|다람쥐|벌레|공사|작업|수리|청소|소방|구조|드라마|영화|게임|꿈|예전에|어릴때"),)),
    Concept("screams, blows or smashing heard from next door", V, "윗집에서 남자가 고함치고 여자가 살려 달라고 울어요",
            (ko(r"옆집|윗집|아랫집|앞집|옆방|옆호|건넛집|벽너머|복도|위층|아래층|옆세대|이웃집"),
             ko(r"비명|살려(달|줘|주세)|때리는소리|맞는소리|패는소리|부서지는|깨지는소리|박살|던지는소리|내던지|살려달라|죽여버리|죽인다"),
             ko(r"계속|지금|방금|들려|들리|나요|났|나는데|울어|울고|소리")),
            none_of=(ko(r"층간소음|공사|인테리어|티비|tv|영화|드라마|게임|공포|예능|노래|파티|웃음|애기|아기|강아지|고양이|꿈|어제|지난번|신고하면|어디에신고"),)),
    Concept("someone threatened or attacked in front of me now", V, "가게에 취한 남자가 들어와 병을 깨 들고 손님들을 위협해요",
            (ko(r"(위협|협박|행패|난동|칼부림|흉기난동|폭행)(을|를)?[가-힣]{0,2}(하고있|부리고있|부려|부리|하는중|해요|하고|중이|하네|한다)|찌르려|찌를려|찔렀|찔려"),
             ko(r"(깨진|깬)(병|유리|술병)|병(을)?깨|" + _WEAPON + r"|손님|직원|사람|남자|여자|아이|할머니|할아버지|주인|알바|경비")),
            none_of=(ko(r"장난|게임|드라마|영화|웹툰|소설|뉴스|기사|예전에|작년|신고하면|어디에신고|주가|시장|경쟁|건강(을|에)|생태계|환경|안전을위협|위협적인|위협받"),)),
    Concept("a partner or a family member beating, in dialect", V, "우리 영감이 오늘도 술 묵고 나를 팬다 아이가",
            (ko(r"(" + _AGENT + r"|영감|할멈|마누라|서방|아재|행님|성님|엄니|아부지|아배|어매|할배|할매|애비|에미)(이|가|는|이는)?[가-힣]{0,10}"
                r"(팬다|팼|패부|패삐|패뿐|패불|패고|패더라|패요|팹니|두드려패|두들겨팬|때리요|때립니|때리데|때리네|뚜드려|뚜들겨|두들기네)"),),
            none_of=(ko(r"장난|게임|드라마|영화|웹툰|꿈|농담|운동|축구|복싱|권투|태권도|레슬링|카드|화투|고스톱|장작|빨래|반죽"), jamo(r"ㅋㅋ|ㅎㅎ"))),
    Concept("gas let out in a closed room on purpose", S, "창문에 테이프 다 붙이고 가스레인지 불 안 켜고 밸브만 돌려놨어",
            (ko(r"가스(밸브|중간밸브|레인지|관|호스|를|도|만)?[가-힣]{0,4}(열어놨|열어뒀|열어놓|열어두|열었|틀어놨|틀어뒀|틀어놓|틀어두|틀었|돌려놨|돌려뒀|돌려놓|새게|빼놨|풀어놨)|밸브(만|를|도)?[가-힣]{0,2}(열어놨|열어뒀|열어두|열어놓|돌려놨|돌려뒀|틀어놨|틀어두)"),
             ko(r"잠그|잠갔|잠가|잠궜|닫고|닫았|막고|막았|테이프|틈|누워|누웠|잘게|자려|잠들|이제|마지막|안녕|끝|죽")),
            none_of=(ko(r"요리|끓이|라면|찌개|고기|환기|점검|검침|수리|기사님|설치|실수로|깜빡|잠그는거|잠갔나|잠갔는지|잠가야"),)),
    Concept("a coal-gas or carbon-monoxide poisoning told", F, "보일러 연통이 빠졌는지 일산화탄소 중독된 것 같아요 머리가 깨질 듯해요",
            (ko(r"(연탄가스|일산화탄소|가스)(를|에)?[가-힣]{0,2}(마신|마셨|마시고|중독|들이마|먹은|먹었|새서)"),
             ko(r"것같|거같|듯|못일어|안일어|안깨|못깨|쓰러|어지러|두통|머리|토하|토해|토했|구토|메스꺼|의식|정신|숨|지금|방금|119")),
            none_of=(ko(r"예방|점검|경보기|감지기|설치|주의사항|조심|예전에|작년|옛날|했었|뉴스|기사|드라마|영화"),)),
    Concept("fasting until death (곡기를 끊다)", S, "이제 밥도 물도 안 넘기고 곡기 끊은 채로 가려 합니다",
            (ko(r"곡기(를|도|는)?[가-힣]{0,2}(끊|안넘|끊었|끊고|끊으려|끊을)"),
             ko(r"가려|갈라|갈래|갈거|가야|가련|가겠|떠나|죽|이제|며칠|사흘|나흘|열흘|일주일|끝|그만|살기|편히")),
            none_of=(ko(r"(할머니|할아버지|어머니|아버지|엄마|아빠|어르신|환자|어른)(께서|가|이)|호스피스|임종|병원에서|드라마|영화|소설"),)),
    Concept("a railway without platform doors, or the highest place, asked for to go", S, "안전문 없는 승강장이 어느 역이에요? 이따 밤에 가 보려고요",
            (ko(r"(스크린도어|안전문|안전펜스|안전망)(가|이)?(없는|없고|안된|안되어있는)|(제일|가장|젤|최고로)높은(건물|아파트|빌딩|다리|곳|층|데|옥상)|(옥상|옥상문)(이|은|도)?[가-힣]{0,4}(열려|열린|개방|안잠)"
                r"|(깊은|물살(이)?센|수심(이)?깊은)(데|곳|저수지|강|바다|계곡|물)"),
             ko(r"어디|어느|알려|있어요|있나요|있어\?|가려|가보려|가볼|갈거|갈래|갈게|가야|가고싶|올라가|올라갈|떨어지면|뛰어내리면|들어가려|들어갈|뛰어들|오늘|이따|지금")),
            none_of=(ko(r"설치|민원|공사|관광|구경|야경|전망|사진|데이트|맛집|카페|여행|추천|몇층이에요|높이가|높이는|층수|빨래|텃밭|고기|점검|관리|낚시|다이빙|스노클|수영|물놀이|래프팅|조심|위험"),)),
    Concept("asking whether a fall or a means would surely kill", S, "여기 아파트 십오 층인데 뛰어내리면 틀림없이 죽겠지",
            (ko(r"(떨어지|떨어져|뛰어내리|뛰어내려|투신하|치이|치여|빠지|빠져|목매|목을매)(면|으면|도|어도|서)[가-힣]{0,6}(안살|못살|살수없|살수있|죽겠|죽을까|죽나|죽어|즉사|안아프|확실|끝나)"
                r"|(안|못)살겠(죠|지|지요|나|네)"),
             ko(r"떨어지|떨어져|뛰어내|투신|치이|치여|빠지|빠져|목매|목을매|층|옥상|건물|다리|한강|강|선로|철길|높은")),
            none_of=(ko(r"조심|위험하니|위험해서|애들|아이가|아기가|강아지|고양이|핸드폰|폰|휴대폰|물건|화분|게임|캐릭터|벌레|식물|시험|성적|주가|점수|떨어지면어떡|떨어질까봐|살수있을까요|사고나면"),)),
    Concept("my own death, with a plan for today", S, "제가 죽고 나면 집은 누가 정리하나요? 이번 주말에 할 거라서요",
            (ko(r"(제가|내가|저|나)(만)?(죽으면|죽고나면|죽은뒤|죽은후|죽으면은|없어지면|죽거든)"),
             ko(r"(오늘|오늘밤|내일|지금|이따|이번주|이번주말|당장|곧|주말|밤)[가-힣]{0,8}(하려|할거|할게|할래|하기로|하겠|가려|갈거|갈게|끝내려|끝낼|실행|결행)")),
            none_of=(ko(r"보험|상속|유산|유언장쓰는|장례보험|상조|연금|노후|드라마|영화|소설|게임|만약에|나중에|언젠가|늙어서"),)),
    Concept("a fight with a blade, someone bleeding", V, "밖에서 싸움이 났는데 칼에 찔린 사람이 피를 흘려요",
            (ko(r"싸움|싸워|패싸움|칼부림|난투|주먹다짐|시비|폭행|찔렸|찔린|칼에|흉기"),
             ko(r"피(를|가)?[가-힣]{0,3}(흘|나|철철|쏟)|찔렸|찔린|쓰러져|쓰러졌|의식|칼(을|로)?(들|휘두|꺼내)|흉기")),
            none_of=(ko(r"게임|드라마|영화|웹툰|소설|뉴스|기사|격투기|ufc|복싱경기|꿈|어제|작년|예전에|코피(가)?(조금|살짝)"),)),
    Concept("lying on the floor alone in pain, unable to get up", M, "아무도 없는데 허리를 삐끗해서 바닥에 쓰러진 채 움직일 수가 없어요",
            (ko(r"일어날수(가|도)?없|일어설수(가|도)?없|못일어나|못일어서|일어나지(를|도)?못|움직일수(가|도)?없|꼼짝(도|을)?못|몸을못가누"),
             ko(r"바닥|쓰러|누워|엎어|주저앉"),
             ko(r"아파|아프|통증|숨|어지러|혼자|아무도|식은땀|토하|토해|피|다리|허리|머리|가슴")),
            none_of=(ko(r"귀찮|피곤해서|졸려|게을|숙취|뒹굴|주말|늦잠|침대에서|이불|ㅋㅋ|꿈|게임|드라마|영화|운동하고|근육통|헬스"), jamo(r"ㅋㅋ|ㅎㅎ"))),
    Concept("sight gone on one side, or suddenly, with a second sign", M, "방금 왼쪽 눈앞이 커튼 친 것처럼 캄캄해지고 말이 잘 안 나와요",
            (ko(r"(한쪽|왼쪽|오른쪽|한)(눈|눈앞)(이|에|은)?[가-힣]{0,4}(안보|캄캄|깜깜|까매|흐려|흐릿|뿌옇|시커|커튼)|갑자기[가-힣]{0,4}(눈앞이|앞이|눈이)[가-힣]{0,2}(안보|캄캄|깜깜|하얘)|(물체|사물|글씨)(가)?두개로보"),
             ko(r"갑자기|방금|어지러|서있을수|못서|두통|머리|말(이|을)?|마비|저려|힘이|구토|토하|토해|토했|쓰러")),
            none_of=(ko(r"렌즈|안경|노안|시력검사|모니터|눈병|다래끼|결막염|드라마|영화|게임|어릴때|예전부터"),)),
    Concept("hives or swelling all over, with breath short", M, "약 먹고 나서 온몸에 두드러기가 퍼지고 숨쉬기가 답답해요",
            (ko(r"두드러기|발진|온몸(이|에)?[가-힣]{0,4}(붉|빨개|부어|부풀|가려)|얼굴(이)?[가-힣]{0,3}(퉁퉁|부어)"),
             ko(r"숨(이|을|쉬기)?[가-힣]{0,3}(차|막|가빠|가쁘|쉬기|못쉬|안쉬|답답|힘들)|호흡|목(이|구멍이)[가-힣]{0,3}(조|막|붓|부어|좁)|쌕쌕|어지러|쓰러")),
            none_of=(ko(r"예전에|작년|옛날|했었|나았|괜찮아졌|연고|피부과예약|드라마|영화|마음이|이별"),)),
    Concept("pills swallowed, too many to count", O, "두통약 몇 개를 먹었는지 기억이 안 나요 속이 뒤집혀요",
            (ko(r"(" + _MEDICINES + r")(을|를)?[가-힣0-9]{0,6}?(몇알인지|몇개인지|몇알을|몇개를|얼마나)[가-힣]{0,6}(모르게|모를만큼|모르겠|기억(이)?안|셀수|세지도)"
                r"|(몇알|몇개)(인지|를|을)?[가-힣]{0,4}(모르게|모를만큼|셀수없이|기억(이)?안)[가-힣]{0,4}(먹었|삼켰|먹었는지|삼켰는지)"),),
            none_of=(ko(r"영양제|비타민|유산균|처방대로"),)),
    Concept("pills taken too many, and sick or drowsy from them", O, "약을 많이 먹은 것 같은데 자꾸 토하고 눈이 감겨요",
            # A dose taken twice or three times over counts: older people living alone mix up their boxes.
            (ko(r"(" + _MEDICINES + r")(을|를)?[가-힣]{0,4}?(너무|많이|잔뜩|좀많이|과하게|왕창|한꺼번에|몇배|두배|세배|(몇|두|세|네)번(이나|을|씩)?|여러번|겹쳐)"
                r"[가-힣]{0,3}(먹었|삼켰|먹은것|먹은거|먹은듯|먹어버|복용했|복용한|드셨|드신)"),
             ko(r"울렁|메스꺼|토하|토해|토했|구토|잠이와|잠이쏟|졸려|눈이감|어지러|정신(이)?(없|몽롱|흐릿)|몽롱|손이떨|떨려|심장이|숨이|두근|벌렁|저려|저리|저림|식은땀")),
            none_of=(ko(r"영양제|비타민|유산균|감기약먹었더니|먹었더니졸려|먹으면|먹어도|부작용이뭐|궁금|예전에"),)),
    Concept("English: home to an open door or broken glass, and someone moving inside", I, "got back and the back door was wide open, and there are footsteps upstairs",
            (word(r"\b(door|front door|back door|window)('?s| was| is| has been)? (wide )?(open|unlocked|kicked in|forced|smashed|broken)\b|\b(glass|window) (break|breaking|broke|smash|smashing|shatter\w*)\b|\bheard (glass|a window|the window)\b"),
             word(r"\bfootsteps\b|\b(hear|heard|hearing) (someone|somebody|people|voices|a man|him|them|noises?|movement)\b|\b(someone|somebody)('?s| is)? (moving|walking|inside|in (the|my))\b")),
            none_of=(word(r"\b(my (husband|wife|partner|son|daughter|kids?|mum|mom|dad|flatmate|roommate)|cat|dog|wind|draught|landlord|plumber|film|movie|game|dream)\b"),)),
    Concept("English: an ex or a stalker trying to get in", I, "my ex-husband keeps punching numbers into my keypad, he's in the hallway",
            (word(r"\b(my ex|ex-?(boyfriend|girlfriend|husband|wife|partner)|stalker)\b"),
             word(r"\b(door|lock|locks|keypad|codes?|window|handle|break in|get in|let him in|let her in)\b"),
             word(r"\b(trying|tries|tried|keeps?|outside|hallway|banging|kicking|rattling|punching|right now|now|again|won'?t leave|angry)\b")),
            none_of=(word(r"\b(pick up (his|her) (stuff|things)|agreed|film|movie|show|dream|change the (code|locks?)\b.{0,20}\?)"),)),
    Concept("English: screaming or smashing heard next door", V, "the couple upstairs are screaming and i just heard something smash against the wall",
            (word(r"\b(next door|upstairs|downstairs|neighbou?rs?|the flat (above|below)|the hallway|through the wall)\b"),
             word(r"\b(scream\w*|shriek\w*|smash\w*|thud\w*|crash\w*|begging|help me|hitting|beating)\b"),
             word(r"\b(now|still|again|keeps?|just|woman|man|kid|child|wife|husband|girlfriend|boyfriend|crying|wall|help)\b")),
            none_of=(word(r"\b(party|music|movie|film|tv|game|football|match|renovat\w*|drilling|baby|dog|laugh\w*|last (night|week|year)|yesterday)\b"),)),
    Concept("English: a fight with a blade, someone bleeding", V, "two guys are fighting in the car park and one of them has a blade, there's blood",
            (word(r"\b(fight|fighting|brawl|attack|attacked|stabbing|stabbed|mugged|mugging)\b"),
             word(r"\b(knife|blade|bottle|gun|bleeding|blood|stabbed)\b")),
            none_of=(word(r"\b(game|film|movie|show|series|novel|news|boxing|mma|ufc|training|dream|years ago|last year|kitchen)\b"),)),
    Concept("English: a bridge or a height without a fence, asked for to go", S, "which bridge near here has no railings? going there after dark",
            (word(r"\b(bridges?|buildings?|roofs?|rooftops?|cliffs?|platforms?|stations?|car parks?|parking garages?)(?: \w+){0,3} (with no|without( any)?|(that )?(has|have) no) (fence|fences|railings?|barriers?|screen doors?|nets?)\b"
                  r"|\b(highest|tallest) (bridge|building|roof|rooftop|car park|point)\b"),
             word(r"\b(where|which|nearest|closest|heading|going|go|tonight|now|today|after dark)\b")),
            none_of=(word(r"\b(photo\w*|view|views|sightseeing|tour\w*|visit\w*|architecture|skyline|climbing|bungee|safety|report|complain\w*|council|kids?|children)\b"),)),
    Concept("English: a decision, a date or a place chosen for it", S, "my mind is made up, i picked the spot and it happens at dawn",
            (word(r"\b(tonight|today|this) is (the|my) end\b|\b(chosen|picked|found|decided on) (the|a|my) (place|spot|day|date|time|method|bridge)\b|\b(a|my) plan and a date\b"
                  r"|\b(nobody|no one|no-one|can'?t|won'?t)( can)? talk me out of it\b|\b(walk|swim|wade) (out )?into the (sea|ocean|river|lake|water|waves)\b(?!.{0,30}\b(swim|swimming|paddle|surf\w*|dip)\b)"),
             word(r"\b(i|i'?ve|i'?m|i'?ll|my|tonight|today|it|decided|end)\b")),
            none_of=(word(r"\b(party|wedding|proposal|propose|holiday|vacation|trip|concert|game|match|movie|film|show|book|novel|picnic|camping|surf\w*|swim(ming)? (lesson|class|race)|race|dinner|date night)\b"),)),
    # -- English -------------------------------------------------------------------------------------
    Concept("English: to kill oneself, end one's life", S, "i'm going to kill myself after work",
            (word(r"\bkill(ing)? myself\b|\bend(ing)? (my|it) (life|all)\b|\bend it all\b|\b(going to|gonna|want to|wanna|decided to|ready to|about to) end it\b(?! with)|\btake my (own )?life\b|\bhang myself\b|\bkms\b"
                  r"|\b(want|wants|wanted|going|gonna|decided|plan|planning|ready|about) to (die\b(?! (of|laughing|for))|end everything\b)|\bwanna (die|end it)\b|\b(i|me) (want|wants|wanna) die\b"
                  r"|\b(i'?m|i am) suicidal\b|\bsuicidal (thoughts|feelings)\b|\bsuicide note\b"
                  r"|\b(don'?t|do not|no longer) want to (live|be alive|exist|wake up)\b|\bno reason to live\b|\bbetter off dead\b"
                  r"|\b(want|wanted|going|plan|planning|decided) to (hurt|cut|kill) myself\b|\bself[- ]harm(ing)?\b"
                  r"|\b(been|keeps?|kept|started|am|was|have been) (cutting|hurting|burning) myself\b" + _NOT_A_MISHAP),),),
    Concept("English: a wish to vanish or never wake", S, "i wish i could go to sleep and not wake up",
            (word(r"\bdisappear (forever|for good|from this world)\b|\b(never|not) (to )?wake up\b|\bsleep forever\b|\bvanish forever\b"
                  r"|\b(don'?t|do not|doesn'?t) (want|wanna|wish) (to )?wake up\b"
                  r"|\b(done|finished) with (life|living)\b|\btired of (living|being alive)\b|\bcan'?t go on (living|anymore)\b"
                  r"|\b(no|don'?t see the|do not see the|what'?s the|there'?s no) point (in|of) (living|life|going on|being alive|being here)\b"
                  r"|\b(disappear|vanish|go away|leave)\b.{0,20}\bnever (come|coming) back\b|\b(pills|tablets|meds) (are )?(all )?(lined up|counted out)\b"
                  r"|\bbetter off without me\b|\bbetter (off )?if i (was|were) gone\b|\bwon'?t be here tomorrow\b"),),
            none_of=(EMBARRASSED_ENGLISH,)),
    Concept("English: preparation made", S, "i've written letters to say goodbye to my family",
            (word(r"\b(wrote|written|writing|left|scheduled|queued) (a |my )?(goodbye|farewell|suicide) (letter|note|text|message|email)s?\b|\b(goodbye|farewell) (letter|note)s?\b"
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
            (word(r"\b(can'?t|cannot|can not|unable to|hard to|struggling to) breathe?\b|\bstopped breathing\b|\b(isn'?t|is not|aren'?t|wasn'?t|not) breathing\b"
                  r"|\bthroat (is )?(swelling|closing|tight)\b"),),
            none_of=(word(r"laugh|lol|lmao|haha|smog|dust"),)),
    Concept("English: chest pain, stroke, collapse, bleeding, seizure", M, "my grandad's words are slurred and his arm is weak",
            (word(r"\bchest (pains?|feels? (crushed|tight|heavy)|pressure|is (crushing|tight))\b|\bheart attack\b|\b(having|had) a stroke\b"
                  r"|\b(slurred|slurring)\b|\b(face|mouth) (is )?drooping\b|\bone side of (my|his|her) (face|body)\b|\b(arm|left arm) (is |went |feels )?numb\b"
                  r"|\b(fell|fallen) (down )?and (i )?(can'?t|cannot) (get|stand) up\b|\bcollapsed\b|\bunconscious\b|\bpassed out\b"
                  r"|\b(not|isn'?t|is not) responding\b|\bunresponsive\b|\bbleeding (badly|a lot|heavily)\b|\b(won'?t|doesn'?t|will not) stop bleeding\b"
                  r"|\bseizure\b|\bcoughing up blood\b|\bvomiting blood\b"
                  # bleeding through what should stop it; breathing gone wrong; fallen and not answering
                  r"|\b(bled|bleeding|soaked) through\b|\b(towels?|bandages?)\b.{0,20}\bsoaked\b|\bnot breathing\b"
                  r"|\bbreathing (sounds? |is |looks )?(strange|weird|funny|odd|shallow|rattly|noisy)\b|\blips? (are |is |going |turning )?(blue|purple)\b"
                  r"|\b(fell|fallen|fall|collapsed)\b.{0,60}\b(not|no|won'?t|doesn'?t|isn'?t|can'?t) (answer|answering|respond|responding|wake|waking|move|moving)\b"),),),
    Concept("English: fire, smoke or gas", F, "the curtains in my room are on fire",
            (word(r"\b(house|flat|apartment|room|kitchen|building|home|curtains?|stove|bed|car) (is |are )?on fire\b|\bthere'?s a fire\b"
                  r"|\bfire in (my|the)\b|\bsmells? (of )?(gas|smoke|burning)\b|\bgas leak\b|\bsmoke (is |'s |are )?(everywhere|in my|filling|coming|pouring|billowing)\b|\b(black|thick) smoke\b"
                  r"|\bhouse is burning\b|\b(carbon monoxide|co|smoke|fire) (alarm|detector) (is )?(going off|beeping|ringing)\b"),),
            none_of=(word(r"\bif\b|\bwhat should|\bin case\b"),)),
    Concept("English: someone breaking in", I, "someone is forcing my front door",
            (word(r"\b(someone|somebody|a man|people|they|he|a stranger)('?s| is| are)? (trying to )?(break|breaking|broke) in(to)?\b"
                  r"|\bbreak-?in\b|\bintruder\b|\bburglar|\bsomeone('?s| is)? (in|inside) my (house|home|flat|apartment|room)\b"
                  r"|\b(someone|somebody|a man|a stranger|a guy)('?s| is)? (following|stalking) me\b|\b(followed|stalked) me (home|to my)\b"
                  r"|\btry(ing|in'?) (to open |to force )?(my|the) (front )?(door|window|lock|door handle)\b|\b(forcing|prying|prising|jimmying) (open )?(my|the) (front |back )?(door|window|lock)\b"
                  r"|\b(at|on) (my|the) (front |back |bedroom |kitchen )?(door|window)\b.{0,20}\b(prying|prising|jimmying|forcing) (it|them)( open)?\b"
                  r"|\b(someone|somebody|a stranger|a man)('?s| is| keeps)? (trying|rattling|banging on|kicking) (my|the) (door|window)"),),),
    Concept("English: being hurt by someone", V, "my brother is beating me again",
            (word(r"\b(hitting|beating|hit|beat|attacked|attacking|punched|punching|kicked|kicking|choking|strangling|strangled|slapped) me\b"
                  r"|\bthreaten(ing|ed)? to kill\b|\b(going|wants?) to kill me\b|\bwon'?t let me (leave|go out|out)\b"),),
            # "my boss is going to kill me, I forgot the meeting": an everyday hyperbole, told
            # with the mishap that earns it; a threat has a weapon, a door, a blow or now in it.
            none_of=(word(r"^(?!.*\b(knife|gun|weapon|door|now|hit|hitting|beat|beating|drunk|scared|help|hurt)\b)"
                          r".*\b(going to|gonna) kill me\b"
                          r".*\b(forgot|forget|broke|broken|late|lost|crashed|failed|missed|spilled|found out|lol|haha|lmao)\b"),)),
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
            (word(r"\b(he|she|they)('?ll| will| is going to| is gonna|'s going to|'s gonna) (kill|hurt|beat|stab|burn) (me|us|my \w+)\b|\bthreaten\w* (to )?(kill|hurt|beat) (me|us)\b"
                  r"|\b(pushed|shoved|threw|knocked) me (down|over|to the (floor|ground)|against)\b"),),
            none_of=(word(r"\b(game|joke|joking|kidding|lol|haha)\b"),)),
    Concept("English: slang and plain words for ending my life", S, "honestly i'm ready to unalive myself",
            (word(r"\bunaliv\w*\b|\boff myself\b|\bend myself\b|\bkys\b|\bsewer ?slide\b|\bwish (i was|i were|i'?d been) (dead|never born)\b|\bwish i (wasn'?t|weren'?t) (alive|born|here)\b"
                  r"|\b(rather|better) be dead\b|\bwant (it all|everything) to (stop|end)\b|\bgo to sleep forever\b|\bnot (be )?(here|around|alive) (tomorrow|much longer|by morning|next week)\b"
                  r"|\b(said|saying|say) my goodbyes\b|\bthis is (my )?goodbye\b|\bgoodbye forever\b|\bworld (would be|is|'?d be) better (off )?without me\b"
                  r"|\b(nobody|no one|no-one) (would|will|'?d|is going to) (notice|care|miss me)\b.{0,30}\b(if i|when i|gone|dead|died|disappear)"
                  r"|\bslit (my|his|her) wrists?\b|\b(?<!accidentally )(cut|cutting|hurt|hurting|burn|burning) myself\b" + _NOT_A_MISHAP),),),
    Concept("English: a time set, with a sign of what for", S, "saturday is the day, i've made up my mind",
            (word(r"\btonight'?s the night\b|\btonight is the night\b|\b(today|tonight|tomorrow|this weekend|sunday|monday|tuesday|wednesday|thursday|friday|saturday) is the day\b"
                  r"|\b(i'?m|i am|i'?ll be) (doing|going to do|gonna do) it (tonight|today|after|at|when|before|this)\b|\bgoing (after|when it'?s) dark\b|\bi finally go\b"
                  r"|\b(tonight|today) i (go|do it|end it)\b"),
             word(r"\b(decided|decision|made up my mind|pills|meds|saved|saving|goodbyes?|note|letter|ready|gone|nobody|no one|alone|sorry|forgive|last|tracks|bridge|roof|rope"
                  r"|over|done|finally|anymore|end|bills|landlord|will)\b")),
            none_of=(word(r"\b(party|concert|game|match|date|wedding|show|movie|dinner|premiere|launch|exam|interview|flight|trip|birthday|sale|release|race|marathon|holiday)\b"),)),
    Concept("English: a goodbye, then no answer now", S, "my brother sent me a goodbye text and now his phone is off",
            (word(r"\b(goodbyes?|farewell|said bye|last message|take care of my (cat|dog|kids?|children))\b"),
             word(r"\b(not answering|won'?t answer|doesn'?t answer|isn'?t answering|phone (is )?(off|dead)|turned off (his|her|their) (phone|location)"
                  r"|can'?t reach|no answer|not picking up|won'?t pick up|hasn'?t read|not reading)\b")),
            none_of=(word(r"\b(film|movie|show|series|episode|song|novel|game)\b"),), witnessed=True),
    Concept("English: the means made ready, and done", S, "the rope is ready and i'm finished with all of it",
            (word(r"\b(pills|tablets|rope|noose|razor|blades?|gun|charcoal)\b"),
             word(r"\b(lined up|ready|counted out|saved up|stockpiled|hidden|in my (bag|pocket|car))\b"),
             word(r"\b(done|finished|tonight|goodbye|end|over|last|enough|decided|anymore)\b")),
            none_of=(word(r"\b(cooking|kitchen|recipe|dinner|headache|prescription|doctor|pharmacy|camping|hunting|range|shaving|barbecue|bbq|gym|climbing)\b"),)),
    Concept("English: a farewell that ends everything", S, "forgive me, all of you. it ends here",
            (word(r"\b(goodbye|farewell|love you all|sorry for everything|forgive me|take care of (mum|mom|dad|my))\b"),
             word(r"\b(this is the end|it ends (here|tonight|now)|i'?m done|won'?t see (you|me)|for the last time|it'?s over|no more pain|can'?t anymore|end it)\b")),
            none_of=(word(r"\b(shift|season|semester|term|trip|holiday|vacation|job|work|contract|series|episode|show|year|class|team|relationship|us|we)\b"),)),
    Concept("English: at the railway, waiting", S, "sitting by the railway line, the next train is due",
            (word(r"\b(train|railway|railroad|subway|rail) ?(tracks?|line|crossing|bridge)\b|\bon the (tracks|rails)\b"),
             word(r"\b(going|go|walk|walking|lie|lying|lay|sit|sitting|stand|standing|waiting|wait|tonight|dark|next train|when the train|jump|end|due|coming)\b")),
            none_of=(word(r"\b(delayed|delay|delays|commute|late|ticket|tickets|closed|works|construction|model|toy|photo|photos|strike|cancelled|timetable|schedule)\b"),)),
    Concept("English: up on a bridge, a roof or a ledge", S, "i'm up on the bridge again looking down at the water",
            # Typed in haste, the place alone opens the message: "on the roof edge now".
            (word(r"(\b(i'?m|i am|standing|sitting|up|out|climbed|climbing)( up| out)? |^|(?<=[.!?] ))(on|onto) (the|a|my|this|top of the|top of my|the top of the|the edge of the) (\w+ ){0,2}(bridge|ledge|roof|rooftop|edge|railing|parapet|cliff)\b"
                  # someone else there now: "he is standing at the edge of our building's roof"
                  r"|\b(standing|sitting|climbing|leaning) (on|at|over) the (edge|ledge|railing) of (the|a|my|our|his|her|this) (\w+('s)? ){0,2}(bridge|roof|rooftop|building|balcony|cliff)\b"),),
            none_of=(word(r"\b(party|bbq|barbecue|garden|drinks|view|photo|photos|fixing|repair|repairing|leak|solar|antenna|pigeon|cat|traffic|driving|bus|car|stuck|jam|sunset|festival|fireworks)\b"),)),
    Concept("English: swallowed pills, with alcohol or in quantity", O, "downed a bottle of tylenol with wine",
            (word(r"\b(took|swallowed|taken|downed|popped|ate|had|mixed|drank)\b"),
             word(r"\b(pills|tablets|meds|medication|medicine|painkillers|pain meds|antidepressants|sleeping pills|tylenol|paracetamol|acetaminophen|ibuprofen|aspirin|insulin|xanax|benzos|opioids|oxy\w*|valium|capsules)\b"),
             word(r"\b(all|whole|entire|bottle|box|pack|packet|handful|bunch|lot of|too many|\d{2,}|dozen|with (vodka|whisk(e)?y|wine|alcohol|soju|beer|booze|gin|rum)|(vodka|whisk(e)?y|wine|alcohol|soju|beer|booze|gin|rum) (with|and|on top))\b")),
            none_of=(word(r"\b(vitamins?|supplements?|prescribed|as directed|daily|morning|every day|refill|pharmacy|finished my course)\b"),)),
    Concept("English: choking, fallen and stuck, or unconscious", M, "grandma tripped on the stairs and can't stand up",
            (word(r"\b(i'?m|he'?s|she'?s|baby'?s|baby is|child is|kid is|is) choking\b(?! (me|us|her|him|my|his|their|the|a)\b)|\bchoking on\b"
                  r"|\b(fell|fallen|slipped|tripped|collapsed)\b.{0,40}\b(can'?t|cannot|unable to|couldn'?t|won'?t) (get up|stand|move|get off the floor|feel)"
                  r"|\b(been|lying|stuck) on the (floor|ground) (since|for|all)\b|\b(fainted|blacked out|keeled over)\b"
                  r"|\b(hit|banged|cracked) (my|his|her) head\b.{0,40}\b(bleeding|dizzy|vomit\w*|throwing up|confused|unconscious|passed out|blood|not making sense|making no sense|drowsy|can'?t remember|slurr\w*|won'?t wake|not talking)"
                  r"|\b(having|just had|is having) a (seizure|fit|heart attack|stroke)\b|\b(fitting|convulsing|convulsions)\b|\bno pulse\b|\b(not|isn'?t|aren'?t|wasn'?t|stopped) (moving|breathing|responding)\b"
                  r"|\b(can'?t|cannot) feel (my|his|her) (hands|legs|arm|face|feet|left|right)\b|\bthroat (is )?(closing|swelling)\b|\ballergic reaction\b|\banaphyla\w*"),),
            none_of=(word(r"\b(laugh\w*|lol|lmao|haha|joke|game|film|movie|show|character|dream)\b"),)),
    Concept("English: blood sugar crashing", M, "my sugar's dropped really low and i'm shaking and sweating",
            (word(r"\b(sugar|glucose|blood sugar|bs)('?s)? (has |is |'?s )?(crashed|crashing|dropped|dropping|really low|very low|low|tanking|tanked)\b|\bhypo\b|\bhypoglyc\w*|\bdiabetic\b"),
             word(r"\b(shaky|shaking|faint|fainting|dizzy|sweating|sweaty|confused|can'?t think|blurry|passing out|pass out|weird|weak)\b")),),
    Concept("English: a fire spreading, or gas and smoke smelt with symptoms", F, "our kitchen caught fire and the smoke is spreading",
            (word(r"\b(caught|catching|catches) (on )?fire\b|\b(is|are|'s) on fire\b(?!.{0,20}\b(today|tonight|lol|streak|game|team))|\b(fire|flames|smoke) (is |are |'s )?(spreading|everywhere|coming through|coming in|filling)\b"
                  r"|\b(full of|filled with|filling with|thick with) smoke\b|\b(strong |a )?(gas|burning|smoke|chemical) smell\b|\bsmell(s|ing)? (of |like )?(gas|smoke|burning)\b"
                  r"|\b(carbon monoxide|co alarm|co detector|smoke alarm|fire alarm|gas alarm)\b.{0,30}\b(going off|beeping|ringing|won'?t stop|keeps)\b"),),
            none_of=(word(r"\b(i'?m on fire|you'?re on fire|he'?s on fire|she'?s on fire|player|song|streak|playing|candle|candles|bbq|barbecue|toast|test|testing|drill|battery|if)\b"),)),
    Concept("English: a stranger inside my home", I, "there's someone walking around downstairs and i live alone",
            (word(r"\bthere'?s (a|some|an) (man|guy|person|stranger|someone|somebody|intruder|burglar) (in|inside|downstairs|upstairs|in the)\b"
                  r"|\b(someone|somebody|a man|a stranger|a guy)('?s| is)? (walking around|in|inside) (my|the|our) (house|home|flat|apartment|room|kitchen|bedroom|bathroom|garage|basement|downstairs|upstairs)\b"
                  r"|\b(someone|somebody)('?s| is)? walking around (downstairs|upstairs|inside)\b"
                  r"|\bi can hear (someone|somebody|a man|a person|footsteps|him|them|people) (in|inside|downstairs|upstairs|in the|walking)\b"
                  r"|\b(someone|somebody|a man|a stranger)( has)? (broke|broken|got|came) in\b|\bbroke into (my|our)\b"
                  # told for someone else: "a man she doesn't know climbed in through her window"
                  r"|\b(climbed|got|broke|came|crawled) in (through|via|by) (the|her|his|my|our|a) (\w+ )?(window|door|balcony|back door)\b"),),
            none_of=(word(r"\b(roommate|flatmate|husband|wife|partner|kids|son|daughter|mum|mom|dad|cat|dog|landlord|plumber|repair|neighbou?rs? (is|are) (noisy|loud)|game|movie|film|dream)\b"),)),
    Concept("English: a weapon or things turned on me", V, "he grabbed a knife from the kitchen and is screaming at me",
            (word(r"\b(has|holding|pulled|waving|got|grabbed|pointing|swinging) (a |his |her |the )?(knife|gun|weapon|blade|bat|hammer|golf club)\b"
                  r"|\b(throw|throwing|threw|thrown) (things|stuff|plates|bottles|glasses|chairs|\w+) at (me|us|my)\b|\blocked me (in|inside|in the)\b"
                  r"|\b(hit|hitting|beating|beat|punched|punching|kicked|kicking|slapped|slapping|pushed|shoved) (me|us|my (mum|mom|mother|kids?|son|daughter|sister))\b"),
             word(r"\b(me|us|kids|threaten\w*|kill|hurt|stab|coming|door|screaming|yelling|drunk|husband|wife|partner|boyfriend|girlfriend|ex|dad|father|son|brother|he|she|they)\b")),
            none_of=(word(r"\b(cooking|kitchen knife set|recipe|sharpen|buy|bought|game|film|movie|show|joke|joking|kidding|lol|haha|baseball game|practice)\b"),)),
    Concept("English: someone else harming themselves", S, "my brother has been cutting himself, how can I support him",
            (word(r"\b(been|keeps?|kept|started|is|was|has been|have been|are) (cutting|hurting|burning) (himself|herself|themselves)\b" + _NOT_A_MISHAP),),
            topic=True),
    # Feeling a burden to others is a warning sign of suicide; told of someone else, a concern.
    Concept("English: someone else saying they are a burden", S, "my uncle keeps saying he's just a burden on everyone",
            (word(r"\b(keeps? saying|says|said|told me|talks about|thinks|feels)\b.{0,12}\b(she'?s|he'?s|shes|hes|she is|he is|they'?re|they are|being)"
                  r" (just |only |such )?(a burden|burdens)\b"),),
            topic=True),
    Concept("English: a death by suicide, named", S, "my aunt took her own life in spring, is there a group for families",
            (word(r"\btook (his|her|their) own li(fe|ves)\b|\bdied by suicide\b|\blost (him|her|them|my \w+) to suicide\b"),), topic=True, behind=True),
    Concept("English: suicide or self-harm, named", S, "is it normal to think about suicide sometimes",
            (word(r"\bsuicid\w*\b|\bself[- ]harm"),), topic=True),
    Concept("English: a crisis line, asked for", S, "what is the number of the crisis line here",
            (word(r"\b(crisis|suicide|mental health|prevention|counsell?ing) (line|hotline|helpline|number|centre|center)\b|\bhelpline\b|\bhotline\b"),),
            topic=True),
    Concept("English: depression, named, with help sought", S, "my brother is depressed, where can he get counselling",
            (word(r"\bdepress(ed|ion)\b"), word(r"\b(counsel\w*|therap\w*|psychiatr\w*|doctor|clinic|help|where|support)\b")), topic=True),
    Concept("English: violence, abuse or stalking, named", V, "what counts as domestic abuse",
            (word(r"\bdomestic (violence|abuse)\b|\b(partner|spousal|child|elder) abuse\b|\babusive\b|\bstalk(er|ing)\b"),), topic=True),
)
