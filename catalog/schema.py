"""The catalog's data model: districts, providers and programs.

Shaped after Open Referral HSDS 3 (service, organisation, service area, eligibility, cost,
how to apply, contact, schedule, status, assured date, source) but kept flat enough that a
district officer can edit a TOML file by hand. Every model forbids unknown keys, so a typo in
a field name is an error rather than a silently ignored setting.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Ids are stable, lowercase, dotted: "seocho.health119", "seoul.sos.meal", "national.<slug>".
PROGRAM_ID_PATTERN = r"^[a-z0-9]+(?:\.[a-z0-9][a-z0-9-]*)+$"
PLAIN_ID_PATTERN = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"

# Korean phone numbers as residents dial them: area/mobile numbers with dashes
# (02-2155-8281, 031-123-4567, 010-1234-5678), nationwide numbers (1577-1000) and the
# three-digit public lines (120, 129, 109, 119, 112, 1366 is four digits and fits the next one).
PHONE_PATTERN = re.compile(r"^(?:0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4}|1\d{2,3})$")

NATIONAL = "national"


class Strict(BaseModel):
    """Base for every catalog model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(Strict):
    """A text in Korean (required) and English (optional, shown to English speakers)."""

    ko: str = Field(min_length=1)
    en: str = ""

    def get(self, language: str) -> str:
        """The text in `language`, falling back to Korean where no translation exists."""
        if language == "en" and self.en:
            return self.en
        return self.ko


class Category(StrEnum):
    """What kind of help a program gives; drives the category menu of the bot."""

    CARE = "care"  # care-givers, temporary care, short stays
    HEALTH = "health"
    COUNSELLING = "counselling"
    REPAIRS = "repairs"
    SAFETY = "safety"
    CHECK_IN = "check-in"
    CULTURE = "culture"
    SOCIAL = "social"
    MEALS = "meals"
    ESCORT = "escort"
    CLEANING = "cleaning"
    LAUNDRY = "laundry"
    JOBS = "jobs"
    WORKSPACE = "workspace"
    HOUSING = "housing"
    INCOME = "income"
    FAMILY = "family"
    EDUCATION = "education"
    OTHER = "other"


class District(Strict):
    """An area a program can serve. `parent` lets a city-wide code cover its districts."""

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: Text
    parent: str | None = None


class Contact(Strict):
    phone: str | None = None
    note: Text | None = None  # e.g. "국번 없이 129", office hours, several numbers
    url: str | None = None

    @field_validator("phone")
    @classmethod
    def _phone_is_korean(cls, value: str | None) -> str | None:
        if value is not None and not PHONE_PATTERN.match(value):
            raise ValueError(
                f"'{value}' is not a Korean phone number (e.g. 02-2155-8281, 1577-1000, 129)"
            )
        return value


class Provider(Strict):
    """An organisation that delivers a program in one district (HSDS: organization)."""

    id: str = Field(pattern=PLAIN_ID_PATTERN)
    name: Text
    district: str
    programs: list[str] = Field(min_length=1)
    contact: Contact = Contact()
    verified: bool = False


class Eligibility(Strict):
    """Who a program is for. The numbers let the bot say whether a resident seems to fit."""

    summary: Text
    age_min: int | None = Field(default=None, ge=0, le=120, strict=True)
    age_max: int | None = Field(default=None, ge=0, le=120, strict=True)
    genders: list[str] = Field(default_factory=list)  # empty: anyone
    single_household: bool = False

    @field_validator("genders")
    @classmethod
    def _known_genders(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - {"female", "male"})
        if unknown:
            raise ValueError(f"unknown gender {unknown}; use 'female' or 'male'")
        return value

    @model_validator(mode="after")
    def _age_range_in_order(self) -> Eligibility:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(f"age range upside down: age_min {self.age_min} > age_max {self.age_max}")
        return self


class Cost(Strict):
    summary: Text
    free: bool = False
    # What one person may use in a year (Dolbom SOS: 1,580,000 KRW in 2021); integers in KRW.
    yearly_cap_krw: int | None = Field(default=None, ge=0)
    # Programs that share one cap name the same scope (Dolbom SOS's services share 1,580,000
    # KRW a person a year); without a scope the cap is the program's own.
    cap_scope: str | None = Field(default=None, pattern=PLAIN_ID_PATTERN)

    @model_validator(mode="after")
    def _scope_needs_a_cap(self) -> Cost:
        if self.cap_scope is not None and self.yearly_cap_krw is None:
            raise ValueError("cap_scope without yearly_cap_krw")
        return self


class HowToApply(Strict):
    summary: Text
    # True when a resident can send a request through the bot, which district staff handle;
    # False when the program is reached only by phone, visit or its own website.
    bookable: bool = False


class Source(Strict):
    """Where the facts come from, so staff can re-check them (HSDS: attribution)."""

    title: str
    url: str | None = None
    seed: str | None = None
    license: str | None = None
    published: date | None = None


class Keywords(Strict):
    """Words residents actually use for this program, in each language."""

    ko: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class Status(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # a program that ended keeps its id and is never shown


class Kind(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"  # a commercial, paid service, labelled as such


class Program(Strict):
    """One service a resident can get (HSDS: service + service_area + eligibility + cost)."""

    id: str = Field(pattern=PROGRAM_ID_PATTERN)
    name: Text
    summary: Text
    category: Category
    area: list[str] = Field(min_length=1)  # district codes, a city code, or "national"
    organization: Text | None = None
    eligibility: Eligibility
    cost: Cost
    apply: HowToApply
    contact: Contact = Contact()
    schedule: Text | None = None
    status: Status = Status.ACTIVE
    kind: Kind = Kind.PUBLIC
    # False where a fact was assumed rather than read in the source (HSDS assured_date unset).
    verified: bool = False
    last_verified: date | None = None
    unverified_note: str | None = None
    source: Source
    # Keywords can make a program fit on their own; related words only help rank it.
    keywords: Keywords = Keywords()
    related: Keywords = Keywords()


class CatalogFile(Strict):
    """The top level of one catalog file: any mix of districts, providers and programs."""

    districts: list[dict] = Field(default_factory=list)
    providers: list[dict] = Field(default_factory=list)
    programs: list[dict] = Field(default_factory=list)
