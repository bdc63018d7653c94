"""Small learned models over a message's letters, words and morphemes: multinomial logistic
regression over sparse features, one weight row per feature.

Two tiers use it: the crisis model (`catalog.crisis_model`: danger now, for what the crisis
rules do not name) and the talk model (`catalog.talk_model`: a request for help, or other talk
that shares a program's words). Rules written from the failures of one set of messages mend that
set and carry little to the next; a linear model over many small features carries what it
learned from thousands of sentences to ones it never saw. Both are trained by
`catalog.tools.model_training`, the same on every machine.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from catalog.crisis_reading import Reading

MODEL_FORMAT = 1
# A learned tier reads a message's first this many characters: its training sentences are
# shorter, and kiwi's analysis of a 4,000-character message costs some 100 ms (the crisis rules
# read it all).
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
class LinearModel:
    """Weights per feature and label, and the bias per label, as training left them."""

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

    def to_json(self, *, trained_on: str, read_as: str) -> str:
        """The model with the digests of its training files and of how they read (see
        `catalog.tools.model_training`)."""
        return json.dumps({
            "format": MODEL_FORMAT, "trained_on": trained_on, "read_as": read_as, "labels": list(self.labels),
            "bias": [round(b, 4) for b in self.bias],
            "weights": {feature: [round(w, 4) for w in row] for feature, row in sorted(self.weights.items())},
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, labels: Sequence[str], *, name: str) -> LinearModel:
        """The model in `text`, which must hold `labels` in this order; `name` says which model
        a refusal is about ("crisis model: format 2 …")."""
        data = json.loads(text)
        if data.get("format") != MODEL_FORMAT or tuple(data["labels"]) != tuple(labels):
            raise ValueError(f"{name}: format {data.get('format')} with labels {data.get('labels')}, "
                             f"expected format {MODEL_FORMAT} with {list(labels)}")
        return cls(labels=tuple(labels), bias=tuple(data["bias"]),
                   weights={feature: tuple(row) for feature, row in data["weights"].items()})
