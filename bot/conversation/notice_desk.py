"""Staff notices in the conversation: /notice (write, link, audience, preview, send or schedule),
/notices (recent ones and their counts) and [Stop] on a running or scheduled notice.

    /notice ─▶ NOTICE_TEXT ──text, or photo with caption──▶ NOTICE_LINK ──address or [No link]──┐
                 (too long: asked again)                   (not a link: asked again)           │
                                                                                               ▼
    resting ◀── [Send now]: deliveries written ──── NOTICE_PREVIEW ◀──[audience]── NOTICE_AUDIENCE
                (the sender takes over)                │ (exact count)              ▲ nobody in it:
    resting ◀── a time typed: scheduled ◀─ NOTICE_SCHEDULE ◀─ [Schedule…]           └ asked again
    resting ◀── [Cancel] or /cancel in any NOTICE_* state: the draft is deleted

    [Stop] (on the progress message, or #N in /notices), in any state: staff of N's district only.

The draft is a `Notice` row (status draft) from the first step on, its id in the conversation
data: a notice may be longer than what a conversation state may hold. Only staff reach these
handlers (the engine refuses everyone else before); who may act on a notice is checked again by
`bot.notices.deliveries` against the database, and a notice of another district is answered "not found".
"""

from __future__ import annotations

from datetime import timedelta

from bot.conversation.alerts import staff_language
from bot.conversation.staff_desk import staff_text
from bot.conversation.states import NOTICE, State
from bot.conversation.turn import Turn, log, short
from bot.core.buttons import Action, Press, button
from bot.core.clock import korea_time
from bot.core.messages import Button
from bot.notices.authoring import (
    CAPTION_MAX_LENGTH,
    LINK_LABEL_MAX_LENGTH,
    SCHEDULE_MAX_AHEAD,
    TEXT_MAX_LENGTH,
    InvalidNotice,
    NotAllowed,
    NoticeNotFound,
    NoticeNotOpen,
    cancel_notice,
    count_audience,
    create_notice,
    discard_drafts,
    list_notices,
    parse_link,
    parse_send_time,
    resident_message,
    schedule_notice,
    set_audience,
    set_link,
    start_notice,
)
from bot.notices.report import notice_report
from bot.store.models import Notice, NoticeAudience, NoticeStatus

LISTED = 10
EXCERPT_LENGTH = 60
TIME_FORMAT = "%Y-%m-%d %H:%M"


# --- writing ----------------------------------------------------------------------------------


def start(turn: Turn) -> None:
    """/notice: a new draft; an unfinished earlier one is thrown away."""
    discard_drafts(session=turn.session, staff=turn.staff)
    turn.go(State.NOTICE_TEXT)
    turn.say(staff_text(turn, "notice.ask_text"))


def on_typed(turn: Turn, text: str) -> None:
    if turn.state is State.NOTICE_TEXT:
        _take_content(turn, text, photo=None)
    elif turn.state is State.NOTICE_LINK:
        _take_link(turn, text)
    elif turn.state is State.NOTICE_SCHEDULE:
        _take_time(turn, text)
    else:  # the audience or the preview: a button is expected
        turn.say(staff_text(turn, "onboarding.press_a_button"))


def on_photo(turn: Turn, caption: str) -> None:
    """A photo while the text is asked for: the caption is the notice's text."""
    if not caption:
        turn.say(staff_text(turn, "notice.photo_needs_caption"))
        return
    _take_content(turn, caption, photo=turn.incoming.photo)


def _take_content(turn: Turn, text: str, photo: str | None) -> None:
    try:
        notice = create_notice(
            session=turn.session,
            district=turn.staff.district,
            text=text,
            photo=photo,
            staff=turn.staff,
            progress_language=staff_language(turn, turn.staff),
            now=turn.now,
        )
    except InvalidNotice as error:
        if error.field_name != "text":
            raise
        limit = CAPTION_MAX_LENGTH if photo else TEXT_MAX_LENGTH
        turn.say(staff_text(turn, "notice.text_too_long", limit=limit, length=len(text)))
        return
    turn.go(State.NOTICE_LINK, {"notice": notice.id})
    turn.say(staff_text(turn, "notice.ask_link"),
             [[button(staff_text(turn, "notice.button_no_link"), Action.NOTICE_NO_LINK),
               _cancel_button(turn)]])


def _take_link(turn: Turn, typed: str) -> None:
    notice = _draft(turn)
    if notice is None:
        return
    try:
        url, label = parse_link(typed)
        set_link(notice, url, label)
    except InvalidNotice as error:
        if error.field_name == "link_label":
            turn.say(staff_text(turn, "notice.link_label_too_long", limit=LINK_LABEL_MAX_LENGTH))
        else:
            turn.say(staff_text(turn, "notice.link_invalid"))
        return
    turn.session.add(notice)
    _ask_audience(turn, notice)


def _ask_audience(turn: Turn, notice: Notice, key: str = "notice.ask_audience", **values: object) -> None:
    turn.go(State.NOTICE_AUDIENCE, {"notice": notice.id})
    rows = [[button(staff_text(turn, f"audience.{audience}"), Action.NOTICE_AUDIENCE, str(audience))]
            for audience in NoticeAudience]
    rows.append([_cancel_button(turn)])
    turn.say(staff_text(turn, key, **values), rows)


def _on_audience(turn: Turn, audience: str) -> None:
    notice = _draft(turn)
    if notice is None:
        return
    set_audience(notice, audience)
    turn.session.add(notice)
    count = count_audience(session=turn.session, district=notice.district, audience=audience)
    audience_name = staff_text(turn, f"audience.{audience}")
    if count == 0:
        _ask_audience(turn, notice, "notice.nobody", audience=audience_name)
        return
    turn.go(State.NOTICE_PREVIEW, {"notice": notice.id, "count": count})
    language = staff_language(turn, turn.staff)
    turn.say(staff_text(turn, "notice.preview_intro"))
    # Exactly what a resident will receive, photo and link button included.
    turn.reply.messages.append(
        resident_message(notice, chat_id=turn.incoming.chat_id, language=language, texts=turn.tools.texts)
    )
    turn.say(
        staff_text(turn, "notice.preview_count", audience=audience_name, count=count),
        [[button(staff_text(turn, "notice.button_send"), Action.NOTICE_SEND),
          button(staff_text(turn, "notice.button_schedule"), Action.NOTICE_SCHEDULE)],
         [_cancel_button(turn)]],
    )


def _send_now(turn: Turn) -> None:
    notice = _draft(turn)
    if notice is None:
        return
    notice = start_notice(session=turn.session, notice=notice, now=turn.now)
    turn.go(turn.resting_state)
    turn.say(staff_text(turn, "notice.started", number=notice.id, count=notice.recipients))


def _ask_time(turn: Turn) -> None:
    notice = _draft(turn)
    if notice is None:
        return
    turn.go(State.NOTICE_SCHEDULE, dict(turn.data))
    turn.say(staff_text(turn, "notice.ask_time", example=_example_time(turn)), [[_cancel_button(turn)]])


def _take_time(turn: Turn, typed: str) -> None:
    notice = _draft(turn)
    if notice is None:
        return
    try:
        send_at = parse_send_time(typed)
    except InvalidNotice:
        turn.say(staff_text(turn, "notice.time_unclear", example=_example_time(turn)))
        return
    if send_at < turn.now - timedelta(minutes=1):
        turn.say(staff_text(turn, "notice.time_past"))
        return
    if send_at > turn.now + SCHEDULE_MAX_AHEAD:
        turn.say(staff_text(turn, "notice.time_too_far", days=SCHEDULE_MAX_AHEAD.days))
        return
    schedule_notice(session=turn.session, notice=notice, send_at=send_at, now=turn.now)
    count = turn.data.get("count", 0)
    turn.go(turn.resting_state)
    turn.say(staff_text(turn, "notice.scheduled", number=notice.id, count=count,
                        when=korea_time(notice.send_at).strftime(TIME_FORMAT)))


def cancel(turn: Turn) -> None:
    """/cancel or [Cancel] while writing: the draft is deleted, nothing was sent."""
    discard_drafts(session=turn.session, staff=turn.staff)
    turn.go(turn.resting_state)
    turn.say(staff_text(turn, "notice.dropped"))


def _draft(turn: Turn) -> Notice | None:
    """The draft this conversation is writing, or None (then the person was told)."""
    notice_id = turn.data.get("notice")
    notice = turn.session.get(Notice, notice_id) if isinstance(notice_id, int) else None
    if notice is None or notice.status != NoticeStatus.DRAFT or notice.staff_id != turn.staff.id:
        turn.go(turn.resting_state)
        turn.say(staff_text(turn, "notice.gone"))
        return None
    return notice


def _cancel_button(turn: Turn) -> Button:
    return button(staff_text(turn, "notice.button_cancel"), Action.NOTICE_DROP)


def _example_time(turn: Turn) -> str:
    tomorrow = korea_time(turn.now) + timedelta(days=1)
    return tomorrow.replace(hour=10, minute=0).strftime(TIME_FORMAT)


# --- buttons ------------------------------------------------------------------------------------


def on_press(turn: Turn, press: Press) -> bool:
    """A notice button pressed by staff; False when it does not fit where they are (old button)."""
    action = press.action
    if action is Action.NOTICE_STOP:
        stop(turn, int(press.value))
        return True
    if action is Action.NOTICE_DROP:
        if turn.state not in NOTICE:
            return False
        cancel(turn)
        return True
    expected = {
        Action.NOTICE_NO_LINK: State.NOTICE_LINK,
        Action.NOTICE_AUDIENCE: State.NOTICE_AUDIENCE,
        Action.NOTICE_SEND: State.NOTICE_PREVIEW,
        Action.NOTICE_SCHEDULE: State.NOTICE_PREVIEW,
    }
    if turn.state is not expected.get(action):
        return False
    if action is Action.NOTICE_NO_LINK:
        notice = _draft(turn)
        if notice is not None:
            _ask_audience(turn, notice)
    elif action is Action.NOTICE_AUDIENCE:
        _on_audience(turn, str(press.value))
    elif action is Action.NOTICE_SEND:
        _send_now(turn)
    else:
        _ask_time(turn)
    return True


# --- running notices ----------------------------------------------------------------------------


def stop(turn: Turn, notice_id: int) -> None:
    """[Stop]: only staff of the notice's district; others are told it does not exist."""
    try:
        notice = cancel_notice(session=turn.session, notice_id=notice_id, staff=turn.staff, now=turn.now)
    except (NoticeNotFound, NotAllowed) as error:
        if isinstance(error, NotAllowed):
            log.warning("refused stop of notice %s by staff member %s", notice_id, turn.staff.id)
        turn.say(staff_text(turn, "notice.not_found", number=notice_id))
        return
    except NoticeNotOpen as error:
        turn.say(staff_text(turn, "notice.cannot_stop", number=notice_id,
                            status=staff_text(turn, f"notice_status.{error.status}")))
        return
    report = notice_report(session=turn.session, notice_id=notice.id)
    turn.say(staff_text(turn, "notice.stopped", number=notice.id, count=report.cancelled))


def show_list(turn: Turn) -> None:
    """/notices: the district's recent notices with their counts; open ones get [Stop]."""
    notices = list_notices(session=turn.session, district=turn.staff.district, limit=LISTED)
    if not notices:
        turn.say(staff_text(turn, "notice.list_empty"))
        return
    items, rows = [], []
    for notice in notices:
        report = notice_report(session=turn.session, notice_id=notice.id)
        when = notice.send_at if notice.status == NoticeStatus.SCHEDULED else (notice.started_at or notice.created_at)
        items.append(staff_text(
            turn, "notice.list_item",
            number=notice.id,
            status=staff_text(turn, f"notice_status.{notice.status}"),
            audience=staff_text(turn, f"audience.{notice.audience}"),
            when=korea_time(when).strftime(TIME_FORMAT),
            excerpt=short(" ".join(notice.text.split()), EXCERPT_LENGTH),
            delivered=report.delivered, blocked=report.blocked, failed=report.failed,
            remaining=report.remaining,
        ))
        if notice.status in (NoticeStatus.SCHEDULED, NoticeStatus.SENDING):
            rows.append([button(staff_text(turn, "notice.button_stop_number", number=notice.id),
                                Action.NOTICE_STOP, notice.id)])
    turn.say("\n\n".join([staff_text(turn, "notice.list_title"), *items]), rows)
