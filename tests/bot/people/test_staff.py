from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.people.staff import StaffAlreadyRegistered, add_staff, get_staff, list_staff, remove_staff
from bot.store.models import StaffMember
from catalog import UnknownDistrictError, load_catalog

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def districts():
    return {"seoul", "seocho", "yongsan", "eunpyeong", "gwangjin", "gwangsan", "sancheong"}


def add(session, districts, telegram_id, district, name="Officer Kim"):
    return add_staff(session=session, telegram_id=telegram_id, district=district, name=name,
                     known_districts=districts, now=NOW)


def test_added_staff_are_found_by_their_telegram_id(session, districts):
    member = add(session, districts, 5_000_000_001, "seocho", name="  Kim Jiyoung ")
    session.commit()
    session.expire_all()
    found = get_staff(session=session, telegram_id=5_000_000_001)  # above 2**31: BIGINT
    assert found is not None and found.id == member.id
    assert (found.district, found.name, found.created_at) == ("seocho", "Kim Jiyoung", NOW)
    assert get_staff(session=session, telegram_id=42) is None


def test_staff_are_listed_per_district(session, districts):
    a = add(session, districts, 1, "seocho")
    b = add(session, districts, 2, "yongsan")
    c = add(session, districts, 3, "seocho")
    assert [m.id for m in list_staff(session=session, district="seocho")] == [a.id, c.id]
    assert [m.id for m in list_staff(session=session, district="yongsan")] == [b.id]
    assert list_staff(session=session, district="sancheong") == []
    assert [m.id for m in list_staff(session=session)] == [a.id, b.id, c.id]


def test_an_unknown_district_is_refused_with_the_valid_ones(session, districts):
    with pytest.raises(UnknownDistrictError) as caught:
        add(session, districts, 1, "gangnam")
    assert "seocho" in caught.value.valid
    assert session.exec(select(StaffMember)).all() == []


def test_a_second_add_does_not_silently_move_someone_to_another_district(session, districts):
    add(session, districts, 1, "seocho")
    with pytest.raises(StaffAlreadyRegistered) as caught:
        add(session, districts, 1, "yongsan")
    assert caught.value.district == "seocho"
    assert get_staff(session=session, telegram_id=1).district == "seocho"


def test_a_name_is_required(session, districts):
    with pytest.raises(ValueError):
        add(session, districts, 1, "seocho", name="  ")


def test_removing_staff(session, districts):
    add(session, districts, 1, "seocho")
    add(session, districts, 2, "seocho")
    assert remove_staff(session=session, telegram_id=1) is True
    assert remove_staff(session=session, telegram_id=1) is False
    assert [m.telegram_id for m in list_staff(session=session, district="seocho")] == [2]
    # Someone removed can be added again, e.g. to another district.
    assert add(session, districts, 1, "gwangsan").district == "gwangsan"


def test_the_catalogs_districts_are_what_staff_are_checked_against(session):
    catalog = load_catalog()
    member = add_staff(session=session, telegram_id=1, district="sancheong", name="Officer Park",
                       known_districts=catalog.districts, now=NOW)
    assert member.district == "sancheong"
    with pytest.raises(UnknownDistrictError):
        add_staff(session=session, telegram_id=2, district="national", name="Officer Lee",
                  known_districts=catalog.districts, now=NOW)
