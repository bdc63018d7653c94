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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from catalog.crisis_reading import Reading

MODEL_FORMAT = 1
# A learned tier reads a message's first this many characters: its training sentences are
# shorter, and kiwi's analysis of a 4,000-character message costs some 100 ms (the crisis rules
# read it all).
READ_LIMIT = 300

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+")
_NOT_JAMO = re.compile(r"[^ㄱ-ㅣ]")
_SYLLABLE_FIRST, _SYLLABLE_LAST = "가", "힣"


def features(reading: Reading) -> list[str]:
    """The sparse features of one message, each a short string; the same for training and use.

    Korean is read as pairs and triples of letters with the spaces removed (so spacing and a
    slipped letter change few of them) and as kiwi's morphemes with their tags and the pairs of
    them (the grammar of will and of the future: "죽/VV 려고/EC"); English as words and pairs
    of words. Typed jamo (ㅈㅅ) count as letters. Built as lists in comprehensions: every
    learned tier reads every message through it, and a generator of f-strings cost a long
    message a quarter of a millisecond."""
    korean = reading.korean
    syllable = [_SYLLABLE_FIRST <= letter <= _SYLLABLE_LAST for letter in korean]
    found = [
        "k2:" + korean[start:start + 2] for start in range(len(korean) - 1) if syllable[start] or syllable[start + 1]
    ]
    found += [
        "k3:" + korean[start:start + 3] for start in range(len(korean) - 2)
        if syllable[start] or syllable[start + 1] or syllable[start + 2]
    ]
    found += ["j:" + run for run in _NOT_JAMO.sub(" ", reading.jamo).split()]
    words = _WORD.findall(reading.text)
    found += ["w:" + word for word in words]
    found += [f"w2:{before} {word}" for before, word in zip(words, words[1:], strict=False)]
    if korean:
        morphemes = reading.morphemes.split()
        found += ["m:" + morpheme for morpheme in morphemes]
        found += [f"m2:{before} {morpheme}" for before, morpheme in zip(morphemes, morphemes[1:], strict=False)]
    return found


@lru_cache(maxsize=64)
def message_features(text: str) -> frozenset[str] | None:
    """The features of a message's first `READ_LIMIT` characters, or None when it has nothing
    to read. Kept for the last messages: the talk and need models weigh the same message one
    after the other, and reading it is most of what weighing costs."""
    reading = Reading.of(text[:READ_LIMIT])
    if not reading.korean and not reading.text:
        return None
    return frozenset(features(reading))


@dataclass(frozen=True)
class LinearModel:
    """Weights per feature and label, and the bias per label, as training left them."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def probabilities(self, reading: Reading) -> dict[str, float]:
        return self.probabilities_of(frozenset(features(reading)))

    def chances_of_message(self, text: str) -> dict[str, float] | None:
        """The chance of each label for a message, read as every learned tier reads it
        (`message_features`), or None when it has nothing to read."""
        found = message_features(text)
        return None if found is None else self.probabilities_of(found)

    def probabilities_of(self, found: frozenset[str]) -> dict[str, float]:
        """The chance of each label for a message of these features (`features`)."""
        weights = self.weights
        rows = [weights[feature] for feature in found if feature in weights]
        # Column sums in C (zip) rather than a Python loop per weight: a model of 14 labels
        # reads a message's few hundred features in a fifth of the time.
        columns = zip(*rows, strict=True) if rows else ((),) * len(self.bias)
        sums = [bias + sum(column) for bias, column in zip(self.bias, columns, strict=True)]
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
