"""Training the talk model (`catalog.talk_model`) from data/talk/training.jsonl and the
everyday chat lines of data/talk/chitchat-everyday.txt, as "talk": `ddokddok catalog
talk-model` writes data/talk/model.json (the training itself: `catalog.tools.model_training`).

Which chat lines, measured on the tune halves of the held-out sets and the development set
(see data/talk/README.md): all 5,912 of the crisis model's chat lines beside 798 requests
taught the model that almost anything is talk (it silenced five requests, a bare keyword with a
typo among them); a quarter of them still taught it that loneliness told is talk, since a third
of the chat set is heartbreak and low mood, which the counselling programs serve (three
silenced). Every second even-numbered line of the everyday part alone (label 0) keeps the chat
lines as quiet and silenced two.
"""

from __future__ import annotations

from pathlib import Path

from catalog.talk_model import LABELS, MODEL_FILE
from catalog.tools.model_training import read_labelled, read_lines, train, write_model

TRAINING_FILE = MODEL_FILE.with_name("training.jsonl")
CHAT_FILE = MODEL_FILE.with_name("chitchat-everyday.txt")


def training_pairs(training: Path = TRAINING_FILE, chat: Path = CHAT_FILE) -> list[tuple[str, str]]:
    return read_labelled(training, LABELS) + [(line, "talk") for line in read_lines(chat)]


def run_train_talk_model(args) -> int:
    pairs = training_pairs(args.training, args.chat)
    model = train(pairs, LABELS)
    write_model(model, args.output, trained_from=(args.training, args.chat), pairs=pairs, name="talk model")
    return 0
