"""Training the crisis model (`catalog.crisis_model`) from data/crisis/training.jsonl and the
everyday chat lines of data/crisis/chitchat-negatives.txt: `ddokddok catalog crisis-model`
writes data/crisis/model.json (the training itself: `catalog.tools.model_training`).

Sentences written for the project alone taught the model their writers' style: it called one
in three everyday chat lines a crisis. Real chat lines as "none" teach it what ordinary talk
looks like; the lines the rules call a crisis or a concern are left out of them, since some
chat is real distress.
"""

from __future__ import annotations

from pathlib import Path

from catalog.crisis_model import LABELS, MODEL_FILE
from catalog.tools.model_training import read_labelled, read_lines, train, write_model

TRAINING_FILE = MODEL_FILE.with_name("training.jsonl")
CHAT_FILE = MODEL_FILE.with_name("chitchat-negatives.txt")


def read_training(path: Path = TRAINING_FILE) -> list[tuple[str, str]]:
    return read_labelled(path, LABELS)


def read_chat(path: Path = CHAT_FILE) -> list[tuple[str, str]]:
    """Everyday chat lines as "none", but those the rules call a crisis or a concern. The rules
    alone decide: asking the whole detector would let the shipped model choose its own next
    training lines, and the same files would no longer make the same model."""
    from catalog.crisis import assess_by_rules

    return [(line, "none") for line in read_lines(path)
            if (found := assess_by_rules(line)).crisis is None and found.concern is None]


def run_train_crisis_model(args) -> int:
    pairs = read_training(args.training) + read_chat(args.chat)
    model = train(pairs, LABELS)
    write_model(model, args.output, trained_from=(args.training, args.chat), pairs=pairs, name="crisis model")
    return 0
