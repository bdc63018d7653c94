"""The keyword analyses shipped with the bundled catalog, and the cache a machine keeps.

A first start reads the shipped file instead of analysing the bundled catalog's keywords; it
must be current (made from today's catalog by today's analyser), and a file made by another
analyser, a broken one or one that lacks phrases must never change what is matched.
"""

import json

import pytest

from catalog import Matcher
from catalog.matcher import phrases_to_analyse
from catalog.morphology import (
    LemmaCache,
    phrases_digest,
    shared_analyzer,
    shipped_analyses_path,
    write_shipped_analyses,
)

REGENERATE = (
    "run `ddokddok catalog keyword-analyses` after editing the catalog or user words, or upgrading kiwipiepy"
)


@pytest.fixture()
def counted(monkeypatch):
    """The phrases the shared analyser reads afresh from now on."""
    analyzer = shared_analyzer()
    read: list[str] = []
    lemmas = analyzer.lemmas

    def counting(text):
        read.append(text)
        return lemmas(text)

    monkeypatch.setattr(analyzer, "lemmas", counting)
    many = analyzer.analyse_afresh

    def counting_many(texts):
        read.extend(texts)
        return many(texts)

    monkeypatch.setattr(analyzer, "analyse_afresh", counting_many)
    return read


def test_the_shipped_analyses_are_made_from_the_bundled_catalog_by_this_analyser(catalog):
    shipped = json.loads(shipped_analyses_path().read_text(encoding="utf-8"))
    phrases = phrases_to_analyse(list(catalog.programs.values()))
    assert shipped["analyser"] == shared_analyzer().signature(), REGENERATE
    assert shipped["phrases"] == phrases_digest(phrases), REGENERATE
    assert set(shipped["lemmas"]) == phrases, REGENERATE


def test_the_shipped_analyses_are_what_the_analyser_says():
    shipped = json.loads(shipped_analyses_path().read_text(encoding="utf-8"))["lemmas"]
    analyzer = shared_analyzer()
    assert {phrase: analyzer.lemmas(phrase) for phrase in shipped} == shipped, REGENERATE


def test_a_first_start_reads_only_what_is_not_shipped(catalog, tmp_path, counted):
    cache = LemmaCache(tmp_path / "own.json")
    Matcher(catalog, lemma_cache=cache)
    assert counted == [], "every bundled keyword was shipped"


def test_phrases_the_shipped_file_lacks_are_analysed_and_kept_apart(catalog, tmp_path, counted):
    phrases = sorted(phrases_to_analyse(list(catalog.programs.values())))
    shipped = tmp_path / "shipped.json"
    write_shipped_analyses(shipped, shared_analyzer(), phrases[10:])
    counted.clear()
    cache = LemmaCache(tmp_path / "own.json", shipped=shipped)
    first = Matcher(catalog, lemma_cache=cache)
    assert sorted(counted) == phrases[:10]
    own = json.loads(cache.path.read_text(encoding="utf-8"))["lemmas"]
    assert sorted(own) == phrases[:10], "this machine keeps only what was not shipped"
    counted.clear()
    Matcher(catalog, lemma_cache=LemmaCache(tmp_path / "own.json", shipped=shipped))
    assert counted == []
    afresh = Matcher(catalog, lemma_cache=LemmaCache(tmp_path / "afresh.json", shipped=False))
    assert first._keyword_lemmas == afresh._keyword_lemmas


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data["analyser"].update(kiwipiepy="0.0.1"),
        lambda data: data["analyser"].update(model="0.0.1"),
        lambda data: data["analyser"].update(user_words=[]),
        lambda data: data["analyser"]["options"].update(load_typo_dict=True),
    ],
    ids=["kiwipiepy", "model", "user-words", "options"],
)
def test_analyses_made_by_another_analyser_are_ignored(catalog, tmp_path, counted, spoil):
    phrases = phrases_to_analyse(list(catalog.programs.values()))
    shipped = tmp_path / "shipped.json"
    write_shipped_analyses(shipped, shared_analyzer(), phrases)
    data = json.loads(shipped.read_text(encoding="utf-8"))
    spoil(data)
    data["lemmas"] = {phrase: ["틀린"] for phrase in data["lemmas"]}  # would show if it were used
    shipped.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    counted.clear()
    cache = LemmaCache(tmp_path / "own.json", shipped=shipped)
    assert cache.load(shared_analyzer()) == {}
    matcher = Matcher(catalog, lemma_cache=cache)
    assert set(counted) == phrases, "all analysed afresh"
    assert "틀린" not in {lemma for lemmas in matcher._keyword_lemmas.values() for lemma in lemmas}


def test_a_broken_shipped_file_counts_as_empty(catalog, tmp_path, counted):
    shipped = tmp_path / "shipped.json"
    shipped.write_text('{"lemmas": {', encoding="utf-8")
    cache = LemmaCache(tmp_path / "own.json", shipped=shipped)
    assert cache.load(shared_analyzer()) == {}
    Matcher(catalog, lemma_cache=cache)
    assert set(counted) == phrases_to_analyse(list(catalog.programs.values()))
