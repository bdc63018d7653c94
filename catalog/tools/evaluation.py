"""Measuring the matcher: labelled cases (the matching spec's metrics) and the chit-chat false-match rate."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from catalog.crisis import detect_concern, detect_crisis
from catalog.matcher import Matcher
from catalog.results import MatchResult

CRISIS = "CRISIS"
NOTHING = "NOTHING"
NATIONAL_PREFIX = "national."
PARTS = ("tune", "check")


def program_part(program_id: str) -> str:
    """Which half of the programs a question about `program_id` belongs to: "tune" (weights
    may be chosen looking at it) or "check" (never looked at: the estimate for programs nobody
    tuned for). A fixed rule on the id alone, so every run and every new question agree."""
    return PARTS[hashlib.sha256(program_id.encode("utf-8")).digest()[0] % 2]


@dataclass
class Case:
    id: str
    district: str
    text: str
    expect: list[str]
    # Optional labels (the crisis held-out sets): the kind of danger expected, and "a question
    # about crisis help" (a concern: programs and hotlines together).
    crisis_kind: str = ""
    concern: bool = False

    @property
    def kind(self) -> str:
        if self.expect == [CRISIS]:
            return "crisis"
        return "out-of-scope" if not self.expect else "in-scope"

    @property
    def kinds(self) -> list[str]:
        """The groups this case is counted in for the per-kind lines: its language (a message
        with no Hangul is "English"), what it asks for (a local or a national program, nothing,
        a crisis) and, where the id names one ("so012-broad"), the group its set gave it."""
        hangul = any("\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e" for ch in self.text)
        language = "Korean" if hangul else "English"
        if self.kind != "in-scope":
            target = self.kind
        elif all(want.startswith(NATIONAL_PREFIX) for want in self.expect):
            target = "national"
        elif any(want.startswith(NATIONAL_PREFIX) for want in self.expect):
            target = "local or national"
        else:
            target = "local"
        kinds = [language, target]
        _, _, group = self.id.partition("-")
        if group and group.replace("-", "").isalpha():
            kinds.append(f"id:{group}")
        return kinds

    @property
    def national_program(self) -> str | None:
        """The one national program a question is about (Welfare-QA), else None."""
        if len(self.expect) == 1 and self.expect[0].startswith(NATIONAL_PREFIX) and not self.expect[0].endswith("*"):
            return self.expect[0]
        return None

    def accepts(self, program_id: str) -> bool:
        return any(
            program_id == want or (want.endswith(".*") and program_id.startswith(want[:-1]))
            for want in self.expect
        )


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    failed: list[tuple[Case, MatchResult]] = field(default_factory=list)
    # Questions about one national program: the national results alone, and the BM25 anchor.
    national: Counter = field(default_factory=Counter)
    # Crisis recall by labelled kind, and concern found (see `count_crisis_kinds`).
    crisis_kinds: Counter = field(default_factory=Counter)
    # Cases and right answers per group of `Case.kinds` ("English", "local", "id:broad"...).
    by_kind: Counter = field(default_factory=Counter)
    right_by_kind: Counter = field(default_factory=Counter)

    def share(self, right: str, total: str) -> str:
        n, d = self.counts[right], self.counts[total]
        return f"{100.0 * n / d:.1f}% ({n}/{d})" if d else "n/a (0 cases)"

    def figures(self) -> dict:
        c = self.counts

        def ratio(right, total):
            return round(c[right] / c[total], 4) if c[total] else None

        return {
            "cases": c["cases"],
            "top1": ratio("top1", "in-scope"),
            "top3": ratio("top3", "in-scope"),
            "out_of_scope": ratio("oos-right", "out-of-scope"),
            "crisis_recall": ratio("crisis-right", "crisis"),
            "false_crisis": c["false-crisis"],
            **crisis_kind_figures(self.crisis_kinds),
            **national_figures(self.national),
            "right_by_kind": {kind: round(self.right_by_kind[kind] / n, 4) for kind, n in sorted(self.by_kind.items())},
        }

    def lines(self, list_failures: bool = True) -> list[str]:
        """The figures, then each failed case unless `list_failures` is false (a frozen set: its
        sentences are for measuring, and a list of its failures is how they leak into tuning)."""
        c = self.counts
        out = [
            f"cases: {c['cases']} (in scope {c['in-scope']}, out of scope {c['out-of-scope']}, crisis {c['crisis']})",
            f"top-1 accuracy: {self.share('top1', 'in-scope')}",
            f"top-3 accuracy: {self.share('top3', 'in-scope')}",
            f"out-of-scope accuracy: {self.share('oos-right', 'out-of-scope')}",
            f"crisis recall: {self.share('crisis-right', 'crisis')}",
            f"false crisis: {c['false-crisis']}",
            *crisis_kind_lines(self.crisis_kinds),
            *self.kind_lines(),
            *national_lines(self.national),
            f"failed cases: {len(self.failed)}" + ("" if list_failures else " (not listed)"),
        ]
        for case, result in self.failed if list_failures else ():
            got = "CRISIS" if result.is_crisis else [f"{m.program_id} {m.score}" for m in result.matches[:3]]
            out.append(f"  {case.id} [{case.district}] {case.text!r}: expected {case.expect}, got {got}")
        return out


    def kind_lines(self) -> list[str]:
        """Right answers per group (top-1 for programs, nothing for out of scope, the flag for a
        crisis), so a change that helps one kind and hurts another shows side by side."""
        groups = [("by language", lambda k: k in ("Korean", "English")),
                  ("by what is asked", lambda k: not k.startswith("id:") and k not in ("Korean", "English")),
                  ("by the set's group (from the id)", lambda k: k.startswith("id:"))]
        out = []
        for title, belongs in groups:
            kinds = sorted(k for k in self.by_kind if belongs(k))
            if kinds:
                out.append(f"right {title}: " + ", ".join(
                    f"{k.removeprefix('id:')} {self.right_by_kind[k]}/{self.by_kind[k]}" for k in kinds))
        return out


class EvaluationFileError(ValueError):
    """A labelled-cases file that cannot be read; the message names the file and line."""


def read_cases(path: Path) -> list[Case]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvaluationFileError(f"{path}: cannot be read: {error}") from error
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            case = Case(raw.get("id", f"line{number}"), raw["district"], raw["text"], list(raw["expect"]),
                        str(raw.get("kind", "")), bool(raw.get("concern")))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
            raise EvaluationFileError(
                f"{path}, line {number}: expected an object with district, text and expect ({error})"
            ) from error
        cases.append(case)
    return cases


def evaluate(matcher: Matcher, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        result = matcher.match(case.text, case.district)
        report.counts["cases"] += 1
        report.counts[case.kind] += 1
        if case.national_program:
            judge_national(matcher, case, result, report.national)
        count_crisis_kinds(case, result, report.crisis_kinds)
        right = judge(case, result, report.counts)
        report.by_kind.update(case.kinds)
        if right:
            report.right_by_kind.update(case.kinds)
            continue
        report.failed.append((case, result))
    return report


def count_crisis_kinds(case: Case, result: MatchResult, counts: Counter) -> None:
    """Crisis recall per labelled kind (unlabelled crises count under "unlabelled"), and the
    concern tier: found on the cases labelled `concern`, and raised on other in-scope or
    out-of-scope cases (not an error by the spec, but worth seeing)."""
    if case.kind == "crisis":
        kind = case.crisis_kind or "unlabelled"
        counts[f"crisis {kind}"] += 1
        counts[f"right {kind}"] += result.is_crisis
        return
    if result.is_crisis:
        return
    concern = detect_concern(case.text) is not None
    if case.concern:
        counts["concern"] += 1
        counts["concern-found"] += concern
    else:
        counts["concern-other"] += concern


def crisis_kind_lines(counts: Counter) -> list[str]:
    kinds = sorted(key.split(" ", 1)[1] for key in counts if key.startswith("crisis "))
    out = []
    if kinds and kinds != ["unlabelled"]:
        out.append("crisis found, by kind: " + ", ".join(
            f"{kind} {counts[f'right {kind}']}/{counts[f'crisis {kind}']}" for kind in kinds))
    if counts["concern"] or counts["concern-other"]:
        out.append(f"concern: found {counts['concern-found']}/{counts['concern']} labelled, "
                   f"raised on {counts['concern-other']} other non-crisis cases")
    return out


def crisis_kind_figures(counts: Counter) -> dict:
    kinds = sorted(key.split(" ", 1)[1] for key in counts if key.startswith("crisis "))
    figures: dict = {}
    if kinds and kinds != ["unlabelled"]:
        figures["crisis_recall_by_kind"] = {
            kind: round(counts[f"right {kind}"] / counts[f"crisis {kind}"], 4) for kind in kinds}
    if counts["concern"]:
        figures["concern_found"] = round(counts["concern-found"] / counts["concern"], 4)
    return figures


def judge_national(matcher: Matcher, case: Case, result: MatchResult, counts: Counter) -> None:
    """Count a question about one national program: its national results (a local program may
    rightly come first) and, side by side, plain BM25 over the same index (the anchor)."""
    wanted = case.national_program
    counts["cases"] += 1
    if result.is_crisis:
        counts["crisis"] += 1
        return
    national = [m.program_id for m in matcher.match(case.text, case.district, limit=20).matches]
    national = [pid for pid in national if pid.startswith(NATIONAL_PREFIX)]
    counts["top1"] += national[:1] == [wanted]
    counts["top3"] += wanted in national[:3]
    counts["nothing"] += not national
    anchor = matcher.anchor_ranking(case.text)
    counts["anchor-top1"] += anchor[:1] == [wanted]
    counts["anchor-top3"] += wanted in anchor[:3]


def national_figures(counts: Counter) -> dict:
    n = counts["cases"]
    if not n:
        return {}
    keys = ("top1", "top3", "nothing", "anchor-top1", "anchor-top3")
    return {"national_cases": n, **{"national_" + k.replace("-", "_"): round(counts[k] / n, 4) for k in keys}}


def national_lines(counts: Counter) -> list[str]:
    n = counts["cases"]
    if not n:
        return []

    def share(key: str) -> str:
        return f"{100.0 * counts[key] / n:.1f}% ({counts[key]}/{n})"

    return [
        f"national results ({n} questions about one national program): top-1 {share('top1')}, "
        f"top-3 {share('top3')}, nothing found {share('nothing')}",
        f"BM25 anchor (plain BM25 over the same index, this run): top-1 {share('anchor-top1')}, "
        f"top-3 {share('anchor-top3')}",
    ]


def judge(case: Case, result: MatchResult, counts: Counter) -> bool:
    """Count one case into `counts` and say whether it was right (the spec's rules)."""
    if case.kind == "crisis":
        counts["crisis-right"] += result.is_crisis
        return result.is_crisis
    if result.is_crisis:
        counts["false-crisis"] += 1
        return False
    if case.kind == "out-of-scope":
        right = not result.matches
        counts["oos-right"] += right
        return right
    ids = [m.program_id for m in result.matches]
    nothing_ok = NOTHING in case.expect and not ids
    top1 = nothing_ok or (bool(ids) and case.accepts(ids[0]))
    counts["top1"] += top1
    counts["top3"] += nothing_ok or any(case.accepts(i) for i in ids[:3])
    return top1


@dataclass
class ChitchatReport:
    lines_total: int = 0
    matched: list[tuple[str, list[str]]] = field(default_factory=list)
    crisis: list[tuple[str, str]] = field(default_factory=list)
    by_program: Counter = field(default_factory=Counter)
    # The odd-numbered lines (1, 3, 5, …): the learned tiers were trained on some even-numbered
    # ones (data/crisis, data/talk), never on these, so their rate is the one to trust.
    untrained_total: int = 0
    untrained_false: int = 0

    @property
    def false_match_rate(self) -> float:
        return (len(self.matched) + len(self.crisis)) / self.lines_total if self.lines_total else 0.0

    @property
    def untrained_false_match_rate(self) -> float:
        return self.untrained_false / self.untrained_total if self.untrained_total else 0.0

    def figures(self) -> dict:
        return {
            "lines": self.lines_total,
            "matched": len(self.matched),
            "crisis": len(self.crisis),
            "false_match_rate": round(self.false_match_rate, 4),
            "untrained_lines": self.untrained_total,
            "untrained_false_match_rate": round(self.untrained_false_match_rate, 4),
        }

    def lines(self, show: int = 40) -> list[str]:
        out = [
            f"chit-chat lines: {self.lines_total}",
            f"false-match rate: {100 * self.false_match_rate:.2f}% "
            f"({len(self.matched)} matched, {len(self.crisis)} crisis)",
            f"on the odd-numbered lines, which no learned tier was trained on: "
            f"{100 * self.untrained_false_match_rate:.2f}% ({self.untrained_false} of {self.untrained_total})",
            "most matched programs: "
            + ", ".join(f"{pid} {n}" for pid, n in self.by_program.most_common(8)),
            f"crisis lines (check by hand): {len(self.crisis)}",
        ]
        out += [f"  [{kind}] {text}" for text, kind in self.crisis[:show]]
        out.append(f"matched lines (first {show}):")
        out += [f"  {text} -> {ids}" for text, ids in self.matched[:show]]
        return out


def evaluate_chitchat(matcher: Matcher, path: Path, districts: list[str]) -> ChitchatReport:
    """A line is a false match when, in any of `districts`, it gets a program or a crisis flag."""
    report = ChitchatReport()
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            text = row["Q"]
            report.lines_total += 1
            untrained = number % 2 == 1
            report.untrained_total += untrained
            crisis = detect_crisis(text)
            if crisis is not None:
                report.crisis.append((text, crisis.kind.value))
                report.untrained_false += untrained
                continue
            scores = matcher.score(text)
            ids: list[str] = []
            for district in districts:
                for match in matcher.rank(scores, district).matches[:1]:
                    if match.program_id not in ids:
                        ids.append(match.program_id)
            if ids:
                report.matched.append((text, ids))
                report.by_program.update(ids)
                report.untrained_false += untrained
    return report
