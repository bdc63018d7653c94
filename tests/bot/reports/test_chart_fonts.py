"""The weekly chart's words: Korean with the bundled Hangul font on any machine, English (and no
empty boxes) when no Hangul font can be had."""

from __future__ import annotations

import io
import warnings
from datetime import date
from pathlib import Path

import pytest
from matplotlib import font_manager, image
from sqlmodel import select

from bot.reports import weekly_chart
from bot.reports.weekly_chart import (
    BUNDLED_FONT,
    chart_language,
    hangul_font,
    queue_weekly_charts,
    render_weekly_chart,
)
from bot.store.models import OutboxMessage

from .conftest import DISTRICT, MEALS_PROVIDER, kst

KOREAN_WEEKS = [(date(2026, 9, 7), {"복지유니온 (돌봄식당)": 3, "사회적협동조합 도우누리": 1}),
                (date(2026, 9, 14), {"복지유니온 (돌봄식당)": 5})]
KOREAN_TITLE = "광진구: 주별 완료 건수"


def drawing_warnings(draw) -> list[str]:
    """The warnings raised while `draw()` runs, every one of them (none filtered or merged)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(warning.message) for warning in caught]


def missing_glyphs(messages: list[str]) -> list[str]:
    return [message for message in messages if "missing from font" in message]


@pytest.fixture
def machine_without_hangul_fonts(monkeypatch):
    """matplotlib as on a server with no Hangul font installed: the font manager's list without
    any font that draws Korean, and the bundled font not registered yet."""
    hangul = set(weekly_chart.HANGUL_FONTS) | {"나눔고딕"}
    kept = [font for font in font_manager.fontManager.ttflist
            if font.name not in hangul and Path(font.fname).resolve() != BUNDLED_FONT.resolve()]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", kept)
    monkeypatch.setattr(weekly_chart, "_registered", {})


def test_the_font_ships_with_its_licence():
    assert BUNDLED_FONT.is_file() and BUNDLED_FONT.stat().st_size > 1_000_000
    licence = (BUNDLED_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "Copyright (c) 2010, NAVER Corporation" in licence
    assert "SIL Open Font License, Version 1.1" in licence


def test_korean_labels_are_drawn_with_the_bundled_font_where_none_is_installed(machine_without_hangul_fonts):
    family = hangul_font()
    assert family == "NanumGothic"
    found = font_manager.fontManager.findfont(font_manager.FontProperties(family=family),
                                              fallback_to_default=False)
    assert Path(found).resolve() == BUNDLED_FONT.resolve()
    assert chart_language() == "ko"

    pngs: list[bytes] = []
    messages = drawing_warnings(lambda: pngs.append(render_weekly_chart(KOREAN_WEEKS, KOREAN_TITLE)))
    assert missing_glyphs(messages) == []
    assert image.imread(io.BytesIO(pngs[0]), format="png").std() > 0


def test_the_font_is_registered_once_however_many_charts(machine_without_hangul_fonts):
    hangul_font()
    registered = len(font_manager.fontManager.ttflist)
    hangul_font()
    render_weekly_chart(KOREAN_WEEKS, KOREAN_TITLE)
    assert len(font_manager.fontManager.ttflist) == registered


def test_korean_without_a_hangul_font_would_be_empty_boxes(machine_without_hangul_fonts, monkeypatch):
    # What the fallback avoids, and proof that the check above sees missing glyphs at all.
    monkeypatch.setattr(weekly_chart, "hangul_font", lambda: None)
    messages = drawing_warnings(lambda: render_weekly_chart(KOREAN_WEEKS, KOREAN_TITLE))
    assert missing_glyphs(messages)


def test_without_the_bundled_font_or_any_other_the_chart_is_english(
        machine_without_hangul_fonts, monkeypatch, tmp_path, session, catalog, texts, make_staff, make_job):
    monkeypatch.setattr(weekly_chart, "BUNDLED_FONT", tmp_path / "NanumGothic.ttf")  # not there
    monkeypatch.setattr(weekly_chart, "HANGUL_FONTS", ())
    assert hangul_font() is None and chart_language() == "en"

    drawn: list[tuple[list, str]] = []

    def render(weeks, title):
        drawn.append((weeks, title))
        return render_weekly_chart(weeks, title)

    monkeypatch.setattr(weekly_chart, "render_weekly_chart", render)
    make_staff(district=DISTRICT, name="김담당")
    make_job(MEALS_PROVIDER, requested_at=kst(2026, 10, 20), done_at=kst(2026, 10, 28, 15))
    queued: list[int] = []
    monday_nine = kst(2026, 11, 2, 9)
    messages = drawing_warnings(lambda: queued.append(queue_weekly_charts(session, catalog, monday_nine, texts)))
    assert queued == [1]
    assert missing_glyphs(messages) == []
    chart = session.exec(select(OutboxMessage)).one()
    assert image.imread(io.BytesIO(chart.photo_png), format="png").std() > 0
    [(weeks, title)] = drawn  # drawn in English: the provider's English name, an English title
    assert weeks[-1][1] == {"Welfare Union (care restaurants)": 1}
    assert title.isascii() and "Gwangjin" in title
