"""`ddokddok qr`: a flyer's QR code is written as a PNG for the right link, and every mistake
(an unknown district, no bot name, a folder that does not exist) is one line and exit code 2."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
import segno

from bot.cli.main import main
from bot.cli.qr_commands import PNG_SCALE, QUIET_MODULES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def clean_environment(tmp_path, monkeypatch):
    """No .env of this checkout and no bot name or catalog from the environment."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_USERNAME", "CATALOG_PATHS", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{(tmp_path / 'unused.sqlite3').as_posix()}")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def expected_png(link: str) -> bytes:
    """What a QR code of exactly `link` looks like, drawn as the command draws it."""
    out = io.BytesIO()
    segno.make(link, error="q", micro=False).save(out, kind="png", scale=PNG_SCALE, border=QUIET_MODULES)
    return out.getvalue()


def test_writes_a_printable_png_of_the_link_and_prints_the_link(tmp_path, capsys):
    out = tmp_path / "seocho.png"
    code = main(["qr", "--district", "seocho", "--lang", "ko", "--out", str(out), "--bot", "ddokddok_bot"])
    printed = capsys.readouterr().out.splitlines()
    assert code == 0
    assert printed[0] == "https://t.me/ddokddok_bot?start=seocho_ko"
    width, height = png_size(out)
    assert width == height >= 600  # large enough to print sharp
    assert out.read_bytes() == expected_png("https://t.me/ddokddok_bot?start=seocho_ko")
    assert out.read_bytes() != expected_png("https://t.me/ddokddok_bot?start=seocho_en")


def test_without_a_language_the_link_leaves_it_to_the_residents_telegram(tmp_path, capsys):
    out = tmp_path / "yongsan.png"
    assert main(["qr", "--district", "yongsan", "--out", str(out), "--bot", "@ddokddok_bot"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "https://t.me/ddokddok_bot?start=yongsan"
    assert out.read_bytes() == expected_png("https://t.me/ddokddok_bot?start=yongsan")


def test_the_bot_name_comes_from_the_setting_when_not_given(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "district_helper_bot")
    out = tmp_path / "flyer.png"
    assert main(["qr", "--district", "sancheong", "--lang", "en", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "https://t.me/district_helper_bot?start=sancheong_en"
    assert out.exists()


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize("district", ["gangnam", "seoul", "seocho-gu", "", "SEOCHO"])
def test_an_unknown_district_is_one_clear_line_and_exit_code_2(tmp_path, capsys, district):
    out = tmp_path / "x.png"
    assert main(["qr", "--district", district, "--out", str(out), "--bot", "ddokddok_bot"]) == 2
    line = one_line_error(capsys)
    assert line.startswith("ddokddok: unknown district") and "seocho, yongsan" in line
    assert not out.exists()


def test_a_near_miss_district_gets_a_suggestion(tmp_path, capsys):
    assert main(["qr", "--district", "seocho-gu", "--out", str(tmp_path / "x.png"), "--bot", "ddokddok_bot"]) == 2
    assert "did you mean seocho?" in one_line_error(capsys)


def test_without_a_bot_name_it_says_how_to_give_one(tmp_path, capsys):
    assert main(["qr", "--district", "seocho", "--out", str(tmp_path / "x.png")]) == 2
    line = one_line_error(capsys)
    assert "--bot" in line and "TELEGRAM_BOT_USERNAME" in line
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("bot", ["me", "ddokddok", "some user_bot", "x" * 40 + "bot"])
def test_a_name_that_is_not_a_bots_is_refused(tmp_path, capsys, bot):
    assert main(["qr", "--district", "seocho", "--out", str(tmp_path / "x.png"), "--bot", bot]) == 2
    assert "username" in one_line_error(capsys)


def test_a_bad_bot_name_setting_is_refused_at_start(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "not a bot")
    assert main(["qr", "--district", "seocho", "--out", str(tmp_path / "x.png")]) == 2
    line = one_line_error(capsys)
    assert "TELEGRAM_BOT_USERNAME" in line and "not a bot" not in line  # the value is not repeated


def test_a_folder_that_does_not_exist_is_one_line(tmp_path, capsys):
    out = tmp_path / "missing" / "x.png"
    assert main(["qr", "--district", "seocho", "--out", str(out), "--bot", "ddokddok_bot"]) == 2
    assert one_line_error(capsys).startswith("ddokddok: cannot write")


def test_only_a_png_file_is_written(tmp_path, capsys):
    assert main(["qr", "--district", "seocho", "--out", str(tmp_path / "x.pdf"), "--bot", "ddokddok_bot"]) == 2
    assert ".png" in one_line_error(capsys)
