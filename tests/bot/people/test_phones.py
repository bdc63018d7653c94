import pytest

from bot.people.phones import InvalidPhone, is_mobile, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-1234-5678", "010-1234-5678"),
        ("01012345678", "010-1234-5678"),
        ("010 1234 5678", "010-1234-5678"),
        ("010.1234.5678", "010-1234-5678"),
        ("+82 10 1234 5678", "010-1234-5678"),
        ("+82-10-1234-5678", "010-1234-5678"),
        ("+821012345678", "010-1234-5678"),
        ("0082 10 1234 5678", "010-1234-5678"),
        ("+82 (0)10 1234 5678", "010-1234-5678"),
        ("+82 010 1234 5678", "010-1234-5678"),
        ("  010-1234-5678  ", "010-1234-5678"),
        ("０１０－１２３４－５６７８", "010-1234-5678"),  # full-width, from a Korean keyboard
        ("011-123-4567", "011-123-4567"),
        ("0161234567", "016-123-4567"),
        ("02-123-4567", "02-123-4567"),
        ("02-2155-8281", "02-2155-8281"),
        ("0221558281", "02-2155-8281"),
        ("(02) 123 4567", "02-123-4567"),
        ("+82 2 123 4567", "02-123-4567"),
        ("031-123-4567", "031-123-4567"),
        ("031-1234-5678", "031-1234-5678"),
        ("0551234567", "055-123-4567"),
        ("064 712 3456", "064-712-3456"),
        ("070-1234-5678", "070-1234-5678"),
    ],
)
def test_accepted_numbers_are_written_the_way_staff_dial_them(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "010-1234-567",  # one digit short
        "010-1234-56789",  # one digit long
        "0101234567",  # 010 needs eight digits after it
        "02-12-3456",  # too short for Seoul
        "02-12345-67890",
        "02-012-3456",
        "1577-1000",  # a company's nationwide number, not the resident's phone
        "120",
        "119",
        "050-1234-5678",  # no such area code
        "099-123-4567",
        "+1 212 555 0100",  # not Korean
        "+44 20 7946 0958",
        "010-1234-abcd",
        "tel:01012345678",
        "010#1234#5678",
        "12345678901",
    ],
)
def test_refused_numbers_raise_invalid_phone(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_the_error_never_repeats_the_number():
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone("010-9876-543")
    assert "9876" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_mobile_numbers_are_told_apart_from_landlines():
    assert is_mobile(normalize_phone("01012345678"))
    assert is_mobile(normalize_phone("011-123-4567"))
    assert not is_mobile(normalize_phone("02-123-4567"))
    assert not is_mobile(normalize_phone("070-1234-5678"))
