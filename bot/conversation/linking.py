"""/link and /unlink: a resident joins their other messenger to the resident they already are.

`/link` where they are registered (Telegram) gives a one-time code; `/link CODE` on KakaoTalk,
from someone with no resident record there, makes that KakaoTalk identity the same resident
(`bot.people.linking`). From then on KakaoTalk's turns are the resident's: the same requests,
check-ins and settings; answers go back where they wrote, and messages nobody asked for (a
check-in, a request's news, a notice) keep going to the resident's Telegram chat. The Telegram
chat is told of every new link, so a code typed by someone else does not go unnoticed.
`/unlink`, from either side, makes the KakaoTalk identity a new person again.

Codes are worded to the person only, never logged.
"""

from __future__ import annotations

from datetime import timedelta

from bot.conversation.states import State
from bot.conversation.turn import Turn, log
from bot.people.identities import Platform
from bot.people.linking import (
    CODE_DIGITS,
    CODE_LIFETIME,
    CODES_PER_HOUR,
    FAILED_TRIES_WINDOW,
    AlreadyLinked,
    AlreadyResident,
    CodeNoLongerValid,
    NotLinkable,
    TooManyCodes,
    TooManyTries,
    WrongCode,
    issue_code,
    linked_messengers,
    redeem_code,
    unlink,
)
from bot.sending.outbox import enqueue_message

# Static keys (not built from the value), so a missing text is found by reading the code.
PLATFORM_NAMES = {Platform.KAKAO: "link.platform_kakao", Platform.TELEGRAM: "link.platform_telegram"}


def link(turn: Turn, argument: str) -> None:
    """`/link`: a code for a resident; `/link CODE`: join this identity to the code's resident."""
    if argument:
        _redeem(turn, argument)
    else:
        _offer_code(turn)


def _offer_code(turn: Turn) -> None:
    if turn.resident is None:
        turn.say(turn.t("link.how"))
        return
    if turn.staff is not None or turn.provider is not None:
        # Staff and providers see residents' details: that stays on the account the district knows.
        turn.say(turn.t("link.not_for_staff"))
        return
    try:
        code = issue_code(session=turn.session, resident=turn.resident, now=turn.now)
    except NotLinkable:
        turn.say(turn.t("link.only_to_telegram"))
        return
    except AlreadyLinked:
        turn.say(turn.t("link.already_linked"))
        return
    except TooManyCodes:
        turn.say(turn.t("link.too_many_codes", limit=CODES_PER_HOUR))
        return
    log.info("link code made for resident %s", turn.resident.id)
    turn.say(turn.t("link.code", code=code, minutes=_minutes(CODE_LIFETIME)))


def _redeem(turn: Turn, typed: str) -> None:
    if turn.resident is not None:
        # A linked identity is the resident too: /forget here would erase them everywhere.
        linked = linked_messengers(session=turn.session, resident=turn.resident)
        turn.say(turn.t("link.already_linked" if linked else "link.already_resident"))
        return
    try:
        resident = redeem_code(session=turn.session, person_id=turn.user_id, typed=typed, now=turn.now)
    except AlreadyResident:
        turn.say(turn.t("link.already_resident"))
        return
    except NotLinkable:
        turn.say(turn.t("link.type_in_kakao"))
        return
    except TooManyTries:
        log.warning("link codes refused for user %s: too many failed tries", turn.user_id)
        turn.say(turn.t("link.too_many_tries", minutes=_minutes(FAILED_TRIES_WINDOW)))
        return
    except WrongCode:
        log.info("wrong link code from user %s", turn.user_id)
        turn.say(turn.t("link.wrong_code", digits=CODE_DIGITS))
        return
    except CodeNoLongerValid:
        log.info("expired or used link code from user %s", turn.user_id)
        turn.say(turn.t("link.code_expired"))
        return
    except AlreadyLinked:
        turn.say(turn.t("link.already_linked"))
        return
    log.info("user %s linked to resident %s", turn.user_id, resident.id)
    # This identity's own state (a half-done start) is dropped: from now on it is the resident.
    turn.go(State.NEW)
    turn.say(turn.t_in(resident.language, "link.linked"))
    enqueue_message(session=turn.session, chat_id=resident.chat_id, resident_id=resident.id, now=turn.now,
                    text=turn.t_in(resident.language, "link.linked_notice",
                                   messenger=turn.t_in(resident.language, PLATFORM_NAMES[Platform.KAKAO])))


def unlink_command(turn: Turn, _argument: str = "") -> None:
    """`/unlink`: every messenger linked to the resident becomes a separate, new person."""
    assert turn.resident is not None  # a resident's command
    if unlink(session=turn.session, resident=turn.resident) == 0:
        turn.say(turn.t("link.nothing_linked"))
        return
    log.info("resident %s unlinked their other messengers", turn.resident.id)
    turn.say(turn.t("link.unlinked"))


def privacy_line(turn: Turn) -> str | None:
    """The /privacy line naming the messengers linked to the resident (never their keys)."""
    if turn.resident is None:
        return None
    linked = linked_messengers(session=turn.session, resident=turn.resident)
    if not linked:
        return None
    names = ", ".join(dict.fromkeys(turn.t(PLATFORM_NAMES[m.platform]) for m in linked))
    return turn.t("link.privacy_line", messengers=names)


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)
