"""What the matcher answers: a crisis (with the numbers to call) or an ordered list of matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from catalog.schema import Text


class CrisisKind(StrEnum):
    SUICIDE = "suicide"  # suicidal intent, direct or indirect
    OVERDOSE = "overdose"
    MEDICAL = "medical"  # can't breathe, chest pain, collapsed, fell and can't get up
    FIRE = "fire"
    INTRUDER = "intruder"  # someone breaking in, being followed
    VIOLENCE = "violence"  # being hit or threatened at home


@dataclass(frozen=True)
class Hotline:
    number: str
    name: Text


@dataclass(frozen=True)
class Crisis:
    """Danger now. The hotlines are ordered: the first is the one to call first."""

    kind: CrisisKind
    hotlines: tuple[Hotline, ...]


@dataclass(frozen=True)
class Concern:
    """Crisis help asked about, not danger now (a friend at risk, where to get advice on
    domestic violence): these numbers are shown beside the matching programs."""

    kind: CrisisKind
    hotlines: tuple[Hotline, ...]


@dataclass(frozen=True)
class Match:
    program_id: str
    score: float  # 0–100


@dataclass(frozen=True)
class MatchResult:
    """The answer for one message. An empty `matches` with no crisis means "nothing fits"."""

    crisis: Crisis | None = None
    matches: list[Match] = field(default_factory=list)
    # True when the best matches score so close that asking the resident beats guessing.
    ambiguous: bool = False
    # True for a broad ask ("what is there for me here?"): `matches` lists the district's
    # programs, to be shown as a list rather than one card each (see `Matcher.is_broad_ask`).
    broad: bool = False
    # Set only without a crisis: the message asks about crisis help (see `crisis.detect_concern`).
    concern: Concern | None = None

    @property
    def is_crisis(self) -> bool:
        return self.crisis is not None

    def to_json(self) -> dict:
        """The batch contract of `ddokddok match --jsonl` (see the matching spec)."""
        out: dict = {
            "crisis": self.is_crisis,
            "matches": [{"id": m.program_id, "score": round(m.score, 1)} for m in self.matches],
        }
        if self.crisis is not None:
            out["crisis_kind"] = self.crisis.kind.value
            out["hotlines"] = [h.number for h in self.crisis.hotlines]
        elif self.concern is not None:
            out["concern"] = True
            out["concern_kind"] = self.concern.kind.value
            out["hotlines"] = [h.number for h in self.concern.hotlines]
        return out
