"""Where a person is in the conversation: the named states and how they follow each other.

    NEW ─/start─▶ CHOOSING_LANGUAGE ─lang─▶ CHOOSING_DISTRICT ─dist─▶ CONSENT
                                                                      │  │
                              (nothing stored; back to NEW) ◀─no──────┘  yes: resident row
                                                                           ▼
                                  READY ◀─gender/skip── PROFILE_GENDER ◀─ PROFILE_AGE
                                    │
      ┌─────────────── Request ─────┤──── /forget ───▶ FORGET_CONFIRM ─yes─▶ (all erased: NEW)
      ▼                             │                          └─no──▶ READY
    BOOKING_DATE ─▶ BOOKING_TIME ─▶ BOOKING_PHONE ─▶ BOOKING_ADDRESS ─▶ BOOKING_NOTE
      ▲                                (re-asked until valid)  (skip ok)     (skip ok)
      └──────── Edit ───────── BOOKING_CONFIRM ◀─────────────────────────────┘
                                   │ Confirm: booking stored, staff alerted ─▶ READY
                                   └ Cancel ─▶ READY

    staff: Decline ─▶ STAFF_DECLINE_REASON ─reason or "no reason"─▶ READY (resident told)
    staff: /notice ─▶ NOTICE_TEXT ─▶ NOTICE_LINK ─▶ NOTICE_AUDIENCE ─▶ NOTICE_PREVIEW ─▶ (sent)
           (diagram in bot.conversation.notice_desk)                   └▶ NOTICE_SCHEDULE ─▶ (scheduled)

    resident: /checkin ─▶ CHECKIN_DAYS ─days─▶ CHECKIN_TIME ─time (button or HH:MM)─▶ READY (plan)
              [pause] ─▶ CHECKIN_PAUSE ─[3 days|a week] or a typed date─▶ READY (paused)
              [invite] ─▶ CHECKIN_INVITE ─the contact's code typed─▶ READY (invitation sent)
    contact:  [be a contact] ─▶ CHECKIN_CONTACT_CODE (a code shown, valid 30 min or until anything else)

    Requests delivered by a provider (bot.conversation.job_desk, diagram of a job in bot.requests.provider_jobs):
    resident: ... BOOKING_NOTE ─▶ BOOKING_SHARE (programs with providers) ─▶ BOOKING_CONFIRM;
              photos may be sent at any booking step
    staff:    [Accept] over the yearly cap ─▶ STAFF_OVERRIDE_REASON ─reason─▶ accepted
    provider: [Can't take it] ─▶ JOB_REFUSE_REASON ─▶ (staff reassign)
              [Visit time] ─▶ VISIT_DAY ─▶ VISIT_HOUR ─▶ (resident told)
              [Done] ─▶ RECORD_HOURS ─▶ RECORD_MEALS ─▶ RECORD_MATERIALS ─▶ RECORD_SERVICE
                    ─▶ RECORD_CONFIRM ─[OK]─▶ done (resident asked to confirm and rate)
    resident: [rating] ─▶ RATING_COMMENT ─comment or skip─▶ READY

    resident: a voice message outside a request (bot.conversation.call_backs) ─▶ offer, in READY
              [Please call me] ─▶ CALL_BACK_PHONE ─phone─▶ READY (a call-back sent to staff)
              voice messages may also be sent at any booking step, like photos

Commands (/menu, /find, /bookings, /cancel, ...) leave any flow for READY (or NEW for someone
who has not agreed yet); /help only answers. A crisis message is answered in every state
without changing it. Before consent the stored data holds only the language and district
chosen; from READY on it may hold the ids of the last search results and, while a request is
being written, its fields.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    NEW = "new"
    CHOOSING_LANGUAGE = "choosing_language"
    CHOOSING_DISTRICT = "choosing_district"
    CONSENT = "consent"
    PROFILE_AGE = "profile_age"
    PROFILE_GENDER = "profile_gender"
    READY = "ready"
    BOOKING_DATE = "booking_date"
    BOOKING_TIME = "booking_time"
    BOOKING_PHONE = "booking_phone"
    BOOKING_ADDRESS = "booking_address"
    BOOKING_NOTE = "booking_note"
    BOOKING_CONFIRM = "booking_confirm"
    FORGET_CONFIRM = "forget_confirm"
    STAFF_DECLINE_REASON = "staff_decline_reason"
    NOTICE_TEXT = "notice_text"
    NOTICE_LINK = "notice_link"
    NOTICE_AUDIENCE = "notice_audience"
    NOTICE_PREVIEW = "notice_preview"
    NOTICE_SCHEDULE = "notice_schedule"
    CHECKIN_DAYS = "checkin_days"
    CHECKIN_TIME = "checkin_time"
    CHECKIN_PAUSE = "checkin_pause"
    CHECKIN_INVITE = "checkin_invite"
    CHECKIN_CONTACT_CODE = "checkin_contact_code"
    BOOKING_SHARE = "booking_share"
    STAFF_OVERRIDE_REASON = "staff_override_reason"
    JOB_REFUSE_REASON = "job_refuse_reason"
    VISIT_DAY = "visit_day"
    VISIT_HOUR = "visit_hour"
    RECORD_HOURS = "record_hours"
    RECORD_MEALS = "record_meals"
    RECORD_MATERIALS = "record_materials"
    RECORD_SERVICE = "record_service"
    RECORD_CONFIRM = "record_confirm"
    RATING_COMMENT = "rating_comment"
    CALL_BACK_PHONE = "call_back_phone"


ONBOARDING = frozenset({State.CHOOSING_LANGUAGE, State.CHOOSING_DISTRICT, State.CONSENT})
BOOKING = frozenset(
    {State.BOOKING_DATE, State.BOOKING_TIME, State.BOOKING_PHONE, State.BOOKING_ADDRESS,
     State.BOOKING_NOTE, State.BOOKING_SHARE, State.BOOKING_CONFIRM}
)
# A staff member writing a notice; the draft is a `Notice` row whose id is in the data.
NOTICE = frozenset(
    {State.NOTICE_TEXT, State.NOTICE_LINK, State.NOTICE_AUDIENCE, State.NOTICE_PREVIEW,
     State.NOTICE_SCHEDULE}
)
# A resident setting up wellness check-ins (bot.conversation.checkin_desk).
CHECKIN = frozenset({State.CHECKIN_DAYS, State.CHECKIN_TIME, State.CHECKIN_PAUSE,
                     State.CHECKIN_INVITE, State.CHECKIN_CONTACT_CODE})
# A provider member answering a job; the job id is in the data.
PROVIDER = frozenset(
    {State.JOB_REFUSE_REASON, State.VISIT_DAY, State.VISIT_HOUR, State.RECORD_HOURS,
     State.RECORD_MEALS, State.RECORD_MATERIALS, State.RECORD_SERVICE, State.RECORD_CONFIRM}
)
# Typed steps of staff: a decline reason, a cap override reason.
STAFF_TYPING = frozenset({State.STAFF_DECLINE_REASON, State.STAFF_OVERRIDE_REASON})
