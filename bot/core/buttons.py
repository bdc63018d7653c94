"""Button data: what a press carries (an action and at most one id), written and read strictly.

Formats (every one fits Telegram's 64 bytes):

    lang:ko  lang:en                 dist:<district>          consent:yes  consent:no
    age:<age band>|age:skip          gender:<gender>|gender:skip
    nav:menu  nav:setup              cat:<category>
    prog:more:<program ref>          prog:next                req:start:<program ref>
    bk:date:YYYY-MM-DD  bk:time:<window>  bk:skip  bk:ok  bk:edit  bk:stop
    bk:cancel:<booking id>  bk:cxl:<booking id>  bk:keep
    st:acc:<booking id>  st:dec:<booking id>  st:nor:<booking id>  st:done:<booking id>
    fg:yes  fg:no
    nt:aud:<audience>  nt:nolink  nt:send  nt:sched  nt:drop  nt:stop:<notice id>
    set:notices:on  set:notices:off
    ck:days:<preset>  ck:time:HHMM  ck:change  ck:pausing  ck:pause:<days>  ck:resume  ck:stop
    ck:invite  ck:code
    bk:share:yes|no                  st:asg:<booking id>.<provider id>
    pv:take:<job id>  pv:ref:<job id>  pv:nor:<job id>  pv:vis:<job id>  pv:done:<job id>
    pv:day:YYYY-MM-DD  pv:hr:HH  pv:ok  pv:edit
    jb:yes:<job id>  jb:no:<job id>  jb:rate:<job id>.<1-5>  jb:nocm:<job id>
    cb:ask:<voice message id, 0 when unknown>

Check-in answers and staff actions on check-ins (`ci:ok:<round id>`, ...) are the check-in
engine's own format (`bot.checkins.buttons.parse_checkin_press`); the engine reads them first.

A press is data someone else can forge, so `parse_press` accepts exactly these shapes and
nothing else (no spaces, no leading zeros, no extra parts), and the handlers re-check who
pressed against the database. A program ref is the program id, or `#` and a short hash of it
when the id is too long for the 64 bytes (national ids reach 72 characters).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.messages import MAX_BUTTON_DATA_BYTES, Button
from bot.store.models import MAX_RECORD_ID, AgeBand, Gender, Language, NoticeAudience, TimeWindow
from catalog.schema import Category


class Action(StrEnum):
    LANGUAGE = "lang"
    DISTRICT = "dist"
    CONSENT = "consent"
    AGE = "age"
    GENDER = "gender"
    MENU = "nav:menu"
    SETUP = "nav:setup"
    CATEGORY = "cat"
    PROGRAM_MORE = "prog:more"
    OTHER_RESULTS = "prog:next"
    REQUEST = "req:start"
    DATE = "bk:date"
    TIME = "bk:time"
    SKIP = "bk:skip"
    CONFIRM = "bk:ok"
    EDIT = "bk:edit"
    STOP = "bk:stop"
    CANCEL_BOOKING = "bk:cancel"
    CANCEL_BOOKING_SURE = "bk:cxl"
    KEEP_BOOKING = "bk:keep"
    STAFF_ACCEPT = "st:acc"
    STAFF_DECLINE = "st:dec"
    STAFF_NO_REASON = "st:nor"
    STAFF_DONE = "st:done"
    FORGET_YES = "fg:yes"
    FORGET_NO = "fg:no"
    # Staff notices (bot.conversation.notice_desk): the draft is the one in the conversation.
    NOTICE_AUDIENCE = "nt:aud"
    NOTICE_NO_LINK = "nt:nolink"
    NOTICE_SEND = "nt:send"
    NOTICE_SCHEDULE = "nt:sched"
    NOTICE_DROP = "nt:drop"
    NOTICE_STOP = "nt:stop"
    # A resident's /settings: notices from the district office on or off.
    NOTICES_SETTING = "set:notices"
    # A resident's /checkin (bot.conversation.checkin_desk): days, time, pause, resume, stop.
    CHECKIN_DAYS = "ck:days"
    CHECKIN_TIME = "ck:time"
    CHECKIN_CHANGE = "ck:change"
    CHECKIN_PAUSING = "ck:pausing"
    CHECKIN_PAUSE = "ck:pause"
    CHECKIN_RESUME = "ck:resume"
    CHECKIN_STOP = "ck:stop"
    CHECKIN_INVITE = "ck:invite"  # ask someone to be my trusted contact: I type their code
    CHECKIN_CODE = "ck:code"  # be someone's trusted contact: show me a code to give them
    # Requests delivered by providers (bot.requests.provider_jobs): the resident's consent to share contact
    # details, staff's assignment, the provider's steps, the resident's word.
    BOOKING_SHARE = "bk:share"
    STAFF_ASSIGN = "st:asg"
    JOB_TAKE = "pv:take"
    JOB_REFUSE = "pv:ref"
    JOB_NO_REASON = "pv:nor"
    JOB_VISIT = "pv:vis"
    JOB_DONE = "pv:done"
    VISIT_DAY = "pv:day"
    VISIT_HOUR = "pv:hr"
    RECORD_OK = "pv:ok"
    RECORD_EDIT = "pv:edit"
    JOB_CONFIRM = "jb:yes"
    JOB_NOT_DONE = "jb:no"
    JOB_RATE = "jb:rate"
    JOB_NO_COMMENT = "jb:nocm"
    # A voice message outside a request offers a call-back (bot.conversation.call_backs).
    CALL_BACK = "cb:ask"


SKIP = "skip"
# Check-in day presets (Monday = 0), the offered times, and the pause lengths in days.
CHECKIN_PRESETS: dict[str, frozenset[int]] = {
    "daily": frozenset(range(7)),
    "weekdays": frozenset(range(5)),
    "mwf": frozenset({0, 2, 4}),
    "tt": frozenset({1, 3}),
    "weekend": frozenset({5, 6}),
}
CHECKIN_TIMES = ("0900", "1000", "1400", "1900")
CHECKIN_PAUSE_DAYS = ("3", "7")
VISIT_HOURS = tuple(f"{hour:02d}" for hour in range(8, 21))
_BOOKING_ID = re.compile(r"[1-9][0-9]{0,17}")  # and at most MAX_RECORD_ID (an INTEGER column)
_DISTRICT = re.compile(r"[a-z][a-z0-9-]{0,31}")
_PROGRAM_REF = re.compile(r"[a-z0-9][a-z0-9.-]{0,53}|#[0-9a-f]{12}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONGEST_PLAIN_REF = 48  # "prog:more:" and "req:start:" leave 54 bytes; keep a margin


def _one_of(values: Iterable[str]):
    allowed = frozenset(values)
    return lambda arg: arg if arg in allowed else None


def _pattern(pattern: re.Pattern):
    return lambda arg: arg if pattern.fullmatch(arg) else None


def _message_ref(arg: str) -> int | None:
    """The id of the message a button answers (0: the messenger gave none)."""
    return int(arg) if arg == "0" or _BOOKING_ID.fullmatch(arg) else None


def _booking_id(arg: str) -> int | None:
    return int(arg) if _BOOKING_ID.fullmatch(arg) and int(arg) <= MAX_RECORD_ID else None


_ASSIGNMENT = re.compile(r"([1-9][0-9]{0,17})\.([a-z0-9]+(?:[.-][a-z0-9]+)*)")
_RATING = re.compile(r"([1-9][0-9]{0,17})\.([1-5])")


def _assignment(arg: str) -> tuple[int, str] | None:
    """`<booking id>.<provider id>`: the booking id has no dot, so the first dot splits."""
    match = _ASSIGNMENT.fullmatch(arg)
    return (int(match[1]), match[2]) if match and int(match[1]) <= MAX_RECORD_ID else None


def _rating(arg: str) -> tuple[int, int] | None:
    match = _RATING.fullmatch(arg)
    return (int(match[1]), int(match[2])) if match and int(match[1]) <= MAX_RECORD_ID else None


def _date(arg: str) -> date | None:
    if not _ISO_DATE.fullmatch(arg):
        return None
    try:
        return date.fromisoformat(arg)
    except ValueError:
        return None


_NO_ARGUMENT = frozenset(
    {Action.MENU, Action.SETUP, Action.OTHER_RESULTS, Action.SKIP, Action.CONFIRM, Action.EDIT,
     Action.STOP, Action.KEEP_BOOKING, Action.FORGET_YES, Action.FORGET_NO, Action.NOTICE_NO_LINK,
     Action.NOTICE_SEND, Action.NOTICE_SCHEDULE, Action.NOTICE_DROP, Action.CHECKIN_CHANGE,
     Action.CHECKIN_PAUSING, Action.CHECKIN_RESUME, Action.CHECKIN_STOP, Action.CHECKIN_INVITE,
     Action.CHECKIN_CODE, Action.RECORD_OK, Action.RECORD_EDIT}
)
_ARGUMENT = {
    Action.LANGUAGE: _one_of(Language),
    Action.DISTRICT: _pattern(_DISTRICT),
    Action.CONSENT: _one_of(("yes", "no")),
    Action.AGE: _one_of([*AgeBand, SKIP]),
    Action.GENDER: _one_of([*Gender, SKIP]),
    Action.CATEGORY: _one_of(Category),
    Action.PROGRAM_MORE: _pattern(_PROGRAM_REF),
    Action.REQUEST: _pattern(_PROGRAM_REF),
    Action.DATE: _date,
    Action.TIME: _one_of(TimeWindow),
    Action.CANCEL_BOOKING: _booking_id,
    Action.CANCEL_BOOKING_SURE: _booking_id,
    Action.STAFF_ACCEPT: _booking_id,
    Action.STAFF_DECLINE: _booking_id,
    Action.STAFF_NO_REASON: _booking_id,
    Action.STAFF_DONE: _booking_id,
    Action.NOTICE_AUDIENCE: _one_of(NoticeAudience),
    Action.NOTICE_STOP: _booking_id,  # a notice id: the same shape as a booking id
    Action.NOTICES_SETTING: _one_of(("on", "off")),
    Action.CHECKIN_DAYS: _one_of(CHECKIN_PRESETS),
    Action.CHECKIN_TIME: _one_of(CHECKIN_TIMES),
    Action.CHECKIN_PAUSE: _one_of(CHECKIN_PAUSE_DAYS),
    Action.BOOKING_SHARE: _one_of(("yes", "no")),
    Action.STAFF_ASSIGN: _assignment,
    Action.JOB_TAKE: _booking_id,  # job ids: the same shape as booking ids
    Action.JOB_REFUSE: _booking_id,
    Action.JOB_NO_REASON: _booking_id,
    Action.JOB_VISIT: _booking_id,
    Action.JOB_DONE: _booking_id,
    Action.VISIT_DAY: _date,
    Action.VISIT_HOUR: _one_of(VISIT_HOURS),
    Action.JOB_CONFIRM: _booking_id,
    Action.JOB_NOT_DONE: _booking_id,
    Action.JOB_RATE: _rating,
    Action.JOB_NO_COMMENT: _booking_id,
    Action.CALL_BACK: _message_ref,
}
assert _NO_ARGUMENT.isdisjoint(_ARGUMENT) and _NO_ARGUMENT | set(_ARGUMENT) == set(Action)


@dataclass(frozen=True)
class Press:
    """A parsed button press: the action and its one argument (None for argument-less ones)."""

    action: Action
    value: str | int | date | tuple | None = None


def parse_press(data: str) -> Press | None:
    """The press `data` stands for, or None for anything not produced by `button_data`."""
    if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_BUTTON_DATA_BYTES:
        return None
    if data in _NO_ARGUMENT:
        return Press(Action(data))
    head, separator, arg = data.rpartition(":")
    if not separator or head not in _ARGUMENT:
        return None
    value = _ARGUMENT[Action(head)](arg)
    return None if value is None else Press(Action(head), value)


def button_data(action: Action, value: str | int | date | tuple | None = None) -> str:
    """The data of a button for `action`; refuses (ValueError) what `parse_press` would not read."""
    if action in _NO_ARGUMENT:
        if value is not None:
            raise ValueError(f"{action} takes no argument")
        data = str(action)
    else:
        if isinstance(value, date):
            arg = value.isoformat()
        elif isinstance(value, tuple):
            arg = ".".join(str(part) for part in value)
        else:
            arg = str(value)
        data = f"{action}:{arg}"
    if parse_press(data) != Press(action, value if action not in _NO_ARGUMENT else None):
        raise ValueError(f"not a valid button: {data[:40]}")
    return data


def button(label: str, action: Action, value: str | int | date | tuple | None = None) -> Button:
    return Button(label=_short_label(label), data=button_data(action, value))


def _short_label(label: str, limit: int = 40) -> str:
    # Telegram cuts long labels itself, but mid-word; a name that long reads better shortened.
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


class ProgramRefs:
    """Program ids as they fit in button data, and back; built once from the catalog's ids."""

    def __init__(self, program_ids: Iterable[str]):
        self._by_ref: dict[str, str] = {}
        self._ref_of: dict[str, str] = {}
        for program_id in program_ids:
            ref = self._make_ref(program_id)
            other = self._by_ref.get(ref)
            if other is not None and other != program_id:
                raise ValueError(f"program ids {other} and {program_id} share a button ref")
            self._by_ref[ref] = program_id
            self._ref_of[program_id] = ref

    @staticmethod
    def _make_ref(program_id: str) -> str:
        if len(program_id) <= _LONGEST_PLAIN_REF and _PROGRAM_REF.fullmatch(program_id):
            return program_id
        return "#" + hashlib.blake2b(program_id.encode(), digest_size=6).hexdigest()

    def ref(self, program_id: str) -> str:
        return self._ref_of[program_id]

    def resolve(self, ref: str) -> str | None:
        """The program id behind `ref`, or None (a program removed from the catalog since)."""
        return self._by_ref.get(ref)
