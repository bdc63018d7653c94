"""Answers typed where the bot offered buttons: "네", "건너뛰기", "취소", a button's own label.

Many residents are older and write rather than press; a typed "취소" at the phone step should
stop the request, not be read as a wrong phone number, and a typed "건너뛰기" at the address
step should skip it, not become the address. Only whole answers count ("없어요", not a
sentence that contains it), so a real address or note is never taken for a word here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from typing import TypeVar

from bot.store.models import Language

Choice = TypeVar("Choice")

YES_WORDS = frozenset({"네", "예", "응", "동의", "동의해요", "동의합니다", "좋아요", "맞아요", "그래요",
                 "yes", "y", "ok", "okay", "agree", "iagree", "sure"})
NO_WORDS = frozenset({"아니요", "아니오", "아니", "싫어요", "안할래요", "no", "n", "nothanks"})
SKIP_WORDS = frozenset({"건너뛰기", "건너뛸게요", "넘어가기", "패스", "나중에", "없어요", "없음", "없습니다", "없어",
                  "skip", "pass", "later", "none", "nothing", "-"})
CANCEL_WORDS = frozenset({"취소", "취소할래요", "취소해요", "취소해주세요", "그만", "그만할래요", "안할래요",
                    "cancel", "stop", "quit"})
CONFIRM_WORDS = frozenset({"확인", "보내기", "보내주세요", "신청할게요", "confirm", "send"}) | YES_WORDS
EDIT_WORDS = frozenset({"고치기", "수정", "고칠래요", "다시", "edit", "change"})


def plain(text: str) -> str:
    """`text` as compared with the words above: one form, lower case, no spaces or final dots."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").strip().lower().rstrip(".!~")
    return "".join(text.split())


def typed_word(text: str, words: Container[str]) -> str | None:
    """The form of `text` that is one of `words`: as written (`plain`), or without its polite
    ending; None when neither is."""
    typed = plain(text)
    return next((form for form in (typed, _without_polite_ending(typed)) if form in words), None)


def means(turn, text: str, words: Container[str], *label_keys: str) -> bool:
    """Whether `text` is one of `words`, or the label (in any language) of a button `label_keys`
    names: the texts can be reworded by a district, so labels are read, not copied here."""
    if typed_word(text, words) is not None:
        return True
    typed = plain(text)
    return any(plain(turn.t_in(language, key)) == typed for key in label_keys for language in Language)


def _without_polite_ending(word: str) -> str:
    """A plain answer without the polite "요" any Korean answer may carry ("취소요", "오후요",
    "확인이요"): it never changes what the answer means."""
    return _POLITE_ENDING.sub("", word)


_POLITE_ENDING = re.compile(r"(?<=.)(이)?요$")


def labelled(turn, text: str, choices: Iterable[Choice], key_of: Callable[[Choice], str]) -> Choice | None:
    """The choice whose button label (the text `key_of(choice)`, in any language) was typed."""
    return next((choice for choice in choices if means(turn, text, (), key_of(choice))), None)
