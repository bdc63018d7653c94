"""Per-person flood control: how many messages one person may send in a sliding window.

Pure and clock-free (the caller passes the time in seconds), so tests move time instead of
sleeping. Each person is counted on their own: one person flooding never slows anyone else.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

# Said once to someone over the limit; adapters send it instead of the conversation's answer.
FLOOD_NOTICE = "잠시 후에 다시 보내 주세요 / please wait a moment"

# Forget people idle for a whole window every this many checks, so memory follows the
# number of people active now, not everyone who ever wrote.
SWEEP_EVERY_CHECKS = 1024


class Verdict(StrEnum):
    ALLOW = "allow"  # handle the message
    WARN = "warn"  # over the limit: answer FLOOD_NOTICE once, do not handle the message
    DROP = "drop"  # over the limit and already warned: ignore silently


@dataclass
class _Sender:
    handled: deque[float] = field(default_factory=deque)  # times of the messages let through
    warned: bool = False


class FloodGate:
    """At most `max_messages` handled per person within any `window_seconds`.

    Only handled messages count: someone who keeps typing while over the limit is let through
    again as soon as their oldest handled message leaves the window, and then warned afresh.
    """

    def __init__(self, *, max_messages: int, window_seconds: float):
        if max_messages < 1 or window_seconds <= 0:
            raise ValueError("flood control needs max_messages >= 1 and window_seconds > 0")
        self.max_messages = max_messages
        self.window_seconds = window_seconds
        self._senders: dict[int, _Sender] = {}
        self._checks = 0

    def check(self, user_id: int, now: float) -> Verdict:
        """Count a message from `user_id` at `now` (seconds) and say what to do with it."""
        self._checks += 1
        if self._checks % SWEEP_EVERY_CHECKS == 0:
            self._sweep(now)
        sender = self._senders.setdefault(user_id, _Sender())
        self._expire(sender, now)
        if len(sender.handled) < self.max_messages:
            sender.handled.append(now)
            sender.warned = False
            return Verdict.ALLOW
        if sender.warned:
            return Verdict.DROP
        sender.warned = True
        return Verdict.WARN

    def tracked_people(self) -> int:
        return len(self._senders)

    def _expire(self, sender: _Sender, now: float) -> None:
        while sender.handled and sender.handled[0] <= now - self.window_seconds:
            sender.handled.popleft()

    def _sweep(self, now: float) -> None:
        for user_id in list(self._senders):
            sender = self._senders[user_id]
            self._expire(sender, now)
            if not sender.handled:
                del self._senders[user_id]
