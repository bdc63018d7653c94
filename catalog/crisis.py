"""Crisis detection: danger now gets the right numbers at once; a question *about* crisis help
gets them beside the programs (a concern); everyday exaggeration gets neither.

The work is shared out so that each part reads on its own:
- `catalog.crisis_reading`: how a message is read (letters, words, jamo, kiwi's morphemes,
  dialect in standard spelling) and the grammar of a speaker's own will;
- `catalog.crisis_concepts`: the table of concepts, one row per way of telling of danger;
- `catalog.crisis_context`: whether it is told as now, a story, hearsay, the past, about
  someone else, or as a question about help;
- `catalog.crisis_cues`: the second tier, weighted cues for euphemisms no row names;
- `catalog.crisis_model`: the third tier, a small learned model, for what the rules leave;
- `catalog.crisis_outcome`: the numbers to call and the `Assessment` given back.

This module decides (see `assess`): a story, news or hearsay about someone else is not danger
now; a question about where to get help for suicide or violence is a concern, unless something
happens right now. A missed crisis is the worst error this product can make, a false alarm the
second worst, so a first-person wish or intention to die stays a crisis whatever else the
message says. When no row is found, the cues may still give a crisis or a concern, and past
them the learned model; where both lean to danger, it is a crisis. A fire or a stranger told
as over (a fright that came to nothing, a fire put out) is not danger now; a farewell from
someone who cannot be reached now is, however it is reported (a row marked `witnessed`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalog import crisis_cues, crisis_model, romanised
from catalog.crisis_concepts import CONCEPTS, Concept
from catalog.crisis_context import (
    DEALT_WITH_KINDS,
    FEARED,
    FEARED_KINDS,
    HELP,
    STORY,
    before_someone_else,
    dealt_with,
    guessed_about_other,
    hearsay,
    only_supposed,
    reported,
    told_as_past,
    told_now,
)
from catalog.crisis_outcome import (
    CONCERN_HOTLINES_BY_KIND,
    HOTLINES,
    HOTLINES_BY_KIND,
    Assessment,
    concern_of,
    crisis_of,
)
from catalog.crisis_reading import ANALYSIS_LIMIT, DIALECT, Reading, any_found, english_mends, morpheme_line
from catalog.results import Concern, Crisis, CrisisKind

# The names callers and tests reach through this module, which is the public face of detection.
__all__ = [
    "ANALYSIS_LIMIT", "CONCEPTS", "CONCERN_HOTLINES_BY_KIND", "DIALECT", "HOTLINES", "HOTLINES_BY_KIND",
    "Assessment", "Concept", "Reading", "assess", "assess_by_rules", "concern_of", "crisis_of", "detect_concern", "detect_crisis",
    "morpheme_line",
]

# When two kinds are told at once, the one whose first number must be called first wins:
# an overdose is also suicidal, and the ambulance comes first for it.
# Violence told with a wound ("맞아서 피가 나요") is violence: the police must come with the
# ambulance, so 112 comes first and 119 is added after it (see `assess`).
_KIND_ORDER = (
    CrisisKind.OVERDOSE, CrisisKind.SUICIDE, CrisisKind.FIRE,
    CrisisKind.INTRUDER, CrisisKind.VIOLENCE, CrisisKind.MEDICAL,
)


TABLE = "table"  # `Assessment.decided_by` when a row of the table was found


@lru_cache(maxsize=4096)
def assess(text: str) -> Assessment:
    """Crisis, concern or neither for one message, with the rows (or the tiers) that decided it.

    The rules first: a crisis they find stands, and so does what the table's rows and their
    context decide, except where only rows of the body or the house were found and read as
    secondhand (`_told_secondhand_of_the_body`): the learned tier may then still call it a
    crisis. Where no row is found, the learned tier decides; a concern of the weighted cues
    and one of the learned tier together make a crisis."""
    reading = Reading.of(text)
    by_rules = _by_rules(text, reading)
    if by_rules.crisis:
        return by_rules
    if by_rules.decided_by == TABLE:
        if not (_told_secondhand_of_the_body(by_rules, reading) or _only_behind(by_rules)):
            return by_rules  # a row was found: its context decided, and the model has no say
        learned = crisis_model.assess_message(text)
        return learned if learned.crisis else by_rules
    learned = crisis_model.assess_message(text)
    if by_rules.concern and learned.concern:
        # Two tiers that read a message apart both lean to danger: the cues' farewell or
        # preparation, the model's near certainty. Either alone is a concern; both, a crisis.
        return Assessment(crisis=crisis_of(learned.concern.kind), concepts=by_rules.concepts + learned.concepts,
                          decided_by=f"{by_rules.decided_by}+{learned.decided_by}")
    return learned if learned.crisis or not by_rules.concern else by_rules


def _told_secondhand_of_the_body(found: Assessment, reading: Reading) -> bool:
    """Rows of the body or the house only, read as secondhand, and neither crisis nor concern:
    "아빠가 약을 한 통 다 먹었다고 해요", "넘어져서 못 일어나신대요" report, in the grammar of hearsay,
    what the one reporting sees or hears now. The learned tier, which knows such messages,
    is asked then; a message it does not call a crisis stays as the rows left it. Not for the
    news, a film or a story: that is somebody else's, somewhere else."""
    if found.concern is not None or any_found(STORY, reading):
        return False
    return bool(found.concepts) and all(_CONCEPT_NAMED[name].kind in _BODY_AND_HOUSE for name in found.concepts)


def _only_behind(found: Assessment) -> bool:
    """Only rows of what is behind the writer were found (see `Concept.behind`): they make a
    concern, and the learned tier may still hear danger now in the rest of the message
    ("예전에도 그런 생각 했었는데 오늘은 …")."""
    return bool(found.concepts) and all(_CONCEPT_NAMED[name].behind for name in found.concepts)


def prepare() -> None:
    """Read the learned tier's weights, the English words the reading mends against and the
    syllable pairs romanised Korean is read back by now rather than on the first message that
    needs them: together some 400 ms, which would otherwise fall on the first resident to
    write after a start."""
    crisis_model.shipped_model()
    english_mends()
    romanised.prepare()


@lru_cache(maxsize=4096)
def assess_by_rules(text: str) -> Assessment:
    """What the concept table and the weighted cues alone make of a message."""
    return _by_rules(text, Reading.of(text))


def _by_rules(text: str, reading: Reading) -> Assessment:
    found = [c for c in CONCEPTS if c.found_in(reading)]
    if not found:
        # No row names it: the weighted cues of the second tier may still add up to danger.
        return crisis_cues.assess_reading(reading)
    now = told_now(reading)
    help_asked = any_found(HELP, reading)
    sentences = _sentences(text, reading)
    # The news named in one sentence and heard in another frame the sentences between:
    # "뉴스 봤어요. 다른 도시 공장에 불 났어요. 다친 사람은 없대요" is a report, not a fire here.
    news_frame = len(sentences) > 1 and any_found(STORY, reading) and any(hearsay(s) for s in sentences)

    crisis_kinds: list[CrisisKind] = []
    concern_kinds: list[CrisisKind] = []
    # Read only when a fire or a stranger was found: most messages with a row have neither.
    over = any(c.kind in DEALT_WITH_KINDS for c in found) and dealt_with(reading)
    for concept in found:
        if over and concept.kind in DEALT_WITH_KINDS:
            continue  # a fright that came to nothing, or a fire put out: not danger now
        if concept.behind:
            concern_kinds.append(concept.kind)  # past by its own words: a concern at most
            continue
        story, secondhand = _how_told(concept, reading, sentences, news_frame)
        if concept.witnessed and not (story and not now):
            crisis_kinds.append(concept.kind)  # seen happen by the writer: now, whoever's it is
            continue
        if concept.kind in _BODY_AND_HOUSE and not concept.topic:
            # The body and the house: only hearsay about elsewhere is not danger now. A story
            # is not enough ("드라마 보다가 가슴이 조여요"), nor is asking what to do.
            if now or not secondhand:
                crisis_kinds.append(concept.kind)
            continue
        if story and not now:
            continue  # a film, a game, the news: somebody else's, somewhere else
        if concept.topic:
            # Named, not told: "자살 예방 교육", "가정폭력 상담", "스토킹 때문에 무서워요".
            (crisis_kinds if now and not help_asked else concern_kinds).append(concept.kind)
        elif now:
            crisis_kinds.append(concept.kind)
        elif concept.kind is CrisisKind.SUICIDE:
            # A first-person wish or plan stays a crisis even when help is asked for with it.
            (concern_kinds if secondhand else crisis_kinds).append(concept.kind)
        else:
            # Violence and intruders: asking where to get help for it is a concern.
            (concern_kinds if secondhand or help_asked else crisis_kinds).append(concept.kind)

    names = tuple(c.name for c in found)
    if crisis_kinds:
        return Assessment(crisis=crisis_of(_first(crisis_kinds), with_ambulance=CrisisKind.MEDICAL in crisis_kinds),
                          concepts=names, decided_by=TABLE)
    if concern_kinds:
        return Assessment(concern=concern_of(_first(concern_kinds)), concepts=names, decided_by=TABLE)
    return Assessment(concepts=names, decided_by=TABLE)


_BODY_AND_HOUSE = (CrisisKind.MEDICAL, CrisisKind.FIRE, CrisisKind.OVERDOSE)
# The rows by name: an `Assessment` names the rows that decided it (names are unique, tested).
_CONCEPT_NAMED = {concept.name: concept for concept in CONCEPTS}
# Kinds whose danger told only as a supposition is not now; a will to die or to take too much
# said with "if" ("if he leaves I'll kill myself") still is.
_SUPPOSABLE = (CrisisKind.MEDICAL, CrisisKind.FIRE)
_SENTENCE_BREAK = re.compile(r"[.!?。\n]+")


def _sentences(text: str, reading: Reading) -> list[Reading]:
    pieces = [piece for piece in _SENTENCE_BREAK.split(text) if piece.strip()]
    return [Reading.of(piece) for piece in pieces] if len(pieces) > 1 else [reading]


def _how_told(concept: Concept, reading: Reading, sentences: list[Reading], news_frame: bool) -> tuple[bool, bool]:
    """(told as a story, told secondhand) for the sentences that tell `concept`.

    Hearsay, a past experience or a story in one sentence says nothing of the next: in
    "그 사람이 다른 사람을 좋아한대. 살기 싫다." the second sentence is the speaker's own. A
    concept that needs two sentences (what was seen in one, what I will do in the next) is
    told secondhand only when every sentence is. `news_frame`: the whole message reports the
    news (worked out once in `_by_rules`), which makes every concept in it secondhand.
    """
    telling = [s for s in sentences if concept.found_in(s)] or sentences
    story = all(any_found(STORY, s) for s in telling)
    # A guess about another's body or house ("엄마가 쓰러진 것 같아요") is still danger now.
    # ... unless the danger was told before anyone else was named ("죽고 싶어 친구가 눈치챈 것 같아").
    guessed = (concept.kind not in _BODY_AND_HOUSE and guessed_about_other(reading)
               and not _told_before_someone_else(concept, reading))
    # Afraid that it might happen ("누가 들어올까 봐 무서워요"): someone asking for safety, not an intruder now.
    feared = concept.kind in FEARED_KINDS and all(any_found(FEARED, s) for s in telling)
    # A body or a house in danger only supposed ("… and visits if she is not responding").
    supposed = concept.kind in _SUPPOSABLE and all(only_supposed(s, concept.found_in) for s in telling)
    secondhand = guessed or feared or supposed or news_frame or all(
        (hearsay(s) and not concept.threat) or reported(s) or told_as_past(s, concept.found_in) for s in telling)
    return story, secondhand


def _told_before_someone_else(concept: Concept, reading: Reading) -> bool:
    before = before_someone_else(reading)
    return before is not None and concept.found_in(before)


def _first(kinds: list[CrisisKind]) -> CrisisKind:
    return min(kinds, key=_KIND_ORDER.index)


def detect_crisis(text: str) -> Crisis | None:
    """The kind of danger now the message speaks of, with the numbers to call, or None."""
    return assess(text).crisis


def detect_concern(text: str) -> Concern | None:
    """For a message about crisis help that is not danger now (a friend at risk, where to get
    advice on domestic violence): the numbers to show beside the matching programs, or None.
    Never set together with a crisis."""
    return assess(text).concern
