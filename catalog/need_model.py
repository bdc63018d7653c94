"""What kind of help a request asks for, learned: care, escort, meals, cleaning, laundry,
repairs, counselling, safety, check-in, culture, social, health, jobs or a workspace; or
whether it asks what help there is at all (a broad ask).

The keyword matcher finds a program through the words an officer gave it. People name the same
need in words no officer listed ("집청소 엄두가 안 나요" for cleaning, "일하고 싶다" for work), and
when the words of two programs meet in one message ("퇴원하는데 병원 갈 때도 누가 …"), the
keywords alone do not say which need the message is about. On twelve blind sets the requests the
matcher missed were mostly these two: nothing found for a need told in other words, and a
neighbouring program of another kind first.

A `catalog.linear_model.LinearModel` trained on requests written for this project, each labelled
with the kind of help it asks for (`Category`), reads the need rather than the words. It knows
kinds, not programs: a district's new program of a known kind is met without training again,
and the officers' keywords stay how a program is found and ranked. The matcher uses it in two
places only (see `Matcher.score`): a bonus for the local programs of the kind it is sure of,
and, when a request found no local program at all, the district's programs of that kind.
Trained by `catalog.tools.need_training` (`ddokddok catalog need-model`) into
data/needs/model.json.
"""

from __future__ import annotations

from functools import lru_cache

from catalog.linear_model import LinearModel
from catalog.loader import data_dir
from catalog.schema import Category

MODEL_FILE = data_dir() / "needs" / "model.json"
# The kinds of help the district and city programs give; the national programs' own kinds
# (housing, income, family, education) are found by the booklet's texts.
KINDS = (
    Category.CARE, Category.ESCORT, Category.MEALS, Category.CLEANING, Category.LAUNDRY, Category.REPAIRS,
    Category.COUNSELLING, Category.SAFETY, Category.CHECK_IN, Category.CULTURE, Category.SOCIAL,
    Category.HEALTH, Category.JOBS, Category.WORKSPACE,
)
# A broad ask: what help there is at all, for someone described, no kind named.
BROAD = "broad"
LABELS = (*(str(kind) for kind in KINDS), BROAD)


@lru_cache(maxsize=1)
def shipped_model() -> LinearModel:
    """The model shipped in data/needs (read once, when the matcher is built)."""
    return LinearModel.from_json(MODEL_FILE.read_text(encoding="utf-8"), LABELS, name="need model")


def need_chances(text: str, model: LinearModel | None = None) -> dict[Category, float]:
    """How likely each kind of help is to be what `text` asks for (with `broad_chance`,
    together 1); empty for a message with nothing to read."""
    chances = (model or shipped_model()).chances_of_message(text)
    return {} if chances is None else {kind: chances[str(kind)] for kind in KINDS}


def broad_chance(text: str, model: LinearModel | None = None) -> float:
    """How likely `text` is to ask what help there is at all rather than for one kind of it."""
    chances = (model or shipped_model()).chances_of_message(text)
    return 0.0 if chances is None else chances[BROAD]
