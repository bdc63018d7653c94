"""Loading the catalog (catalog.loader): everything is validated, errors say where, nothing loads half.

Small catalogs are written into tmp_path as TOML or JSON strings; the bundled catalog is
checked against the seed list of the programs spec.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from catalog.loader import Catalog, CatalogError, UnknownDistrictError, data_dir, load_catalog
from catalog.schema import Kind, Program, Status

DISTRICTS = """
[[districts]]
code = "seoul"
name = { ko = "서울특별시", en = "Seoul" }

[[districts]]
code = "seocho"
name = { ko = "서울 서초구", en = "Seocho-gu" }
parent = "seoul"

[[districts]]
code = "gwangsan"
name = { ko = "광주 광산구", en = "Gwangsan-gu" }
"""


def program(
    pid: str = "test.repair",
    *,
    area: str = '["seocho"]',
    name: str = 'name = { ko = "집수리 도우미", en = "Home repair helper" }',
    extra: str = "",
) -> str:
    """One [[programs]] entry, minimal but valid unless `name`, `area` or `extra` break it."""
    return f"""
[[programs]]
id = "{pid}"
{name}
summary = {{ ko = "작은 집수리를 도와드립니다." }}
category = "repairs"
area = {area}
eligibility.summary = {{ ko = "누구나" }}
cost.summary = {{ ko = "무료" }}
apply.summary = {{ ko = "전화로 신청" }}
source.title = "test source"
{extra}
"""


def provider(pid: str = "test-provider", *, district: str = "seocho", programs: str = '["test.repair"]') -> str:
    return f"""
[[providers]]
id = "{pid}"
name = {{ ko = "동네 협동조합" }}
district = "{district}"
programs = {programs}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(*paths: Path) -> CatalogError:
    with pytest.raises(CatalogError) as caught:
        load_catalog(list(paths))
    return caught.value


def only_problem(error: CatalogError) -> str:
    assert len(error.problems) == 1, error.problems
    problem = error.problems[0]
    assert problem in str(error)
    return problem


# ---- valid small catalogs --------------------------------------------------------------------


def test_a_minimal_valid_catalog_loads(tmp_path):
    write(tmp_path, "a.toml", DISTRICTS + program() + provider())

    catalog = load_catalog([tmp_path])

    assert set(catalog.districts) == {"seoul", "seocho", "gwangsan"}
    assert list(catalog.programs) == ["test.repair"]
    assert list(catalog.providers) == ["test-provider"]
    repair = catalog.programs["test.repair"]
    assert repair.name.ko == "집수리 도우미"
    assert repair.status is Status.ACTIVE
    assert repair.verified is False  # unverified unless said otherwise
    assert [p.id for p in catalog.programs_for("seocho")] == ["test.repair"]
    assert catalog.programs_for("gwangsan") == []


def test_a_json_file_and_a_toml_file_load_together(tmp_path):
    districts = write(tmp_path, "districts.toml", DISTRICTS)
    data = {
        "programs": [
            {
                "id": "test.meal",
                "name": {"ko": "도시락 배달"},
                "summary": {"ko": "도시락을 가져다 드립니다."},
                "category": "meals",
                "area": ["national"],
                "eligibility": {"summary": {"ko": "누구나"}},
                "cost": {"summary": {"ko": "무료"}},
                "apply": {"summary": {"ko": "전화"}},
                "source": {"title": "test"},
            }
        ]
    }
    programs = write(tmp_path, "national.json", json.dumps(data, ensure_ascii=False))

    catalog = load_catalog([districts, programs])

    assert list(catalog.programs) == ["test.meal"]
    assert catalog.is_national(catalog.programs["test.meal"])


# ---- one problem, named by file, record and field --------------------------------------------


def test_unknown_district_in_area(tmp_path):
    path = write(tmp_path, "seocho.toml", DISTRICTS + program(area='["seocho", "nowhere"]'))

    error = load_error(path)

    problem = only_problem(error)
    assert "seocho.toml" in problem
    assert "'test.repair'" in problem
    assert "field 'area'" in problem
    assert "'nowhere'" in problem
    assert "seocho" in problem.split("known:")[1]  # the valid codes are listed


def test_duplicate_program_id_across_two_files_names_both_files(tmp_path):
    first = write(tmp_path, "first.toml", DISTRICTS + program())
    second = write(tmp_path, "second.toml", program())

    error = load_error(tmp_path)

    problem = only_problem(error)
    assert str(first) in problem
    assert str(second) in problem
    assert "'test.repair'" in problem
    assert "duplicate" in problem


def test_missing_korean_name(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program(name='name = { en = "Home repair helper" }'))

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "'test.repair'" in problem
    assert "field 'name.ko'" in problem


def test_blank_korean_name_counts_as_missing(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program(name='name = { ko = "   ", en = "Helper" }'))

    problem = only_problem(load_error(path))

    assert "'test.repair'" in problem
    assert "field 'name.ko'" in problem


def test_bad_phone_number(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program(extra='contact.phone = "123-45"'))

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "'test.repair'" in problem
    assert "field 'contact.phone'" in problem
    assert "123-45" in problem


@pytest.mark.parametrize("phone", ["02-2155-8281", "031-123-4567", "010-1234-5678", "1577-1000", "129"])
def test_korean_phone_numbers_are_accepted(tmp_path, phone):
    write(tmp_path, "a.toml", DISTRICTS + program(extra=f'contact.phone = "{phone}"'))

    assert load_catalog([tmp_path]).programs["test.repair"].contact.phone == phone


def test_age_range_upside_down(tmp_path):
    path = write(
        tmp_path, "a.toml", DISTRICTS + program(extra="eligibility.age_min = 70\neligibility.age_max = 20")
    )

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "'test.repair'" in problem
    assert "field 'eligibility'" in problem
    assert "age_min 70" in problem and "age_max 20" in problem


def test_unknown_key_in_a_program(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program(extra='colour = "red"'))

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "'test.repair'" in problem
    assert "field 'colour'" in problem


def test_unknown_top_level_key(tmp_path):
    path = write(tmp_path, "a.toml", 'colour = "red"\n' + DISTRICTS + program())

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "field 'colour'" in problem


def test_toml_syntax_error_names_the_file(tmp_path):
    path = write(tmp_path, "broken.toml", DISTRICTS + program() + "\n[[programs]\n")

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "cannot be read" in problem


def test_invalid_json_names_the_file(tmp_path):
    districts = write(tmp_path, "districts.toml", DISTRICTS)
    path = write(tmp_path, "national.json", '{"programs": [}')

    problem = only_problem(load_error(districts, path))

    assert str(path) in problem
    assert "districts.toml" not in problem


def test_json_that_is_not_an_object(tmp_path):
    path = write(tmp_path, "list.json", "[1, 2, 3]")

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "top level" in problem


def test_provider_refers_to_unknown_program(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program() + provider(programs='["test.nothing"]'))

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "provider 'test-provider'" in problem
    assert "field 'programs'" in problem
    assert "'test.nothing'" in problem


def test_provider_in_a_district_its_program_does_not_serve(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program() + provider(district="gwangsan"))

    problem = only_problem(load_error(path))

    assert str(path) in problem
    assert "provider 'test-provider'" in problem
    assert "field 'programs'" in problem
    assert "'test.repair'" in problem
    assert "'gwangsan'" in problem


def test_provider_of_a_city_program_in_a_district_of_that_city_is_fine(tmp_path):
    write(tmp_path, "a.toml", DISTRICTS + program(area='["seoul"]') + provider(district="seocho"))

    catalog = load_catalog([tmp_path])

    assert [p.id for p in catalog.providers_for("test.repair", "seocho")] == ["test-provider"]


def test_provider_in_an_unknown_district(tmp_path):
    path = write(tmp_path, "a.toml", DISTRICTS + program() + provider(district="atlantis"))

    problem = only_problem(load_error(path))

    assert "provider 'test-provider'" in problem
    assert "field 'district'" in problem
    assert "'atlantis'" in problem


def test_district_parents_in_a_loop_are_reported(tmp_path):
    loop = """
[[districts]]
code = "north"
name = { ko = "북구" }
parent = "south"

[[districts]]
code = "south"
name = { ko = "남구" }
parent = "north"
"""
    write(tmp_path, "a.toml", loop)

    error = load_error(tmp_path)

    assert error.problems
    assert all("loop" in problem for problem in error.problems)


def test_parent_loop_with_a_provider_does_not_hang(tmp_path):
    loop = """
[[districts]]
code = "north"
name = { ko = "북구" }
parent = "south"

[[districts]]
code = "south"
name = { ko = "남구" }
parent = "north"

[[districts]]
code = "seocho"
name = { ko = "서초구" }
"""
    write(tmp_path, "a.toml", loop + program() + provider(district="north"))

    def give_up(signum, frame):
        raise TimeoutError("load_catalog did not return within 2 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        error = load_error(tmp_path)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert any("loop" in problem for problem in error.problems)


def test_an_empty_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("not a catalog file", encoding="utf-8")

    problem = only_problem(load_error(tmp_path))

    assert str(tmp_path) in problem
    assert "no catalog files" in problem


def test_a_missing_path(tmp_path):
    missing = tmp_path / "nowhere.toml"

    problem = only_problem(load_error(missing))

    assert str(missing) in problem
    assert "no such" in problem


# ---- many problems, and all-or-nothing -------------------------------------------------------


def test_several_problems_in_one_file_are_all_reported(tmp_path):
    text = (
        DISTRICTS
        + program("test.one", extra='contact.phone = "123-45"\ncolour = "red"')
        + program("test.two", name='name = { en = "No Korean" }')
        + program("test.three", area='["atlantis"]')
        + provider(programs='["test.ghost"]')
    )
    path = write(tmp_path, "many.toml", text)

    error = load_error(path)

    assert len(error.problems) == 5, error.problems
    assert all(str(path) in problem for problem in error.problems)
    expected = [
        ("'test.one'", "field 'contact.phone'"),
        ("'test.one'", "field 'colour'"),
        ("'test.two'", "field 'name.ko'"),
        ("'test.three'", "field 'area'"),
        ("'test-provider'", "'test.ghost'"),
    ]
    for record, detail in expected:
        assert any(record in p and detail in p for p in error.problems), (record, detail)
        assert any(record in line and detail in line for line in str(error).splitlines())


def test_many_problems_are_counted_beyond_the_listed_ones(tmp_path):
    text = DISTRICTS + "".join(program(f"test.p{i}", area='["atlantis"]') for i in range(35))
    write(tmp_path, "a.toml", text)

    error = load_error(tmp_path)

    assert len(error.problems) == 35
    assert "test.p34" not in str(error)
    assert "and 5 more problems" in str(error)


def test_a_valid_file_and_an_invalid_file_load_nothing(tmp_path):
    good = write(tmp_path, "a-good.toml", DISTRICTS + program("test.good"))
    bad = write(tmp_path, "b-bad.toml", program("test.bad", extra='contact.phone = "123-45"'))

    assert list(load_catalog([good]).programs) == ["test.good"]  # alone, the good file loads
    result = None
    with pytest.raises(CatalogError) as caught:
        result = load_catalog([tmp_path])

    assert result is None
    problem = only_problem(caught.value)
    assert str(bad) in problem
    assert str(good) not in problem


def test_a_valid_folder_plus_a_broken_file_loads_nothing(tmp_path):
    folder = tmp_path / "catalog"
    folder.mkdir()
    write(folder, "a.toml", DISTRICTS + program())
    broken = write(tmp_path, "extra.toml", "[[programs]\n")

    problem = only_problem(load_error(folder, broken))

    assert str(broken) in problem


# ---- the bundled catalog ---------------------------------------------------------------------

SEED_IDS = [
    "seocho.health119",
    "seocho.counselor",
    "seocho.handyman",
    "seocho.bodyguard",
    "seocho.greeting",
    "seocho.culture-class",
    "seocho.club",
    "seoul.sos.home-care",
    "seoul.sos.short-stay",
    "seoul.sos.escort",
    "seoul.sos.home-repair",
    "seoul.sos.cleaning",
    "seoul.sos.meal",
    "yongsan.sos.mind-care",
    "yongsan.sos.laundry",
    "gwangjin.nutrition",
    "gwangjin.housing",
    "gwangjin.emotional",
    "gwangjin.daily-life",
    "gwangjin.laundry",
    "gwangjin.exercise",
    "sancheong.iso-partner",
    "gwangsan.neighbour-jobs",
    "gwangsan.subscription-office",
    "seoul.youth-space-manager",
    "private.laundrygo",
]
# Facts the programs spec marks as press reports to "treat as unverified", or (assumed).
UNVERIFIED_SEED_IDS = [pid for pid in SEED_IDS if pid.startswith("seocho.")] + [
    "gwangjin.laundry",
    "gwangjin.exercise",
]
SEOUL_DISTRICTS = ["seocho", "yongsan", "eunpyeong", "gwangjin"]
OTHER_DISTRICTS = ["gwangsan", "sancheong"]


def test_the_bundled_catalog_loads_with_every_district(catalog):
    assert isinstance(catalog, Catalog)
    assert set(catalog.districts) == {"seoul", *SEOUL_DISTRICTS, *OTHER_DISTRICTS}


def test_the_bundled_catalog_holds_every_seed_program(catalog):
    assert len(SEED_IDS) == 26
    missing = [pid for pid in SEED_IDS if pid not in catalog.programs]
    assert missing == []


def test_the_bundled_catalog_holds_the_national_programs(catalog):
    national = [p for pid, p in catalog.programs.items() if pid.startswith("national.")]
    assert len(national) > 400
    assert all(catalog.is_national(p) for p in national)


@pytest.mark.parametrize("pid", SEED_IDS)
def test_every_seed_program_has_korean_and_english_names(catalog, pid):
    name = catalog.programs[pid].name
    assert name.ko.strip()
    assert name.en.strip()
    assert name.get("en") == name.en
    assert name.get("ko") == name.ko


def test_unverified_seed_programs_are_marked(catalog):
    flagged = [pid for pid in UNVERIFIED_SEED_IDS if catalog.programs[pid].verified is not False]
    assert flagged == []


def test_the_private_laundry_service_is_labelled_private(catalog):
    assert catalog.programs["private.laundrygo"].kind is Kind.PRIVATE
    public = [pid for pid in SEED_IDS if pid != "private.laundrygo"]
    assert all(catalog.programs[pid].kind is Kind.PUBLIC for pid in public)


# ---- area semantics --------------------------------------------------------------------------


def test_area_codes_of_a_seoul_district_and_of_a_district_outside_seoul(catalog):
    assert catalog.area_codes("seocho") == {"seocho", "seoul", "national"}
    assert catalog.area_codes("gwangsan") == {"gwangsan", "national"}


@pytest.mark.parametrize("pid", ["seoul.sos.meal", "seoul.youth-space-manager", "private.laundrygo"])
def test_a_seoul_program_serves_the_seoul_districts_only(catalog, pid):
    program = catalog.programs[pid]
    assert program.area == ["seoul"]
    assert [d for d in SEOUL_DISTRICTS if catalog.serves(program, d)] == SEOUL_DISTRICTS
    assert [d for d in OTHER_DISTRICTS if catalog.serves(program, d)] == []
    assert not catalog.is_local(program, "seocho")


def test_a_local_program_serves_its_own_district_only(catalog):
    handyman = catalog.programs["seocho.handyman"]
    served = [d for d in catalog.districts if catalog.serves(handyman, d)]
    assert served == ["seocho"]
    assert catalog.is_local(handyman, "seocho")


def test_a_national_program_serves_every_district(catalog):
    national = next(p for pid, p in catalog.programs.items() if pid.startswith("national."))
    assert all(catalog.serves(national, d) for d in catalog.districts)
    assert not catalog.is_local(national, "seocho")


def test_programs_for_a_district_respect_the_area(catalog):
    seocho = {p.id for p in catalog.programs_for("seocho")}
    gwangsan = {p.id for p in catalog.programs_for("gwangsan")}
    assert {"seocho.handyman", "seoul.sos.meal"} <= seocho
    assert "gwangsan.neighbour-jobs" not in seocho
    assert "gwangsan.neighbour-jobs" in gwangsan
    assert not {"seocho.handyman", "seoul.sos.meal", "private.laundrygo"} & gwangsan
    national = {pid for pid in catalog.programs if pid.startswith("national.")}
    assert national <= seocho and national <= gwangsan


def test_an_inactive_program_serves_nobody(catalog):
    ended = catalog.programs["seoul.sos.meal"].model_copy(update={"status": Status.INACTIVE})
    assert [d for d in catalog.districts if catalog.serves(ended, d)] == []
    national = next(p for pid, p in catalog.programs.items() if pid.startswith("national."))
    ended_national = national.model_copy(update={"status": Status.INACTIVE})
    assert [d for d in catalog.districts if catalog.serves(ended_national, d)] == []


def test_an_inactive_program_in_a_file_keeps_its_id_but_is_never_listed(tmp_path):
    write(
        tmp_path,
        "a.toml",
        DISTRICTS + program("test.ended", area='["national"]', extra='status = "inactive"') + program(),
    )

    catalog = load_catalog([tmp_path])

    assert catalog.programs["test.ended"].status is Status.INACTIVE
    assert [p.id for p in catalog.programs_for("seocho")] == ["test.repair"]
    assert catalog.programs_for("gwangsan") == []


def test_dolbom_sos_meal_providers_in_eunpyeong(catalog):
    providers = catalog.providers_for("seoul.sos.meal", "eunpyeong")
    assert providers
    assert all(p.district == "eunpyeong" and "seoul.sos.meal" in p.programs for p in providers)
    assert catalog.providers_for("seoul.sos.meal", "gwangsan") == []


def test_every_provider_district_is_served_by_each_of_its_programs(catalog):
    assert catalog.providers
    wrong = [
        (provider.id, pid)
        for provider in catalog.providers.values()
        for pid in provider.programs
        if not catalog.serves(catalog.programs[pid], provider.district)
    ]
    assert wrong == []


def test_unknown_district_lists_the_valid_codes(catalog):
    with pytest.raises(UnknownDistrictError) as caught:
        catalog.area_codes("nowhere")

    error = caught.value
    assert isinstance(error, ValueError)
    assert error.code == "nowhere"
    assert error.valid == sorted(catalog.districts)
    message = str(error)
    assert "'nowhere'" in message
    assert all(code in message for code in catalog.districts)
    with pytest.raises(UnknownDistrictError):
        catalog.programs_for("nowhere")


def test_a_json_file_read_whole_gives_the_records_read_one_by_one():
    # JSON files are validated whole in one pass first (see loader._records).
    from catalog.loader import _read_file, _records

    path = data_dir() / "catalog" / "national.json"
    problems: list[str] = []
    content = _read_file(path, problems)
    assert _records(path, problems)["program"] == [Program.model_validate(raw) for raw in content.programs]
    assert problems == []


def test_a_json_file_with_a_bad_record_still_names_it(tmp_path):
    records = json.loads((data_dir() / "catalog" / "national.json").read_text(encoding="utf-8"))["programs"]
    broken = tmp_path / "broken.json"
    programs = [records[0], {**records[1], "category": "nope"}]
    broken.write_text(json.dumps({"programs": programs}), encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog([data_dir() / "catalog" / "districts.toml", broken])
    [problem] = error.value.problems
    assert problem.startswith(f"{broken}: program '{records[1]['id']}': field 'category': ")
