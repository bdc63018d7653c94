"""The third tier of crisis detection: a small learned model, for what neither the concept
table nor the weighted cues name.

Five held-out sets showed the limit of rules: a round of rules written from one set's failures
mends that set and carries only a few lines to the next, because people tell the same danger
in more ways than rules can list. A linear model over many small features (letters, words and
kiwi's morphemes) carries what it learned from several thousand sentences to ones it never saw,
in a way a table cannot; it is kept third, so that what the table says (and its context rules:
a story, hearsay, the past) stands, and the model only speaks where the rules are silent.

The model is a `catalog.linear_model.LinearModel`, trained by `catalog.tools.crisis_training`
from `data/crisis/training.jsonl`
(sentences written for this project, never an evaluation sentence) and half of the everyday
chat lines, into `data/crisis/model.json`. Its thresholds were chosen on the tune halves of the
held-out sets and on the other half of the chat lines (false alarms on everyday talk); a
message is a crisis when the model gives its kinds of danger together at least `CRISIS_AT`, a
concern from `CONCERN_AT`.
"""

from __future__ import annotations

from functools import lru_cache

from catalog.crisis_outcome import Assessment, concern_of, crisis_of
from catalog.linear_model import LinearModel
from catalog.loader import data_dir
from catalog.results import CrisisKind

# data_dir(): beside the packages in a checkout, inside the package in an installed wheel.
MODEL_FILE = data_dir() / "crisis" / "model.json"
TIER = "model"  # the name `Assessment.concepts` starts with when this tier decided
# The share the model gives all kinds of danger together (suicide … violence) at which a
# message is a crisis, and at which one asking about it is a concern (see the module's docstring).
CRISIS_AT = 0.99
CONCERN_AT = 0.9
# The labels of the training data; "none" and "concern" are not danger now.
DANGER = tuple(kind.value for kind in CrisisKind)
LABELS = ("none", "concern", *DANGER)


@lru_cache(maxsize=1)
def shipped_model() -> LinearModel:
    """The model shipped in data/crisis (read once: see `catalog.crisis.prepare`)."""
    return LinearModel.from_json(MODEL_FILE.read_text(encoding="utf-8"), LABELS, name="crisis model")


def assess_message(text: str, model: LinearModel | None = None) -> Assessment:
    """A crisis of the likeliest kind when the model gives danger `CRISIS_AT` or more; a
    concern when it gives danger `CONCERN_AT` or more; otherwise nothing.

    The message is read as every learned tier reads it (`LinearModel.chances_of_message`: its
    first `linear_model.READ_LIMIT` characters, the features kept for the next tier), so the talk and need
    models weigh the same features without reading the message again.

    The "concern" label alone does not make a concern: measured, it is the likeliest label of
    ordinary questions about help too (a broad ask for an older father's services, a cat that
    looks low), which would then show crisis lines beside every such answer."""
    chances = (model or shipped_model()).chances_of_message(text)
    if chances is None:
        return Assessment()
    danger = sum(chances[label] for label in DANGER)
    likeliest = CrisisKind(max(DANGER, key=chances.__getitem__))
    named = (f"{TIER}: {danger:.2f} {likeliest.value}",)
    if danger >= CRISIS_AT:
        return Assessment(crisis=crisis_of(likeliest), concepts=named, decided_by=TIER)
    if danger >= CONCERN_AT:
        return Assessment(concern=concern_of(likeliest), concepts=named, decided_by=TIER)
    return Assessment()
