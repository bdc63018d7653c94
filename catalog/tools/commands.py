"""The catalog's command-line commands: `match`, `eval` and
`catalog check|import-national|keyword-analyses|crisis-model|talk-model|need-model|propose-words`.

Each `add_*` function registers a sub-command on the `ddokddok` parser; the handlers print
for people, or JSON lines for programs (the `match --jsonl` batch contract).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from catalog.loader import Catalog, CatalogError, UnknownDistrictError, data_dir, load_catalog
from catalog.matcher import Matcher, phrases_to_analyse, texts_to_analyse
from catalog.morphology import shared_analyzer, shipped_analyses_path, write_shipped_analyses
from catalog.results import MatchResult
from catalog.tools import crisis_training, need_training, talk_training, word_proposals
from catalog.tools.evaluation import (
    PARTS,
    ChitchatReport,
    EvaluationFileError,
    Report,
    evaluate,
    evaluate_chitchat,
    program_part,
    read_cases,
)


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        action="append",
        type=Path,
        metavar="PATH",
        help="catalog file or folder (repeatable; default: the bundled catalog)",
    )


def add_match(subparsers) -> None:
    parser = subparsers.add_parser("match", help="find the programs that fit a message")
    parser.add_argument("text", nargs="?", help="the resident's message")
    parser.add_argument("--district", help="the resident's district code, e.g. seocho")
    parser.add_argument("--lang", choices=["ko", "en"], default="ko")
    parser.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin, write JSON lines")
    parser.add_argument(
        "--explain", action="store_true", help="also list the keywords (+) and related words (~) that matched"
    )
    add_catalog_option(parser)
    parser.set_defaults(handler=run_match)


def add_eval(subparsers) -> None:
    parser = subparsers.add_parser(
        "eval", help="measure the matcher on labelled cases (.jsonl) or chit-chat (.csv)"
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="end with one line of JSON figures")
    parser.add_argument("--show", type=int, default=40, help="chit-chat lines to list")
    parser.add_argument("--figures-only", action="store_true",
                        help="no failed cases, only the figures (always so for a file named *frozen*)")
    parser.add_argument(
        "--part", choices=PARTS, help="only the questions about national programs of this half (see program_part)"
    )
    add_catalog_option(parser)
    parser.set_defaults(handler=run_eval)


def add_catalog(subparsers) -> None:
    parser = subparsers.add_parser("catalog", help="check or import catalog data")
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="validate catalog files and print what they hold")
    add_catalog_option(check)
    check.set_defaults(handler=run_catalog_check)
    national = actions.add_parser("import-national", help="regenerate the national programs file")
    national.add_argument("--source", type=Path, default=data_dir() / "sources" / "national-welfare-2024.json")
    national.add_argument("--output", type=Path, default=data_dir() / "catalog" / "national.json")
    national.add_argument("--passages", type=Path, default=data_dir() / "booklet" / "national-passages.json")
    national.set_defaults(handler=run_import_national)
    analyses = actions.add_parser(
        "keyword-analyses", help="regenerate the bundled catalog's keyword (and text) analyses shipped with the package"
    )
    analyses.add_argument("--output", type=Path, default=shipped_analyses_path())
    analyses.add_argument("--texts-output", type=Path, default=shipped_analyses_path("text"))
    analyses.set_defaults(handler=run_keyword_analyses)
    crisis = actions.add_parser("crisis-model", help="train the crisis model from data/crisis/training.jsonl")
    crisis.add_argument("--training", type=Path, default=crisis_training.TRAINING_FILE)
    crisis.add_argument("--chat", type=Path, default=crisis_training.CHAT_FILE)
    crisis.add_argument("--output", type=Path, default=crisis_training.MODEL_FILE)
    crisis.set_defaults(handler=crisis_training.run_train_crisis_model)
    talk = actions.add_parser("talk-model", help="train the talk model from data/talk/training.jsonl")
    talk.add_argument("--training", type=Path, default=talk_training.TRAINING_FILE)
    talk.add_argument("--chat", type=Path, default=talk_training.CHAT_FILE)
    talk.add_argument("--output", type=Path, default=talk_training.MODEL_FILE)
    talk.set_defaults(handler=talk_training.run_train_talk_model)
    need = actions.add_parser("need-model", help="train the need model from data/needs/training.jsonl")
    need.add_argument("--training", type=Path, default=need_training.TRAINING_FILE)
    need.add_argument("--output", type=Path, default=need_training.MODEL_FILE)
    need.set_defaults(handler=need_training.run_train_need_model)
    words = actions.add_parser(
        "propose-words", help="list CoNg neighbours of local programs' keywords for an officer to review"
    )
    words.add_argument("--district", help="only this district's own programs")
    words.add_argument("--program", help="only this program (id)")
    words.add_argument("--top", type=int, default=word_proposals.DEFAULT_TOP, help="proposals per program")
    words.add_argument("--min-similarity", type=float, default=word_proposals.DEFAULT_MIN_SIMILARITY)
    words.add_argument("--out", type=Path, help="write the TSV here instead of printing it")
    words.add_argument("--measure", action="store_true", help="print how many hidden related words come back")
    add_catalog_option(words)
    words.set_defaults(handler=word_proposals.run_propose_words)


def build_matcher(args) -> Matcher:
    return Matcher(load_catalog(args.catalog))


def run_match(args) -> int:
    matcher = build_matcher(args)
    if args.jsonl:
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(match_json_line(matcher, line), ensure_ascii=False), flush=True)
        return 0
    if not args.text or not args.district:
        print("usage: ddokddok match --district CODE \"message\"  (or --jsonl)", file=sys.stderr)
        return 2
    result = matcher.match(args.text, args.district)
    print(render_result(matcher.catalog, result, args.district, args.lang))
    if args.explain:
        print("\nmatched words, all districts (+ keyword, ~ related):")
        for program_id, words in sorted(matcher.explain(args.text).items()):
            print(f"  {program_id}: {' '.join(words)}")
    return 0


def match_json_line(matcher: Matcher, line: str) -> dict:
    """One output line of the batch contract; a bad input line gets an error line, never a crash."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as error:
        return {"error": f"invalid JSON: {error.msg}"}
    if not isinstance(request, dict) or not isinstance(request.get("text"), str):
        return {"error": "each line must be an object with a string 'text'"}
    district = request.get("district")
    if not isinstance(district, str):
        return {"error": f"missing 'district'; valid districts: {', '.join(sorted(matcher.catalog.districts))}"}
    try:
        result = matcher.match(request["text"], district)
    except UnknownDistrictError as error:
        return {"error": str(error)}
    return result.to_json()


def render_result(catalog: Catalog, result: MatchResult, district: str, language: str) -> str:
    """A readable answer for people at a terminal."""
    if result.crisis is not None:
        lines = ["지금 바로 전화하세요 / Call now:" if language == "ko" else "Call now:"]
        lines += [f"  {h.number}  {h.name.get(language)}" for h in result.crisis.hotlines]
        return "\n".join(lines)
    if not result.matches:
        if language == "en":
            return "Nothing in the catalog fits. Call 120 (Seoul) or 129 (health & welfare) for advice."
        return "맞는 프로그램을 찾지 못했어요. 120(다산콜센터)이나 129(보건복지상담센터)에 물어보세요."
    blocks = []
    for match in result.matches:
        program = catalog.programs[match.program_id]
        providers = ", ".join(p.name.get(language) for p in catalog.providers_for(program.id, district))
        lines = [f"{program.name.get(language)}  [{program.id}, score {match.score}]"]
        lines.append(f"  {program.summary.get(language)}")
        lines.append(f"  who: {program.eligibility.summary.get(language)}")
        lines.append(f"  cost: {program.cost.summary.get(language)}")
        lines.append(f"  how: {program.apply.summary.get(language)}")
        if program.contact.phone:
            lines.append(f"  phone: {program.contact.phone}")
        if providers:
            lines.append(f"  provider here: {providers}")
        blocks.append("\n".join(lines))
    if result.ambiguous:
        blocks.append("(close scores: the bot would ask which one is meant)")
    return "\n\n".join(blocks)


def is_frozen(path: Path) -> bool:
    """A held-out set's frozen half (tests/data/heldout*/…-frozen.jsonl): measured, never read
    case by case while tuning, so `eval` never lists its failures."""
    return "frozen" in path.name


def run_eval(args) -> int:
    matcher = build_matcher(args)
    report: Report | ChitchatReport
    if args.file.suffix == ".csv":
        districts = sorted(matcher.catalog.districts)
        report = evaluate_chitchat(matcher, args.file, districts)
        print("\n".join(report.lines(args.show)))
    else:
        cases = read_cases(args.file)
        if args.part:
            cases = [c for c in cases if c.national_program and program_part(c.national_program) == args.part]
        report = evaluate(matcher, cases)
        print("\n".join(report.lines(list_failures=not (args.figures_only or is_frozen(args.file)))))
    if args.json:
        print(json.dumps(report.figures()))
    return 0


def run_catalog_check(args) -> int:
    catalog = load_catalog(args.catalog)
    print(f"catalog ok: {len(catalog.programs)} programs, {len(catalog.providers)} providers, "
          f"{len(catalog.districts)} districts")
    unverified = sum(not p.verified for p in catalog.programs.values())
    print(f"unverified programs (facts assumed, to be checked): {unverified}")
    warnings = Matcher(catalog).keyword_warnings()
    print(f"keyword warnings: {len(warnings)}")
    for warning in warnings:
        print(f"  {warning}")
    return 0


def run_import_national(args) -> int:
    from catalog.tools.national_import import import_national

    count = import_national(args.source, args.output, args.passages)
    print(f"wrote {count} national programs to {args.output} and their passages to {args.passages}")
    load_catalog([data_dir() / "catalog" / "districts.toml", args.output])
    return 0


def run_keyword_analyses(args) -> int:
    programs = list(load_catalog().programs.values())
    count = write_shipped_analyses(args.output, shared_analyzer(), phrases_to_analyse(programs))
    print(f"wrote the analyses of {count} keyword phrases to {args.output}")
    texts = write_shipped_analyses(args.texts_output, shared_analyzer(), texts_to_analyse(programs), what="texts")
    print(f"wrote the analyses of {texts} program texts to {args.texts_output}")
    return 0


COMMAND_ERRORS = (CatalogError, UnknownDistrictError, EvaluationFileError, OSError, word_proposals.WordProposalError)
