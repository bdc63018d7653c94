"""`ddokddok provider add|list|remove` (who answers jobs for which provider of the catalog) and
`ddokddok report` (a district's monthly claim, `bot.reports.claim_report`).

Shaped like `ddokddok staff` (bot.cli.bot_commands): the catalog is loaded to check the provider id,
the store is opened and migrated on first use, and expected failures are `CommandError`s
(printed, exit code 2).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.app import open_store
from bot.cli.bot_commands import CommandError, catalog_with_district
from bot.core.settings import Settings
from catalog import Catalog
from catalog.loader import load_catalog


def add_provider_commands(subparsers) -> None:
    parser = subparsers.add_parser("provider", help="who answers a provider's jobs")
    actions = parser.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="make a Telegram account a member of a provider")
    add.add_argument("--telegram-id", type=int, required=True, help="the member's Telegram user id")
    add.add_argument("--provider", required=True, help="provider id from the catalog, e.g. gwangjin.dounuri")
    add.add_argument("--name", default="", help="the member's name, shown to staff")
    add.set_defaults(handler=run_provider_add, uses_settings=True)

    listing = actions.add_parser("list", help="list provider members")
    listing.add_argument("--provider", help="only this provider")
    listing.set_defaults(handler=run_provider_list, uses_settings=True)

    remove = actions.add_parser("remove", help="remove a provider member")
    remove.add_argument("--telegram-id", type=int, required=True)
    remove.set_defaults(handler=run_provider_remove, uses_settings=True)


def _known_provider(catalog: Catalog, provider_id: str) -> None:
    if provider_id not in catalog.providers:
        known = ", ".join(sorted(catalog.providers)) or "none"
        raise CommandError(f"unknown provider '{provider_id}'; the catalog's providers: {known}")


def run_provider_add(args, settings: Settings) -> int:
    from bot.people.providers import ProviderMemberError, add_member
    from bot.store.db import session_scope

    catalog = load_catalog(settings.catalog_paths)
    _known_provider(catalog, args.provider)
    engine = open_store(settings)
    try:
        with session_scope(engine) as session:
            member = add_member(session=session, catalog=catalog, telegram_id=args.telegram_id,
                                provider_id=args.provider, name=args.name, now=datetime.now(UTC))
    except ProviderMemberError as error:
        raise CommandError(f"{error}; remove it first to move it to another provider"
                           if "already" in str(error) else str(error)) from None
    provider_name = catalog.providers[member.provider_id].name.ko
    print(f"added provider member {member.name or '(no name)'} (telegram id {member.telegram_id}) "
          f"to {member.provider_id} ({provider_name})")
    return 0


def run_provider_list(args, settings: Settings) -> int:
    from bot.people.providers import list_members
    from bot.store.db import session_scope

    if args.provider is not None:
        _known_provider(load_catalog(settings.catalog_paths), args.provider)
    engine = open_store(settings)
    with session_scope(engine) as session:
        members = list_members(session=session, provider_id=args.provider)
    if not members:
        print("no provider members" + (f" of {args.provider}" if args.provider else ""))
        return 0
    print(f"{'telegram id':>14}  {'provider':<32}  name")
    for member in members:
        print(f"{member.telegram_id:>14}  {member.provider_id:<32}  {member.name}")
    return 0


def run_provider_remove(args, settings: Settings) -> int:
    from bot.people.providers import remove_member
    from bot.store.db import session_scope

    engine = open_store(settings)
    with session_scope(engine) as session:
        removed = remove_member(session=session, telegram_id=args.telegram_id)
    if not removed:
        raise CommandError(f"telegram id {args.telegram_id} is not a provider member")
    print(f"removed provider member with telegram id {args.telegram_id}")
    return 0


# --- the claim report ---------------------------------------------------------------------------


def add_report_command(subparsers) -> None:
    parser = subparsers.add_parser("report", help="a district's monthly claim of jobs done, as CSV")
    parser.add_argument("--district", required=True, help="district code, e.g. gwangjin")
    parser.add_argument("--month", required=True, help="the month, YYYY-MM (Korean time)")
    parser.add_argument("--csv", required=True, type=Path, help="the file to write (UTF-8 with BOM)")
    parser.add_argument("--lang", choices=["ko", "en"], default="ko",
                        help="the language of the headers and yes/no cells "
                             "(default: ko, as a district office files it)")
    parser.set_defaults(handler=run_report, uses_settings=True)


def run_report(args, settings: Settings) -> int:
    from bot.reports.claim_report import claim_rows, month_bounds, write_claim_csv
    from bot.store.db import session_scope

    try:
        month_bounds(args.month)
    except ValueError as error:
        raise CommandError(f"--month: {error}") from None
    catalog = catalog_with_district(settings, args.district)
    engine = open_store(settings)
    with session_scope(engine) as session:
        rows = claim_rows(session=session, catalog=catalog, district=args.district, month=args.month)
    try:
        write_claim_csv(rows, args.csv, language=args.lang)
    except OSError as error:
        raise CommandError(f"cannot write {args.csv}: {error}") from None
    total = sum(row.total_krw for row in rows)
    print(f"{args.district} {args.month}: {len(rows)} jobs done, total {total:,} KRW → {args.csv}")
    return 0
