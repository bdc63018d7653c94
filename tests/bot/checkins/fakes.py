"""The check-in dispatcher's messenger in tests: records every message and answers DELIVERED
unless told otherwise per chat. Shared by the check-in, conversation and reliability tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.checkins.dispatch import CheckinMessage, SendResult


@dataclass
class FakeTransport:
    """Records every message; answers DELIVERED unless told otherwise per chat."""

    results: dict[int, SendResult] = field(default_factory=dict)
    sent: list[CheckinMessage] = field(default_factory=list)

    def __call__(self, message: CheckinMessage) -> SendResult:
        self.sent.append(message)
        return self.results.get(message.chat_id, SendResult.DELIVERED)

    def of_kind(self, kind: str) -> list[CheckinMessage]:
        return [m for m in self.sent if m.kind == kind]

    def per_round(self, kind: str = "checkin") -> Counter:
        return Counter(m.round_id for m in self.of_kind(kind))
