"""The terminal adapter with piped input: numbered buttons, numbers press them, its own outbox
shown and nobody else's."""

from __future__ import annotations

import io

from bot.adapters.console import BANNER, LOCAL_USER_ID, run_console
from bot.core.messages import Button, Incoming, InputKind, Outgoing, Reply

from .conftest import LANGUAGE_BUTTONS, STAFF_CHAT, FakeConversation


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


def test_a_staff_alert_about_the_terminals_own_request_is_shown_with_its_chat(engine, clock):
    # It is the terminal's: shown here and marked sent, it never reaches real staff about a
    # made-up resident.
    terminal_resident(engine, clock)
    lines = chat(AlertingAboutTheTerminal(engine=engine, clock=clock), engine, clock, "alert\n")
    assert f"→ (chat {STAFF_CHAT}) 새 신청 / new request" in lines
    assert "새 신청 / new request" not in outbox_rows(engine)  # sent: its text cleared
    assert "    [수락]" in lines
    # Staff buttons are not the local person's: 1 still presses the reply's first button.
    assert "[1] 한국어  [2] English" in lines


def test_outbox_messages_to_the_local_person_get_numbered_buttons_too(engine, clock):
    from bot.sending.outbox import enqueue_message
    from bot.store.db import session_scope

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


# --- the terminal is its own world: other people's outbox messages stay for the Telegram bot ---


def terminal_resident(engine, clock):
    """The terminal's person as a resident (user and chat LOCAL_USER_ID), as after onboarding."""
    from bot.people.residents import register_resident
    from bot.store.db import session_scope

    with session_scope(engine) as session:
        return register_resident(session=session, platform_user_id=LOCAL_USER_ID, chat_id=LOCAL_USER_ID,
                                 first_name="주민", language="ko", district="seocho", now=clock())


class AlertingAboutTheTerminal(FakeConversation):
    """A booking by the terminal's person: "alert" queues the staff alert filed under them."""

    def handle(self, incoming: Incoming) -> Reply:
        from sqlmodel import select

        from bot.sending.outbox import enqueue_message
        from bot.store.db import session_scope
        from bot.store.models import Resident

        if incoming.text == "alert":
            with session_scope(self.engine) as session:
                terminal = select(Resident).where(Resident.platform_user_id == LOCAL_USER_ID)
                resident = session.exec(terminal).one()
                enqueue_message(session=session, chat_id=STAFF_CHAT, text="새 신청 / new request",
                                resident_id=resident.id, now=self.clock(),
                                buttons=[[{"text": "수락", "data": "booking:accept:1"}]])
            return Reply().say(incoming.chat_id, "신청했어요", LANGUAGE_BUTTONS)
        return super().handle(incoming)


def outbox_rows(engine):
    from sqlmodel import Session, select

    from bot.store.models import OutboxMessage

    with Session(engine) as session:
        return {row.text or row.id: (row.chat_id, row.status) for row in session.exec(select(OutboxMessage))}


def queue(engine, clock, chat_id: int, text: str, resident_id: int | None = None) -> None:
    from bot.sending.outbox import enqueue_message
    from bot.store.db import session_scope

    with session_scope(engine) as session:
        enqueue_message(session=session, chat_id=chat_id, text=text, resident_id=resident_id, now=clock())


def test_other_peoples_pending_messages_stay_pending_and_are_not_printed(engine, clock):
    terminal_resident(engine, clock)
    from bot.people.residents import register_resident
    from bot.store.db import session_scope

    with session_scope(engine) as session:
        real = register_resident(session=session, platform_user_id=777, chat_id=777, first_name="Mina",
                                 language="ko", district="seocho", now=clock())
    queue(engine, clock, STAFF_CHAT, "새 신청: 010-1234-5678", resident_id=real.id)
    queue(engine, clock, 4242, "응답 없음: 방문이 필요해요")
    queue(engine, clock, LOCAL_USER_ID, "신청이 수락됐어요")

    # "alert" (FakeConversation) queues a staff message during the terminal's turn that is not
    # about the terminal's person: not the terminal's either (a real bot may queue it meanwhile).
    lines = chat(FakeConversation(engine=engine, clock=clock), engine, clock, "hello\nalert\n")

    text = "\n".join(lines)
    assert "010-1234-5678" not in text and "방문이 필요해요" not in text and "새 신청 / new request" not in text
    assert "신청이 수락됐어요" in lines  # the terminal's own message is shown
    rows = outbox_rows(engine)
    assert rows["새 신청: 010-1234-5678"] == (STAFF_CHAT, "pending")
    assert rows["응답 없음: 방문이 필요해요"] == (4242, "pending")
    assert rows["새 신청 / new request"] == (STAFF_CHAT, "pending")
    assert "신청이 수락됐어요" not in rows  # sent: its text cleared
