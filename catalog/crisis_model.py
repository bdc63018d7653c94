"""The third tier of crisis detection: a small learned model, for what neither the concept
table nor the weighted cues name.

Five held-out sets showed the limit of rules: a round of rules written from one set's failures
mends that set and carries only a few lines to the next, because people tell the same danger
in more ways than rules can list. A linear model over many small features (letters, words and
kiwi's morphemes) carries what it learned from several thousand sentences to ones it never saw,
in a way a table cannot; it is kept third, so that what the table says (and its context rules:
a story, hearsay, the past) stands, and the model only speaks where the rules are silent.

The model is multinomial logistic regression over sparse features (`features`), one weight row
per feature, trained by `catalog.tools.crisis_training` from `data/crisis/training.jsonl`
(sentences written for this project, never an evaluation sentence) and half of the everyday
chat lines, into `data/crisis/model.json`. Its thresholds were chosen on the tune halves of the
held-out sets and on the other half of the chat lines (false alarms on everyday talk); a
message is a crisis when the model gives its kinds of danger together at least `CRISIS_AT`, a
concern from `CONCERN_AT`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from catalog.crisis_outcome import Assessment, concern_of, crisis_of
from catalog.crisis_reading import Reading
from catalog.loader import data_dir
from catalog.results import CrisisKind

# data_dir(): beside the packages in a checkout, inside the package in an installed wheel.
MODEL_FILE = data_dir() / "crisis" / "model.json"
MODEL_FORMAT = 1
TIER = "model"  # the name `Assessment.concepts` starts with when this tier decided
# The share the model gives all kinds of danger together (suicide … violence) at which a
# message is a crisis, and at which one asking about it is a concern (see the module's docstring).
CRISIS_AT = 0.99
CONCERN_AT = 0.9
# The labels of the training data; "none" and "concern" are not danger now.
DANGER = tuple(kind.value for kind in CrisisKind)
LABELS = ("none", "concern", *DANGER)

# The model reads a message's first this many characters: its training sentences are shorter,
# and kiwi's analysis of a 4,000-character message costs some 100 ms (the rules read it all).
READ_LIMIT = 300

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+")


def features(reading: Reading) -> Iterator[str]:
    """The sparse features of one message, each a short string; the same for training and use.

    Korean is read as pairs and triples of letters with the spaces removed (so spacing and a
    slipped letter change few of them) and as kiwi's morphemes with their tags and the pairs of
    them (the grammar of will and of the future: "죽/VV 려고/EC"); English as words and pairs
    of words. Typed jamo (ㅈㅅ) count as letters."""
    korean = reading.korean
    for size in (2, 3):
        for start in range(len(korean) - size + 1):
            piece = korean[start:start + size]
            if any("가" <= letter <= "힣" for letter in piece):
                yield f"k{size}:{piece}"
    jamo = re.sub(r"[^ㄱ-ㅣ]", " ", reading.jamo).split()
    for run in jamo:
        yield f"j:{run}"
    words = _WORD.findall(reading.text)
    for index, word in enumerate(words):
        yield f"w:{word}"
        if index:
            yield f"w2:{words[index - 1]} {word}"
    if korean:
        morphemes = reading.morphemes.split()
        for index, morpheme in enumerate(morphemes):
            yield f"m:{morpheme}"
            if index:
                yield f"m2:{morphemes[index - 1]} {morpheme}"


@dataclass(frozen=True)
class Model:
    """Weights per feature and label, and the bias per label, as `train` left them."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def probabilities(self, reading: Reading) -> dict[str, float]:
        sums = list(self.bias)
        for feature in set(features(reading)):
            row = self.weights.get(feature)
            if row is not None:
                for index, weight in enumerate(row):
                    sums[index] += weight
        top = max(sums)
        exps = [math.exp(value - top) for value in sums]
        total = sum(exps)
        return {label: value / total for label, value in zip(self.labels, exps, strict=True)}

    def to_json(self, *, trained_on: str) -> str:
        return json.dumps({
            "format": MODEL_FORMAT, "trained_on": trained_on, "labels": list(self.labels),
            "bias": [round(b, 4) for b in self.bias],
            "weights": {feature: [round(w, 4) for w in row] for feature, row in sorted(self.weights.items())},
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        if data.get("format") != MODEL_FORMAT or tuple(data["labels"]) != LABELS:
            raise ValueError(f"crisis model: format {data.get('format')} with labels {data.get('labels')}, "
                             f"expected format {MODEL_FORMAT} with {list(LABELS)}")
        return cls(labels=LABELS, bias=tuple(data["bias"]),
                   weights={feature: tuple(row) for feature, row in data["weights"].items()})


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The model shipped in data/crisis (read once, on the first message the rules leave)."""
    return Model.from_json(MODEL_FILE.read_text(encoding="utf-8"))


def assess_reading(reading: Reading, model: Model | None = None) -> Assessment:
    """A crisis of the likeliest kind when the model gives danger `CRISIS_AT` or more; a
    concern when it gives danger `CONCERN_AT` or more; otherwise nothing.

    The "concern" label alone does not make a concern: measured, it is the likeliest label of
    ordinary questions about help too (a broad ask for an older father's services, a cat that
    looks low), which would then show crisis lines beside every such answer."""
    if not reading.korean and not reading.text:
        return Assessment()
    if len(reading.text) > READ_LIMIT:
        reading = Reading.of(reading.text[:READ_LIMIT])
    chances = (model or shipped_model()).probabilities(reading)
    danger = sum(chances[label] for label in DANGER)
    likeliest = CrisisKind(max(DANGER, key=chances.__getitem__))
    named = (f"{TIER}: {danger:.2f} {likeliest.value}",)
    if danger >= CRISIS_AT:
        return Assessment(crisis=crisis_of(likeliest), concepts=named, decided_by=TIER)
    if danger >= CONCERN_AT:
        return Assessment(concern=concern_of(likeliest), concepts=named, decided_by=TIER)
    return Assessment()
