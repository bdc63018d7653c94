"""Training the crisis model (`catalog.crisis_model`) from data/crisis/training.jsonl and the
everyday chat lines of data/crisis/chitchat-negatives.txt: `ddokddok catalog crisis-model`
writes data/crisis/model.json.

Sentences written for the project alone taught the model their writers' style: it called one
in three everyday chat lines a crisis. Real chat lines as "none" teach it what ordinary talk
looks like; the lines the rules call a crisis or a concern are left out of them, since some
chat is real distress.

Multinomial logistic regression, trained by stochastic gradient descent with AdaGrad steps and
an L2 penalty, in plain Python: a few thousand sentences of a few hundred sparse features each
train in well under a minute, and the result is the same on every machine (a fixed order of
sentences per epoch, from a fixed seed). Features seen in fewer than `MIN_SENTENCES` sentences
are dropped (a feature of one sentence is memory, not language), and weights too small to move
a decision are left out of the file.

The model file records the SHA-256 of the training file it came from, so a test can tell when
the sentences changed and the model was not trained again.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from pathlib import Path

from catalog.crisis_model import LABELS, MODEL_FILE, Model, features
from catalog.crisis_reading import Reading

TRAINING_FILE = MODEL_FILE.with_name("training.jsonl")
CHAT_FILE = MODEL_FILE.with_name("chitchat-negatives.txt")
EPOCHS = 12
STEP = 0.3
L2 = 1e-3
MIN_SENTENCES = 2
KEEP_WEIGHT = 0.02  # smaller weights are left out of the shipped file
SEEDS = (20261205, 20261206, 20261207)


def read_training(path: Path = TRAINING_FILE) -> list[tuple[str, str]]:
    """(text, label) pairs; a line with an unknown label is an error, not skipped."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in LABELS:
            raise ValueError(f"{path.name}:{number}: label {row['label']!r} is not one of {LABELS}")
        pairs.append((row["text"], row["label"]))
    return pairs


def read_chat(path: Path = CHAT_FILE) -> list[tuple[str, str]]:
    """Everyday chat lines as "none", but those the rules call a crisis or a concern. The rules
    alone decide: asking the whole detector would let the shipped model choose its own next
    training lines, and the same files would no longer make the same model."""
    from catalog.crisis import assess_by_rules

    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(line, "none") for line in lines
            if (found := assess_by_rules(line)).crisis is None and found.concern is None]


def files_digest(*paths: Path) -> str:
    """One SHA-256 over the files a model was trained from, in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def train(pairs: list[tuple[str, str]]) -> Model:
    """The model that `pairs` teach (deterministic for the same pairs): the average of one
    model trained per seed of `SEEDS`. One run's weights depend on the order it met the
    sentences in, so adding a hundred lines could move a borderline message across the bar;
    the average of several orders moves far less."""
    examples = [(sorted(set(features(Reading.of(text)))), LABELS.index(label)) for text, label in pairs]
    seen = Counter(feature for names, _ in examples for feature in names)
    examples = [([f for f in names if seen[f] >= MIN_SENTENCES], label) for names, label in examples]
    runs = [_train_once(examples, seed) for seed in SEEDS]
    classes = len(LABELS)
    bias = tuple(sum(run_bias[c] for run_bias, _ in runs) / len(runs) for c in range(classes))
    names = sorted({name for _, run_weights in runs for name in run_weights})
    averaged = {
        name: tuple(sum(run_weights.get(name, (0.0,) * classes)[c] for _, run_weights in runs) / len(runs)
                    for c in range(classes))
        for name in names
    }
    kept = {name: row for name, row in averaged.items() if max(abs(w) for w in row) >= KEEP_WEIGHT}
    return Model(labels=LABELS, bias=bias, weights=kept)


def _train_once(examples: list[tuple[list[str], int]], seed: int) -> tuple[list[float], dict[str, list[float]]]:
    """Bias and weights of one run of Adagrad over `examples`, in the order `seed` shuffles them."""
    classes = len(LABELS)
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


def run_train_crisis_model(args) -> int:
    pairs = read_training(args.training) + read_chat(args.chat)
    model = train(pairs)
    trained_on = files_digest(args.training, args.chat)
    args.output.write_text(model.to_json(trained_on=trained_on) + "\n", encoding="utf-8")
    counts = Counter(label for _, label in pairs)
    print(f"crisis model: {len(pairs)} sentences ({', '.join(f'{k} {counts[k]}' for k in LABELS)}), "
          f"{len(model.weights)} features kept, written to {args.output.name}")
    return 0
