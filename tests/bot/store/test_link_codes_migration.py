"""Revision 0009 (link codes and failed tries) keeps a 0008 database's rows, Kakao identities
included, and builds tables the linking service can use (tests/bot/store/test_migrations.py's way)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.people.identities import Platform, internal_id_for
from bot.people.linking import issue_code, redeem_code
from bot.people.residents import get_resident, register_resident
from bot.store.db import make_engine, session_scope
from bot.store.migrate import current, differences, head_revision, upgrade
from bot.store.models import LinkCode, PlatformIdentity

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def empty_engine(test_database_url, tmp_path):
    engine = make_engine(test_database_url or f"sqlite:///{(tmp_path / 'm.sqlite3').as_posix()}")
    yield engine
    engine.dispose()


def test_upgrade_to_0009_keeps_residents_and_identities_and_links_work_after(empty_engine):
    upgrade(empty_engine, "0008")
    naive = NOW.replace(tzinfo=None)
    with empty_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO resident (first_name, language, district, consented_at, active, muted_notices,"
            " platform_user_id, chat_id, created_at, updated_at)"
            " VALUES ('Mina', 'ko', 'seocho', :at, true, false, 7001, 7001, :at, :at)"), {"at": naive})
        connection.execute(text(
            "INSERT INTO platform_identity (platform, external_key, internal_id, created_at)"
            " VALUES ('kakao', 'kakao-before-0009', -9007199254740993, :at)"), {"at": naive})
    assert upgrade(empty_engine) == head_revision() == current(empty_engine)
    assert differences(empty_engine) == []

    with session_scope(empty_engine) as session:
        [identity] = session.exec(select(PlatformIdentity)).all()
        assert (identity.external_key, identity.internal_id) == ("kakao-before-0009", -9007199254740993)
        resident = get_resident(session=session, platform_user_id=7001)
        code = issue_code(session=session, resident=resident, now=NOW)
    with session_scope(empty_engine) as session:
        linked = redeem_code(session=session, person_id=-9007199254740993, typed=code,
                             now=NOW + timedelta(minutes=1))
        assert linked.platform_user_id == 7001
    with session_scope(empty_engine) as session:
        assert internal_id_for(session=session, platform=Platform.KAKAO, external_key="kakao-before-0009",
                               now=NOW) == 7001
        [row] = session.exec(select(LinkCode)).all()
        assert row.used_at == NOW + timedelta(minutes=1) and code not in row.code_hash


def test_a_new_resident_after_0009_can_ask_for_codes(empty_engine):
    upgrade(empty_engine)
    with session_scope(empty_engine) as session:
        resident = register_resident(session=session, platform_user_id=7002, chat_id=7002, first_name="",
                                     language="en", district="seocho", now=NOW)
        codes = {issue_code(session=session, resident=resident, now=NOW) for _ in range(2)}
    assert len(codes) == 2
    with session_scope(empty_engine) as session:
        assert len(session.exec(select(LinkCode)).all()) == 2
