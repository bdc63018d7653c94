"""Crisis detection: danger now gets the right numbers; a question about crisis help is a
concern; everyday exaggeration, stories and news get neither.

Every sentence here is written for these tests; none comes from the development set or the
held-out crisis sets (a test below checks the held-out ones).
"""

import json
import re
from pathlib import Path

import pytest

from catalog import CrisisKind, detect_crisis
from catalog.crisis import CONCEPTS, DIALECT, Reading, assess, assess_by_rules, detect_concern
from catalog.tools.commands import match_json_line

S, O, M, F, I, V = (CrisisKind.SUICIDE, CrisisKind.OVERDOSE, CrisisKind.MEDICAL,
                    CrisisKind.FIRE, CrisisKind.INTRUDER, CrisisKind.VIOLENCE)


# ---- the table, concept by concept -------------------------------------------------------------

@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: c.name)
def test_every_concept_recognises_its_own_example(concept):
    found = assess(concept.example)
    assert concept.name in found.concepts, concept.example
    if concept.topic:
        assert found.crisis is not None or found.concern is not None
    else:
        assert found.crisis is not None and found.crisis.kind is concept.kind, found


def test_concept_names_are_unique_and_every_row_has_an_example():
    names = [c.name for c in CONCEPTS]
    assert len(names) == len(set(names))
    assert all(c.example.strip() for c in CONCEPTS)


@pytest.mark.parametrize("spelling, standard, example", DIALECT, ids=[d[2] for d in DIALECT])
def test_dialect_spellings_are_read_in_standard_form(spelling, standard, example):
    word = example.split(" (")[0].split(",")[0]
    assert re.search(spelling, word), example


# ---- danger now, in the grammar people use --------------------------------------------------------

@pytest.mark.parametrize(
    "text, kind",
    [
        # the will to die: wish, intention, resolve, the future, must
        ("요즘 자꾸 죽고 싶어져요", S),
        ("죽고 싶을 만큼 괴로워요", S),  # pain measured by dying stays a wish; embarrassment does not
        ("주말에 죽으려고 마음 정리 중이야", S),
        ("이번 겨울 넘기기 전에 죽을 겁니다", S),
        ("죽기로 정했어 더는 말리지 마", S),
        ("나 같은 건 그냥 죽어야지", S),
        ("기필코 죽겠다", S),
        ("확 죽어버릴까 보다", S),
        ("더는 살고 싶은 마음이 없어요", S),
        ("이런 세상 그만 살래", S),
        ("삶을 포기하고 싶다는 생각이 들어", S),
        ("모든 걸 끝내려고 결심했어", S),
        ("이 세상에서 싹 사라져 버리고 싶어", S),
        ("자다가 영원히 눈을 감았으면", S),
        ("내일 아침엔 안 깨어났으면 좋겠다", S),
        ("나만 없으면 가족들이 행복할 텐데", S),
        # dialect, slang, spaced letters
        ("내사 마 죽고잡다", S),
        ("콱 뒤져뿔까", S),
        ("ㅈㅅ할까 진지하게 고민중", S),
        ("오늘 밤 자 살 할 거야", S),
        # preparation and means
        ("오늘 유서 썼어 아무한테도 말 안 했어", S),
        ("수면제를 조금씩 모아 두고 있어요", S),
        ("번개탄 사서 트렁크에 넣어놨어", S),
        ("오늘 밤 목을 맬 거야", S),
        ("아파트 난간을 넘어서 매달려 있어", S),
        ("강물에 뛰어들려고 다리 위에 왔어", S),
        # overdose and poison
        ("감기약을 스무 알 넘게 먹었어요", O),
        ("살충제를 마셔버렸어", O),
        # medical, by symptoms
        ("숨이 가빠서 말을 못 하겠어요", M),
        ("가슴이 짓눌리는 것 같고 왼팔까지 저려요", M),
        ("갑자기 한쪽 팔다리에 감각이 없어요", M),
        ("할머니가 의식을 잃으셨어요", M),
        ("욕조에서 미끄러졌는데 꼼짝도 못 하겠어요", M),
        ("아부지가 욕실서 넘어져가 몬 일나신다", M),  # Gyeongsang: 넘어져서 못 일어나신다
        ("my neighbour fell down the stairs and isnt moving", M),
        ("i cant do this anymore. its all over now, goodbye", S),  # "over now" is no past here
        ("me want die, nobody here for me", S),  # broken English
        ("phone is off, i am walking into the river now", S),
        ("우리 영감이 술만 먹으면 손찌검한다 지금도 그래", V),  # an older woman's name for her husband
        ("중간밸브 열어두고 방에 누웠어요", S),
        ("약 한 봉지 다 먹어불쿠다", O),  # Jeju 먹어 버리겠다
        ("someone broke in last week and he is back right now", I),
        ("할매가 마당서 자빠져가 일나지를 못한다", M),
        ("넘어져서 이마가 찢어졌는데 피가 콸콸 나요", M),
        ("아까부터 피를 토해요", M),
        ("아빠가 거품을 물고 경련을 해요", M),
        ("벌에 쏘인 데가 부어오르고 숨이 차요", M),
        ("빵이 목에 걸려서 켁켁거려요", M),
        # fire and gas
        ("전자레인지에서 불꽃이 튀더니 연기가 나요", F),
        ("부엌에 매캐한 연기가 가득 찼어요", F),
        ("계량기 쪽에서 가스가 새요", F),
        ("거실에 연기가 자욱해요", F),
        # intruder
        ("모르는 사람이 현관문 손잡이를 자꾸 돌려요", I),
        ("수상한 남자가 창문을 억지로 열려고 해요", I),
        ("혼자 있는데 안방에서 발소리가 들려요", I),
        ("낯선 남자가 우리 집까지 쫓아왔어요", I),
        # violence
        ("남편이 목을 졸랐어요 숨이 막혔어", V),
        ("동거인한테 맞아서 팔에 멍이 들었어요", V),
        ("애인이 내 핸드폰을 부수고 못 나가게 해요", V),
        ("그놈이 칼을 들고 위협하고 있어요", V),
        # English
        ("i have decided to end my life", S),
        ("i wrote a goodbye note to my sister", S),
        ("i'm sitting on the ledge of my building", S),
        ("i keep wanting to disappear forever", S),
        ("i took a handful of sleeping pills", O),
        ("my mum's speech is slurred all of a sudden", M),
        ("there is smoke pouring out of the kitchen", F),
        ("someone is banging on my door and trying the lock", I),
        ("my partner is choking me", V),
    ],
)
def test_danger_told_in_varied_grammar_is_a_crisis_of_its_kind(text, kind):
    crisis = detect_crisis(text)
    assert crisis is not None, (text, assess(text))
    assert crisis.kind is kind, (text, crisis.kind)


@pytest.mark.parametrize(
    "text, kind, first_number",
    [
        ("그냥 다 사라지고 싶어요", S, "109"),
        ("수면제를 한꺼번에 먹었어요", O, "119"),
        ("가슴이 조여오고 식은땀이 나요", M, "119"),
        ("부엌에 불이 났어요", F, "119"),
        ("someone is breaking into my flat", I, "112"),
        ("남편이 매일 때려요", V, "112"),
    ],
)
def test_the_number_to_call_first_comes_first(text, kind, first_number):
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.kind is kind
    assert crisis.hotlines[0].number == first_number


# ---- not a crisis -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        # colloquial 죽겠다 and its kin: an adjective or verb + 아/어 죽겠다
        "배고파 죽겠어",
        "귀찮아 죽겠네 진짜",
        "웃겨 죽는 줄 알았어",
        "추워서 죽을 것 같아",
        "시끄러워 죽겠다 윗집",
        "아 나 죽겠다 오늘 너무 바빴어",
        "너 그거 또 먹으면 죽을래?",
        "이번 발표 망치면 나 진짜 죽었다",
        "이 노래 진짜 죽인다",
        "아침에 일나가 밥 묵었다",
        "my boss is gonna kill me, i forgot his birthday lol",
        "the kids went paddling and one of them wanted to walk into the sea",
        # dying as the measure of embarrassment
        "회식에서 넘어져서 죽고 싶을 만큼 창피했음",
        "그 사진 보니까 죽고싶을정도로 쪽팔리네",
        # the words of the concepts in everyday use
        "가슴이 아파 그 사람 생각에",
        "혼자 살고 싶다",
        "혼자 살 계획 세우는 중",
        "혼자 해야 할 일이 많아",
        "투자해볼까 고민 중",
        "일 다 끝내고 싶어",
        "오늘 안에 과제 끝내려고",
        "다음 달에 여행 떠나려고 해",
        "공부 때려치우고 싶다",
        "열불나서 미치겠어",
        "자살골 넣어서 졌어",
        "운동 강도가 너무 세",
        "옷을 살 이유가 없어",
        "회의실에서 조용히 사라지고 싶었다",
        "이 동네에서는 더 살기 싫어 이사 가고 싶어",
        "옥상 텃밭에 상추 심었어",
        "숯불에 삼겹살 구워 먹자",
        "돈에 목매지 말자",
        "유서 깊은 절에 다녀왔어",
        "수면제 먹고 푹 잤어",
        "영양제 모아서 먹는 중",
        "혼자 노래방 가서 소리 질렀어",
        "누나가 두 명이라 든든해",
        "기다리라고 말 못 하겠어",
        "분위기가 숨 막혀서 회사 가기 싫다",
        "떡볶이 먹고 입에 불났어",
        "담배 연기가 베란다로 들어와서 짜증나",
        "그 배우 연기가 많이 늘었네",
        "글 자삭하고 싶다 너무 부끄러워",
        # stories and news about others
        "웹툰에서 주인공이 옥상에서 뛰어내리려고 하는 장면이 나왔어",
        "옆 동네 공장에 불이 났대",
        # English
        "I'm dying to see that movie",
        "my phone died",
        "this commute is killing me",
        "i could murder a burger right now",
        "i cried laughing, couldn't breathe",
        "i'm done with this assignment finally",
    ],
)
def test_everyday_speech_is_not_a_crisis(text):
    assert assess_by_rules(text).crisis is None, (text, assess_by_rules(text))


def test_hearsay_in_one_sentence_does_not_hide_the_speakers_own_in_the_next():
    assert detect_crisis("친구가 그러는데 그 가게 문 닫는대. 난 진짜 죽고 싶어.") is not None
    assert detect_crisis("동료가 죽고 싶대요") is None


# ---- concern: a question about crisis help ---------------------------------------------------------

@pytest.mark.parametrize(
    "text, kind, first_number",
    [
        ("후배가 자꾸 죽고 싶다는데 어떻게 도와야 할까요", S, "109"),
        ("자해하는 친구를 도울 수 있는 상담 기관이 있나요", S, "109"),
        ("자살 예방 상담 받을 수 있는 곳 알려주세요", S, "109"),
        ("데이트폭력 상담은 어디서 받나요", V, "1366"),
        ("스토킹 피해자 지원 제도가 궁금해요", I, "1366"),
        ("where can my neighbour get support for domestic abuse", V, "1366"),
    ],
)
def test_questions_about_crisis_help_are_a_concern_not_a_crisis(text, kind, first_number):
    found = assess(text)
    assert found.crisis is None, (text, found)
    assert found.concern is not None and found.concern.kind is kind, (text, found)
    assert found.concern.hotlines[0].number == first_number
    assert detect_concern(text) == found.concern


def test_a_first_person_wish_to_die_stays_a_crisis_even_when_help_is_asked_for():
    assert detect_crisis("죽고 싶은데 어디 상담받을 곳 있을까요") is not None
    assert detect_concern("죽고 싶은데 어디 상담받을 곳 있을까요") is None


def test_violence_happening_now_stays_a_crisis_even_when_help_is_asked_for():
    assert detect_crisis("지금 남편이 때리고 있어요 도와주세요") is not None


def test_a_past_experience_asked_about_is_a_concern():
    found = assess("예전에 스토킹을 당한 적이 있는데 법률 상담 받을 수 있나요")
    assert found.crisis is None and found.concern is not None


def test_everyday_speech_is_no_concern_either():
    assert detect_concern("배고파 죽겠다") is None
    assert detect_concern("방범 서비스 신청하고 싶어요") is None


def test_match_jsonl_marks_a_concern_and_lists_programs(matcher):
    line = json.dumps({"text": "동생이 자해하는 것 같은데 상담받을 수 있는 곳 있나요", "district": "seocho"})
    out = match_json_line(matcher, line)
    assert out["crisis"] is False and out["concern"] is True
    assert out["hotlines"][0] == "109"
    assert isinstance(out["matches"], list)
    plain = match_json_line(matcher, json.dumps({"text": "반찬 배달 받고 싶어요", "district": "seocho"}))
    assert "concern" not in plain


# ---- robustness ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "작년에 보일러에서 불이 났었는데 지금은 다 고쳤어요",
    "아버지가 쓰러지셨을 때 119가 금방 왔어요",
    "my mum had a stroke in 2021 and she's fine now",
    "도둑이 들었었는데 지금은 괜찮아요",
    "last month someone broke in but its all fixed now",  # apostrophes left out, as typed
    "two weeks ago a man followed me home, the police sorted it",
    "어릴 때 불난 집에서 빠져나온 적이 있어서 아직도 불이 무서워",  # a fear that stays
])
def test_danger_that_is_over_is_not_a_crisis(text):
    assert detect_crisis(text) is None


def test_a_guess_about_someone_else_is_a_concern_but_their_collapse_is_danger_now():
    assert detect_crisis("누나가 매형한테 맞는 것 같은데 어떻게 도와야 할까요") is None
    assert detect_concern("누나가 매형한테 맞는 것 같은데 어떻게 도와야 할까요") is not None
    assert detect_crisis("엄마가 화장실에서 쓰러진 것 같아요").kind is CrisisKind.MEDICAL


def test_a_calm_what_should_i_do_is_not_a_sign_of_now_but_a_panicked_one_is():
    assert detect_crisis("동료가 자해를 하는 것 같아요 어떻게 해야 할까요") is None
    assert detect_crisis("누가 현관문을 자꾸 열려고 해요 어떻게 해") is not None


def test_long_and_odd_messages_are_read_without_error():
    assert detect_crisis("가" * 5000) is None
    assert detect_crisis("😀" * 300 + " 죽고 싶어") is not None
    assert detect_crisis("\x00\ud800 ㅋㅋㅋ") is None
    assert detect_crisis("") is None
    assert Reading.of("ㅠㅠ 죽을래 ㅠㅠ").text == "죽을래"


def test_no_sentence_in_the_tables_or_their_tests_is_a_held_out_sentence(test_data):
    """Every held-out crisis sentence (all four sets, both halves) against the concept table's
    examples and every quoted string of the crisis modules and their tests."""
    held_out = set()
    for path in sorted(test_data.glob("heldout*/crisis-*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        held_out |= {_letters(json.loads(line)["text"]) for line in lines if line}
    assert held_out
    here = Path(__file__).resolve()
    sources = [here, here.with_name("test_crisis_cues.py"), *sorted((here.parents[2] / "catalog").glob("crisis*.py"))]
    assert len(sources) >= 7  # the tests, and every crisis module (reading, concepts, context, cues…)
    ours = {_letters(c.example) for c in CONCEPTS}
    for source in sources:
        ours |= {_letters(text) for text in re.findall(r'"([^"\n]{4,})"', source.read_text(encoding="utf-8"))}
    assert not ours & held_out


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z가-힣]", "", text.lower())


# ---- context rules: who is in danger, and when -----------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("할아버지가 마루에서 쓰러지셨어요", M),
    ("우리 엄마가 숨을 안 쉬어요", M),
    ("my grandad isn't breathing and his lips look grey", M),
    ("동생이 약통을 통째로 비웠어요", O),
])
def test_a_family_member_in_danger_now_is_a_crisis(text, kind):
    crisis = detect_crisis(text)
    assert crisis is not None and crisis.kind is kind, (text, assess(text))


def test_what_was_over_and_comes_back_is_told_now():
    assert detect_crisis("몇 년 전에 한 번 시도했었는데 요즘 또 죽고 싶어") is not None
    assert detect_crisis("몇 년 전에 죽고 싶었던 적이 있어요") is None


def test_a_threat_reported_by_the_one_threatened_is_not_hearsay():
    assert detect_crisis("동거인이 나를 죽여버리겠대요") is not None
    assert detect_crisis("the guy next door says he'll kill me if i call the police") is not None


def test_my_own_goodbyes_are_not_hearsay():
    assert detect_crisis("i'm unaliving myself tonight, already said my goodbyes to mum") is not None


def test_fear_that_it_might_happen_is_not_an_intruder_now():
    found = assess("밤마다 누가 창문 뜯고 들어올까 봐 잠이 안 와요")
    assert found.crisis is None
    assert detect_crisis("지금 누가 창문 방범창을 뜯고 있어요") is not None


@pytest.mark.parametrize("text", [
    "심근경색 초기 증상이 뭔가요",
    "뇌졸중 예방 교육 어디서 받아요",
])
def test_a_named_illness_asked_about_is_not_an_emergency(text):
    assert detect_crisis(text) is None, assess(text)


def test_a_named_illness_happening_now_is_an_emergency():
    assert detect_crisis("아빠한테 뇌경색이 온 것 같아요").kind is CrisisKind.MEDICAL


@pytest.mark.parametrize("text", [
    "약 다 먹었는데 기침이 안 나아요",
    "택배 기사님이 문 앞에 놓고 가셨어",
    "옥상 난간에 화분 올려놨어",
    "다리 위에서 야경 보는데 좋다",
    "오늘이 마지막 수업이야",
    "tonight's the night, the show starts at eight",
    "i'm done with this job, goodbye everyone",
    "화재경보기 오작동해서 시끄러워",
])
def test_broad_vocabularies_leave_everyday_talk_alone(text):
    assert assess_by_rules(text).crisis is None, (text, assess_by_rules(text))


@pytest.mark.parametrize("text", [
    "내 오늘 밤 죽을끼다",
    "인자 고마 죽어불란다",
    "죽겄다 참말로 더는 못 살겄어",
    "죽을겨 나",
])
def test_dialect_endings_of_will_are_read(text):
    assert detect_crisis(text) is not None, (text, Reading.of(text).morphemes)


# ---- third round: euphemism, staging, things seen and heard, and the context they come in ---------

@pytest.mark.parametrize("text, kind", [
    # dying told as leaving, closing one's eyes, or no use in living on
    ("인자 이 세상 하직할라요", S),
    ("저승 갈 준비는 끝났다", S),
    ("오늘 밤엔 편히 눈 감으련다", S),
    ("칠십 넘게 살아서 뭐 하겠어요", S),
    ("더는 살아갈 힘이 없다", S),
    # a will announced with 버리다 after another clause, weighing it with -ㄹ까 생각 중
    ("아무 의미 없어 죽어버리려고", S),
    ("철길에 뛰어들까 고민 중이야", S),
    ("덤프트럭에 치였으면 좋겠어", S),
    # the end made ready, the last word, affairs handed over
    ("유서까지 다 써 뒀어", S),
    ("이 문자가 나의 마지막이다 잘 있어", S),
    ("집 열쇠 둔 곳 적어 놨으니까 니가 정리 좀 해 줘", S),
    ("노끈 챙겨서 야산에 왔어", S),
    ("창틀 밖으로 두 다리 걸치고 있어 15층", S),
    ("i don't see the point of living any more", S),
    # overdose: politely, in quantity, and what is found afterwards
    ("할아버지가 살충제를 드신 듯해요 입에서 독한 냄새가 나요", O),
    ("언니가 신경안정제를 삼키고 흔들어도 안 깨요", O),
    ("침대 옆에 빈 약병이 몇 개 굴러다니고 형이 안 일어나요", O),
    ("인슐린을 세 배로 맞았어요", O),
    # medical, fire, intruder, violence by what is seen and heard
    ("사다리에서 떨어졌는데 발목이 이상한 방향으로 꺾였어요", M),
    ("손녀가 떡 먹다가 목에 걸렸어요", M),
    ("주차해 둔 차 보닛 밑에서 연기가 피어올라요", F),
    ("캠핑카 안에서 난로 피우고 잤는데 셋 다 구토해요", F),
    ("밤에 혼자 있는데 마당에 누가 어슬렁거려요", I),
    ("편의점부터 쫓아온 남자가 우리 건물 계단에 서 있어요", I),
    ("집에 오니까 현관 도어락이 뜯겨 있어요 무서워요", I),
    ("계부가 술 마시고 엄마 목 조르고 있어", V),
    ("놀이터에서 중학생들이 한 아이를 둘러싸고 때려요", V),
    ("동거남이 살림을 다 부수면서 죽인다고 해요", V),
    ("someone tailed me from the tram stop and is waiting at my gate", I),
    ("my uncle is strangling his wife next door, i can hear her crying for help", V),
])
def test_third_round_concepts_are_a_crisis_of_their_kind(text, kind):
    crisis = detect_crisis(text)
    assert crisis is not None, (text, assess(text))
    assert crisis.kind is kind, (text, crisis.kind, assess(text).concepts)


@pytest.mark.parametrize("text", [
    "잠깐 눈 감고 쉬고 싶다 피곤해",
    "자취방 어디 살아 뭐 해 먹고 지내",
    "오늘 정말 즐거웠어 이제 갈게",
    "이 메시지가 이번 주 마지막 안내입니다",
    "통장 비밀번호 적어놨어 이제 안 까먹겠다",
    "뒷산 등산로에서 밧줄 잡고 올라가는 구간 있어",
    "공포 영화 추천 좀 피 많이 나오는 거 ㅋㅋ",
    "비가 창문을 세게 때리고 있어",
    "요즘 헤어지는 수순을 밟고 있어",
    "휴대폰이 느려터져서 바꾸려고",
    "빈 약통은 약국에 가져다주면 되나요",
    "스트레칭 할 때 다리가 반대로 꺾이는 느낌",
    "캠핑 가서 난로 켜고 잤는데 따뜻하고 좋았어",
    "동네 고양이가 창밖에서 어슬렁거려",
    "차에서 연기 나는 꿈을 꿨어",
    "my mum's dog keeps following me around the garden lol",
])
def test_third_round_vocabularies_leave_everyday_talk_alone(text):
    assert assess_by_rules(text).crisis is None, (text, assess_by_rules(text))


def test_reported_speech_of_someone_else_is_a_concern_but_my_own_is_a_crisis():
    found = assess("우리 팀 후배가 요새 죽고 싶다며 울던데 제가 해 줄 수 있는 게 있을까요")
    assert found.crisis is None and found.concern is not None, found
    assert detect_crisis("내가 엄마한테 죽고 싶다고 했는데 웃기만 했어") is not None


def test_how_to_do_a_thing_is_a_calm_question_but_what_now_after_an_event_is_not():
    # the small fire is over; asking how to air the room is not danger now
    assert detect_crisis("지난주에 냄비에 불이 났었는데 바로 꺼졌어요. 그을음 냄새 없애려면 어떻게 해요?") is None
    assert detect_crisis("냄비에 불이 붙었어 어떻게 해") is not None


def test_a_cry_for_help_heard_is_not_a_question_about_help():
    assert detect_crisis("the guy next door is beating his son, the kid is screaming for help") is not None


def test_what_was_over_and_is_fine_now_stays_over_in_english():
    assert detect_crisis("i used to cut myself at uni, now i'm fine") is None


# ---- fourth round: kinds of telling (found out, heard, prepared, asked, told in dialect) ----------

@pytest.mark.parametrize("text, kind", [
    # a door found open, someone heard inside
    ("야근하고 들어왔더니 대문이 열려 있고 부엌에서 누가 서랍 여는 소리가 나", I),
    ("여행 갔다 오니 뒷문이 따져 있고 거실에서 인기척이 나요", I),
    ("I got home and the window was smashed, and I can hear someone moving upstairs", I),
    # an ex or a stalker at the lock
    ("전남편이 도어락 비밀번호 알아내서 지금 현관에서 계속 누르고 있어", I),
    ("스토커가 창문 열려고 밖에서 손잡이를 흔들어요", I),
    ("my ex-boyfriend is outside trying to get in through the window, he won't leave", I),
    # climbing in
    ("어떤 남자가 가스관 타고 우리 집 베란다로 올라왔어요", I),
    ("누군가 담을 넘어서 마당으로 들어왔어요 지금 창고 쪽에 있어요", I),
    # violence heard through the wall, seen in front of me, told in dialect
    ("아랫집에서 여자 비명이랑 접시 깨지는 소리가 계속 들려요", V),
    ("옆방에서 살려 달라는 소리가 나요", V),
    ("the neighbours upstairs are screaming again and something just smashed", V),
    ("술집에서 손님이 깨진 병 들고 직원을 위협하고 있어요", V),
    ("지하철에서 어떤 남자가 칼 들고 난동을 부리고 있어요", V),
    ("우리 할멈이 또 나를 팬다", V),
    ("아재가 술만 묵으면 엄니를 패고 난리다", V),
    ("someone got stabbed in a fight outside the bar, he's bleeding a lot", V),
    # gas let out, coal gas breathed
    ("창문 테이프로 다 막고 가스 틀어놨어 이제 잘게", S),
    ("보일러 연통이 빠져서 일산화탄소 마신 것 같아요 다들 어지러워해요", F),
    # fasting to death; a place or a fall asked about with intent; my death with a plan
    ("며칠째 곡기 끊고 있어 이제 조용히 가려고", S),
    ("스크린도어 없는 역 어디 있어요? 지금 가려고요", S),
    ("이 근처 제일 높은 아파트 옥상 어디예요 오늘 올라갈 거예요", S),
    ("옥상에서 뛰어내리면 한 번에 죽겠지", S),
    ("내가 죽고 나면 고양이는 누가 키우지 오늘 밤에 할 거라", S),
    # the body, told plainly
    ("거실 바닥에 쓰러져서 혼자 일어날 수가 없어요 허리가 너무 아파요", M),
    ("갑자기 오른쪽 눈이 안 보이고 머리가 아파요", M),
    ("땅콩 먹고 두드러기가 올라오면서 숨이 막혀요", M),
    ("피를 많이 토했어요", M),
    # pills beyond counting, with symptoms, typed in haste
    ("수면제를 몇 알인지 모르게 삼켰어요", O),
    ("진통제를 너무 많이 먹었는데 속이 울렁거려요", O),
    ("약을 많이 먹엇는데 어지러워", O),
    # English: a decision, a place, a date
    ("i've made my mind up and chosen the bridge. tonight is the end", S),
    ("i'll walk into the river after dark", S),
    # spellings that dodge a filter
    ("자1살 하고 싶어", S),
    ("ㅈㅅ 방법 찾아보는 중", S),
    ("ㅈㄱㅅㄷ", S),
    # a place to fall or drown, asked for with intent, in Korean and English
    ("저수지 깊은 데가 어디예요 오늘 들어가려고요", S),
    ("where's the nearest bridge with no fence, heading there now", S),
    # dialect: what is the use of living on (Gyeongsang -가), the end announced (-ㄹ 끼다)
    ("내사 마 이래 살아가 뭐하노 오늘 끝낼끼다", S),
])
def test_fourth_round_ways_of_telling_are_a_crisis_of_their_kind(text, kind):
    crisis = detect_crisis(text)
    assert crisis is not None, (text, assess(text))
    assert crisis.kind is kind, (text, crisis.kind, assess(text).concepts)


@pytest.mark.parametrize("text", [
    "현관문이 열려 있길래 보니까 엄마가 먼저 와 있었어",
    "문이 열려 있어서 고양이가 나갔나 봐",
    "전남친이 짐 가지러 온대서 비번 알려줬어",
    "옆집 고양이가 담 넘어서 우리 마당으로 왔어",
    "아랫집에서 공사하는지 쿵쾅 소리가 계속 나요",
    "윗집 애기가 밤새 울어서 잠을 못 잤어",
    "공포영화 보는데 옆집까지 비명이 들렸겠다",
    "이번 정책이 소상공인을 위협하고 있다",
    "할머니가 화투 치다가 패고 난리셨어 ㅋㅋ",
    "라면 끓이려고 가스 밸브 열었어",
    "연탄가스 중독 예방하려면 어떻게 해야 해요",
    "할아버지께서 곡기를 끊으셨대요 호스피스에 계세요",
    "서울에서 가장 높은 빌딩이 뭐예요? 야경 찍으러 가려고요",
    "옥상 문 열려 있던데 빨래 널러 올라가 볼까",
    "핸드폰 떨어지면 안 살겠지 케이스 사야겠다",
    "여기서 떨어지면 죽어 조심해",
    "주말 내내 뒹굴다가 바닥에 누워서 일어날 수가 없어 ㅋㅋ",
    "렌즈 끼고 자서 한쪽 눈이 흐릿해요",
    "두드러기가 나서 피부과 예약했어",
    "감기약 먹었더니 졸려",
    "비타민을 너무 많이 먹었나 속이 울렁거려",
    "I've picked the date for the wedding, nobody can talk me out of it",
    "the kids want to walk into the sea for a swim",
    "heard a loud bang outside, probably fireworks",
    "the door was open when I got home but it was just my flatmate",
    "저수지 깊은 데가 어디예요 낚시하려고요",
    "which bridge has the best view of the skyline tonight",
    "살아가 뭐하고 싶은지 모르겠어 진로 고민",
    "허리가 아파요",
])
def test_fourth_round_vocabularies_leave_everyday_talk_alone(text):
    assert assess_by_rules(text).crisis is None, (text, assess_by_rules(text))


def test_asking_whether_to_report_violence_next_door_is_a_concern():
    found = assess("옆집에서 부부싸움 하는데 뭐 깨지는 소리가 나요 신고해도 되나요")
    assert found.crisis is None and found.concern is not None, found


def test_violence_with_a_wound_calls_the_police_first_and_the_ambulance_next():
    crisis = detect_crisis("남편한테 맞아서 머리에서 피가 철철 나요")
    assert crisis is not None and crisis.kind is V
    assert [h.number for h in crisis.hotlines][:2] == ["112", "119"]


def test_what_i_saw_myself_told_with_deora_is_not_hearsay():
    # -더라 retells my own sight; about someone else it is still theirs.
    assert detect_crisis("아까 보니 옥상 문이 열려 있더라. 오늘 올라가 볼까 해") is not None
    assert detect_crisis("동생이 옥상 문이 열려 있더라고 올라가 볼까 하더라") is None


def test_a_device_that_says_something_is_not_hearsay():
    assert detect_crisis("i'm diabetic and my monitor says my sugar is really low, i'm shaking") is not None


def test_a_danger_mended_since_is_over():
    assert detect_crisis("지난번 가스 샌 거 기사님이 와서 다 고쳐줬어요") is None


@pytest.mark.parametrize("text", [
    "저번주에 누가 현관문을 두드리다 갔는데 신고했고 그 뒤로는 조용해요 센서 달고 싶어요",
    "지난달에 화장실에서 넘어져서 병원 다녀왔는데 이제 손잡이 달아주는 데 있나요",
    "엊그제 가스 냄새 나서 기사님 불렀었어요",
])
def test_danger_told_with_last_week_or_the_day_before_is_over(text):
    assert detect_crisis(text) is None


@pytest.mark.parametrize("text", [
    "주방에 연기가 꽉 차서 식겁했는데 냄비 하나 태운 거였네요 환기했어요",
    "누가 현관문 손잡이를 막 돌려서 쫄았는데 술 취한 옆집 총각이었음",
    "smoke alarm is beeping like crazy, false alarm though, burnt toast",
    "someone was banging on my door last night, it was just my neighbour who was drunk",
])
def test_a_fright_that_came_to_nothing_or_a_fire_put_out_is_not_a_crisis(text):
    assert detect_crisis(text) is None


@pytest.mark.parametrize("text", [
    "창문 열어놨는데도 가스 냄새가 계속 나요",  # goes on despite it
    "누가 문을 두드려서 깜짝 놀랐어요 지금 도어락을 누르고 있어요",  # now, not explained
    "불은 껐는데 연기가 아직 방에 가득하고 숨이 막혀요",  # still, and the body now
    "누가 창문 열고 들어왔어요",  # an opened window is the stranger's, not airing out
    "i thought it was nothing but the gas smell is still there and my head hurts",
])
def test_a_danger_still_going_on_beside_words_of_relief_stays_a_crisis(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", [
    "아들녀석이 시험 망치고 죽고 싶다 그러던데 어디 상담할 데 있나요",  # a word of scorn before the particle
    "옆집 할머니가 죽고 싶다는 소리를 입에 달고 사셔요 어디 물어볼 데 있을까요",  # says things like that
    "엄마가 전화만 하면 '나도 이제 그만 죽고 싶다' 말만 해요 상담받을 곳 있나요",  # "나도" is hers
    "지금 당장 무슨 일을 낼 분은 아닌데 이모가 죽고 싶다고 해요 어디에 상담하면 돼요",  # nothing now
])
def test_someone_elses_words_of_dying_reported_are_a_concern(text):
    assert detect_crisis(text) is None
    assert detect_concern(text) is not None


@pytest.mark.parametrize("text", [
    "살기 싫다는 소리가 절로 나와 오늘 끝낼 거야",  # the speaker's own
    "도어락에서 틀렸다는 소리가 계속 나요 누가 문 열려고 해요",  # a sound, not words reported
])
def test_words_like_reported_speech_that_are_not_stay_a_crisis(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text, kind", [
    ("아침 혈압약을 두 번이나 먹었는데 가슴이 두근거리고 식은땀이 나요", CrisisKind.OVERDOSE),
    ("약통을 헷갈려서 당뇨약을 세 배로 먹은 듯 손이 저려요", CrisisKind.OVERDOSE),
    ("유서는 책상 서랍에 넣어 두었어 찾아보면 있을 거야", CrisisKind.SUICIDE),
])
def test_a_dose_taken_over_and_again_and_a_note_left_to_be_found(text, kind):
    assert detect_crisis(text).kind is kind


@pytest.mark.parametrize("text", [
    "혈압약을 두 번 먹어도 되는지 궁금해요",
    "유서 깊은 절에 가서 초를 켜 두었어요",
])
def test_a_second_dose_asked_about_and_an_old_temple_are_not(text):
    assert detect_crisis(text) is None


@pytest.mark.parametrize("text", ["i have saved enough pills", "한강 다리에 혼자 와 있어"])
def test_the_cues_and_the_model_leaning_to_danger_together_make_a_crisis(text):
    found = assess(text)
    assert found.crisis is not None and found.crisis.kind is CrisisKind.SUICIDE
    assert found.decided_by == "cues+model"


@pytest.mark.parametrize("text", [
    "my uncle keeps saying he won't be around much longer, how do i talk to him about it",
    "아버지가 유언장 미리 써 두고 싶다고 하셔서 공증은 어디서 하나요",
])
def test_the_cues_alone_stay_a_concern(text):
    found = assess(text)
    assert found.crisis is None and found.concern is not None


@pytest.mark.parametrize("text", [
    "언니가 그동안 고마웠다고 하고 전화를 안 받아요",  # reported, yet happening now
    "옆집 할아버지가 강아지 좀 부탁한다고 쪽지를 두고 가셨는데 문을 두드려도 대답이 없어요",
    "my roommate texted me goodbye an hour ago and she isn't answering",
])
def test_a_farewell_from_someone_who_cannot_be_reached_now_is_a_crisis(text):
    assert detect_crisis(text).kind is CrisisKind.SUICIDE


@pytest.mark.parametrize("text", [
    "엄마가 전화를 안 받아요 장 보러 가셨나 봐요",  # no farewell
    "드라마에서 주인공이 그동안 고마웠다는 문자를 보내고 전화를 안 받더라",  # a story
    "the movie ends with a goodbye letter and a phone that nobody is answering",
])
def test_no_answer_alone_or_in_a_story_is_not(text):
    assert detect_crisis(text) is None


@pytest.mark.parametrize("text", [
    "아빠가 전화로 혈압약을 한꺼번에 다 먹었다고 해요 말이 어눌해지고 있어요",
    "할머니 댁에 가 보니 부엌에 쓰러져 계시고 못 일어나세요 밤새 그러셨대요",
])
def test_the_body_in_danger_told_in_hearsay_by_the_one_who_sees_it_is_asked_of_the_model(text):
    found = assess(text)
    assert found.crisis is not None and found.decided_by == "model"


@pytest.mark.parametrize("text", [
    "뉴스 보니까 어떤 할머니가 집에서 쓰러져 계셨대요",
    "옆집 할아버지가 어제 쓰러지셨대요 지금은 병원에서 괜찮으시대요",
    "윗집에 불났었대요 지금은 다 꺼졌대요",
])
def test_the_body_or_the_house_in_the_news_or_over_stays_as_the_rows_left_it(text):
    found = assess(text)
    assert found.crisis is None and found.decided_by == "table"


@pytest.mark.parametrize("text, kind", [
    ("my flatmate slipped on the stairs and fell, now he won't respond when i shout", CrisisKind.MEDICAL),
    ("grandpa's breathing sounds rattly and his lips are going blue", CrisisKind.MEDICAL),
    ("the cut on her leg has bled through two bandages already", CrisisKind.MEDICAL),
    ("the foreman is beating my coworker in the warehouse right now", CrisisKind.VIOLENCE),
])
def test_english_emergencies_of_someone_else_told_by_the_one_who_sees_them(text, kind):
    assert detect_crisis(text).kind is kind


@pytest.mark.parametrize("text", [
    "대학 다닐 때 몹쓸 생각을 한 적이 있는데 지금 생각하면 아찔해요 상담은 어디서 받아요",
    "몇 해 전 나쁜 생각을 자주 했었다 요즘은 괜찮은데 얘기 들어줄 데 있나",
    "아버지를 자살로 잃고 나서 엄마랑 유가족 모임을 알아보고 있어요",
    "a friend of mine took his own life last winter, are there groups for people left behind",
    "언니가 스스로 세상을 떠난 지 일 년인데 지금도 너무 보고 싶어요",  # "now" of missing her
])
def test_dark_thoughts_behind_one_and_a_suicide_in_the_family_are_a_concern(text):
    found = assess(text)
    assert found.crisis is None and found.concern is not None, found


def test_danger_now_beside_dark_thoughts_behind_is_still_heard_by_the_model():
    found = assess("나쁜 생각 했었는데 이제 준비 다 됐어 잘 있어")
    assert found.crisis is not None and found.decided_by == "model"


def test_since_last_week_is_still_going_on():
    assert detect_crisis("지난주부터 누가 밤마다 문을 따려고 해요 무서워요") is not None


def test_a_ladder_is_not_a_bridge():
    assert detect_crisis("전구 갈아야 하는데 사다리 올라갔다가 떨어질까 봐 못 하겠어요") is None
    assert detect_crisis("다리 위에 올라와 있어 뛰어내리면 끝이겠지") is not None


@pytest.mark.parametrize("text, kind", [
    ("옆집 할매가 요새 죽고 싶다 그러는데 어디 상담 받을 데 있을까요 지금 당장은 아니고요", S),
    ("My neighbour keeps saying he wants to die. Nothing is happening right now, who can he talk to?", S),
])
def test_saying_that_nothing_happens_now_leaves_a_question_about_help_a_concern(text, kind):
    found = assess(text)
    assert found.crisis is None and found.concern is not None and found.concern.kind is kind, found


def test_now_named_with_danger_stays_now():
    assert detect_crisis("지금 당장 와 주세요 누가 문을 부수고 있어요") is not None
    assert detect_crisis("not right now, but I want to die") is not None


def test_reported_speech_without_the_quoting_ending_is_someone_elses():
    assert detect_crisis("우리 아재가 살기 싫다 캐쌓는데 어쩌면 좋노") is None
    assert detect_crisis("나 살기 싫다 진짜로") is not None


def test_someone_about_to_act_is_danger_now_but_how_they_seem_is_a_worry():
    """The future ᆯ before 것 같다 guesses an act about to happen; 는/ᆫ guesses a state."""
    assert detect_crisis("옆집 언니가 베란다 난간에 걸터앉아 있는데 곧 뛰어내릴 거 같아요") is not None
    seems = assess("동생이 요새 죽고 싶어 하는 것 같아요 어디 상담할 데 있을까요")
    assert seems.crisis is None and seems.concern is not None


def test_my_own_wish_told_before_someone_else_is_named_stays_mine():
    """A first-person wish to die stays a crisis though a guess about someone else follows it."""
    assert detect_crisis("나 이제 그만 죽고 싶어 아빠가 눈치챈 거 같아") is not None
    assert detect_crisis("i want to die tonight, my roommate seems to suspect something") is not None


def test_a_guess_about_someone_elses_self_harm_in_english_is_a_concern():
    found = assess("I think my flatmate is self-harming again, how do I know if it's serious?")
    assert found.crisis is None and found.concern is not None
    assert detect_crisis("I think my dad is going to kill himself, he's in the garage with a rope") is not None


def test_self_harm_told_of_someone_else_is_read_and_a_kitchen_cut_is_a_mishap():
    found = assess("my little sister has been cutting herself, where can she get support?")
    assert found.crisis is None and found.concern is not None
    assert detect_crisis("sliced my thumb, I cut myself opening a tin of beans") is None
    assert detect_crisis("i keep hurting myself on purpose and i can't stop tonight") is not None


def test_heavy_bleeding_told_in_dialect_is_an_emergency():
    assert detect_crisis("논에서 넘어졌는데 종아리에 피가 억수로 나예") is not None
    assert detect_crisis("발목 긁혔는데 피가 겁나 나부러야") is not None


@pytest.mark.parametrize("text", [
    "혼자 사는데 밤에 화장실 가다 넘어져도 아무도 모를까 봐 겁나요",
    "if I pass out in my flat, no one would notice for a week. is there some check-in service?",
])
def test_collapsing_alone_unnoticed_feared_is_a_concern_not_an_emergency(text):
    found = assess(text)
    assert found.crisis is None and found.concern is not None, found


def test_a_collapse_that_has_happened_stays_an_emergency_though_no_one_knows():
    assert detect_crisis("부엌에서 넘어졌는데 못 일어나겠어요 아무도 몰라요") is not None


def test_asking_how_to_make_a_home_safer_after_attempts_at_the_door_is_a_concern():
    found = assess("Someone keeps trying my mum's door late at night. How can we make her flat more secure?")
    assert found.crisis is None and found.concern is not None, found


@pytest.mark.parametrize("text", [
    "친구가 전화를 안 받아 나 진짜 죽고 싶다 그래서 소주 두 병 마셨어",
    "언니가 뭐라 캐도 내는 죽고 싶다 카이",
])
def test_a_connective_or_an_insisting_kai_after_my_own_wish_is_no_quotation(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", [
    "지난달에 가게 문 닫았는데 이제 그만 죽고 싶어",
    "작년 겨울에 아내 먼저 보냈어 나도 따라가고 싶다 살기 싫어",
    "my husband left two weeks ago, and i don't want to live anymore",
])
def test_a_past_cause_in_its_own_clause_leaves_the_wish_now(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", [
    "작년에 죽고 싶었던 때가 있었는데 지금은 괜찮아요",
    "I wanted to kill myself two years ago, I'm okay now",
])
def test_a_wish_told_in_the_past_clause_is_over(text):
    assert detect_crisis(text) is None


@pytest.mark.parametrize("text", [
    "이웃 아재가 요즘 살기 싫다 하네 어디 얘기할 데 있나",
    "우리 형이 술만 먹으면 죽고 싶다 한대요 상담 받을 곳 알려 주세요",
])
def test_reported_speech_closed_by_hada_is_someone_elses(text):
    found = assess(text)
    assert found.crisis is None and found.concern is not None, found


def test_saying_so_oneself_with_hada_stays_ones_own():
    """"… 다 해도" is "even if I say so": the wish is the speaker's."""
    assert detect_crisis("내가 죽고 싶다 해도 아무도 안 들어줘 오늘 끝낼 거야") is not None


def test_that_no_act_is_meant_right_now_is_nothing_now():
    found = assess("동생이 살기 싫다고 하는데 지금 당장 무슨 짓을 하려는 건 아니에요 상담 어디서 받아요")
    assert found.crisis is None and found.concern is not None, found


@pytest.mark.parametrize("text", [
    "재작년에 보일러실에서 가스가 샜었어요 지금은 새 보일러로 바꿔서 멀쩡해요 동네 모임 있나요",
    "언니가 예전에 형부한테 맞았대요 지금은 우리 집에 와 있어요 어디서 상담받아요",
])
def test_now_set_against_a_time_gone_by_tells_how_things_are_after_it(text):
    assert detect_crisis(text) is None


def test_now_after_a_time_gone_by_with_danger_in_it_is_now():
    assert detect_crisis("작년에 가스가 한 번 샜는데 지금은 또 가스 냄새가 나요") is not None
    assert detect_crisis("예전엔 말로만 그랬는데 지금은 남편이 칼 들고 있어요") is not None


def test_a_rope_hung_behind_a_locked_door_is_hanging_told_by_what_was_done():
    assert detect_crisis("남편이 화장실 문 잠그고 샤워기에 줄을 묶었어 어떻게 해") is not None
    assert detect_crisis("베란다에 빨래 줄 걸었어 이불 말리려고") is None
    assert detect_crisis("캠핑 가서 나무에 해먹 끈 묶었어") is None


def test_thanks_for_everything_and_going_first_is_a_goodbye():
    assert detect_crisis("그동안 고마웠다 나 먼저 간다 미안해") is not None
    assert detect_crisis("오늘 회식 그동안 고마웠어요 먼저 갈게요 내일 봬요") is None
    assert detect_crisis("그동안 감사했습니다 저는 먼저 들어가 보겠습니다") is None


def test_english_words_missing_a_letter_are_read_whole():
    assert detect_crisis("theres a man in my livng room, im hidng in the closet") is not None
    assert detect_crisis("if I collapse at home nobody would even know") is None


def test_a_message_that_opens_with_the_edge_of_a_roof_is_the_speaker_there():
    assert detect_crisis("on the bridge railing now. sorry everyone") is not None
    assert detect_crisis("on the roof fixing the antenna, need a hand") is None


@pytest.mark.parametrize("text", [
    "Is there someone who could look in on my uncle and call an ambulance if he's unresponsive?",
    "what should we keep by the stove in case there is a fire",
])
def test_a_body_or_a_house_in_danger_only_supposed_in_english_is_not_now(text):
    assert detect_crisis(text) is None


def test_a_supposition_beside_danger_told_now_or_of_ones_own_will_stays_a_crisis():
    assert detect_crisis("my dad collapsed and he's not responding, what do I do if he stops breathing") is not None
    assert detect_crisis("I don't know if she is breathing, she is not responding") is not None
    assert detect_crisis("if nobody calls me back tonight I will kill myself") is not None


@pytest.mark.parametrize("text", [
    "발표하다가 말을 더듬었는데 쪽팔려서 죽고 싶다 ㅋㅋ",
    "tripped in front of the whole class, so embarrassing, I want to disappear forever",
])
def test_embarrassment_told_as_the_cause_of_a_wish_to_vanish_is_hyperbole(text):
    assert detect_crisis(text) is None


def test_a_wish_to_vanish_without_embarrassment_stays_one():
    assert detect_crisis("I want to disappear forever, nobody would even notice") is not None
    assert detect_crisis("i dont wanna wake up tomorrow") is not None


def test_messenger_shorthand_is_read_written_out():
    assert detect_crisis("theres a guy at my back door prying it open rn") is not None


def test_now_set_against_a_subject_who_is_fine_now_is_nothing_now():
    found = assess("동생 남편이 물건 던지고 소리 질러요. 지금은 동생 괜찮아요. 어디서 상담받아요?")
    assert found.crisis is None and found.concern is not None, found
    assert detect_crisis("지금은 안 괜찮아요 남편이 물건 던지고 있어요") is not None


def test_the_news_named_and_heard_frames_a_fire_told_between():
    assert detect_crisis("아침 뉴스 봤어요. 어느 아파트 주차장에 불 났어요. 사람들은 다 대피했대요") is None
    assert detect_crisis("뉴스 보고 있었는데 부엌에 불 났어요 빨리 와 주세요") is not None


def test_a_broken_door_or_window_asked_to_be_mended_is_a_repair():
    assert detect_crisis("혼자 사는데 현관 문고리가 부서졌어요 고쳐 주실 분 있나요") is None


def test_a_carer_reporting_danger_now_gets_the_numbers():
    """Someone else's words, reported by a carer or a relative with now or tonight named and no
    advice asked for: the numbers are the answer."""
    assert detect_crisis("요양보호사입니다. 방금 할머니께서 오늘 밤에 다 끝내겠다고 하시고 전화를 끊으셨어요 "
                         "지금 혼자 계세요") is not None
    assert detect_crisis("My uncle has just texted me that he is going to end it all tonight. He lives alone. "
                         "What do I do?") is not None


def test_a_carer_asking_where_to_get_advice_stays_a_concern():
    found = assess("저희 구역 권사님께서 '살아서 뭐 하나' 하는 말씀을 종종 하십니다. "
                   "지금 당장 위험하진 않은데 어디서 상담받을 수 있을까요")
    assert found.crisis is None and found.concern is not None, found
    found = assess("가정폭력 관련해서 조언 구할 데가 있을까요. 지금은 따로 살아서 안전합니다")
    assert found.crisis is None and found.concern is not None, found


@pytest.mark.parametrize("text", [
    "아무리 불러도 할머니가 눈을 못 뜨세요 약을 한꺼번에 드신 것 같아요",
    "현관 열었더니 옆집 아저씨 팔에서 피가 뚝뚝 떨어지고 있어요",
    "the old man next door is standing at the edge of the roof of our building",
    "a man I don't know climbed in through my bedroom window, he's downstairs",
    "sitting in my car in the garage, door shut, engine running",
    "scheduled goodbye texts for tomorrow morning. im done",
    "우리 아버지가 자꾸 베란다에서 뛰어내리면 편하겠다고 하세요 지금 베란다에 계세요",
])
def test_danger_told_by_what_is_seen_or_done(text):
    assert detect_crisis(text) is not None


@pytest.mark.parametrize("text", [
    "warming the car up in the garage with the door open, it's freezing",
    "이 열이 좀 떨어지면 좋겠다",
])
def test_ordinary_uses_of_those_words(text):
    assert detect_crisis(text) is None


def test_messenger_shorthand_of_so_it_is_said_is_hearsay():
    assert detect_crisis("고향 마을 뒷산에 불 났다 함 다행히 다 꺼졌다 함") is None
    assert detect_crisis("옆 동 3층에 불 났어요 연기가 우리 집까지 들어와요") is not None
