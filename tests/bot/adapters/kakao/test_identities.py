"""A person is a platform identity: Kakao people get ids no Telegram id can ever be."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.people.identities import (
    KAKAO_IDS_START,
    Platform,
    external_key_of,
    internal_id_for,
    platform_of,
)
from bot.store.db import session_scope
from bot.store.models import PlatformIdentity

from ..conftest import START


def test_a_kakao_person_keeps_one_id_and_two_people_get_two(engine):
    with session_scope(engine) as session:
        first = internal_id_for(session=session, platform=Platform.KAKAO, external_key="key-a", now=START)
        again = internal_id_for(session=session, platform=Platform.KAKAO, external_key="key-a", now=START)
        other = internal_id_for(session=session, platform=Platform.KAKAO, external_key="key-b", now=START)
    assert first == again == KAKAO_IDS_START
    assert other == KAKAO_IDS_START - 1
    with session_scope(engine) as session:
        assert external_key_of(session=session, platform=Platform.KAKAO, internal_id=other) == "key-b"
        assert external_key_of(session=session, platform=Platform.KAKAO, internal_id=12345) is None


@pytest.mark.parametrize("telegram_id", [1, 7001, 2**52, -1, -100_1234567890, -(2**52)])
def test_no_telegram_id_is_ever_taken_for_kakao(telegram_id):
    # Telegram's ids have at most 52 significant bits: people positive, groups negative.
    assert platform_of(telegram_id) is Platform.TELEGRAM


def test_kakao_ids_are_kakao_s(engine):
    with session_scope(engine) as session:
        person = internal_id_for(session=session, platform=Platform.KAKAO, external_key="k", now=START)
    assert platform_of(person) is Platform.KAKAO
    assert platform_of(KAKAO_IDS_START - 10**9) is Platform.KAKAO


def test_the_same_key_on_two_messengers_would_be_two_people(engine):
    """The key is the messenger's: Telegram ids need no row, and a Kakao key names only a Kakao person."""
    with session_scope(engine) as session:
        internal_id_for(session=session, platform=Platform.KAKAO, external_key="7001", now=START)
        rows = session.exec(select(PlatformIdentity)).all()
    assert [(row.platform, row.external_key) for row in rows] == [("kakao", "7001")]
    assert rows[0].internal_id != 7001


@pytest.mark.parametrize("key", ["", "x" * 129])
def test_malformed_keys_are_refused(engine, key):
    with session_scope(engine) as session, pytest.raises(ValueError):
        internal_id_for(session=session, platform=Platform.KAKAO, external_key=key, now=START)


def test_telegram_ids_are_not_allocated(engine):
    with session_scope(engine) as session, pytest.raises(ValueError):
        internal_id_for(session=session, platform=Platform.TELEGRAM, external_key="7001", now=START)


def test_forgetting_a_kakao_resident_deletes_their_key_and_held_messages(engine):
    from sqlmodel import Session

    from bot.people.privacy import forget_resident
    from bot.store.models import HeldMessage

    from .conftest import add_kakao_resident

    now = START
    person = add_kakao_resident(engine, user_key="kakao-forget-me", now=now)
    other = add_kakao_resident(engine, user_key="kakao-stays", now=now)
    with session_scope(engine) as session:
        for index, chat in enumerate((person, other)):
            session.add(HeldMessage(token=f"t{index}", chat_id=chat, messages=[{"text": "x"}], created_at=now))
    with session_scope(engine) as session:
        assert forget_resident(session=session, resident_id=_resident_id(session, person), now=now).found
    with Session(engine) as session:
        assert [i.external_key for i in session.exec(select(PlatformIdentity))] == ["kakao-stays"]
        assert [m.chat_id for m in session.exec(select(HeldMessage))] == [other]


def _resident_id(session, platform_user_id: int) -> int:
    from bot.store.models import Resident

    return session.exec(select(Resident).where(Resident.platform_user_id == platform_user_id)).one().id
