"""Requests versus other talk, learned: whether a message asks for what the programs give, or
only shares their words.

The matcher's rules (`Matcher.talk_kind`) name kinds of other talk one by one: a how-to
question, a pet, a shop, news of someone else, a deed told. Eleven blind sets showed the same
limit as the crisis rules: a rule written from one set's lines carries little to the next, and
one out-of-scope line in five still got a district's program (a brand's repair desk asked for,
a laundry day told with relief). A `catalog.linear_model.LinearModel` trained on sentences
written for this project (requests for every kind of program and the everyday talk on the same
topics, in both languages and many styles) and some of the everyday chat lines reads the
meaning rather than a list.

It is kept behind the rules, and it only takes away: where the rules name no kind of talk, the
message is not a bare search for a keyword nor a broad ask, no request or need is told in it,
it has `MIN_LEMMAS` words or more, and the model is sure (`TALK_AT`)
that it is talk, the district's and city's programs its words met are dropped. National
programs stay, decided by their own words and texts (a question about a national program reads
much like talk to a model trained on local needs). Trained by `catalog.tools.talk_training`
(`ddokddok catalog talk-model`) into data/talk/model.json; `TALK_AT` was chosen on the tune
halves of the held-out sets and the development set.
"""

from __future__ import annotations

from functools import lru_cache

from catalog.linear_model import LinearModel
from catalog.loader import data_dir

MODEL_FILE = data_dir() / "talk" / "model.json"
LABELS = ("request", "talk")
TALK_AT = 0.995
# The model reads only messages of at least this many words (the matcher's content lemmas): a few
# words name what is wanted, a search or a problem ("욕실 환풍기가 고장났어요", "용돈 벌다"), and
# short problems told read like the talk of doing it oneself to a model; talk takes more words.
# On the tune halves the floor gave up three lines of talk of four or five words and kept one
# request; the project's own tests of short needs all failed without it.
MIN_LEMMAS = 6


@lru_cache(maxsize=1)
def shipped_model() -> LinearModel:
    """The model shipped in data/talk (read once, when the matcher is built)."""
    return LinearModel.from_json(MODEL_FILE.read_text(encoding="utf-8"), LABELS, name="talk model")


def talk_chance(text: str, model: LinearModel | None = None) -> float:
    """How sure the model is that `text` is other talk, not a request for help (0 to 1)."""
    chances = (model or shipped_model()).chances_of_message(text)
    return 0.0 if chances is None else chances["talk"]


def is_other_talk(text: str, words: int, model: LinearModel | None = None) -> bool:
    """Whether `text`, of `words` content words, is long enough for the model to read
    (`MIN_LEMMAS`) and the model sure enough (`TALK_AT`) that it asks for nothing the programs give."""
    return words >= MIN_LEMMAS and talk_chance(text, model) >= TALK_AT
