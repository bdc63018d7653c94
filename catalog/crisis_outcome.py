"""What a crisis assessment gives back: the numbers to call for each kind of danger, and
the `Assessment` of one message (a crisis, a concern, or neither)."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.results import Concern, Crisis, CrisisKind, Hotline
from catalog.schema import Text

HOTLINES = {
    "109": Hotline("109", Text(ko="자살예방 상담전화", en="Suicide prevention line")),
    "119": Hotline("119", Text(ko="화재·구급", en="Fire and ambulance")),
    "112": Hotline("112", Text(ko="경찰", en="Police")),
    "1366": Hotline("1366", Text(ko="여성긴급전화", en="Women's emergency line")),
    "129": Hotline("129", Text(ko="보건복지상담센터", en="Health and welfare call centre")),
    "1577-0199": Hotline("1577-0199", Text(ko="정신건강 위기상담", en="Mental health crisis line")),
}

# Which numbers to show, first the one to call first.
HOTLINES_BY_KIND: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: ("109", "119", "1577-0199", "129"),
    CrisisKind.OVERDOSE: ("119", "109"),
    CrisisKind.MEDICAL: ("119",),
    CrisisKind.FIRE: ("119",),
    CrisisKind.INTRUDER: ("112", "1366"),
    CrisisKind.VIOLENCE: ("112", "1366"),
}
# A concern is not an emergency: the counselling lines come first, the emergency one last.
CONCERN_HOTLINES_BY_KIND: dict[CrisisKind, tuple[str, ...]] = {
    CrisisKind.SUICIDE: ("109", "1577-0199", "129"),
    CrisisKind.OVERDOSE: ("109", "1577-0199", "119"),
    CrisisKind.MEDICAL: ("129", "119"),
    CrisisKind.FIRE: ("119",),
    CrisisKind.INTRUDER: ("1366", "112"),
    CrisisKind.VIOLENCE: ("1366", "112"),
}


@dataclass(frozen=True)
class Assessment:
    """What a message tells of danger: a crisis (danger now), a concern (crisis help asked about,
    or danger told secondhand), or neither; `concepts` names the rows that were found."""

    crisis: Crisis | None = None
    concern: Concern | None = None
    concepts: tuple[str, ...] = field(default=())
    # Which tier found what `concepts` names: "table", "cues" or "model" ("" when none did).
    decided_by: str = ""


def crisis_of(kind: CrisisKind, *, with_ambulance: bool = False) -> Crisis:
    """The crisis of `kind` with its numbers; `with_ambulance` when someone is also hurt
    (violence with a wound): 119 comes right after the first number if it is not there."""
    numbers = HOTLINES_BY_KIND[kind]
    if with_ambulance and "119" not in numbers:
        numbers = (numbers[0], "119", *numbers[1:])
    return Crisis(kind=kind, hotlines=tuple(HOTLINES[number] for number in numbers))


def concern_of(kind: CrisisKind) -> Concern:
    return Concern(kind=kind, hotlines=tuple(HOTLINES[number] for number in CONCERN_HOTLINES_BY_KIND[kind]))
