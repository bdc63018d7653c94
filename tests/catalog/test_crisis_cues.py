"""The second tier of crisis detection: weighted cues, when no concept of the table matched.

Every sentence here is written for these tests; none comes from the development set or the
held-out sets (a test below checks that).
"""


import pytest

from catalog import CrisisKind
from catalog.crisis import Reading, assess, assess_by_rules
from catalog.crisis_cues import CONCERN_AT, CRISIS_AT, CUES, TIER, TOGETHER, assess_cues, score
from catalog.linear_model import READ_LIMIT


def _cues(text: str) -> set[str]:
    return set(score(Reading.of(text)).cues)


# ---- the table itself -----------------------------------------------------------------------------

def test_every_cue_has_a_reason_and_the_bars_are_ordered():
    assert all(cue.why.strip() and cue.weight != 0 or cue.name == "a will of my own" for cue in CUES)
    assert len({cue.name for cue in CUES}) == len(CUES)
    assert all(t.why.strip() and t.weight > 0 for t in TOGETHER)
    assert 0 < CONCERN_AT < CRISIS_AT


# ---- class by class: each found in a sentence of its own, and not in a near miss -------------------

@pytest.mark.parametrize("cue, found, not_found", [
    ("dying, willed", "이번 겨울엔 정말 죽어 버릴 거다", "배고파서 죽겠다"),
    ("suicide or a way to die, named", "자 살 이라는 말이 자꾸 떠올라", "혼자 살 집을 구해요"),
    ("death named", "저세상 가면 편할까", "오늘 날씨가 좋다"),
    ("living refused", "아침마다 눈 뜨는 게 싫고 살기가 싫다", "여기 동네는 살기 좋아"),
    ("ending or leaving, willed", "조용히 사라지고 싶어", "조용히 쉬고 싶어"),
    ("finality", "이번 통화가 마지막이다", "다음 주에 또 봐요"),
    ("finality or farewell", "그동안 정말 고마웠어 다들 잘 지내", "고마워 내일 봐"),
    ("a note, a will or my funeral", "내 장례 때 부를 사람 적어 둠", "할머니 장례 치르고 왔어"),
    ("preparation", "화분이랑 책 전부 나눠줬어", "화분에 물 줬어"),
    ("means or place", "노끈 한 묶음이 방에 있어", "끈 달린 가방 샀어"),
    ("taken, used or made ready", "그거 벌써 사다 놨어", "그거 사려고 해"),
    ("in quantity", "한꺼번에 털어 넣었어", "하나씩 천천히"),
    ("hopelessness or burden", "희망이 없어 아무것도", "희망찬 하루"),
    ("others better off without me", "내가 사라지면 가족들은 더 편할 거야", "내가 가면 가족들이 반겨 줄 거야"),
    ("death the better way", "이럴 바엔 없어지는 게 낫다", "이럴 바엔 사 먹는 게 낫다"),
    ("asking how much or how high", "몇 층에서 떨어지면 끝나는지", "몇 층에서 내리면 되는지"),
    ("tonight", "오늘 밤 결정했어", "어제 아침 결정했어"),
    ("exaggeration idiom", "졸려 죽겠다 진짜", "정말 죽겠다는 생각만 든다"),
    ("laughter", "아 진짜 ㅋㅋㅋ", "아 진짜"),
    ("an everyday thing ended", "야근 그만하고 싶다", "그만하고 싶다"),
    ("a relationship's ending", "전남친한테 마지막 연락", "가족에게 마지막 인사"),
    ("death named", "i'd rather be dead than this", "dead battery again"),
    ("means or place", "the pills are on the table", "the plates are on the table"),
    ("finality or farewell", "goodbye everyone, forgive me", "see you tomorrow everyone"),
    ("hopelessness or burden", "there is no way out of this", "there is a way out of this"),
])
def test_each_cue_class_is_found_in_its_own_sentence_and_not_in_a_near_miss(cue, found, not_found):
    assert cue in _cues(found), found
    assert cue not in _cues(not_found), not_found


# ---- what the tier decides ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "이제 전부 내려놓고 사라질게 다들 잘 지내",  # leaving, all of it, a goodbye
    "보험 수익자는 동생으로 돌려놨고 내 장례 때 쓸 돈도 넣어뒀어",  # a will, done
    "희망도 없고 지쳤어 오늘 밤에 다 끝내려고",  # no hope, ending tonight
    "옥상 문 열고 올라왔어 그냥 확 뛰어내려 버릴래",  # a height, and a will to just do it
    "I'm a burden to everyone, goodbye. it ends tonight and I want to disappear",
])
def test_euphemisms_that_add_up_are_a_suicide_crisis_by_the_tier_alone(text):
    found = assess_cues(text)
    assert found.crisis is not None and found.crisis.kind is CrisisKind.SUICIDE, found
    assert found.concepts[0].startswith(f"{TIER}: ")


@pytest.mark.parametrize("text", [
    "솔직히 살기가 싫어",  # not wanting to live, nothing more
    "한강 다리에 혼자 와 있어",  # at a place, nothing more
])
def test_fewer_signs_give_a_concern_not_a_crisis(text):
    found = assess_cues(text)
    assert found.crisis is None and found.concern is not None, found


def test_one_weak_sign_alone_is_neither():
    assert assess_cues("요즘은 그냥 어디론가 사라지고 싶다").concern is None


@pytest.mark.parametrize("text", [
    "웃겨 죽겠다 ㅋㅋ 다들 잘 지내?",
    "캠핑 가서 숯에 고기 구워 먹었어",
    "오늘 회사 그만두고 여행 떠날래",
    "옥상 텃밭에 상추 심으러 올라왔어",
    "마지막 수업 끝나고 다들 안녕",
    "this deadline is killing me lol",
])
def test_everyday_talk_with_some_cue_words_gets_neither(text):
    found = assess_cues(text)
    assert found.crisis is None and found.concern is None, found


def test_told_about_someone_else_or_asking_for_help_is_at_most_a_concern():
    own = "이제 다 내려놓고 사라질게 다들 잘 지내"
    assert assess_cues(own).crisis is not None
    friend = "친구가 이제 다 내려놓고 사라질 거래 다들 잘 지내라고"
    assert assess_cues(friend).crisis is None and assess_cues(friend).concern is not None


def test_a_story_is_neither():
    assert assess_cues("영화에서 주인공이 다 내려놓고 사라질게 안녕 하는 장면").concern is None


# ---- wired behind the table -----------------------------------------------------------------------

def test_assess_runs_the_tier_when_no_concept_matched_and_names_it():
    text = "이제 전부 내려놓고 사라질게 다들 잘 지내"
    found = assess(text)
    assert found.crisis is not None
    assert found.concepts[0].startswith(f"{TIER}: ") and "finality or farewell" in found.concepts


def test_a_concept_of_the_table_still_decides_before_the_tier():
    found = assess("오늘 밤에 죽으려고 해")
    assert found.crisis is not None and not found.concepts[0].startswith(f"{TIER}: ")


def test_plain_messages_score_nothing():
    assert assess("복지관 점심 몇 시에 해요?").concepts == ()
    assert score(Reading.of("")).total == 0


def test_a_broken_hip_and_not_able_to_move_is_an_emergency():
    from catalog import CrisisKind, detect_crisis

    assert detect_crisis("I broke my hip and can't move").kind is CrisisKind.MEDICAL


def test_a_long_message_with_no_cue_is_not_read_through_kiwi(monkeypatch):
    """The tier's cue of weight 0 (any verb willed) is looked for only beside its partner, so a
    4,096-character message with no cue costs no analysis (it used to cost ~100 ms)."""
    import catalog.crisis as crisis
    import catalog.crisis_reading as reading

    calls = []
    real = reading.morpheme_line
    monkeypatch.setattr(reading, "morpheme_line", lambda piece: calls.append(piece) or real(piece))
    crisis.assess.cache_clear()
    crisis.assess_by_rules.cache_clear()
    assert crisis.assess_by_rules(("가나다라마바사" * 600)[:4096]).crisis is None
    assert calls == []
    # The learned tier past the rules reads only the message's first characters.
    assert crisis.assess(("가나다라마바사" * 600)[:4096]).crisis is None
    assert sum(len(piece) for piece in calls) <= READ_LIMIT


# ---- fourth round: absence foretold, things left to be found, goodbyes that add up ----------------

@pytest.mark.parametrize("cue, found, not_found", [
    ("gone by then, not coming back", "이 글 읽을 때쯤이면 나는 없을 거야", "나 다음 주에 출장이라 집에 없을 거야"),
    ("gone by then, not coming back", "여러분 이제 다시는 못 뵐 거예요", "다시는 그 식당 안 갈 거예요"),
    ("keys and codes left for others", "집 열쇠랑 도장은 서랍에 넣어놨어", "통장 비밀번호를 잊어버려서 은행 가야 해"),
    ("told no one", "아무한테도 말 안 했어", "다들 알고 있어"),
    ("a plan or a resolve", "nobody can talk me out of it", "can you talk me through it"),
    ("going before my parents", "어머니 불효자 먼저 떠납니다 용서하세요", "엄마 미안 나 먼저 갈게 친구랑 약속 있어"),
    ("finality", "이제 여한이 없다", "여행 잘 다녀왔다"),
    ("preparation", "적금도 전부 엄마한테 보냈어", "택배 보냈어"),
    ("hopelessness or burden", "아무도 날 필요로 하지 않아", "모두가 날 반겨 줘"),
])
def test_fourth_round_cue_classes_are_found_in_their_own_sentence_and_not_in_a_near_miss(cue, found, not_found):
    assert cue in _cues(found), found
    assert cue not in _cues(not_found), not_found


@pytest.mark.parametrize("text", [
    "이 글 읽을 때쯤이면 나는 없을 거야 다들 안녕",
    "나 이제 안 돌아올 거야 그동안 고마웠어",
    "방 정리도 다 했고 적금도 전부 엄마한테 보냈어 이제 여한이 없다",
    "집 열쇠랑 도장은 서랍에 넣어놨어 정리 다 했어",
    "엄마 미안해 더는 못 버티겠어 잘 있어",
    "여러분 그동안 신세 많이 졌습니다 이제 다시는 못 뵐 거예요",
    "어머니 불효자 먼저 떠납니다 용서하세요",
    "아무도 날 필요로 하지 않아 오늘 다 끝낼 거야",
    "오늘 밤 넘기기 힘들 것 같아 약 한 움큼 쥐고 있어",
    "I won't be a burden much longer. Tell dad I loved him.",
    "이 문자 받을 때면 난 세상에 없겠지",
    "내일 해 뜨는 거 못 볼 것 같아 다들 잘 지내",
    "엄마 아빠 먼저 가서 미안해요",
    "by the time anyone reads this I'll be gone",
    "I've said goodbye to everyone I care about. It's time.",
])
def test_goodbyes_absence_and_arrangements_that_add_up_are_a_suicide_crisis(text):
    found = assess(text)
    assert found.crisis is not None and found.crisis.kind is CrisisKind.SUICIDE, found


@pytest.mark.parametrize("text", [
    "오늘 할 일 다 했다 홀가분하다",
    "이 일은 여기까지인 것 같아요 다음 주에 봬요",
    "한 해 동안 고마웠습니다 선생님 다음 학기에 또 봬요",
    "저 먼저 갑니다 수고하세요",
    "엄마 미안 나 먼저 갈게 친구랑 약속 있어",
    "내일은 없다는 마음으로 살아 오늘을 즐겨",
    "미련 없이 회사 그만뒀어",
    "아무한테도 말 안 했는데 나 임신했어",
    "이 글 보일 때쯤이면 나 비행기 안이라 연락 안 될 거야",
    "나 내일 회사에 없을 거야",
    "통장 비밀번호 적어놨어 이제 안 까먹겠다",
    "이 메시지 볼 때쯤이면 나 이미 회사 도착했을 거야",
    "by the time you read this I'll be at the airport",
    "I'll be gone for a week on holiday",
    "I said goodbye to everyone at the office party",
    "내일 아침 해 뜨는 거 못 볼 것 같아 늦잠 잘 거라",
    "엄마 아빠 먼저 가서 미안해 차가 막혀서 친구들이랑 먼저 출발했어",
    "이 편지 받을 때쯤이면 우리 아기 태어났겠다",
])
def test_everyday_goodbyes_and_absences_are_no_crisis(text):
    assert assess_by_rules(text).crisis is None, (text, assess_by_rules(text))


def test_affairs_settled_and_a_closing_im_done_add_up_in_english():
    found = assess("Paid off all my debts, gave my cat to my sister, cancelled my phone contract. I'm done.")
    assert found.crisis is not None and found.crisis.kind is CrisisKind.SUICIDE, found
    assert "preparation" in _cues("I've given away my winter coats to the shelter")
    assert "finality" not in _cues("I'm done with the dishes, going out now")
