"""The monthly claim (`bot.reports.claim_report`, `ddokddok report`): Korean-time months, exact money,
headers in Korean unless English is asked for."""

from __future__ import annotations

import codecs
import csv
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from bot.cli.main import main
from bot.reports.claim_report import HEADERS, claim_rows, month_bounds, write_claim_csv
from bot.requests.bookings import record_step
from bot.store.db import make_engine
from bot.store.migrate import upgrade
from bot.store.models import ActorKind, Booking, JobStatus, Resident

from .conftest import CARE_PROVIDER, DISTRICT, MEALS_PROVIDER, add_job, kst


def _month_of_jobs(session: Session) -> dict[str, int]:
    """Jobs around October 2026's edges; returns the ids of the ones October's claim holds."""
    first = add_job(session, requested_at=kst(2026, 9, 28), done_at=kst(2026, 10, 1, 0, 0), minutes=30, meals=10,
                    materials_krw=1_234, service_krw=20_000, rating=5, confirmed=True)
    late = add_job(session, CARE_PROVIDER, requested_at=kst(2026, 10, 30), done_at=kst(2026, 10, 31, 23, 30),
                   minutes=90, materials_krw=0, service_krw=45_500, confirmed=False)
    add_job(session, requested_at=kst(2026, 10, 31), done_at=kst(2026, 11, 1, 0, 10), service_krw=99_999)
    add_job(session, requested_at=kst(2026, 9, 1), done_at=kst(2026, 9, 30, 23, 59), service_krw=88_888)
    add_job(session, requested_at=kst(2026, 10, 2), status=JobStatus.SCHEDULED)
    add_job(session, "yongsan.soop-food", district="yongsan", requested_at=kst(2026, 10, 2),
            done_at=kst(2026, 10, 3), service_krw=77_777)
    # Staff accepted the late one over the resident's yearly cap.
    booking = session.get(Booking, late.booking_id)
    record_step(session=session, booking=booking, actor_kind=ActorKind.STAFF, actor_id=None, action="override",
                detail="긴급", now=kst(2026, 10, 30, 10))
    return {"first": first.id, "late": late.id}


def test_month_bounds_are_korean_midnights():
    assert month_bounds("2026-10") == (kst(2026, 10, 1), kst(2026, 11, 1))
    assert month_bounds("2026-12") == (kst(2026, 12, 1), kst(2027, 1, 1))
    assert month_bounds("2026-10")[0] == datetime(2026, 9, 30, 15, 0, tzinfo=UTC)
    for typo in ("2026-13", "2026-1", "October"):
        with pytest.raises(ValueError):
            month_bounds(typo)


def test_the_claim_holds_the_jobs_done_in_the_korean_month(session, catalog):
    ids = _month_of_jobs(session)
    rows = claim_rows(session=session, catalog=catalog, district=DISTRICT, month="2026-10")
    assert [row.job_id for row in rows] == [ids["first"], ids["late"]]
    first, late = rows
    assert first.done_at == "2026-10-01 00:00" and late.done_at == "2026-10-31 23:30"
    assert (first.provider_id, first.provider_name, first.program_name) == (
        MEALS_PROVIDER, "복지유니온 (돌봄식당)", "광진 돌봄플러스 영양돌봄")
    assert (first.total_krw, late.total_krw) == (21_234, 45_500)
    assert (first.confirmed, late.confirmed, first.cap_override, late.cap_override) == (True, False, False, True)
    assert (first.rating, late.rating) == (5, "")
    november = claim_rows(session=session, catalog=catalog, district=DISTRICT, month="2026-11")
    assert [row.total_krw for row in november] == [99_999]


def test_a_forgotten_resident_is_a_blank_number(session, catalog):
    job = add_job(session, requested_at=kst(2026, 10, 3), done_at=kst(2026, 10, 4), service_krw=1_000)
    booking = session.get(Booking, job.booking_id)
    resident_id = booking.resident_id
    [row] = claim_rows(session=session, catalog=catalog, district=DISTRICT, month="2026-10")
    assert row.resident_number == resident_id
    session.delete(session.get(Resident, resident_id))
    session.flush()
    session.expire_all()
    [row] = claim_rows(session=session, catalog=catalog, district=DISTRICT, month="2026-10")
    assert row.resident_number == ""


def _read(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def test_the_csv_is_korean_by_default_and_reads_back_with_its_bom_and_totals(session, catalog, tmp_path):
    _month_of_jobs(session)
    path = tmp_path / "claim.csv"
    write_claim_csv(claim_rows(session=session, catalog=catalog, district=DISTRICT, month="2026-10"), path)
    assert path.read_bytes().startswith(codecs.BOM_UTF8 + "일 번호,신청 번호,완료 일시(KST)".encode())
    header, rows = _read(path)
    assert tuple(header) == HEADERS["ko"]
    assert sum(int(row["합계(원)"]) for row in rows) == 21_234 + 45_500
    assert all(int(row["합계(원)"]) == int(row["재료비(원)"]) + int(row["서비스 비용(원)"]) for row in rows)
    assert rows[0]["제공기관명"] == "복지유니온 (돌봄식당)"
    assert [(row["주민 확인"], row["연간 한도 초과 승인"]) for row in rows] == [("예", ""), ("아니요", "예")]
    assert [row["평점(1~5)"] for row in rows] == ["5", ""]


def test_the_csv_in_english_has_the_same_cells_under_english_headers(session, catalog, tmp_path):
    _month_of_jobs(session)
    rows = claim_rows(session=session, catalog=catalog, district=DISTRICT, month="2026-10")
    korean, english = tmp_path / "ko.csv", tmp_path / "en.csv"
    write_claim_csv(rows, korean, language="ko")
    write_claim_csv(rows, english, language="en")
    assert english.read_bytes().startswith(codecs.BOM_UTF8 + b"job id,booking id,done at (KST)")
    header, english_rows = _read(english)
    assert tuple(header) == HEADERS["en"]
    assert [(row["confirmed"], row["cap override"]) for row in english_rows] == [("yes", ""), ("no", "yes")]
    assert english_rows[0]["provider name"] == "복지유니온 (돌봄식당)"  # the name the office pays under
    _, korean_rows = _read(korean)
    # Column by column the same cells, but for the yes/no words.
    words = {HEADERS["en"].index("confirmed"), HEADERS["en"].index("cap override")}
    for english_row, korean_row in zip(english_rows, korean_rows, strict=True):
        english_cells, korean_cells = list(english_row.values()), list(korean_row.values())
        assert [cell for i, cell in enumerate(english_cells) if i not in words] == [
            cell for i, cell in enumerate(korean_cells) if i not in words]


def test_the_two_headers_name_every_column_once():
    assert len(HEADERS["ko"]) == len(HEADERS["en"]) == 16
    assert all(len(set(header)) == len(header) for header in HEADERS.values())


def test_an_unknown_language_is_refused_before_anything_is_written(session, catalog, tmp_path):
    with pytest.raises(ValueError, match="'fr'"):
        write_claim_csv([], tmp_path / "claim.csv", language="fr")
    assert not (tmp_path / "claim.csv").exists()


def test_the_report_command_writes_the_file_and_sums_it_up(command_database, tmp_path, capsys):
    engine = make_engine(command_database)
    upgrade(engine)  # as the command's own store would be
    with Session(engine) as session:
        _month_of_jobs(session)
        session.commit()
    engine.dispose()
    target = tmp_path / "out" / "gwangjin-2026-10.csv"
    assert main(["report", "--district", DISTRICT, "--month", "2026-10", "--csv", str(target)]) == 0
    assert "2 jobs done, total 66,734 KRW" in capsys.readouterr().out
    header, rows = _read(target)
    assert tuple(header) == HEADERS["ko"] and len(rows) == 2

    english = tmp_path / "out" / "gwangjin-2026-10-en.csv"
    assert main(["report", "--district", DISTRICT, "--month", "2026-10", "--csv", str(english), "--lang", "en"]) == 0
    header, rows = _read(english)
    assert tuple(header) == HEADERS["en"] and [row["total KRW"] for row in rows] == ["21234", "45500"]


def test_the_report_command_refuses_an_unknown_district_or_month(command_database, tmp_path, capsys):
    target = tmp_path / "claim.csv"
    assert main(["report", "--district", "atlantis", "--month", "2026-10", "--csv", str(target)]) == 2
    assert "unknown district 'atlantis'" in capsys.readouterr().err
    assert main(["report", "--district", DISTRICT, "--month", "2026-10-01", "--csv", str(target)]) == 2
    assert "--month" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:  # argparse: a usage line and exit code 2
        main(["report", "--district", DISTRICT, "--month", "2026-10", "--csv", str(target), "--lang", "fr"])
    assert refused.value.code == 2 and "--lang: invalid choice: 'fr'" in capsys.readouterr().err
    assert not target.exists()
