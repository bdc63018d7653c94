"""`ddokddok catalog propose-words`: CoNg neighbours of a program's keywords, for an officer to review.

The model loads once for the module (about a second); each command call is handed that one
instead of loading its own. The catalog is a tiny file written here, so the proposals checked
are those of two keywords whose neighbours are known (간병→병구완, 외롭다→쓸쓸하다).
"""

from __future__ import annotations

import pytest

from bot.cli.main import main
from catalog.tools import word_proposals

TINY_CATALOG = """
[[districts]]
code = "testgu"
name = { ko = "시험구" }

[[programs]]
id = "testgu.care"
name = { ko = "아플 때 돌봄" }
summary = { ko = "아플 때 간병인이 돕습니다." }
category = "care"
area = ["testgu"]
eligibility.summary = { ko = "누구나" }
cost.summary = { ko = "무료" }
apply.summary = { ko = "전화로 신청" }
source.title = "test"
keywords.ko = ["간병", "외롭다"]
related.ko = ["병간호", "고독"]

[[programs]]
id = "national.test-allowance"
name = { ko = "시험 수당" }
summary = { ko = "시험 수당입니다." }
category = "income"
area = ["national"]
eligibility.summary = { ko = "누구나" }
cost.summary = { ko = "무료" }
apply.summary = { ko = "전화로 신청" }
source.title = "test"
keywords.ko = ["수당"]
"""


@pytest.fixture(scope="module")
def word_model():
    return word_proposals.WordNeighbours()


@pytest.fixture
def loaded_once(monkeypatch, word_model):
    monkeypatch.setattr(word_proposals, "WordNeighbours", lambda: word_model)


@pytest.fixture
def tiny_catalog(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_CATALOG, encoding="utf-8")
    return path


def propose(capsys, catalog_path, *options: str) -> tuple[int, str, str]:
    code = main(["catalog", "propose-words", "--catalog", str(catalog_path), *options])
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> list[list[str]]:
    lines = out.splitlines()
    assert lines[0] == "program\tkeyword\tproposed\tsimilarity\tnear"
    return [line.split("\t") for line in lines[1:]]


def test_proposes_neighbours_the_program_does_not_have(capsys, tiny_catalog, loaded_once):
    # --top 40: 간병's 20 nearest are all closer than 쓸쓸하다 is to 외롭다.
    code, out, _ = propose(capsys, tiny_catalog, "--top", "40")
    assert code == 0
    proposals = rows(out)
    proposed = {(keyword, word) for _, keyword, word, _, _ in proposals}
    assert ("간병", "병구완") in proposed
    assert ("외롭다", "쓸쓸하다") in proposed  # an adjective root is written as the officer would
    words = {word for _, _, word, _, _ in proposals}
    # Its own keywords and related words (병간호, 고독) are never proposed again; nor are generic
    # words, nor words of another part of speech than the keyword's (간병 → 시중들다).
    assert not words & {"간병", "외롭다", "병간호", "고독", "하다", "시중들다"}
    assert {program for program, *_ in proposals} == {"testgu.care"}  # national ones have none
    similarities = [float(similarity) for *_, similarity, _ in proposals]
    assert all(similarity >= word_proposals.DEFAULT_MIN_SIMILARITY for similarity in similarities)
    assert len(proposals) == 40


def test_top_threshold_and_out_file(capsys, tiny_catalog, tmp_path, loaded_once):
    before = tiny_catalog.read_text(encoding="utf-8")
    out_file = tmp_path / "proposals.tsv"
    code, out, _ = propose(capsys, tiny_catalog, "--district", "testgu", "--top", "2", "--out", str(out_file))
    assert code == 0
    assert "nothing added to the catalog" in out
    assert len(rows(out_file.read_text(encoding="utf-8"))) == 2
    assert tiny_catalog.read_text(encoding="utf-8") == before
    code, out, _ = propose(capsys, tiny_catalog, "--program", "testgu.care", "--min-similarity", "0.99")
    assert code == 0 and rows(out) == []


def test_measure_brings_hidden_related_words_back(capsys, tiny_catalog, loaded_once):
    code, out, _ = propose(capsys, tiny_catalog, "--measure", "--top", "50")
    assert code == 0
    # 병간호 comes back from 간병; 고독, a noun, is not proposed for the adjective 외롭다.
    assert "top 50 proposals: 1/2 = 0.500" in out
    assert "testgu.care:병간호" in out


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--district", "mars"], "unknown district 'mars'; valid districts: testgu"),
        (["--program", "testgu.x"], "unknown local program 'testgu.x'; local programs: testgu.care"),
        (["--program", "national.test-allowance"], "is a national program"),
        (["--top", "0"], "--top must be 1 or more"),
    ],
)
def test_unknown_district_or_program_is_one_line_and_exit_2(capsys, tiny_catalog, options, says):
    # No model is loaded for these: the arguments are checked first.
    code, out, err = propose(capsys, tiny_catalog, *options)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and says in err


def test_a_missing_model_is_one_line_and_exit_2(capsys, tiny_catalog, tmp_path, monkeypatch):
    import kiwipiepy_model

    monkeypatch.setattr(kiwipiepy_model, "get_model_path", lambda: str(tmp_path))
    code, out, err = propose(capsys, tiny_catalog)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "cong.mdl" in err and "kiwipiepy-model" in err
