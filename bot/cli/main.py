"""The `ddokddok` command: one entry point for the bot, the matcher, benchmarks and staff tools.

Sub-commands are registered here in one visible place; each lives in the module it belongs to.
Expected failures (a bad catalog file, an unknown district) end with a clear message and exit
code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot.cli import board_commands, bot_commands, kakao_commands, provider_commands, qr_commands
from bot.core.logs import configure_logging
from bot.core.settings import Settings
from catalog.tools import commands as catalog_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ddokddok", description="Neighbourhood-care assistant for people who live alone."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    catalog_commands.add_match(subparsers)
    catalog_commands.add_eval(subparsers)
    catalog_commands.add_catalog(subparsers)
    bot_commands.add_run(subparsers)
    kakao_commands.add_serve(subparsers)  # Telegram's webhook and/or KakaoTalk
    bot_commands.add_chat(subparsers)
    bot_commands.add_demo(subparsers)
    bot_commands.add_db_commands(subparsers)
    bot_commands.add_staff_commands(subparsers)
    provider_commands.add_provider_commands(subparsers)
    bot_commands.add_notice_commands(subparsers)
    provider_commands.add_report_command(subparsers)
    qr_commands.add_qr(subparsers)
    board_commands.add_board(subparsers)
    add_bench(subparsers)
    return parser


def installed_version() -> str:
    """The version of the installed package (pyproject.toml's, as pip recorded it), so a bug
    report names what runs rather than what a source file last said."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ddokddok")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def add_bench(subparsers) -> None:
    parser = subparsers.add_parser("bench", help="run a benchmark and print its figures")
    parser.add_argument("name", choices=sorted(BENCHMARKS))
    parser.add_argument("--quick", action="store_true", help="a short run, as CI does")
    parser.add_argument("--size", type=int, help="benchmark-specific size (programs, residents, ...)")
    parser.set_defaults(handler=run_bench)


def run_bench(args) -> int:
    module_name, function_name = BENCHMARKS[args.name].split(":")
    module = __import__(module_name, fromlist=[function_name])
    return getattr(module, function_name)(quick=args.quick, size=args.size)


BENCHMARKS = {
    "matcher": "catalog.tools.bench:run",
    "conversation": "bot.bench.conversation:run",
    "notices": "bot.bench.notices:run",
    "workers": "bot.bench.workers:run",
    "checkins": "bot.bench.checkins:run",
    "load": "bot.bench.load:run",
    "board": "bot.bench.board:run",
    "kakao": "bot.bench.kakao:run",
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if getattr(args, "uses_settings", False):  # the bot's commands: settings built once, here
            try:
                settings = Settings()
            except (ValidationError, SettingsError) as error:
                print(f"ddokddok: {settings_problem(error)}", file=sys.stderr)
                return 2
            configure_logging(settings)
            return args.handler(args, settings)
        return args.handler(args)
    except (*catalog_commands.COMMAND_ERRORS, *bot_commands.COMMAND_ERRORS) as error:
        print(f"ddokddok: {error}", file=sys.stderr)
        return 2


def settings_problem(error: ValidationError | SettingsError) -> str:
    """One line naming each variable that is wrong and why, never its value: DATABASE_URL may
    hold a password, and one line is what a service manager's status shows."""
    if not isinstance(error, ValidationError):
        return f"invalid settings (environment or .env): {error}"
    problems = []
    for detail in error.errors(include_url=False, include_input=False):
        name = "_".join(str(part) for part in detail["loc"]).upper() or "settings"
        reason = str(detail["msg"]).removeprefix("Value error, ").removeprefix(f"{name}: ")
        problems.append(f"{name}: {reason}")
    return f"invalid settings (environment or .env): {'; '.join(problems)}"


if __name__ == "__main__":
    sys.exit(main())
