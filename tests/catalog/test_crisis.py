"""Crisis detection: danger now gets the right numbers; everyday exaggeration does not.

The sentences are written for these tests; none comes from the evaluation set.
"""

import pytest

from catalog import CrisisKind, detect_crisis


@pytest.mark.parametrize(
    "text, kind, first_number",
    [
        ("그냥 다 사라지고 싶어요", CrisisKind.SUICIDE, "109"),
        ("요즘 자살 생각만 나요", CrisisKind.SUICIDE, "109"),
        ("이렇게 살기 싫어 정말", CrisisKind.SUICIDE, "109"),
        ("I don't want to live anymore", CrisisKind.SUICIDE, "109"),
        ("수면제를 한꺼번에 먹었어요", CrisisKind.OVERDOSE, "119"),
        ("I took too many pills", CrisisKind.OVERDOSE, "119"),
        ("할머니가 쓰러졌어요", CrisisKind.MEDICAL, "119"),
        ("화장실에서 넘어져서 혼자 못 일어나요", CrisisKind.MEDICAL, "119"),
        ("가슴이 조여오고 식은땀이 나요", CrisisKind.MEDICAL, "119"),
        ("I have chest pain and can't breathe", CrisisKind.MEDICAL, "119"),
        ("부엌에 불이 났어요", CrisisKind.FIRE, "119"),
        ("집에서 가스 냄새가 심하게 나요", CrisisKind.FIRE, "119"),
        ("모르는 사람이 도어락 비밀번호를 누르고 있어요", CrisisKind.INTRUDER, "112"),
        ("someone is breaking into my flat", CrisisKind.INTRUDER, "112"),
        ("남편이 매일 때려요", CrisisKind.VIOLENCE, "112"),
    ],
)
def test_danger_is_recognised_with_the_right_number_first(text, kind, first_number):
    crisis = detect_crisis(text)
    assert crisis is not None, text
    assert crisis.kind is kind
    assert crisis.hotlines[0].number == first_number


@pytest.mark.parametrize(
    "text",
    [
        "배고파 죽겠어",
        "귀찮아 죽겠네 진짜",
        "웃겨 죽는 줄 알았어",
        "가슴이 아파 그 사람 생각에",  # heartache
        "혼자 살고 싶다",  # living alone: "혼자살" must not read as 자살
        "혼자 해야 할 일이 많아",  # "혼자해" must not read as 자해
        "투자해볼까 고민 중",
        "일 다 끝내고 싶어",
        "공부 때려치우고 싶다",
        "열불나서 미치겠어",
        "자살골 넣어서 졌어",
        "이 노래 진짜 죽인다",
        "운동 강도가 너무 세",
        "옷을 살 이유가 없어",
        "I'm dying to see that movie",
        "my phone died",
    ],
)
def test_everyday_speech_is_not_a_crisis(text):
    assert detect_crisis(text) is None, text
