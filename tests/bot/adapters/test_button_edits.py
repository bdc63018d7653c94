"""After a press, the pressed message shows the choice and loses its buttons (or, where they must
stay, marks the one pressed); a press on a keyboard that is gone is answered and goes no further.
Through the real Application on the fake Bot API."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlmodel import Session, select
from telegram import Update

from bot.adapters.telegram_presses import STALE_PRESS
from bot.core.messages import Incoming, Outgoing, Reply
from bot.store.models import Resident

from .conftest import make_callback_update, make_message_update


@dataclass
class PlainConversation:
    """Answers every press with a new message and never edits the pressed one."""

    received: list[Incoming] = field(default_factory=list)

    def handle(self, incoming: Incoming) -> Reply:
        self.received.append(incoming)
        return Reply().say(incoming.chat_id, f"pressed {incoming.text}")


@pytest.fixture
def conversation() -> PlainConversation:  # the `app` fixture's conversation, in this module
    return PlainConversation()


def button(text: str, data: str) -> dict[str, str]:
    return {"text": text, "callback_data": data}


LANGUAGES = [[button("한국어", "lang:ko"), button("English", "lang:en")]]
CHECKIN_CARD = [[button("괜찮아요", "ci:ok:5")], [button("도움이 필요해요", "ci:help:5")],
                [button("오늘은 좀 힘들어요", "ci:hard:5")]]


def labels(call) -> list[list[str]]:
    return [[b["text"] for b in row] for row in call.params["reply_markup"]["inline_keyboard"]]


async def test_a_choice_is_shown_under_the_text_and_the_buttons_go(app, fake_api, conversation):
    await app.process_update(make_callback_update("lang:ko", message_id=31, user_id=8, text="언어를 골라 주세요",
                                                  keyboard=LANGUAGES, bot=app.bot))

    assert [i.text for i in conversation.received] == ["lang:ko"]
    [edit] = fake_api.called("editMessageText")
    assert (edit.params["chat_id"], edit.params["message_id"]) == (8, 31)
    assert edit.params["text"] == "언어를 골라 주세요\n\n✔ 한국어"
    assert "reply_markup" not in edit.params  # no keyboard: nothing left to press
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["pressed lang:ko"]
    # The keyboard goes before the answer is sent: a second tap meanwhile finds nothing to press.
    assert [c.method for c in fake_api.calls if c.method != "getMe"] == [
        "answerCallbackQuery", "editMessageText", "sendMessage"]


async def test_link_buttons_stay_when_a_choice_removes_the_others(app, fake_api):
    card = [[button("신청하기", "req:start:p1"), button("자세히", "prog:more:p1")],
            [{"text": "홈페이지", "url": "https://example.kr/p1"}]]
    await app.process_update(make_callback_update("req:start:p1", text="도시락 배달", keyboard=card, bot=app.bot))

    [edit] = fake_api.called("editMessageText")
    assert edit.params["text"].endswith("✔ 신청하기")
    assert edit.params["reply_markup"]["inline_keyboard"] == [[{"text": "홈페이지", "url": "https://example.kr/p1"}]]


@pytest.mark.parametrize("data", ["ci:ok:5", "cat:meals"])
async def test_a_checkin_answer_or_a_browsing_press_keeps_its_keyboard_and_marks_the_press(
        app, fake_api, conversation, data):
    categories = [[button("식사", "cat:meals"), button("주거", "cat:housing")]]
    keyboard = CHECKIN_CARD if data.startswith("ci:") else categories
    await app.process_update(make_callback_update(data, keyboard=keyboard, bot=app.bot))

    assert fake_api.called("editMessageText") == []
    [edit] = fake_api.called("editMessageReplyMarkup")
    rows = edit.params["reply_markup"]["inline_keyboard"]
    def data_of(rows):
        return [[b["callback_data"] for b in row] for row in rows]
    assert data_of(rows) == data_of(keyboard)
    assert sum(b["text"].startswith("✔ ") for row in rows for b in row) == 1
    assert [b["text"] for row in rows for b in row if b["callback_data"] == data][0].startswith("✔ ")


async def test_a_later_checkin_answer_moves_the_mark(app, fake_api, conversation):
    answered_ok = [[button("✔ 괜찮아요", "ci:ok:5")], *CHECKIN_CARD[1:]]
    await app.process_update(make_callback_update("ci:help:5", keyboard=answered_ok, bot=app.bot))

    [edit] = fake_api.called("editMessageReplyMarkup")
    assert labels(edit) == [["괜찮아요"], ["✔ 도움이 필요해요"], ["오늘은 좀 힘들어요"]]
    assert [i.text for i in conversation.received] == ["ci:help:5"]  # still answerable


async def test_the_conversations_own_edit_wins(app, fake_api, conversation):
    # /settings answers its switch by showing the settings again in the same message.
    def edit_in_place(incoming: Incoming) -> Reply:
        conversation.received.append(incoming)
        reply = Reply()
        reply.messages.append(Outgoing(incoming.chat_id, "알림: 꺼짐", edit_message_id=incoming.message_id))
        return reply.say(incoming.chat_id, "알림을 껐어요")

    conversation.handle = edit_in_place
    await app.process_update(make_callback_update("set:notices:off", message_id=44, bot=app.bot))

    [edit] = fake_api.called("editMessageText")
    assert (edit.params["message_id"], edit.params["text"]) == (44, "알림: 꺼짐")
    assert fake_api.called("editMessageReplyMarkup") == [] and fake_api.called("editMessageCaption") == []


async def test_a_text_too_long_for_the_line_only_loses_its_buttons(app, fake_api):
    long_text = "가" * 4090
    await app.process_update(make_callback_update("lang:ko", text=long_text, keyboard=LANGUAGES, bot=app.bot))

    assert fake_api.called("editMessageText") == []
    [edit] = fake_api.called("editMessageReplyMarkup")
    assert "reply_markup" not in edit.params


@pytest.mark.parametrize("language, expected", [("ko", STALE_PRESS["ko"]), ("en", STALE_PRESS["en"])])
async def test_a_press_on_a_keyboard_that_is_gone_is_answered_and_goes_no_further(
        app, fake_api, conversation, language, expected):
    await app.process_update(make_callback_update("lang:ko", keyboard=[], language_code=language, bot=app.bot))

    [answer] = fake_api.called("answerCallbackQuery")
    assert answer.params["text"] == expected and answer.params["show_alert"] is True
    assert conversation.received == []
    assert [c.method for c in fake_api.calls if c.method.startswith(("send", "edit"))] == []


async def test_a_press_whose_data_is_not_on_its_message_is_refused(app, fake_api, conversation):
    await app.process_update(make_callback_update("st:acc:1", keyboard=LANGUAGES, bot=app.bot))
    assert conversation.received == []
    assert fake_api.called("answerCallbackQuery")[0].params["text"] == STALE_PRESS["ko"]


async def test_an_edit_telegram_refuses_costs_only_the_look(app, fake_api, conversation):
    fake_api.fail("editMessageText", "bad_request")
    await app.process_update(make_callback_update("lang:ko", keyboard=LANGUAGES, bot=app.bot))
    assert [c.params["text"] for c in fake_api.called("sendMessage")] == ["pressed lang:ko"]
    assert len(conversation.received) == 1


def residents(engine) -> list[Resident]:
    with Session(engine) as session:
        return list(session.exec(select(Resident)).all())


async def test_with_the_real_conversation_nothing_acts_twice(real_app, fake_api, engine):
    """Two presses of "I agree" that both left before the first edit (a double tap), then a
    press on the edited message: one resident, the second press answered as old, the third
    not handed on at all."""
    user = 7101
    await real_app.process_update(make_message_update("/start", user_id=user, bot=real_app.bot))
    for data in ("lang:ko", "dist:seocho"):
        await real_app.process_update(make_callback_update(data, user_id=user, bot=real_app.bot))
    consent = [[button("동의해요", "consent:yes"), button("동의하지 않아요", "consent:no")]]

    first = make_callback_update("consent:yes", message_id=600, user_id=user, text="동의하시나요?",
                                 keyboard=consent, bot=real_app.bot)
    double_tap = make_callback_update("consent:yes", message_id=600, user_id=user, text="동의하시나요?",
                                      keyboard=consent, bot=real_app.bot)
    await real_app.process_update(first)
    assert len(residents(engine)) == 1
    [edit] = [c for c in fake_api.called("editMessageText") if c.params["message_id"] == 600]
    assert edit.params["text"] == "동의하시나요?\n\n✔ 동의해요" and "reply_markup" not in edit.params

    sent = len(fake_api.called("sendMessage"))
    await real_app.process_update(double_tap)
    assert len(residents(engine)) == 1  # the conversation did not register anyone again
    [old_button] = fake_api.called("sendMessage")[sent:]
    assert "더 이상 쓸 수 없어요" in old_button.params["text"]  # "that button is old"

    calls = len(fake_api.calls)
    await real_app.process_update(make_callback_update("consent:yes", message_id=600, user_id=user,
                                                       text=edit.params["text"], keyboard=[], bot=real_app.bot))
    [answer] = fake_api.calls[calls:]
    assert answer.method == "answerCallbackQuery" and answer.params["text"] == STALE_PRESS["ko"]
    assert len(residents(engine)) == 1
    assert residents(engine)[0].platform_user_id == user


async def test_a_photo_cards_caption_takes_the_line(app, fake_api):
    press = make_callback_update("req:start:p1", keyboard=[[button("신청하기", "req:start:p1")]], bot=app.bot)
    data = press.to_dict()
    message = data["callback_query"]["message"]
    message.pop("text")
    message["caption"] = "집수리 사진"
    message["photo"] = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
    await app.process_update(Update.de_json(data, app.bot))

    assert fake_api.called("editMessageText") == []
    [edit] = fake_api.called("editMessageCaption")
    assert edit.params["caption"] == "집수리 사진\n\n✔ 신청하기" and "reply_markup" not in edit.params
