"""Staff notices: an announcement to the residents of one district, and one delivery per resident.

A notice is written (a draft), then sent now or scheduled. When it starts, its audience is
counted once more and one `Delivery` row per recipient is written in the same transaction, so
the count staff saw is the count sent (unless someone joined, left or muted notices between
the preview and the press). The audience is always "residents of the district who are active
and have not muted notices", narrowed by `NoticeAudience` (check-in users, or one language).

The life of a delivery (`bot.notices.sender` drives it):

    pending ──claim──▶ sending ──sent──────────────────▶ sent
      ▲ │   (a batch,    │ ├──403 / chat not found────▶ blocked   (resident marked unreachable)
      │ │   leased at    │ ├──400, other refusals─────▶ failed    (error code kept)
      │ │   claimed_at)  │ ├──5xx, timeout: attempts left ──▶ pending at now + backoff
      │ │                │ │                no attempts left ─▶ failed
      │ │                │ └──429 ──▶ pending, not counted as an attempt (the sender pauses)
      │ │                └──lease over (the sender died) ──▶ pending      ← may repeat
      │ └──notice stopped ──▶ cancelled

Resuming after a crash: whatever was `pending` is simply claimed by the next sender, so nobody
is skipped. Rows left in `sending` were handed to the messenger or about to be; nobody knows
which. Once their lease is over (`DeliveryPolicy.lease`, 10 s) they go back to `pending` and
are sent again: **the only messages that may arrive twice are those in flight when the sender
died**. The sender records each send as soon as it returns, so that is at most its
`concurrency` messages (see `bot.notices.sender`); the rest of its claim was never handed to
the messenger and is only late, by the lease.

The lease is short, so a live sender renews it (`renew_claims`) a few times per lease while
it holds rows, through a 429 pause or a slow send; a row whose lease ran out anyway (the
sender stalled) and was released meanwhile is no longer the sender's, and it does not send
it. A sender never releases the rows it still holds itself (`release_expired_claims(keep=...)`).

Every function takes the session and the time; none reads the clock, none sends anything.
"""
