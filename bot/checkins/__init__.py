"""Wellness check-ins: ask residents who live alone how they are, and raise the alarm when one
stops answering.

A resident opts in with a plan (which weekdays, what time, in their zone: Korea by default).
Each planned check-in becomes one `CheckinRound` row; the database is the source of truth and a
scheduler only calls `dispatch_due(now=…)` every minute or so. The life of a round:

    scheduled ──claim──▶ sending ──send result──▶ awaiting ──+window──▶ reminded ──+window──▶ escalated
        │                  │  (lease over: sent-unknown)     │                │                 │ │
        │                  └───────────▶ awaiting            │                │   staff "visit" │ │ N missed
        │                                                    │                │                 ▼ ▼ in a row
        ├─ more than the grace period late ──▶ skipped        │                │            visit_needed
        └─ plan paused/changed/stopped: deleted               ▼                ▼                 │
                                                  cancelled (plan paused/changed/stopped)       │
    sending, awaiting, reminded, escalated, visit_needed ──answer──▶ answered                   │
    escalated, visit_needed ──staff "reached them"──▶ reached ◀──────────────────────────────────┘
    sending, never handed off ──lease over, or dispatch cancelled──▶ scheduled (deleted if the
        plan is no longer active)

- At most once. A round is claimed (scheduled → sending) in one committed transaction before it
  is handed to `send`; a restart or a second dispatcher finds it no longer `scheduled`. The
  claim is one statement, `WITH due AS MATERIALIZED (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)
  UPDATE … RETURNING`: on PostgreSQL concurrent dispatchers split the due rounds; SQLite (3.35
  or newer) ignores the locking clause and has one writer at a time anyway. Check-ins are
  claimed `CLAIM_BATCH` at a time, so a crash strands few claims.
- Sends are recorded where they happen. Just before a check-in goes to `send`, its hand-off is
  committed (`sent_at` set, only if the round is still this claim's); the send's result is
  committed in the next short transaction, together with the next hand-off (one transaction
  per check-in). Sends are one at a time, so whatever the moment of a crash, at most **one**
  round is handed off without a recorded result.
- A crash leaves claimed rounds in `sending`. Once the lease (`CheckinPolicy.send_lease`) is
  over, the next tick looks at the hand-off. Handed off: **sent, result unknown**: delivery
  `unknown`, the ladder goes on as if it was delivered (the reminder is the second chance), and
  the staff and contact alerts say the check-in may not have reached the resident. Sending
  again could greet someone twice; not sending could miss an alarm: the reply window and the
  reminder cover the second risk without taking the first. Never handed off: nothing reached
  the resident, so the round is due again (`scheduled`, its grace period still applying; dropped
  if the plan is no longer active) and its first message is the check-in, not a reminder. A
  dispatcher cancelled (or whose `send` raises a non-`Exception`) hands its unsent claims back
  at once, without waiting for the lease.
- Every due round is sent: plans are materialised ahead (`materialise_ahead`) into rounds by a
  unique (plan_id, scheduled_for) key, and each tick claims the oldest due rounds first, up to
  `limit` messages a tick (about what Telegram lets a bot send in a minute), so a crowd of
  10:00 check-ins is spread over the following minutes and `TickReport` says how late the last
  one was. A round that would go out more than `grace_period` late (the bot was down, or the
  backlog is that long) is recorded as `skipped` instead: a "how are you this morning?" at
  17:00 confuses more than it helps, and an alarm raised on it would be raised on our lateness.
  Skipped rounds do not count as missed.
- The ladder: no answer within `reply_window` → one reminder; none within a further window after
  the reminder → the district's staff (with [연락됐어요] [방문 필요] buttons) and the trusted
  contact are alerted through the outbox, in the same transaction as the escalation;
  `visit_needed_after_missed_rounds` escalations in a row → a "visit needed" alert. A check-in
  that could not be delivered (blocked, resident inactive) counts as not answered; staff are
  told once that the bot cannot reach the person, and the plan is set aside until they write
  again (`bot.checkins.reach`). Any answer later, or pausing or stopping the check-ins in the
  bot, sends an all clear to everyone who was alerted.

`send` contract: `send(CheckinMessage)` returns a `SendResult` (or its string value), directly
or as an awaitable; an async send is what the Telegram adapter gives (wrap `Transport.send`:
`RecipientBlocked` → BLOCKED, other `DeliveryError`s → FAILED, after acquiring the bot's shared
send rate), a plain function is what tests and the benchmark give. An exception from `send`
counts as FAILED for that message (logged); it is not retried, the reminder is the retry.
`dispatch_due` is a coroutine; its database work runs in a worker thread, as the outbox
sender's does, so the event loop keeps serving residents during a tick.

Time is always a parameter (`now`, aware UTC); nothing here decides by the clock (the phase
timings in `TickReport.seconds` only measure).
"""
