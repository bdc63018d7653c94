"""The importer of national programs (catalog.tools.national_import) and the file it generates.

Reads the copy of the booklet in data/sources, never anything outside the repository.
"""

from __future__ import annotations

import json
import random
import re

import pytest

from catalog import load_catalog
from catalog.loader import data_dir
from catalog.schema import PHONE_PATTERN, Category
from catalog.tools.national_import import (
    DEFAULT_APPLY,
    GENERIC_WORDS,
    SUMMARY_LIMIT,
    assign_ids,
    build_programs,
    extract_phone,
    import_national,
    render,
    romanize,
    slug_collisions,
    slugify,
)

SOURCE = data_dir() / "sources" / "national-welfare-2024.json"
GENERATED = data_dir() / "catalog" / "national.json"
DISTRICTS = data_dir() / "catalog" / "districts.toml"

# Names in the source that are not programs: guide pages, the table of contents, the directory
# of agencies, the imprint, a chapter intro.
GUIDE_NAMES = {
    "책자 이용 안내",
    "나에게 힘이 되는 복지서비스 목차",
    "나에게 힘이 되는 안내책자 똑똑하게 활용하세요!",
    "책 안에 어떤 내용이 담겨 있나요?",
    "복지로 복지는 쉽다",
    "복지로 서비스 상세",
    "알려드립니다 - 용어 및 기준",
    "생활에 어려움을 겪고 계신가요?",
    "주요기관 연락처",
    "발간 정보",
    "특수한 상황이나 어려운 입장에 처했을 때",
}
# Names that belong to another program: FAQ pages, rows of a table, a leaked row label.
MERGED_NAMES = {
    "산업재해 보상보험 제도 (자주하는 질문)": "산업재해 보상보험 제도",
    "농어가 목돈마련 저축 장려금 (자주하는 질문)": "농어가 목돈마련 저축 장려금",
    "독립유공자": "국가유공자 등 취업 지원",
    "해외통합정보망(월드잡플러스)": "해외취업 지원",
    "K-Move 스쿨": "해외취업 지원",
    "해외취업 정착지원금": "해외취업 지원",
}
# Chunks of p. 46 have no 사업명; the program is named by their 참고_사업명 chunk (and the index).
RECOVERED_NAMES = {"주택용 에너지캐시백"}


@pytest.fixture(scope="module")
def chunks() -> list[dict]:
    return json.loads(SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def programs(chunks) -> list[dict]:
    return build_programs(chunks)


@pytest.fixture(scope="module")
def by_name(programs) -> dict[str, dict]:
    return {p["name"]["ko"]: p for p in programs}


def test_one_program_per_distinct_name_minus_guide_index_and_merged_names(chunks, programs):
    names = {c["metadata"]["사업명"] for c in chunks if c["metadata"]["사업명"]}
    # Names that only the alphabetical index (가나다순 서비스 목록) spells, e.g. without a space.
    index_only = {
        name
        for name in names
        if all(
            c["metadata"]["중분류"] == "가나다순 서비스 목록"
            for c in chunks
            if c["metadata"]["사업명"] == name
        )
    }
    assert len(names) == 485 and len(index_only) == 13
    assert GUIDE_NAMES <= names and set(MERGED_NAMES) <= names and RECOVERED_NAMES <= index_only

    expected = (names - GUIDE_NAMES - index_only - set(MERGED_NAMES)) | RECOVERED_NAMES
    assert {p["name"]["ko"] for p in programs} == expected
    assert len(programs) == len(expected) == 456


def test_guide_entries_and_merged_names_are_not_programs(by_name):
    for name in GUIDE_NAMES | set(MERGED_NAMES) | {"희망저축계좌(Ⅰ, Ⅱ)", "최저신용자 대상 특례보증"}:
        assert name not in by_name
    for target in MERGED_NAMES.values():
        assert target in by_name


def test_rows_of_a_table_become_keywords_of_their_program(by_name):
    overseas = by_name["해외취업 지원"]
    assert {"K-Move 스쿨", "월드잡플러스", "해외취업 정착지원금"} <= set(overseas["keywords"]["ko"])
    assert "K-Move 스쿨: 만 34세 이하" in overseas["eligibility"]["summary"]["ko"]
    assert "독립유공자" not in by_name["국가유공자 등 취업 지원"]["keywords"]["ko"]


def test_program_without_a_name_in_the_source_is_recovered(by_name):
    cashback = by_name["주택용 에너지캐시백"]
    assert cashback["contact"]["phone"] == "123"
    assert "캐시백" in cashback["summary"]["ko"]
    assert cashback["source"]["title"].endswith("46쪽")


def test_foreign_residents_excerpt_is_labelled_not_taken_as_general_eligibility(by_name):
    emergency = by_name["긴급복지 지원제도"]["eligibility"]["summary"]["ko"]
    assert emergency.startswith("생계유지가 곤란한 저소득층")
    basic = by_name["맞춤형 기초생활보장제도"]
    assert "참조(본 책자" not in basic["summary"]["ko"]
    assert basic["source"]["title"].endswith("16쪽")


def test_reimport_is_byte_identical(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert import_national(SOURCE, first) == import_national(SOURCE, second) == 456
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\\u" not in text  # ensure_ascii=False, trailing newline
    assert [p["id"] for p in json.loads(text)["programs"]] == sorted(
        p["id"] for p in json.loads(text)["programs"]
    )


def test_committed_catalog_file_equals_a_fresh_import(programs):
    """data/catalog/national.json is generated; regenerate it with
    `python -m catalog.tools.national_import` instead of editing it."""
    assert GENERATED.read_text(encoding="utf-8") == render(programs)


def test_ids_are_national_slugs_and_unique(programs):
    ids = [p["id"] for p in programs]
    assert len(ids) == len(set(ids))
    for program_id in ids:
        assert re.fullmatch(r"national\.[a-z0-9]+(?:-[a-z0-9]+)*", program_id), program_id
        assert len(program_id) <= len("national.") + 60 + 7


def test_ids_depend_only_on_the_name(programs):
    names = [p["name"]["ko"] for p in programs]
    full = assign_ids(names)
    for program in programs:
        assert program["id"] == full[program["name"]["ko"]]
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    assert assign_ids(shuffled) == full
    # A program keeps its id when other programs come or go (unless their slugs collide).
    colliding = {name for group in slug_collisions(names).values() for name in group}
    subset = [name for name in names[::3] if name not in colliding]
    assert assign_ids(subset) == {name: full[name] for name in subset}


def test_slug_collisions_get_a_stable_hash(by_name):
    names = [
        "기존주택 일반 저소득층·신혼부부·청년 등 매입임대주택 지원",
        "기존주택 일반 저소득층·신혼부부·청년 등 전세임대 지원",
    ]
    assert slug_collisions(by_name) == {slugify(names[0]): names}
    ids = [by_name[name]["id"] for name in names]
    assert ids[0] == "national." + slugify(names[0])
    assert re.fullmatch(re.escape(ids[0]) + r"-[0-9a-f]{6}", ids[1])
    assert assign_ids(reversed(names)) == assign_ids(names)


@pytest.mark.parametrize(
    ("korean", "romanized"),
    [
        ("기초생활보장", "gichosaenghwalbojang"),
        ("생활로", "saenghwallo"),  # ㄹ+ㄹ → ll
        ("틀니", "teulni"),  # syllable by syllable, no other sound changes
        ("K-Move 스쿨", "K-Move seukul"),
        ("희망저축계좌(Ⅰ, Ⅱ)", "huimangjeochukgyejwa(I, II)"),
    ],
)
def test_romanize(korean, romanized):
    assert romanize(korean) == romanized


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("긴급복지 지원제도", "gingeupbokji-jiwonjedo"),
        ("노인 틀니 지원", "noin-teulni-jiwon"),
        ("4·19혁명공로수당", "4-19hyeokmyeonggongrosudang"),
        ("희망저축계좌(I, II)", "huimangjeochukgyejwa-i-ii"),
        ("햇살론 youth", "haetsallon-youth"),
        (
            "일본군 ‘위안부’ 피해자 생활안정 및 기념사업",
            "ilbongun-wianbu-pihaeja-saenghwalanjeong-mit-ginyeomsaeop",
        ),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_long_names_are_cut_at_a_hyphen():
    assert slugify("입원·격리치료명령 결핵환자 부양가족 생활보호비 지원") == (
        "ipwon-gyeokrichiryomyeongryeong-gyeolhaekhwanja-buyanggajok"
    )
    name = "청소년치료재활센터(국립중앙청소년디딤센터, 국립대구청소년디딤센터) 운영"
    assert slugify(name) == "cheongsonyeonchiryojaehwalsenteo"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("보건복지상담센터(☎129)", "129"),
        ("☎ 129", "129"),
        ("1366", "1366"),
        ("한국전력 고객센터(123)", "123"),
        ("국번없이 110", "110"),
        ("국민건강보험공단(☎1577-1000) 보건복지상담센터(☎129)", "1577-1000"),
        ("대한적십자사(☎02-3705-3783)", "02-3705-3783"),
        ("질병관리청 예방접종관리과(☎043-719-8398~8399)", "043-719-8398"),
        ("대한법률구조공단(☎132, www.klac.or.kr)", "132"),
        ("청소년전화(☎1388, 휴대전화는 지역번호+1388)", "1388"),
        ("서울 ☎02)849-0404", "02-849-0404"),
        ("지방자치단체 소관부서", None),
        ("만 65세 이상 120명", None),
        ("1인당 최대 500만 원", None),
        ("2024년 4월 30일", None),
    ],
)
def test_extract_phone(text, phone):
    assert extract_phone(text) == phone


def test_phones_fit_the_schema_and_come_from_the_contact_note(programs):
    with_phone = [p for p in programs if "phone" in p.get("contact", {})]
    assert len(with_phone) >= 400
    for program in with_phone:
        phone = program["contact"]["phone"]
        assert PHONE_PATTERN.match(phone)
        assert phone.replace("-", "") in re.sub(r"[^\d]", "", program["contact"]["note"]["ko"])


def test_regional_contact_tables_have_no_single_phone(by_name):
    program = by_name["지방 청소년활동진흥센터 운영"]
    assert "phone" not in program["contact"]
    assert "제주" in program["contact"]["note"]["ko"]


def test_records_have_the_booklet_facts(programs):
    for program in programs:
        assert program["area"] == ["national"]
        assert program["verified"] is True and program["last_verified"] == "2024-04-01"
        assert program["apply"]["bookable"] is False
        assert program["source"]["title"].startswith("나에게 힘이 되는 복지서비스 (2024), ")
        assert program["source"]["url"] == "https://github.com/rovest/BOKJIRO_AI"
        assert program["source"]["license"] == "MIT"
        assert len(program["summary"]["ko"]) <= SUMMARY_LIMIT
        assert program["name"]["en"] == ""
    defaults = sum(p["apply"]["summary"]["ko"] == DEFAULT_APPLY for p in programs)
    assert defaults < 20


def test_keywords_start_with_the_name_and_have_no_generic_words(programs):
    for program in programs:
        keywords, related = program["keywords"]["ko"], program["related"]["ko"]
        assert keywords[0] == program["name"]["ko"]
        assert not (set(keywords) | set(related)) & GENERIC_WORDS
        assert not set(keywords) & set(related)
        assert len(related) <= 1 + 5 + 1  # 중분류 (rarely two), at most five groups of people


def test_categories_are_sensible(by_name, programs):
    expected = {
        "실업급여": "income",
        "노인 틀니 지원": "health",
        "정신건강복지센터 이용": "counselling",
        "노인맞춤돌봄서비스": "care",
        "행복주택 공급": "housing",
        "국민취업지원제도": "jobs",
        "국가장학금[Ⅰ, Ⅱ유형, 다자녀(세자녀 이상)]": "education",
        "아동수당": "family",
        "독거노인·장애인 응급안전 안심서비스": "safety",
        "독거노인 사회관계 활성화 지원": "social",
        "통합문화이용권(문화누리카드)": "culture",
        "에너지 취약계층 고효율조명기기 무상교체 지원": "repairs",
        "아동 급식 지원": "meals",
    }
    for name, category in expected.items():
        assert by_name[name]["category"] == category, name
    others = sum(p["category"] == Category.OTHER for p in programs)
    assert others < len(programs) * 0.1


def test_generated_file_loads_with_the_districts():
    catalog = load_catalog([DISTRICTS, GENERATED])
    national = [p for p in catalog.programs.values() if catalog.is_national(p)]
    assert len(national) == len(catalog.programs) == 456
    assert catalog.programs_for("sancheong") and len(catalog.programs_for("seocho")) == 456
