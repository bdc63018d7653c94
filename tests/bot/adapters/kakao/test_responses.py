"""The conversation's messages made to fit a skill response: never cut, the rest behind 더보기."""

from __future__ import annotations

from bot.adapters.kakao.responses import (
    MAX_LABEL,
    MAX_OUTPUTS,
    MAX_QUICK_REPLIES,
    MAX_SIMPLE_TEXT,
    render,
    short_label,
    split_text,
)
from bot.core.messages import Button, Outgoing

CHAT = -(2**53) - 1


def test_a_short_answer_with_buttons_is_a_text_and_quick_replies():
    buttons = ((Button("한국어", "lang:ko"), Button("English", "lang:en")),)
    page = render([Outgoing(CHAT, "언어를 골라 주세요", buttons)], more_token="t")
    assert page.rest == []
    template = page.response["template"]
    assert page.response["version"] == "2.0"
    assert template["outputs"] == [{"simpleText": {"text": "언어를 골라 주세요"}}]
    assert template["quickReplies"] == [
        {"label": "한국어", "action": "message", "messageText": "한국어", "extra": {"press": "lang:ko"}},
        {"label": "English", "action": "message", "messageText": "English", "extra": {"press": "lang:en"}},
    ]


def test_a_long_label_is_shortened_and_sent_in_full():
    label = "보일러 수리 지원 사업 신청하기"
    page = render([Outgoing(CHAT, "x", ((Button(label, "req:start:seocho.x"),),))], more_token="t")
    [reply] = page.response["template"]["quickReplies"]
    assert len(reply["label"]) <= MAX_LABEL and reply["label"].endswith("…")
    assert reply["messageText"] == label
    assert short_label("짧은 이름") == "짧은 이름"


def test_a_long_text_is_split_and_nothing_is_lost():
    lines = [f"{n}번째 줄: " + "가" * 90 for n in range(25)]  # about 2,500 characters
    text = "\n".join(lines)
    parts = split_text(text)
    assert all(len(part) <= MAX_SIMPLE_TEXT for part in parts) and len(parts) == 3
    assert "\n".join(parts) == text  # cut at line ends


def test_more_than_three_outputs_end_in_more_and_the_rest_is_held_with_the_buttons():
    messages = [Outgoing(CHAT, f"message {n}") for n in range(4)]
    messages.append(Outgoing(CHAT, "choose", ((Button("A", "a"),),)))
    first = render(messages, more_token="tok")
    outputs = first.response["template"]["outputs"]
    assert len(outputs) == MAX_OUTPUTS
    [more] = first.response["template"]["quickReplies"]
    assert more["label"] == "더보기" and more["extra"] == {"held": "tok"}
    assert [m.text for m in first.rest] == ["message 3", "choose"]
    second = render(first.rest, more_token="tok2")
    assert second.rest == []
    assert [r["extra"]["press"] for r in second.response["template"]["quickReplies"]] == ["a"]


def test_presses_of_a_page_cut_short_wait_for_the_last_page():
    messages = [Outgoing(CHAT, "pick", ((Button("Early", "early"),),)),
                *(Outgoing(CHAT, f"more {n}") for n in range(3))]
    first = render(messages, more_token="tok")
    assert [r["label"] for r in first.response["template"]["quickReplies"]] == ["더보기"]
    last = render(first.rest, more_token="tok2")
    assert [r["extra"]["press"] for r in last.response["template"]["quickReplies"]] == ["early"]


def test_more_than_ten_buttons_show_nine_and_more():
    buttons = tuple((Button(f"구 {n}", f"dist:d{n}"),) for n in range(14))
    first = render([Outgoing(CHAT, "구를 골라 주세요", buttons)], more_token="tok")
    quick = first.response["template"]["quickReplies"]
    assert len(quick) == MAX_QUICK_REPLIES
    assert [q["extra"].get("press") for q in quick[:9]] == [f"dist:d{n}" for n in range(9)]
    assert quick[-1]["extra"] == {"held": "tok"}
    rest = render(first.rest, more_token="tok2")
    assert [q["extra"]["press"] for q in rest.response["template"]["quickReplies"]] == [
        f"dist:d{n}" for n in range(9, 14)]


def test_link_buttons_are_web_links_of_a_text_card():
    page = render([Outgoing(CHAT, "구청 공지", ((Button("자세히 보기", url="https://example.org/n/1"),),))],
                  more_token="t")
    [card] = page.response["template"]["outputs"]
    assert card == {"textCard": {"description": "구청 공지", "buttons": [
        {"action": "webLink", "label": "자세히 보기", "webLinkUrl": "https://example.org/n/1"}]}}
    assert "quickReplies" not in page.response["template"]


def test_a_long_text_with_a_link_keeps_its_text_and_adds_the_card():
    page = render([Outgoing(CHAT, "공지 " * 150, ((Button("링크", url="https://example.org"),),))], more_token="t")
    outputs = page.response["template"]["outputs"]
    assert "simpleText" in outputs[0] and "textCard" in outputs[1]


def test_the_typing_field_buttons_send_their_label_as_text():
    page = render([Outgoing(CHAT, "메뉴", keyboard=("메뉴", "도움말"))], more_token="t")
    assert page.response["template"]["quickReplies"] == [
        {"label": "메뉴", "action": "message", "messageText": "메뉴"},
        {"label": "도움말", "action": "message", "messageText": "도움말"},
    ]
