"""`ddokddok qr`: a printable QR code for a district's flyer, opening the bot with the district
(and, if chosen, the language) already set (bot.conversation.start_links).

The bot's username comes from `--bot` or TELEGRAM_BOT_USERNAME. The PNG is drawn large with
the quiet border a scanner needs, and at error-correction level Q (a quarter of the code may
be smudged or folded and it still scans). The link is printed too, for the flyer's small
print and for a quick check on a phone.
"""

from __future__ import annotations

from pathlib import Path

from bot.cli.bot_commands import CommandError
from bot.core.settings import Settings
from catalog.loader import load_catalog

# Pixels per module (one square) of the code: a flyer's link makes a code of 33 modules, 41
# with its border, so 820 pixels: sharp when printed 5-7 cm wide.
PNG_SCALE = 20
QUIET_MODULES = 4  # the blank border scanners need around the code


def add_qr(subparsers) -> None:
    parser = subparsers.add_parser(
        "qr", help="a printable QR code that opens the bot with a district (and language) set",
    )
    parser.add_argument("--district", required=True, help="a resident district's code, e.g. seocho")
    parser.add_argument("--lang", choices=("ko", "en"), default=None,
                        help="the language to start in (default: the resident's Telegram language)")
    parser.add_argument("--out", required=True, type=Path, help="the PNG file to write, e.g. seocho.png")
    parser.add_argument("--bot", default=None,
                        help="the bot's username (default: TELEGRAM_BOT_USERNAME)")
    parser.set_defaults(handler=run_qr, uses_settings=True)


def run_qr(args, settings: Settings) -> int:
    import segno

    from bot.conversation.district_names import find_district
    from bot.conversation.engine import resident_districts
    from bot.conversation.start_links import StartLinkError, payload_for, start_link

    bot = args.bot or settings.telegram_bot_username
    if not bot:
        raise CommandError("no bot username: pass --bot USERNAME or set TELEGRAM_BOT_USERNAME")
    catalog = load_catalog(settings.catalog_paths)
    districts = resident_districts(catalog)
    try:
        link = start_link(bot, payload_for(args.district, args.lang, districts))
    except StartLinkError as error:
        meant = find_district(args.district, catalog.districts, districts)
        hint = f" (did you mean {meant}?)" if meant is not None and meant != args.district else ""
        raise CommandError(f"{error}{hint}") from None
    out: Path = args.out
    if out.suffix.lower() != ".png":
        raise CommandError(f"--out must name a .png file, not '{out.name}'")
    try:
        segno.make(link, error="q", micro=False).save(str(out), kind="png", scale=PNG_SCALE, border=QUIET_MODULES)
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror or error}") from None
    print(link)
    print(f"wrote {out}")
    return 0
