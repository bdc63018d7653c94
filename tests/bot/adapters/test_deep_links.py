"""A flyer's link, the messenger's language and the buttons under the typing field, end to end:
the real Telegram application and conversation on the fake Bot API, and the terminal."""

from __future__ import annotations

import io

from sqlmodel import Session, select
from telegram import Update

from bot.adapters.console import run_console
from bot.store.models import ConversationState, Resident

from .conftest import make_callback_update, make_message_update


def inline_data(call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def with_language(update: Update, language_code: str, bot) -> Update:
    """`update` as sent by someone whose Telegram is set to `language_code`."""
    data = update.to_dict()
    data["message"]["from"]["language_code"] = language_code
    return Update.de_json(data, bot)


def stored_state(engine, user_id: int) -> ConversationState | None:
    with Session(engine) as session:
        return session.get(ConversationState, user_id)


async def test_a_flyers_link_opens_on_the_consent_notice_with_district_and_language_set(real_app, fake_api, engine):
    await real_app.process_update(make_message_update("/start seocho_en", user_id=8101, bot=real_app.bot))
    [sent] = fake_api.called("sendMessage")
    assert "Seocho-gu, Seoul" in sent.params["text"] and "/forget" in sent.params["text"]
    assert inline_data(sent) == ["consent:yes", "consent:no", "lang:ko"]
    assert stored_state(engine, 8101).data == {"language": "en", "district": "seocho"}

    await real_app.process_update(make_callback_update("consent:yes", user_id=8101, bot=real_app.bot))
    with Session(engine) as session:
        resident = session.exec(select(Resident).where(Resident.platform_user_id == 8101)).one()
    assert (resident.district, resident.language) == ("seocho", "en")


async def test_a_forged_link_asks_the_usual_questions_and_keeps_nothing_of_it(real_app, fake_api, engine):
    for user_id, payload in ((8102, "gangnam_ko"), (8103, "x" * 4000), (8104, "서초_ko;DROP TABLE")):
        await real_app.process_update(make_message_update(f"/start {payload}", user_id=user_id, bot=real_app.bot))
        sent = fake_api.called("sendMessage")[-1]
        assert inline_data(sent) == ["lang:ko", "lang:en"]
        state = stored_state(engine, user_id)
        assert (state.state, state.data) == ("choosing_language", {})
    with Session(engine) as session:
        assert session.exec(select(Resident)).all() == []


async def test_the_telegram_language_puts_english_first_for_english_phones(real_app, fake_api):
    english = with_language(make_message_update("/start", user_id=8105), "en-US", real_app.bot)
    await real_app.process_update(english)
    assert inline_data(fake_api.called("sendMessage")[-1]) == ["lang:en", "lang:ko"]

    korean = with_language(make_message_update("/start", user_id=8106), "ko", real_app.bot)
    await real_app.process_update(korean)
    assert inline_data(fake_api.called("sendMessage")[-1]) == ["lang:ko", "lang:en"]

    linked = with_language(make_message_update("/start gwangjin", user_id=8107), "en", real_app.bot)
    await real_app.process_update(linked)
    assert "Gwangjin-gu, Seoul" in fake_api.called("sendMessage")[-1].params["text"]


async def test_after_onboarding_the_three_buttons_stay_under_the_typing_field(real_app, fake_api, clock):
    user = 8108
    await real_app.process_update(make_message_update("/start seocho_ko", user_id=user, bot=real_app.bot))
    for data in ("consent:yes", "age:skip", "gender:skip"):
        await real_app.process_update(make_callback_update(data, user_id=user, bot=real_app.bot))
    last = fake_api.called("sendMessage")[-1]
    markup = last.params["reply_markup"]
    assert [[b["text"] for b in row] for row in markup["keyboard"]] == [["찾기", "내 신청", "도움말"]]
    assert markup["is_persistent"] is True and markup["resize_keyboard"] is True

    clock.advance(60)  # past the flood gate's window
    await real_app.process_update(make_message_update("내 신청", user_id=user, bot=real_app.bot))
    assert "아직 신청하신 것이 없어요" in fake_api.called("sendMessage")[-1].params["text"]
    await real_app.process_update(make_message_update("찾기", user_id=user, bot=real_app.bot))
    assert "어떤 도움이 필요하세요" in fake_api.called("sendMessage")[-1].params["text"]


async def test_a_message_with_inline_buttons_keeps_them_and_edits_carry_no_typing_keyboard(real_app, fake_api):
    """A message carries one keyboard: the consent notice's inline buttons are never replaced."""
    await real_app.process_update(make_message_update("/start seocho_ko", user_id=8109, bot=real_app.bot))
    sent = fake_api.called("sendMessage")[-1]
    assert "keyboard" not in sent.params["reply_markup"]


def test_the_terminal_shows_the_buttons_and_typing_a_label_presses_it(real_conversation, engine, clock):
    output = io.StringIO()
    lines = "\n".join(["/start seocho_ko", "1", "건너뛰기", "건너뛰기", "도움말"]) + "\n"
    run_console(conversation=real_conversation, engine=engine, clock=clock,
                stdin=io.StringIO(lines), stdout=output)
    shown = output.getvalue()
    assert "[찾기] [내 신청] [도움말]" in shown.splitlines()
    after_help = shown.split("> 도움말\n", 1)[1]
    assert "/bookings" in after_help  # the help text, not a search
