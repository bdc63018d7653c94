"""The `ddokddok` command (bot.cli.main.main) for the catalog: match, match --jsonl, catalog check, eval.

Each call builds its own Matcher, as the real command does, so the calls here are few and
each checks as much as it can. The batch contract is in the matching spec ("The
command-line contract").
"""

from __future__ import annotations

import io
import json

import pytest

from bot.cli.main import main
from catalog.crisis import detect_crisis

REPAIR = "집에 전등이 나갔는데 갈아줄 분 계신가요"
REPAIR_IDS = {"seocho.handyman", "seoul.sos.home-repair", "gwangjin.housing"}
SPORTS = "주말에 축구 경기 봤어"
OVERDOSE = "약을 너무 많이 먹었어요"
SUICIDAL = "이제 정말 죽고 싶어요"
MEAL = "혼자 밥 챙겨 먹기가 힘들어요 도시락 배달 되나요"

TINY_CATALOG = """
[[districts]]
code = "seoul"
name = { ko = "서울특별시" }

[[districts]]
code = "seocho"
name = { ko = "서울 서초구" }
parent = "seoul"

[[programs]]
id = "test.pottery"
name = { ko = "동네 도자기 공방", en = "Neighbourhood pottery studio" }
summary = { ko = "물레로 도자기를 빚어 봅니다." }
category = "culture"
area = ["seocho"]
eligibility.summary = { ko = "누구나" }
cost.summary = { ko = "무료" }
apply.summary = { ko = "전화로 신청" }
source.title = "test"
keywords.ko = ["도자기", "물레"]
keywords.en = ["pottery"]
"""


def run(capsys, monkeypatch, argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(*requests) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in requests)


def assert_contract(answer: dict, catalog, district: str) -> list[str]:
    """An answer line of the contract; returns its ids. Every id serves the line's district."""
    assert isinstance(answer["crisis"], bool)
    assert isinstance(answer["matches"], list)
    scores = []
    for match in answer["matches"]:
        assert set(match) == {"id", "score"}
        assert isinstance(match["score"], (int, float))
        assert 0 <= match["score"] <= 100
        assert catalog.serves(catalog.programs[match["id"]], district), (match["id"], district)
        scores.append(match["score"])
    assert scores == sorted(scores, reverse=True)
    return [match["id"] for match in answer["matches"]]


# ---- match --jsonl ---------------------------------------------------------------------------


def test_match_jsonl_answers_every_line_in_order(capsys, monkeypatch, catalog):
    stdin = jsonl(
        {"text": REPAIR, "district": "seocho"},
        "this is not json {",
        {"text": SPORTS, "district": "seocho"},
        "",
        {"district": "seocho"},
        "   ",
        {"text": REPAIR, "district": "nowhere"},
        {"text": OVERDOSE, "district": "seocho"},
        {"id": "case-9", "text": MEAL, "district": "yongsan", "age": 81, "note": ["ignored"]},
        {"text": REPAIR, "district": "gwangsan"},
        {"text": 42, "district": "seocho"},
        {"text": REPAIR},
    )

    code, out, err = run(capsys, monkeypatch, ["match", "--jsonl"], stdin)

    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 10  # one per non-blank input line
    answers = [json.loads(line) for line in lines]
    assert all(isinstance(a, dict) for a in answers)

    repair, not_json, sports, no_text, unknown, overdose, meal, gwangsan, bad_text, no_district = answers

    ids = assert_contract(repair, catalog, "seocho")
    assert repair["crisis"] is False
    assert REPAIR_IDS & set(ids[:2]), ids
    assert ids[0] in REPAIR_IDS

    assert set(not_json) == {"error"} and not_json["error"]

    assert assert_contract(sports, catalog, "seocho") == []
    assert sports["crisis"] is False

    assert set(no_text) == {"error"} and "text" in no_text["error"]

    assert set(unknown) == {"error"}
    assert "nowhere" in unknown["error"]
    for code_name in ("seocho", "yongsan", "gwangsan", "sancheong"):
        assert code_name in unknown["error"]

    assert overdose["crisis"] is True
    assert overdose["matches"] == []
    assert "119" in overdose["hotlines"]

    meal_ids = assert_contract(meal, catalog, "yongsan")
    assert meal["crisis"] is False
    assert meal_ids[0] == "seoul.sos.meal"

    gwangsan_ids = assert_contract(gwangsan, catalog, "gwangsan")
    assert not {"seocho.handyman", "seoul.sos.home-repair"} & set(gwangsan_ids)

    assert set(bad_text) == {"error"}
    assert set(no_district) == {"error"} and "seocho" in no_district["error"]


def test_match_jsonl_with_a_tiny_catalog_uses_only_that_catalog(capsys, monkeypatch, tmp_path):
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_CATALOG, encoding="utf-8")
    stdin = jsonl(
        {"text": "도자기 만들기를 배우고 싶어요", "district": "seocho"},
        {"text": REPAIR, "district": "seocho"},
        {"text": MEAL, "district": "yongsan"},
    )

    code, out, _ = run(capsys, monkeypatch, ["match", "--jsonl", "--catalog", str(tiny)], stdin)

    assert code == 0
    pottery, repair, elsewhere = (json.loads(line) for line in out.splitlines())
    assert [m["id"] for m in pottery["matches"]] == ["test.pottery"]
    assert 0 < pottery["matches"][0]["score"] <= 100
    assert repair == {"crisis": False, "matches": []}  # the bundled repair programs are not loaded
    assert "error" in elsewhere and "yongsan" in elsewhere["error"]  # nor its districts
    assert "seocho" in elsewhere["error"]


# ---- match for people ------------------------------------------------------------------------

REPAIR_SENTENCE = "세면대 배수구가 막혀서 물이 안 내려가요 고쳐 주실 분 있나요"


def test_match_prints_a_readable_answer_in_korean(capsys, monkeypatch, catalog):
    code, out, err = run(capsys, monkeypatch, ["match", "--district", "seocho", REPAIR_SENTENCE])

    assert code == 0
    assert err == ""
    handyman = catalog.programs["seocho.handyman"]
    assert handyman.name.ko in out
    assert "seocho.handyman" in out
    assert handyman.contact.phone and handyman.contact.phone in out
    assert handyman.name.en not in out


def test_match_prints_english_names_with_lang_en(capsys, monkeypatch, catalog):
    argv = ["match", "--district", "seocho", "--lang", "en", REPAIR_SENTENCE]

    code, out, _ = run(capsys, monkeypatch, argv)

    assert code == 0
    handyman = catalog.programs["seocho.handyman"]
    assert handyman.name.en in out
    assert handyman.name.ko not in out
    assert handyman.summary.en in out


def test_match_with_an_unknown_district_exits_2_naming_valid_districts(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, ["match", "--district", "atlantis", REPAIR_SENTENCE])

    assert code == 2
    assert out == ""
    assert "atlantis" in err
    assert "seocho" in err and "gwangsan" in err
    assert "Traceback" not in err


def test_match_on_a_crisis_prints_the_numbers_to_call(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, ["match", "--district", "seocho", SUICIDAL])

    assert code == 0
    assert "109" in out
    assert "score" not in out  # no program list in a crisis
    assert out.index("109") < out.index("129")  # the suicide line comes first


def test_the_crisis_sentences_used_here_are_crises_and_sport_is_not():
    # Runs without the CLI: the crisis check of `match` is detect_crisis.
    assert detect_crisis(OVERDOSE) is not None
    assert detect_crisis(SUICIDAL) is not None
    assert detect_crisis(SPORTS) is None


@pytest.mark.parametrize(
    "text",
    ["약을 한꺼번에 너무 많이 먹었어요", "수면제를 한 통 다 먹었어요", "수면제 한 통을 먹었어",
     "약을 다 털어 넣었어요"],
    ids=["two-adverbs", "whole-bottle", "bottle-first", "tipped-in"],
)
def test_overdose_with_two_quantity_words_is_a_crisis(text):
    assert detect_crisis(text) is not None


# ---- catalog check ---------------------------------------------------------------------------


def test_catalog_check_prints_the_program_count(capsys, monkeypatch, catalog):
    code, out, err = run(capsys, monkeypatch, ["catalog", "check"])

    assert code == 0
    assert err == ""
    assert f"{len(catalog.programs)} programs" in out
    assert f"{len(catalog.districts)} districts" in out


def test_catalog_check_of_a_broken_catalog_exits_2_naming_the_file(capsys, monkeypatch, tmp_path):
    broken = tmp_path / "broken.toml"
    text = TINY_CATALOG.replace('source.title = "test"', 'source.title = "test"\ncontact.phone = "123-45"')
    broken.write_text(text, encoding="utf-8")

    code, out, err = run(capsys, monkeypatch, ["catalog", "check", "--catalog", str(broken)])

    assert code == 2
    assert "catalog ok" not in out
    assert str(broken) in err
    assert "test.pottery" in err
    assert "contact.phone" in err
    assert "Traceback" not in err


def test_catalog_check_of_a_tiny_catalog_counts_its_programs(capsys, monkeypatch, tmp_path):
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_CATALOG, encoding="utf-8")

    code, out, _ = run(capsys, monkeypatch, ["catalog", "check", "--catalog", str(tiny)])

    assert code == 0
    assert "1 programs" in out
    assert "2 districts" in out


# ---- eval ------------------------------------------------------------------------------------

CASES = [
    {
        "id": "fix",
        "district": "seocho",
        "text": REPAIR_SENTENCE,
        "expect": ["seocho.handyman", "seoul.sos.home-repair"],
    },
    {"id": "sports", "district": "seocho", "text": SPORTS, "expect": []},
    {"id": "danger", "district": "yongsan", "text": SUICIDAL, "expect": ["CRISIS"]},
    # Deliberately mislabelled, so that the figures are not all 100%.
    {"id": "wrong-label", "district": "seocho", "text": REPAIR, "expect": ["seocho.club"]},
]


@pytest.fixture
def cases_file(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(jsonl(*CASES), encoding="utf-8")
    return path


def test_eval_prints_the_spec_figures(capsys, monkeypatch, cases_file):
    code, out, _ = run(capsys, monkeypatch, ["eval", str(cases_file)])

    assert code == 0
    lines = out.splitlines()
    figures = {}
    for prefix in ("top-1 accuracy", "top-3 accuracy", "out-of-scope accuracy", "crisis recall", "false crisis"):
        found = [line for line in lines if line.startswith(prefix)]
        assert len(found) == 1, prefix
        figures[prefix] = found[0].split(":", 1)[1].strip()
    assert figures["top-1 accuracy"] == "50.0% (1/2)"
    assert figures["top-3 accuracy"] == "50.0% (1/2)"
    assert figures["out-of-scope accuracy"] == "100.0% (1/1)"
    assert figures["crisis recall"] == "100.0% (1/1)"
    assert figures["false crisis"] == "0"
    assert "wrong-label" in out  # the failed case is listed
    assert not any("fix" in line.split() for line in lines)
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[-1])  # no JSON without --json


def test_eval_json_ends_with_the_figures(capsys, monkeypatch, cases_file):
    code, out, _ = run(capsys, monkeypatch, ["eval", str(cases_file), "--json"])

    assert code == 0
    figures = json.loads(out.splitlines()[-1])
    assert {"top1", "top3", "out_of_scope", "crisis_recall", "false_crisis"} <= set(figures)
    assert figures["top1"] == 0.5
    assert figures["top3"] == 0.5
    assert figures["out_of_scope"] == 1.0
    assert figures["crisis_recall"] == 1.0
    assert figures["false_crisis"] == 0


def test_eval_of_a_malformed_file_exits_2_naming_the_line(capsys, monkeypatch, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"district": "seocho", "text": "도시락", "expect": []}\nnot json\n', encoding="utf-8")
    code, out, err = run(capsys, monkeypatch, ["eval", str(cases)])
    assert code == 2
    assert "line 2" in err


def test_eval_of_a_missing_file_exits_2(capsys, monkeypatch, tmp_path):
    code, out, err = run(capsys, monkeypatch, ["eval", str(tmp_path / "nowhere.jsonl")])
    assert code == 2
    assert "nowhere.jsonl" in err


def test_match_explain_lists_the_matched_keywords(capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, ["match", "--district", "yongsan", "--explain", "반찬 배달 되나요"])
    assert code == 0
    assert "seoul.sos.meal: +" in out
