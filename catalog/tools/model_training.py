"""Training the learned tiers (`catalog.linear_model`): the crisis model and the talk model.

Multinomial logistic regression, trained by stochastic gradient descent with AdaGrad steps and
an L2 penalty, in plain Python: a few thousand sentences of a few hundred sparse features each
train in a minute or two, and the result is the same on every machine (a fixed order of
sentences per epoch, from a fixed seed). Features seen in fewer than `MIN_SENTENCES` sentences
are dropped (a feature of one sentence is memory, not language), and weights too small to move
a decision are left out of the file.

A model file records the SHA-256 of the files it came from (`files_digest`) and of how a sample
of its training sentences reads today (`reading_digest`), so a test can tell when the sentences
changed, or the reading of them did (kiwi, the mending of English spellings, the crisis rules
that choose the chat lines), and the model was not trained again. A model trained on one
reading and used on another weighs features that no longer occur: the crisis model shipped
with weights for "u" and "ur" after the reading had learned to mend them to "you" and "your".
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from catalog.crisis_reading import Reading
from catalog.linear_model import LinearModel, features

EPOCHS = 12
STEP = 0.3
L2 = 1e-3
MIN_SENTENCES = 2
KEEP_WEIGHT = 0.02  # smaller weights are left out of the shipped file
SEEDS = (20261205, 20261206, 20261207)
READING_SAMPLE = 20  # every this many training pairs are read again for `reading_digest`


def read_labelled(path: Path, labels: Sequence[str]) -> list[tuple[str, str]]:
    """(text, label) pairs of a JSON Lines file; a line with a label not in `labels` is an
    error, not skipped."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in labels:
            raise ValueError(f"{path.name}:{number}: label {row['label']!r} is not one of {tuple(labels)}")
        pairs.append((row["text"], row["label"]))
    return pairs


def read_lines(path: Path) -> list[str]:
    """The non-empty lines of a text file, stripped."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def files_digest(*paths: Path) -> str:
    """One SHA-256 over the files a model was trained from, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def reading_digest(pairs: Sequence[tuple[str, str]]) -> str:
    """One SHA-256 over the features and label of every `READING_SAMPLE`th pair: what the
    model's sentences are to it. A sample, so a test reads it in a second; a change to the
    reading moves features in most sentences, and one to the chosen chat lines shifts the
    sample itself."""
    digest = hashlib.sha256()
    for text, label in pairs[::READING_SAMPLE]:
        digest.update("\x1f".join([label, *sorted(set(features(Reading.of(text))))]).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def train(pairs: list[tuple[str, str]], labels: Sequence[str]) -> LinearModel:
    """The model that `pairs` teach (deterministic for the same pairs): the average of one
    model trained per seed of `SEEDS`. One run's weights depend on the order it met the
    sentences in, so adding a hundred lines could move a borderline message across the bar;
    the average of several orders moves far less."""
    labels = tuple(labels)
    examples = [(sorted(set(features(Reading.of(text)))), labels.index(label)) for text, label in pairs]
    seen = Counter(feature for names, _ in examples for feature in names)
    examples = [([f for f in names if seen[f] >= MIN_SENTENCES], label) for names, label in examples]
    classes = len(labels)
    runs = [_train_once(examples, seed, classes) for seed in SEEDS]
    bias = tuple(sum(run_bias[c] for run_bias, _ in runs) / len(runs) for c in range(classes))
    names = sorted({name for _, run_weights in runs for name in run_weights})
    averaged = {
        name: tuple(sum(run_weights.get(name, (0.0,) * classes)[c] for _, run_weights in runs) / len(runs)
                    for c in range(classes))
        for name in names
    }
    kept = {name: row for name, row in averaged.items() if max(abs(w) for w in row) >= KEEP_WEIGHT}
    return LinearModel(labels=labels, bias=bias, weights=kept)


def _train_once(
    examples: list[tuple[list[str], int]], seed: int, classes: int
) -> tuple[list[float], dict[str, list[float]]]:
    """Bias and weights of one run of Adagrad over `examples`, in the order `seed` shuffles them."""
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    bias, bias_squares = [0.0] * classes, [1e-8] * classes
    order = list(range(len(examples)))
    rng = random.Random(seed)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for index in order:
            names, label = examples[index]
            rows = [weights.setdefault(name, [0.0] * classes) for name in names]
            sums = [bias[c] + sum(row[c] for row in rows) for c in range(classes)]
            top = max(sums)
            exps = [math.exp(s - top) for s in sums]
            total = sum(exps)
            errors = [exps[c] / total - (1.0 if c == label else 0.0) for c in range(classes)]
            for c in range(classes):
                bias_squares[c] += errors[c] ** 2
                bias[c] -= STEP * errors[c] / math.sqrt(bias_squares[c])
            for name, row in zip(names, rows, strict=True):
                square = squares.setdefault(name, [1e-8] * classes)
                for c in range(classes):
                    gradient = errors[c] + L2 * row[c]
                    square[c] += gradient * gradient
                    row[c] -= STEP * gradient / math.sqrt(square[c])
    return bias, weights


def write_model(model: LinearModel, output: Path, *, trained_from: Sequence[Path], pairs, name: str) -> None:
    """Write `model` to `output` with the digest of `trained_from`, and say what it learned from."""
    output.write_text(model.to_json(trained_on=files_digest(*trained_from), read_as=reading_digest(pairs)) + "\n",
                      encoding="utf-8")
    counts = Counter(label for _, label in pairs)
    print(f"{name}: {len(pairs)} sentences ({', '.join(f'{k} {counts[k]}' for k in model.labels)}), "
          f"{len(model.weights)} features kept, written to {output.name}")
