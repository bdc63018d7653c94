"""Reading catalog files (TOML written by hand, JSON written by the importer) into a Catalog.

Loading is all-or-nothing: every file is parsed and every record validated before a Catalog
exists, and the error lists each problem with its file, record and field, so that a district
officer who mistyped one phone number is told exactly where, and the bot never runs on half a
catalog.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from catalog.bulk import collector_paused
from catalog.schema import NATIONAL, CatalogFile, District, Program, Provider, Status

MAX_LISTED_ERRORS = 30


class CatalogError(Exception):
    """A catalog file could not be read or is invalid. The message names file, record, field."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:MAX_LISTED_ERRORS]
        more = len(self.problems) - len(shown)
        text = "invalid catalog:\n  " + "\n  ".join(shown)
        if more:
            text += f"\n  … and {more} more problems"
        super().__init__(text)


def data_dir() -> Path:
    """The data folder: bundled inside an installed wheel, or beside the packages in a checkout."""
    bundled = Path(__file__).resolve().parent / "_data"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "data"


def default_catalog_paths() -> list[Path]:
    return [data_dir() / "catalog"]


@dataclass(frozen=True)
class Catalog:
    """Every district, provider and program, validated and cross-checked."""

    districts: dict[str, District]
    providers: dict[str, Provider]
    programs: dict[str, Program]
    _coverage: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    # programs_for's answers, worked out once per district: the menu asks on every press.
    _served: dict[str, tuple[Program, ...]] = field(default_factory=dict, repr=False, compare=False)

    def area_codes(self, district: str) -> frozenset[str]:
        """The area codes that cover `district`: itself, its city, and the whole country."""
        if district not in self._coverage:
            raise UnknownDistrictError(district, sorted(self.districts))
        return self._coverage[district]

    def serves(self, program: Program, district: str) -> bool:
        return program.status is Status.ACTIVE and not self.area_codes(district).isdisjoint(program.area)

    def programs_for(self, district: str) -> list[Program]:
        """Active programs a resident of `district` can use."""
        served = self._served.get(district)
        if served is None:
            served = tuple(p for p in self.programs.values() if self.serves(p, district))
            self._served[district] = served
        return list(served)

    def providers_for(self, program_id: str, district: str) -> list[Provider]:
        """The local organisations that deliver `program_id` in `district`."""
        return [
            p for p in self.providers.values() if p.district == district and program_id in p.programs
        ]

    def is_local(self, program: Program, district: str) -> bool:
        """True when the program belongs to the district itself (not its city or the country)."""
        return district in program.area

    def is_national(self, program: Program) -> bool:
        return NATIONAL in program.area


class UnknownDistrictError(ValueError):
    """A district code that the catalog does not know; the message lists the valid ones."""

    def __init__(self, code: str, valid: Sequence[str]):
        self.code = code
        self.valid = list(valid)
        super().__init__(f"unknown district '{code}'; valid districts: {', '.join(self.valid)}")


def load_catalog(paths: Iterable[Path | str] | None = None) -> Catalog:
    """Load and validate catalog files or folders (default: the bundled catalog)."""
    with collector_paused():  # thousands of records: see catalog.bulk
        return _load_catalog(paths)


def _load_catalog(paths: Iterable[Path | str] | None) -> Catalog:
    paths = default_catalog_paths() if paths is None else [Path(p) for p in paths]
    if not paths:
        raise CatalogError(["no catalog files or folders given"])
    files = _catalog_files(paths)
    problems: list[str] = []
    districts: dict[str, District] = {}
    providers: dict[str, Provider] = {}
    programs: dict[str, Program] = {}
    where: dict[str, Path] = {}

    for path in files:
        records = _records(path, problems)
        if records is None:
            continue
        for kind, target in (("district", districts), ("provider", providers), ("program", programs)):
            for record in records[kind]:
                if record is None:
                    continue
                key_field = "code" if kind == "district" else "id"
                key = getattr(record, key_field)
                if key in target:
                    problems.append(
                        f"{path}: {kind} '{key}': field '{key_field}': duplicate {key_field}, "
                        f"first defined in {where[kind + key]}"
                    )
                    continue
                target[key] = record
                where[kind + key] = path

    coverage = _coverage(districts, problems)
    _cross_check(districts, providers, programs, where, problems)
    if problems:
        raise CatalogError(problems)
    return Catalog(districts=districts, providers=providers, programs=programs, _coverage=coverage)


def _catalog_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in (".toml", ".json")))
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogError([f"{path}: no such catalog file or folder"])
    if not files:
        raise CatalogError([f"{', '.join(map(str, paths))}: no catalog files (.toml or .json)"])
    return files


class _ValidFile(BaseModel):
    """A catalog file read whole, every record valid: see `_records`."""

    model_config = ConfigDict(extra="forbid")
    source: Any = None  # a comment for people (see `_read_file`)
    districts: list[District] = []
    providers: list[Provider] = []
    programs: list[Program] = []


_VALID_JSON_FILE = TypeAdapter(_ValidFile)
_RECORD_MODELS = {"district": District, "provider": Provider, "program": Program}


def _records(path: Path, problems: list[str]) -> dict[str, Iterable] | None:
    """Each kind's records of one file, None for an invalid one (its problems are listed).

    A JSON file (the importer's thousands of programs) is first read and validated whole in
    one pass of pydantic's own parser, a quarter less time than parsing it and validating
    record by record. Only when that fails is it read again record by record, which names
    each problem with its record; records are then validated as the caller reaches them, so
    the problems keep the order they always had.
    """
    if path.suffix.lower() == ".json":
        try:
            valid = _VALID_JSON_FILE.validate_json(path.read_bytes())
            return {"district": valid.districts, "provider": valid.providers, "program": valid.programs}
        except (OSError, ValidationError):
            pass
    content = _read_file(path, problems)
    if content is None:
        return None
    return {kind: _validated(path, kind, getattr(content, kind + "s"), problems) for kind in _RECORD_MODELS}


def _validated(path: Path, kind: str, raws: list[dict], problems: list[str]) -> Iterator:
    for index, raw in enumerate(raws):
        yield _validate_record(path, kind, index, raw, _RECORD_MODELS[kind], problems)


def _read_file(path: Path, problems: list[str]) -> CatalogFile | None:
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{path}: cannot be read: {error}")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{path}: the top level must be a table with districts/providers/programs")
        return None
    # A file-level [source] table is a comment for people; records carry their own source.
    raw.pop("source", None)
    try:
        return CatalogFile.model_validate(raw)
    except ValidationError as error:
        for item in error.errors():
            problems.append(f"{path}: field '{_dotted(item['loc'])}': {item['msg']}")
        return None


def _validate_record(path, kind, index, raw, model, problems):
    label = raw.get("code" if kind == "district" else "id") if isinstance(raw, dict) else None
    label = label or f"#{index + 1}"
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        for item in error.errors():
            problems.append(f"{path}: {kind} '{label}': field '{_dotted(item['loc'])}': {item['msg']}")
        return None


def _dotted(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "(record)"


def _coverage(districts: dict[str, District], problems: list[str]) -> dict[str, frozenset[str]]:
    coverage = {}
    for code, district in districts.items():
        codes, current = {code, NATIONAL}, district
        while current.parent is not None:
            if current.parent not in districts:
                problems.append(f"district '{code}': field 'parent': unknown district '{current.parent}'")
                break
            if current.parent in codes:
                problems.append(f"district '{code}': field 'parent': parents form a loop")
                break
            codes.add(current.parent)
            current = districts[current.parent]
        coverage[code] = frozenset(codes)
    return coverage


def _cross_check(districts, providers, programs, where, problems) -> None:
    known_areas = set(districts) | {NATIONAL}
    for program in programs.values():
        path = where["program" + program.id]
        for code in program.area:
            if code not in known_areas:
                problems.append(
                    f"{path}: program '{program.id}': field 'area': unknown district '{code}' "
                    f"(known: {', '.join(sorted(known_areas))})"
                )
    _check_cap_scopes(programs, where, problems)
    for provider in providers.values():
        path = where["provider" + provider.id]
        if provider.district not in districts:
            problems.append(
                f"{path}: provider '{provider.id}': field 'district': unknown district '{provider.district}'"
            )
            continue
        for program_id in provider.programs:
            program = programs.get(program_id)
            if program is None:
                problems.append(
                    f"{path}: provider '{provider.id}': field 'programs': unknown program '{program_id}'"
                )
            elif not _area_covers(districts, program.area, provider.district):
                problems.append(
                    f"{path}: provider '{provider.id}': field 'programs': program '{program_id}' "
                    f"does not serve district '{provider.district}'"
                )


def _check_cap_scopes(programs, where, problems) -> None:
    """Programs sharing a cap scope must state the same cap, or a resident's limit is moot."""
    caps: dict[str, tuple[int, str]] = {}
    for program in programs.values():
        scope = program.cost.cap_scope
        if scope is None:
            continue
        first = caps.setdefault(scope, (program.cost.yearly_cap_krw, program.id))
        if first[0] != program.cost.yearly_cap_krw:
            problems.append(
                f"{where['program' + program.id]}: program '{program.id}': field 'cost.cap_scope': "
                f"scope '{scope}' has cap {first[0]} in '{first[1]}' but {program.cost.yearly_cap_krw} here"
            )


def _area_covers(districts, area: list[str], district: str) -> bool:
    code: str | None = district
    seen: set[str] = set()
    while code is not None and code not in seen:  # a parent loop is reported elsewhere
        if code in area:
            return True
        seen.add(code)
        code = districts[code].parent if code in districts else None
    return NATIONAL in area
