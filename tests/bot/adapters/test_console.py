"""The terminal adapter with piped input: numbered buttons, numbers press them, outbox shown."""

from __future__ import annotations

import io

from bot.conversation.messages import Button, Incoming, InputKind, Outgoing, Reply
from bot.console import BANNER, LOCAL_USER_ID, run_console

from .conftest import STAFF_CHAT


def chat(conversation, engine, clock, lines: str, **kwargs) -> list[str]:
    output = io.StringIO()
    code = run_console(conversation=conversation, engine=engine, clock=clock,
                       stdin=io.StringIO(lines), stdout=output, **kwargs)
    assert code == 0
    return output.getvalue().splitlines()


def test_buttons_are_numbered_and_a_number_presses_one(conversation, engine, clock):
    lines = chat(conversation, engine, clock, "/start\n2\n", first_name="지민")

    assert lines[0] == BANNER
    assert "you said: /start" in lines
    assert "[1] 한국어  [2] English" in lines
    first, press = conversation.received
    assert (first.kind, first.text, first.user_id, first.chat_id, first.first_name) == (
        InputKind.TEXT, "/start", LOCAL_USER_ID, LOCAL_USER_ID, "지민"
    )
    assert (press.kind, press.text, press.message_id) == (InputKind.BUTTON, "lang:en", 1)
    assert "  (English)" in lines
    assert "✎ pressed lang:en" in lines  # the edit of message 1
    assert "next question" in lines


def test_a_number_with_no_buttons_shown_is_text(engine, clock):
    class Quiet:
        received: list[Incoming] = []

        def handle(self, incoming: Incoming) -> Reply:
            self.received.append(incoming)
            return Reply().say(incoming.chat_id, "몇 살이세요?")

    quiet = Quiet()
    chat(quiet, engine, clock, "hi\n3\n")
    assert [(i.kind, i.text) for i in quiet.received] == [(InputKind.TEXT, "hi"), (InputKind.TEXT, "3")]


def test_a_number_beyond_the_buttons_is_explained_not_sent(conversation, engine, clock):
    lines = chat(conversation, engine, clock, "/start\n7\n")
    assert "(버튼은 1–2 / buttons are 1–2)" in lines
    assert len(conversation.received) == 1


def test_a_number_of_two_digits_beyond_the_buttons_is_typed_text(conversation, engine, clock):
    # An age written as a number ("72") at a question with six buttons is an answer, not a press.
    chat(conversation, engine, clock, "/start\n72\n")
    assert [(i.kind, i.text) for i in conversation.received] == [(InputKind.TEXT, "/start"), (InputKind.TEXT, "72")]


def test_messages_for_other_chats_are_shown_with_their_chat(conversation, engine, clock):
    lines = chat(conversation, engine, clock, "alert\n")
    assert f"→ (chat {STAFF_CHAT}) 새 신청 / new request" in lines
    assert "    [수락]" in lines
    # Staff buttons are not the local person's: 1 still presses the reply's first button.
    assert "[1] 한국어  [2] English" in lines


def test_outbox_messages_to_the_local_person_get_numbered_buttons_too(engine, clock):
    from bot.outbox import enqueue_message
    from bot.store import session_scope

    class Notifying:
        received: list[Incoming] = []

        def handle(self, incoming: Incoming) -> Reply:
            self.received.append(incoming)
            with session_scope(engine) as session:
                enqueue_message(session=session, chat_id=LOCAL_USER_ID, text="신청이 수락됐어요",
                                now=clock(), buttons=[[{"text": "확인", "data": "ok:1"}]])
            return Reply(messages=[Outgoing(incoming.chat_id, "접수했어요", ((Button("취소", "cancel:1"),),))])

    notifying = Notifying()
    lines = chat(notifying, engine, clock, "book\n2\n")
    assert "[1] 취소" in lines and "[2] 확인" in lines
    assert notifying.received[-1].text == "ok:1"


def test_quit_and_eof_end_the_session(conversation, engine, clock):
    chat(conversation, engine, clock, "one\n/quit\ntwo\n")
    assert [i.text for i in conversation.received] == ["one"]
    chat(conversation, engine, clock, "")  # EOF at once


def test_a_conversation_bug_does_not_end_the_session(conversation, engine, clock):
    lines = chat(conversation, engine, clock, "boom\nafter\n")
    assert "(오류 / error: RuntimeError)" in lines
    assert "you said: after" in lines
