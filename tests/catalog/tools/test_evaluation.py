"""The matcher's measured figures must not slide back (the README quotes the current ones).

Goals from the catalog issue: top-1 ≥ 95%, every out-of-scope and crisis case right, no false
crisis on the development set; under 5% false matches on 11,823 chit-chat lines.
"""

from collections import Counter

from catalog.tools.evaluation import Case, evaluate, evaluate_chitchat, judge, read_cases
from catalog.results import Match, MatchResult


def test_development_set_figures_hold(matcher, test_data):
    report = evaluate(matcher, read_cases(test_data / "dev.jsonl"))
    figures = report.figures()
    assert figures["cases"] == 62
    assert figures["top1"] >= 0.95, report.lines()
    assert figures["top3"] >= 0.95, report.lines()
    assert figures["out_of_scope"] == 1.0, report.lines()
    assert figures["crisis_recall"] == 1.0, report.lines()
    assert figures["false_crisis"] == 0, report.lines()


def test_chitchat_false_match_rate_is_under_five_percent(matcher, catalog, test_data):
    report = evaluate_chitchat(matcher, test_data / "chitchat-ko.csv", sorted(catalog.districts))
    assert report.lines_total == 11823
    assert report.false_match_rate < 0.05, report.lines(20)


def test_judging_follows_the_spec():
    counts = Counter()
    nothing_or_national = Case("x", "gwangsan", "t", ["NOTHING", "national.*"])
    assert judge(nothing_or_national, MatchResult(), counts)
    assert judge(nothing_or_national, MatchResult(matches=[Match("national.abc", 50)]), counts)
    assert not judge(nothing_or_national, MatchResult(matches=[Match("seoul.sos.meal", 50)]), counts)
    out_of_scope = Case("y", "seocho", "t", [])
    assert judge(out_of_scope, MatchResult(), counts)
    assert not judge(out_of_scope, MatchResult(matches=[Match("seocho.club", 40)]), counts)
    assert counts["top1"] == 2 and counts["oos-right"] == 1
