"""Training the need model (`catalog.need_model`) from data/needs/training.jsonl: `ddokddok
catalog need-model` writes data/needs/model.json (the training itself:
`catalog.tools.model_training`).

Only requests are trained on: whether a message asks for anything at all is the rules' and the
talk model's to say (`catalog.talk_model`); this model is asked only which kind of help a
request wants.
"""

from __future__ import annotations

from pathlib import Path

from catalog.need_model import LABELS, MODEL_FILE
from catalog.tools.model_training import read_labelled, train, write_model

TRAINING_FILE = MODEL_FILE.with_name("training.jsonl")


def training_pairs(training: Path = TRAINING_FILE) -> list[tuple[str, str]]:
    return read_labelled(training, LABELS)


def run_train_need_model(args) -> int:
    pairs = training_pairs(args.training)
    model = train(pairs, LABELS)
    write_model(model, args.output, trained_from=(args.training,), pairs=pairs, name="need model")
    return 0
