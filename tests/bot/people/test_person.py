"""`load_person`: who is speaking and where they are, read in one query at the start of a turn."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event
from sqlmodel import select

from bot.people.residents import (
    clear_conversation,
    load_conversation,
    load_person,
    register_resident,
    save_conversation,
    update_resident,
)
from bot.store.models import ProviderMember, Resident, StaffMember

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
SPEAKER = 5_000_000_001  # above 2**31: the user id is a BIGINT
NEIGHBOUR = 5_000_000_002


def resident(session, user_id: int, district: str = "seocho") -> Resident:
    return register_resident(session=session, platform_user_id=user_id, chat_id=user_id, first_name="Mina",
                             language="ko", district=district, now=NOW)


def test_a_stranger_is_nobody_anywhere(session):
    person = load_person(session=session, platform_user_id=SPEAKER)
    assert (person.resident, person.staff, person.provider, person.conversation) == (None, None, None, None)


def test_all_four_are_found_and_only_the_speakers(session):
    mine = resident(session, SPEAKER)
    resident(session, NEIGHBOUR, district="yongsan")
    session.add(StaffMember(telegram_id=SPEAKER, district="seocho", name="Kim", created_at=NOW))
    session.add(StaffMember(telegram_id=NEIGHBOUR, district="yongsan", name="Lee", created_at=NOW))
    session.add(ProviderMember(telegram_id=NEIGHBOUR, provider_id="meals", name="Park", created_at=NOW))
    save_conversation(session=session, platform_user_id=SPEAKER, state="booking.phone",
                      data={"program": "seocho.handyman", "window": ("morning",)}, now=NOW)
    save_conversation(session=session, platform_user_id=NEIGHBOUR, state="ready", data={}, now=NOW)
    session.commit()
    session.expunge_all()

    person = load_person(session=session, platform_user_id=SPEAKER)
    assert person.resident.id == mine.id and person.resident.district == "seocho"
    assert (person.staff.telegram_id, person.staff.name) == (SPEAKER, "Kim")
    assert person.provider is None  # the neighbour's membership is not the speaker's
    assert person.conversation.state == "booking.phone"
    assert person.conversation.data == {"program": "seocho.handyman", "window": ["morning"]}
    assert person.conversation.updated_at == NOW

    neighbour = load_person(session=session, platform_user_id=NEIGHBOUR)
    assert (neighbour.resident.district, neighbour.staff.name, neighbour.provider.name) == ("yongsan", "Lee", "Park")
    assert neighbour.conversation.state == "ready"


def test_the_resident_is_the_sessions_own_object(session):
    """A turn changes the loaded resident (e.g. reachable again) and the change is stored."""
    resident(session, SPEAKER)
    session.commit()
    session.expunge_all()
    loaded = load_person(session=session, platform_user_id=SPEAKER).resident
    assert session.exec(select(Resident).where(Resident.platform_user_id == SPEAKER)).one() is loaded
    update_resident(session=session, resident=loaded, now=NOW + timedelta(hours=1), active=False, chat_id=42)
    session.commit()
    session.expunge_all()
    stored = session.exec(select(Resident).where(Resident.platform_user_id == SPEAKER)).one()
    assert (stored.active, stored.chat_id, stored.updated_at) == (False, 42, NOW + timedelta(hours=1))


def test_a_person_is_read_in_one_statement(engine, session):
    resident(session, SPEAKER)
    save_conversation(session=session, platform_user_id=SPEAKER, state="ready", data={}, now=NOW)
    session.commit()
    statements = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        load_person(session=session, platform_user_id=SPEAKER)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_saving_again_after_clearing_in_the_same_transaction_stores_anew(session):
    """/forget's "keep" path clears the state and the turn then saves where the person is."""
    save_conversation(session=session, platform_user_id=SPEAKER, state="forget_confirm", data={}, now=NOW)
    clear_conversation(session=session, platform_user_id=SPEAKER)
    assert load_conversation(session=session, platform_user_id=SPEAKER) is None
    saved = save_conversation(session=session, platform_user_id=SPEAKER, state="ready", data={"found": ["a"]},
                              now=NOW)
    session.commit()
    assert saved.data == {"found": ["a"]}
    loaded = load_conversation(session=session, platform_user_id=SPEAKER)
    assert (loaded.state, loaded.data) == ("ready", {"found": ["a"]})
