"""Every Monday, a chart to each district's staff: jobs done per week by provider, 8 weeks.

`queue_weekly_charts` is called by a periodic job (`weekly_chart_job`, run by the Telegram
application); it queues only on Monday from 09:00 to midnight, Korean time (the chart is about
the week just ended and belongs to the start of the working week), and at most once per
district and week: the `WeeklyChart` row, unique per (district, week), is inserted first, and
a second worker or a second call that week finds it there. A bot down at 09:00 sends the chart
when it is back, later that Monday; a bot down all Monday skips that week's chart rather than
sending last week's figures on a Saturday night (the next Monday's chart shows those weeks too).
The chart goes through the outbox as a photo with a short caption in each staff member's language.

The picture is drawn with matplotlib's Agg canvas (no screen, no pyplot global state, so it is
safe beside the bot's threads). Its words are Korean on any machine: the bot ships a Hangul font
(NanumGothic, SIL Open Font License; `bot/reports/fonts/`), registered with matplotlib's font
manager before the first drawing. Without it (a packaging that left it out) an installed Hangul
font is used, and with none the chart is drawn in English rather than in empty boxes.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.core.clock import KOREA, korean_date
from bot.people.residents import language_of
from bot.people.staff import list_staff
from bot.sending.outbox import enqueue_message
from bot.store.db import session_scope
from bot.store.models import Job, JobStatus, Language, StaffMember, WeeklyChart

if TYPE_CHECKING:
    from bot.core.texts import Texts
    from catalog import Catalog

log = logging.getLogger(__name__)

WEEKS_SHOWN = 8
SEND_FROM = time(9, 0)  # Monday, Korean time, until the end of that Monday
CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption
# The Hangul font shipped with the bot (package data, with its licence beside it).
BUNDLED_FONT = Path(__file__).with_name("fonts") / "NanumGothic.ttf"
# Installed fonts that draw Hangul, in order of preference, for when the bundled one is missing;
# matplotlib's default (DejaVu Sans) does not draw it.
HANGUL_FONTS = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Nanum Gothic", "NanumBarunGothic",
                "Malgun Gothic", "AppleGothic", "Apple SD Gothic Neo", "UnDotum", "Baekmuk Gulim")

WeekCounts = list[tuple[date, dict[str, int]]]

# Font files tried, by path, with their family name (None: missing or unreadable). Registering
# adds entries to the font manager's list, so a file is tried once per process.
_registered: dict[Path, str | None] = {}
_registering = threading.Lock()


def hangul_font() -> str | None:
    """The font family that draws Korean: the bundled one, else the first installed one, else
    None (then the chart speaks English)."""
    from matplotlib import font_manager

    bundled = register_font(BUNDLED_FONT)
    if bundled is not None:
        return bundled
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in HANGUL_FONTS if name in installed), None)


def register_font(path: Path) -> str | None:
    """Make the font file at `path` known to matplotlib; its family name, or None when the file
    is missing or unreadable (logged once, never raised: the chart then falls back)."""
    with _registering:
        if path not in _registered:
            _registered[path] = _add_font(path)
        return _registered[path]


def _add_font(path: Path) -> str | None:
    from matplotlib import font_manager

    if not path.is_file():
        log.warning("the chart's Hangul font %s is missing; falling back", path.name)
        return None
    try:
        font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path).get_name()
    except (OSError, RuntimeError, ValueError) as error:
        log.warning("the chart's Hangul font %s cannot be read (%s); falling back", path.name,
                    type(error).__name__)
        return None


def chart_language() -> str:
    # Without a Hangul font, Korean provider names would be drawn as empty boxes: the chart
    # then uses the catalog's English names and an English title instead.
    return Language.KO if hangul_font() is not None else Language.EN


def render_weekly_chart(weeks: WeekCounts, title: str) -> bytes:
    """A PNG: one stacked bar per week (labelled by its Monday), one colour per provider."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    totals: dict[str, int] = {}
    for _, counts in weeks:
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
    # The busiest provider at the bottom, where bars are easiest to compare.
    names = sorted(totals, key=lambda name: (-totals[name], name))
    font = hangul_font()
    with rc_context({"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"]}):
        figure = Figure(figsize=(8, 4.5), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        labels = [f"{week_start:%m/%d}" for week_start, _ in weeks]
        bottoms = [0] * len(weeks)
        if not names:
            axes.bar(labels, bottoms)  # no jobs: the weeks still show, with nothing on them
        for name in names:
            heights = [counts.get(name, 0) for _, counts in weeks]
            axes.bar(labels, heights, bottom=bottoms, label=name)
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
        axes.set_title(title)
        axes.set_ylim(0, max([1, *bottoms]) * 1.1)  # counts start at zero, even with no jobs
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)
        if names:
            # Listed top to bottom as the bars are stacked.
            handles, legend_labels = axes.get_legend_handles_labels()
            axes.legend(handles[::-1], legend_labels[::-1], fontsize="small", frameon=False,
                        loc="upper left", bbox_to_anchor=(1.0, 1.0))
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def week_start_of(moment: datetime) -> date:
    """The Monday (Korean time) of the week `moment` falls in."""
    today = korean_date(moment)
    return today - timedelta(days=today.weekday())


def weekly_counts(session: Session, catalog: Catalog, district: str, this_week: date, language: str) -> WeekCounts:
    """Jobs done in `district` in each of the `WEEKS_SHOWN` full weeks before `this_week`, by
    provider name (in `language`)."""
    first = this_week - timedelta(weeks=WEEKS_SHOWN)
    weeks = [first + timedelta(weeks=index) for index in range(WEEKS_SHOWN)]
    counts: dict[date, dict[str, int]] = {week: {} for week in weeks}
    done_at = session.exec(
        select(Job.provider_id, Job.done_at)
        .where(Job.district == district, Job.status == JobStatus.DONE,
               col(Job.done_at) >= _korean_midnight(first), col(Job.done_at) < _korean_midnight(this_week))
    )
    for provider_id, at in done_at:
        provider = catalog.providers.get(provider_id)
        name = provider.name.get(language) if provider else provider_id
        week = counts[week_start_of(at)]
        week[name] = week.get(name, 0) + 1
    return [(week, counts[week]) for week in weeks]


def queue_weekly_charts(session: Session, catalog: Catalog, now: datetime, texts: Texts | None = None) -> int:
    """Queue this week's chart for every district with staff that has not had it, when `now` is
    a Monday from 09:00 (Korean time; see the module doc); returns how many districts were
    queued. The caller commits."""
    this_week = week_start_of(now)
    if korean_date(now) != this_week or now < datetime.combine(this_week, SEND_FROM, tzinfo=KOREA):
        return 0
    if texts is None:
        from bot.core.texts import Texts

        texts = Texts.load()
    districts = sorted(set(session.exec(select(StaffMember.district).distinct())))
    queued = 0
    for district in districts:
        if _queue_district(session, catalog, texts, district, this_week, now):
            queued += 1
    return queued


def _queue_district(session: Session, catalog: Catalog, texts: Texts, district: str, this_week: date,
                    now: datetime) -> bool:
    if _already_queued(session, district, this_week):
        return False  # the common case on every tick after the first: no drawing, no write
    language = chart_language()
    weeks = weekly_counts(session, catalog, district, this_week, language)
    # Drawn before the insert, so the write (and SQLite's lock) lasts no longer than the inserts.
    png = render_weekly_chart(weeks, texts.get(language, "stats.chart_title",
                                               district=_district_name(catalog, district, language)))
    try:
        # A savepoint: losing the race to another worker undoes only this insert.
        with session.begin_nested():
            session.add(WeeklyChart(district=district, week_start=this_week, created_at=now))
            session.flush()
    except IntegrityError:
        return False  # another worker queued it meanwhile
    last_week = sum(weeks[-1][1].values())
    total = sum(sum(counts.values()) for _, counts in weeks)
    for member in list_staff(session=session, district=district):
        member_language = language_of(session=session, telegram_id=member.telegram_id)
        caption = texts.get(member_language, "stats.chart_caption",
                            district=_district_name(catalog, district, member_language),
                            first=f"{weeks[0][0]:%m/%d}", last=f"{weeks[-1][0]:%m/%d}",
                            last_week=last_week, total=total)
        enqueue_message(session=session, chat_id=member.telegram_id, text=caption[:CAPTION_LIMIT],
                        photo_png=png, now=now)
    log.info("weekly chart of %s for the week of %s queued", district, this_week)
    return True


def _already_queued(session: Session, district: str, week_start: date) -> bool:
    return session.exec(
        select(WeeklyChart.id).where(WeeklyChart.district == district, WeeklyChart.week_start == week_start)
    ).first() is not None


def _district_name(catalog: Catalog, district: str, language: str) -> str:
    known = catalog.districts.get(district)
    return known.name.get(language) if known else district


def _korean_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=KOREA)


CHART_JOB_INTERVAL = timedelta(hours=1)
CHART_JOB_FIRST_RUN = timedelta(minutes=2)


def weekly_chart_job(*, engine: Engine, catalog: Catalog, clock: Callable[[], datetime]
                     ) -> Callable[[Any], Awaitable[None]]:
    """A job callback for any scheduler: queue the week's charts if they are due. Hourly runs
    catch Monday 09:00 within the hour, and a bot that was down then sends them when back,
    if that is still Monday."""
    from bot.core.texts import Texts

    texts = Texts.load()

    def queue_in_a_transaction() -> int:
        with session_scope(engine) as session:
            return queue_weekly_charts(session, catalog, clock(), texts)

    async def run(_context: Any) -> None:
        queued = await asyncio.to_thread(queue_in_a_transaction)
        if queued:
            log.info("weekly charts queued for %s districts", queued)

    return run
