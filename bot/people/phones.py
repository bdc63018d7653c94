"""Korean phone numbers as residents type them, checked and written one way for staff.

Residents write `01012345678`, `010 1234 5678`, `+82 10-1234-5678` or full-width digits from
a Korean keyboard; staff should see one form (`010-1234-5678`, `02-123-4567`) so that they can
dial it and so the same number always looks the same. Only numbers a person can be called
back on are accepted: mobiles, area-code landlines and 070 internet phones; nationwide
service numbers (1577-xxxx) and short codes are not a resident's own phone.
"""

from __future__ import annotations

import re
import unicodedata

# Area codes since the 2000s reform: Seoul 02, then 0AB for provinces and metropolitan cities.
AREA_CODES = frozenset(
    {"031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055",
     "061", "062", "063", "064"}
)
# 010 is the only mobile prefix issued today and always has 8 digits after it; 011 and
# 016–019 numbers survive with a 3- or 4-digit middle part.
LEGACY_MOBILE_PREFIXES = frozenset({"011", "016", "017", "018", "019"})

# Characters people put between digit groups; anything else (letters, "#") is refused.
_SEPARATORS = re.compile(r"[\s\-.()/]+")
_COUNTRY_CODE = re.compile(r"^(?:\+|00)?82")


class InvalidPhone(ValueError):
    """A phone number that is not a Korean mobile or landline number a resident can be called on.

    The message never repeats the number, because exceptions end up in logs.
    """

    def __init__(self, reason: str = "not a Korean mobile or landline number"):
        self.reason = reason
        super().__init__(reason)


def normalize_phone(raw: str) -> str:
    """The number in the dashed form staff dial (`010-1234-5678`); raises `InvalidPhone`."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise InvalidPhone("empty phone number")
    international = text.startswith("+") or text.startswith("00")
    compact = _SEPARATORS.sub("", text)
    if international:
        if not _COUNTRY_CODE.match(compact):
            raise InvalidPhone("only Korean numbers (+82) are accepted")
        # "+82 10 …" drops the trunk 0; "+82 (0)10 …" and "+82 010 …" are common too.
        national = _COUNTRY_CODE.sub("", compact, count=1)
        digits = national if national.startswith("0") else "0" + national
    else:
        digits = compact
    if not digits.isdigit() or not digits.isascii():
        raise InvalidPhone("a phone number has only digits, spaces and dashes")
    return _format(digits)


def is_mobile(number: str) -> bool:
    """True for a normalised mobile number (the resident can receive a text message on it)."""
    return number[:3] == "010" or number[:3] in LEGACY_MOBILE_PREFIXES


def _format(digits: str) -> str:
    if digits.startswith("010"):
        return _split(digits, 3, allowed_rest=(8,))
    if digits[:3] in LEGACY_MOBILE_PREFIXES:
        return _split(digits, 3, allowed_rest=(7, 8))
    if digits.startswith("02"):
        return _split(digits, 2, allowed_rest=(7, 8))
    if digits[:3] in AREA_CODES:
        return _split(digits, 3, allowed_rest=(7, 8))
    if digits.startswith("070"):
        return _split(digits, 3, allowed_rest=(8,))
    raise InvalidPhone("unknown area or mobile prefix")


def _split(digits: str, prefix_length: int, *, allowed_rest: tuple[int, ...]) -> str:
    prefix, rest = digits[:prefix_length], digits[prefix_length:]
    if len(rest) not in allowed_rest:
        raise InvalidPhone("wrong number of digits")
    # No exchange number starts with 0: "02-012-3456" is a doubled trunk prefix or a typo.
    if rest[0] == "0":
        raise InvalidPhone("the part after the prefix cannot start with 0")
    return f"{prefix}-{rest[:-4]}-{rest[-4:]}"
