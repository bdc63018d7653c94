"""No evaluation sentence in the product or its tests.

The matcher and the crisis detector are judged on messages nobody tuned them on; a sentence of
an evaluation set copied into a rule, a lexicon, the catalog or a test makes its figure measure
memory instead. Every sentence of the labelled sets (the development set, every held-out set,
both halves, and the Welfare-QA questions) is looked for in every source file of `catalog/`,
`bot/`, `tests/` (not `tests/data`) and in the catalog, lexicon, message, crisis-training,
talk-training and need-training files of `data/`: as a whole
quoted string, and, when it is long enough to be a sentence of its own, anywhere inside a file,
with spaces and punctuation ignored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
# Letters (Hangul syllables, Latin letters, digits) a sentence needs before it is looked for
# inside whole files: shorter ones ("도와주세요") are everyday phrases, not a copied case.
MIN_LETTERS_INSIDE = 14


def letters(text: str) -> str:
    return re.sub(r"[^0-9a-z가-힣]", "", text.lower())


def evaluation_sentences() -> dict[str, str]:
    """Letters of each sentence → the file it comes from."""
    found: dict[str, str] = {}
    for path in sorted(TEST_DATA.glob("**/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.setdefault(letters(json.loads(line)["text"]), str(path.relative_to(TEST_DATA)))
    return found


def sources() -> list[Path]:
    code = [p for folder in ("catalog", "bot", "tests") for p in (ROOT / folder).rglob("*.py")
            if TEST_DATA not in p.parents]
    data = [*(ROOT / "data" / "lexicon").glob("*.t*"), *(ROOT / "data" / "catalog").glob("*.toml"),
            *(ROOT / "data" / "messages").glob("*.toml"), *(ROOT / "data" / "crisis").glob("*.jsonl"),
            *(ROOT / "data" / "talk").glob("*.jsonl"), *(ROOT / "data" / "needs").glob("*.jsonl")]
    return sorted(code + data)


def test_no_evaluation_sentence_is_written_into_code_data_or_tests():
    sentences = evaluation_sentences()
    assert len(sentences) > 4_000  # the sets are there
    long_ones = {s: origin for s, origin in sentences.items() if len(s) >= MIN_LETTERS_INSIDE}
    leaks = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        quoted = {letters(q) for q in re.findall(r"""["']([^"'\n]{4,})["']""", text)}
        whole = letters(text)
        for sentence, origin in sentences.items():
            if len(sentence) >= 6 and sentence in quoted:
                leaks.append(f"{path.relative_to(ROOT)}: a sentence of {origin}")
        leaks += [f"{path.relative_to(ROOT)}: inside it, a sentence of {origin}"
                  for sentence, origin in long_ones.items() if sentence in whole]
    assert not leaks, "\n".join(leaks)
