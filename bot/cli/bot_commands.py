"""The bot's command-line commands: `run`, `serve`, `chat`, `demo`, `db upgrade|current`, `staff add|list|remove`
and `notice send|list`.

Each `add_*` function registers a sub-command on the `ddokddok` parser (see bot.cli.main). Their
handlers receive the `Settings` that `main()` built once; the database is created and migrated
(`bot.store.migrate`) on first use. The long-running commands (`run`, `serve`, `chat`) are put together
by the composition root, `bot.app`, which checks what it can before they start (a catalog with
districts, a database and a Bot API that answer); they close the store on the way out
(`close_store`), so that a copy of the SQLite file alone is complete.
The store, Telegram and the console are imported by the handlers that use them, so the
catalog's commands (`ddokddok match`) do not pay for importing them.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app import (
    StartupError,
    build_conversation,
    catalog_for_residents,
    check_bot_api,
    close_store,
    open_store,
    settle_for_a_long_run,
)
from bot.cli.startup_checks import BotApiUnavailable
from bot.core.settings import Settings
from catalog.loader import UnknownDistrictError, load_catalog

if TYPE_CHECKING:
    from catalog import Catalog


log = logging.getLogger(__name__)


class CommandError(Exception):
    """An expected failure of a command: printed as it is, exit code 2."""


# What main() turns into "ddokddok: <message>" and exit code 2.
COMMAND_ERRORS = (CommandError, StartupError, UnknownDistrictError, BotApiUnavailable)


def catalog_with_district(settings: Settings, district: str) -> Catalog:
    """The catalog of `settings`, once it is known to have `district`: a command naming a
    district the catalog lacks stops with the list of the ones it has."""
    catalog = load_catalog(settings.catalog_paths)
    if district not in catalog.districts:
        raise UnknownDistrictError(district, sorted(catalog.districts))
    return catalog


def add_run(subparsers) -> None:
    parser = subparsers.add_parser(
        "run", help="the bot: on Telegram when TELEGRAM_BOT_TOKEN is set, else in this terminal"
    )
    parser.set_defaults(handler=run_bot, uses_settings=True)


def add_serve(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve", help="the Telegram bot in webhook mode: an HTTP endpoint for Telegram's updates"
    )
    parser.set_defaults(handler=run_serve, uses_settings=True)


def add_chat(subparsers) -> None:
    parser = subparsers.add_parser("chat", help="talk to the bot in this terminal")
    parser.set_defaults(handler=run_chat, uses_settings=True)


def add_demo(subparsers) -> None:
    parser = subparsers.add_parser(
        "demo", help="try the whole bot in this terminal as a resident, staff and a provider "
                     "(no token; a throwaway database; /later moves time)")
    parser.add_argument("--start", help="the demo's clock at start: ISO 8601, e.g. 2025-03-04T09:00 "
                                        "(Korea time without an offset; default now)")
    parser.set_defaults(handler=run_demo, uses_settings=True)


def add_notice_commands(subparsers) -> None:
    parser = subparsers.add_parser("notice", help="announcements to the residents of a district")
    actions = parser.add_subparsers(dest="action", required=True)

    send = actions.add_parser(
        "send", help="send a notice (the running bot sends it; --at schedules it for later)"
    )
    send.add_argument("--district", required=True, help="district code, e.g. seocho")
    send.add_argument("--text-file", required=True, type=Path, help="the notice's text, UTF-8")
    send.add_argument("--at", help="when: ISO 8601, e.g. 2025-03-05T14:00 (Korea time without an offset)")
    send.add_argument("--audience", default="all", choices=["all", "ko", "en", "checkins"],
                      help="everyone (default), one language, or residents with check-ins")
    send.add_argument("--link", help="a link button: 'https://…' or 'label | https://…'")
    send.set_defaults(handler=run_notice_send, uses_settings=True)

    listing = actions.add_parser("list", help="recent notices and their delivery counts")
    listing.add_argument("--district", help="only this district")
    listing.add_argument("--limit", type=int, default=20)
    listing.set_defaults(handler=run_notice_list, uses_settings=True)


def add_db_commands(subparsers) -> None:
    parser = subparsers.add_parser("db", help="the database's schema (migrations)")
    actions = parser.add_subparsers(dest="action", required=True)
    up = actions.add_parser("upgrade", help="apply the schema migrations (the bot does it on start too)")
    up.add_argument("--revision", default="head", help="the revision to reach (default: the newest)")
    up.set_defaults(handler=run_db_upgrade, uses_settings=True)
    now = actions.add_parser("current", help="print the revision the database is at")
    now.set_defaults(handler=run_db_current, uses_settings=True)


def add_staff_commands(subparsers) -> None:
    parser = subparsers.add_parser("staff", help="who answers a district's booking requests")
    actions = parser.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="make a Telegram account staff of a district")
    add.add_argument("--telegram-id", type=int, required=True, help="the staff member's Telegram user id")
    add.add_argument("--district", required=True, help="district code, e.g. seocho")
    add.add_argument("--name", required=True, help="the name residents' requests are signed with")
    add.set_defaults(handler=run_staff_add, uses_settings=True)

    listing = actions.add_parser("list", help="list staff members")
    listing.add_argument("--district", help="only this district")
    listing.set_defaults(handler=run_staff_list, uses_settings=True)

    remove = actions.add_parser("remove", help="remove a staff member")
    remove.add_argument("--telegram-id", type=int, required=True)
    remove.set_defaults(handler=run_staff_remove, uses_settings=True)


# --- handlers -------------------------------------------------------------------------------


def run_bot(args, settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        return run_chat(args, settings)
    from bot.adapters.health_http import HealthListenerError, serving_health
    from bot.adapters.telegram import build_application, run_polling
    from bot.ops.health import CATALOG, MIGRATIONS, Readiness

    readiness = Readiness()  # what /readyz answers from (HEALTH_PORT)
    catalog = catalog_for_residents(settings)  # what can be refused is, before anything starts
    readiness.mark(CATALOG)
    check_bot_api(settings)
    engine = open_store(settings)
    readiness.mark(MIGRATIONS)
    try:
        conversation = build_conversation(settings, engine, catalog=catalog)
        application = build_application(settings, conversation=conversation, engine=engine,
                                        catalog=conversation.catalog)
        settle_for_a_long_run()
        try:
            with serving_health(settings, application, engine=engine, readiness=readiness):
                run_polling(application)
        except HealthListenerError as error:
            raise CommandError(str(error)) from None
    finally:
        close_store(engine)
    return 0


def run_serve(args, settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        raise CommandError("serve needs TELEGRAM_BOT_TOKEN (without one, `ddokddok chat`)")
    if settings.telegram_webhook_secret is None:
        raise CommandError("serve needs TELEGRAM_WEBHOOK_SECRET: Telegram sends it with every "
                           "update, so nobody else can post updates to the endpoint")
    from bot.adapters.telegram import ALLOWED_UPDATES, build_application
    from bot.adapters.webhook import serve
    from bot.ops.health import CATALOG, MIGRATIONS, Readiness

    readiness = Readiness()  # what /readyz answers from, beside the webhook
    catalog = catalog_for_residents(settings)
    readiness.mark(CATALOG)
    check_bot_api(settings)
    engine = open_store(settings)
    readiness.mark(MIGRATIONS)
    try:
        conversation = build_conversation(settings, engine, catalog=catalog)
        application = build_application(settings, conversation=conversation, engine=engine,
                                        catalog=conversation.catalog)
        extra_routes = kakao_beside_telegram(settings, application, conversation=conversation, engine=engine)
        # The staff board under /board on the same port (staff reach it at BOARD_PUBLIC_URL).
        from bot.board import board_mount
        extra_routes.append(board_mount("/board", engine=engine, catalog=conversation.catalog, settings=settings))
        settle_for_a_long_run()
        serve(application, engine=engine, secret=settings.telegram_webhook_secret.get_secret_value(),
              webhook_url=settings.webhook_url, host=settings.listen_host, port=settings.listen_port,
              allowed_updates=list(ALLOWED_UPDATES), readiness=readiness, extra_routes=extra_routes)
    finally:
        close_store(engine)
    return 0


def kakao_beside_telegram(settings: Settings, application, *, conversation, engine) -> list:
    """With Kakao settings, the skill's routes for the webhook's app, and the Telegram handlers'
    transport sending Kakao chats through the Event API; without them, nothing."""
    if not settings.kakao_enabled:
        return []
    from bot.adapters.kakao.channel import kakao_skill_for, kakao_transport_for
    from bot.people.identities import Platform

    transport = kakao_transport_for(settings, engine=engine)
    if transport is not None:
        application.bot_data["chat_handlers"].transport.route(Platform.KAKAO, transport)
    return list(kakao_skill_for(settings, conversation=conversation, engine=engine).routes(settings.kakao_skill_path))


def run_db_upgrade(args, settings: Settings) -> int:
    from bot.store.db import make_engine
    from bot.store.migrate import current, upgrade

    engine = make_engine(settings.database_url)
    before = current(engine)
    after = upgrade(engine, args.revision)
    engine.dispose()
    print(f"database at revision {after} (was {before or 'empty or unversioned'})")
    return 0


def run_db_current(args, settings: Settings) -> int:
    from bot.store.db import make_engine
    from bot.store.migrate import current, head_revision

    engine = make_engine(settings.database_url)
    revision = current(engine)
    engine.dispose()
    head = head_revision()
    print(f"{revision or 'none'} (newest: {head}{', up to date' if revision == head else ''})")
    return 0


def run_chat(args, settings: Settings) -> int:
    from bot.adapters.console import DEFAULT_FIRST_NAME, run_console

    catalog = catalog_for_residents(settings)
    engine = open_store(settings)
    try:
        conversation = build_conversation(settings, engine, catalog=catalog)
        settle_for_a_long_run()
        return run_console(
            conversation=conversation,
            engine=engine,
            first_name=os.environ.get("USER") or DEFAULT_FIRST_NAME,
        )
    finally:
        close_store(engine)


def run_demo(args, settings: Settings) -> int:
    from bot.cli import demo

    try:
        start = demo.parse_start(args.start)
    except ValueError:
        raise CommandError(f"--start: '{args.start}' is not a time like 2025-03-04T09:00") from None
    return demo.run_demo(settings, start=start)


def run_staff_add(args, settings: Settings) -> int:
    from bot.people.staff import StaffAlreadyRegistered, add_staff
    from bot.store.db import session_scope

    catalog = load_catalog(settings.catalog_paths)
    name = args.name.strip()
    if not name:
        raise CommandError("--name must not be empty: residents see it on their requests")
    engine = open_store(settings)
    try:
        with session_scope(engine) as session:
            member = add_staff(
                session=session,
                telegram_id=args.telegram_id,
                district=args.district,
                name=name,
                known_districts=catalog.districts,
                now=datetime.now(UTC),
            )
    except StaffAlreadyRegistered as error:
        raise CommandError(f"{error}; remove it first to move it to another district") from None
    print(f"added staff member {member.name} (telegram id {member.telegram_id}) to {member.district}")
    return 0


def run_staff_list(args, settings: Settings) -> int:
    from bot.people.staff import list_staff
    from bot.store.db import session_scope

    if args.district is not None:
        catalog_with_district(settings, args.district)
    engine = open_store(settings)
    with session_scope(engine) as session:
        members = list_staff(session=session, district=args.district)
    if not members:
        print("no staff members" + (f" in {args.district}" if args.district else ""))
        return 0
    print(f"{'telegram id':>14}  {'district':<12}  name")
    for member in members:
        print(f"{member.telegram_id:>14}  {member.district:<12}  {member.name}")
    return 0


def run_staff_remove(args, settings: Settings) -> int:
    from bot.people.staff import remove_staff
    from bot.store.db import session_scope

    engine = open_store(settings)
    with session_scope(engine) as session:
        removed = remove_staff(session=session, telegram_id=args.telegram_id)
    if not removed:
        raise CommandError(f"telegram id {args.telegram_id} is not a staff member")
    print(f"removed staff member with telegram id {args.telegram_id}")
    return 0


def run_notice_send(args, settings: Settings) -> int:
    from bot.core.clock import korea_time
    from bot.notices.authoring import (
        InvalidNotice,
        count_audience,
        create_notice,
        parse_link,
        parse_send_time,
        schedule_notice,
    )
    from bot.store.db import session_scope

    catalog = catalog_with_district(settings, args.district)
    try:
        text = args.text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {args.text_file}: {error}") from None
    now = datetime.now(UTC)
    try:
        send_at = parse_send_time(args.at) if args.at else now
        link_url, link_label = parse_link(args.link) if args.link else (None, None)
        engine = open_store(settings)
        with session_scope(engine) as session:
            notice = create_notice(session=session, district=args.district, text=text, now=now,
                                   audience=args.audience, link_url=link_url, link_label=link_label,
                                   known_districts=catalog.districts)
            schedule_notice(session=session, notice=notice, send_at=send_at, now=now)
            count = count_audience(session=session, district=notice.district, audience=notice.audience)
    except InvalidNotice as error:
        raise CommandError(_notice_problem(error)) from None
    when = korea_time(notice.send_at).strftime("%Y-%m-%d %H:%M %Z")
    print(f"notice #{notice.id} to {args.district} ({args.audience}) scheduled for {when}: "
          f"{count} residents now, counted again when it starts")
    if settings.telegram_bot_token is None:
        print("note: TELEGRAM_BOT_TOKEN is not set; the bot that sends notices runs with one "
              "(ddokddok run)")
    else:
        print("the running bot (ddokddok run) sends it; `ddokddok notice list` shows its progress")
    return 0


def _notice_problem(error) -> str:
    messages = {
        "text": "--text-file: the notice needs a text of at most 3500 characters",
        "send_at": "--at: a time in the next 90 days, ISO 8601 (e.g. 2025-03-05T14:00; Korea time "
                   "without an offset)",
        "link_url": "--link: an http:// or https:// address, or 'label | https://…'",
        "link_label": "--link: the label has at most 40 characters",
    }
    return f"{messages.get(error.field_name, str(error))} ({error.reason})"


def run_notice_list(args, settings: Settings) -> int:
    from bot.core.clock import korea_time
    from bot.notices.authoring import list_notices
    from bot.notices.report import notice_report
    from bot.store.db import session_scope

    engine = open_store(settings)
    with session_scope(engine) as session:
        notices = list_notices(session=session, district=args.district, limit=max(1, args.limit))
        reports = [notice_report(session=session, notice_id=n.id) for n in notices]
    if not notices:
        print("no notices" + (f" in {args.district}" if args.district else ""))
        return 0
    print(f"{'#':>5}  {'district':<10}  {'status':<9}  {'audience':<8}  {'when (KST)':<16}  "
          f"{'recipients':>10}  {'delivered':>9}  {'blocked':>7}  {'failed':>6}  {'left':>5}  why failed")
    for notice, report in zip(notices, reports, strict=True):
        when = notice.send_at if notice.status == "scheduled" else (notice.started_at or notice.created_at)
        why = ", ".join(f"{reason} {count}" for reason, count in sorted(report.failures.items()))
        print(f"{notice.id:>5}  {notice.district:<10}  {notice.status:<9}  {notice.audience:<8}  "
              f"{korea_time(when):%Y-%m-%d %H:%M}  {report.recipients:>10}  {report.delivered:>9}  "
              f"{report.blocked:>7}  {report.failed:>6}  {report.remaining:>5}  {why or '-'}")
    return 0
