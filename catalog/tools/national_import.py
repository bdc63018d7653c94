"""Import the national welfare programs of the 2024 booklet "나에게 힘이 되는 복지서비스".

Why this exists: the hand-written seed catalog holds a few local programs; residents also need
the several hundred national programs (area served: the whole country). Those are published in
a government booklet, which a public repository has split into text chunks
(`data/sources/national-welfare-2024.json`, see `data/sources/README.md`). This module turns
those chunks into catalog records (`data/catalog/national.json`) that the loader validates like
any other catalog file, so the bot is tried on a real catalog rather than on a handful of seeds.

Run it again after the source changes: `python -m catalog.tools.national_import`. The output is
deterministic (same input, byte-identical output) and every id is derived from the program's
Korean name alone (`national.` + a Revised Romanization slug), so an id keeps meaning the same
program on every re-import. Do not edit the generated file by hand; a test checks that it equals
a fresh import.

How the chunks become programs:
- chunks are grouped by `metadata.사업명`; guide pages (목차, 책자 안내, 용어, 발간 정보), the
  alphabetical index (가나다순 서비스 목록) and the directory of agencies (주요기관 연락처) are
  not programs and are skipped (the index still supplies a contact when a program has none);
- a few chunks carry a wrong or missing 사업명 and are reattached (see `MERGE_INTO`,
  `_recover_missing_names` and the "(자주하는 질문)" pages);
- table rows ("X의 'Y' 관련 정보: A은(는) 'B', …입니다.") are parsed from their text (their
  metadata keeps stale cells of earlier rows) into plain "Y — A: B; …" text;
- 대상 → eligibility, 내용/지원내용 (else 개요) → summary, 방법 → how to apply,
  문의/연락처/기관 → contact, amounts (원, 한도, 본인부담, "% 지원" …) → cost;
- category, keywords and related words come from small tables of words below, so that a
  change of rule is a reviewed change of this file, not of the generated data.

Beside the catalog file it writes every program's passages (`data/booklet/national-passages.json`:
each fact of the program as the booklet states it, untrimmed), which the matcher's ranking
(`catalog.ranking`) reads, so that a resident's words meet the whole booklet, not only the
short summaries a card shows.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from catalog.loader import data_dir
from catalog.schema import NATIONAL, PHONE_PATTERN, Category
from catalog.text import clean

SOURCE_NAME = "national-welfare-2024.json"
OUTPUT_NAME = "national.json"
PASSAGES_NAME = "national-passages.json"  # in data/booklet

ID_PREFIX = "national."
MAX_SLUG_LENGTH = 60
HASH_LENGTH = 6

SOURCE_TITLE = "나에게 힘이 되는 복지서비스 (2024)"
SOURCE_URL = "https://github.com/rovest/BOKJIRO_AI"
SOURCE_LICENSE = "MIT"
# The booklet: "본 책의 내용은 2024년 4월 기준으로 작성되었습니다." (printed 2024-04-30).
LAST_VERIFIED = date(2024, 4, 1)
PUBLISHED = date(2024, 4, 30)

SUMMARY_LIMIT = 400
DETAIL_LIMIT = 400
COST_LIMIT = 300

DEFAULT_APPLY = "가까운 읍면동 행정복지센터 또는 복지로(www.bokjiro.go.kr)에서 문의하세요"
DEFAULT_COST = "지원 내용은 사업 안내를 확인하세요"
DEFAULT_ELIGIBILITY = "대상 기준은 사업 안내를 확인하세요"

# Sections of the booklet that are not programs: guides, the table of contents, the index,
# the directory of agencies, the imprint. Matched on 대분류 (None: the untitled guide pages).
GUIDE_SECTIONS = {None, "안내", "기타", "복지서비스 찾아보기"}
GUIDE_SUBSECTIONS = {"가나다순 서비스 목록", "주요기관 연락처", "상황별 지원 안내"}
INDEX_SUBSECTION = "가나다순 서비스 목록"

# Names in the source that are not programs of their own, and the program they belong to.
# The value's second element says whether the merged name is a useful search keyword.
MERGE_INTO: dict[str, tuple[str, bool]] = {
    # p. 323: the first row label of the 대상 table ("독립유공자") leaked into 사업명 for the
    # rest of the page; the program is 국가유공자 등 취업 지원 (so listed in the index).
    "독립유공자": ("국가유공자 등 취업 지원", False),
    # p. 92: rows of the table of overseas-employment schemes under 해외취업 지원.
    "해외통합정보망(월드잡플러스)": ("해외취업 지원", True),
    "K-Move 스쿨": ("해외취업 지원", True),
    "해외취업 정착지원금": ("해외취업 지원", True),
}
# "산업재해 보상보험 제도 (자주하는 질문)": the FAQ page of a program, not a program.
FAQ_SUFFIX = re.compile(r"\s*\(자주하는\s*질문\)\s*$")

# Chunks without a 사업명 take the name given by one of these items on the same page block.
NAME_ITEMS = ("참고_사업명", "소분류")

# "…등 지급 맞춤형 기초생활보장제도 참조(본 책자 16p)": a pointer to the program's own page, not
# a fact; dropped.
CROSS_REFERENCE = re.compile(r"참조\s*\(본\s*책자")
# The multicultural-family section (p. 368) repeats two programs for foreign residents; its
# chunks were filed under the programs' own pages. Their 대상 is about foreign spouses, so it is
# kept, but labelled, after the program's general eligibility. Matched on the start of the text.
FOREIGN_EXCERPT: dict[str, tuple[str, ...]] = {
    "맞춤형 기초생활보장제도": ("대상: 소득인정액이 급여별 선정기준 이하 저소득층 외국인",),
    "긴급복지 지원제도": ("대상: 대한민국 국민과 혼인 중인 사람",),
}
FOREIGN_LABEL = "외국인(결혼이민자 등): "

# What each 항목 is about. Anything else is "other" (used only when nothing better exists).
WHAT_ITEMS = {
    "내용", "지원내용", "지원_내용", "서비스내용", "지원내용_상세", "지원상세", "세부내용",
    "세부_내용", "지원_서비스", "서비스_상세", "사업목록", "지원대상별_내용", "감면혜택", "감면내역",
}
OVERVIEW_ITEMS = {"요약", "개요", "사업개요"}
WHO_ITEMS = {
    "대상", "지원대상", "자격", "대상자", "지원대상_및_기준", "융자대상", "공통요건", "해당자",
}
WHO_DETAIL_ITEMS = {
    "연령", "거주", "소득", "가입연령", "기본_요건", "연령_요건", "소득_기준", "소득기준",
    "소득요건", "재산요건", "자산기준", "재산기준", "세대원_요건", "공급유형별_자격",
    "입주자_선정기준", "소득_기준별_대상", "지원요건", "세부요건",
    "근로·사업소득", "가구소득", "기업", "청년", "단독기업형", "공동훈련센터형", "가구단위_소득",
    "가구원_재산", "설명", "위기상황", "금융재산기준", "기준조건", "지원기준", "대상자_구분",
    "세부자격요건", "요건", "지원_요건",
}
# Who is left out; shown after the eligibility ("제외대상: …").
EXCLUSION_ITEMS = {"제외대상", "지원제외", "대상_제외_요건", "참여제외", "제외", "지원 제외 대상"}
HOW_ITEMS = {
    "방법", "신청방법", "방법_및_문의", "방법 및 문의", "신고방법 및 문의", "신청", "카드신청",
    "온라인_신청", "오프라인_신청", "온라인", "오프라인", "정기신청", "반기신청(근로소득자)",
    "이용권_발급", "훈련과정_수강신청", "지원절차",
}
CONTACT_ITEMS = {"문의", "연락처", "기관", "누리집", "방법_및_문의", "방법 및 문의", "신고방법 및 문의"}
# A table of offices that a contact text points to ("위 센터정보 표 참고"): it replaces the pointer.
CONTACT_TABLE_ITEMS = {"센터정보"}
TABLE_POINTER = re.compile(r"표\s*참[고조]")
COST_ITEMS = {
    "금액", "지원금액", "지급액", "월지급액_2024년_기준", "지원한도", "한도", "본인부담금", "비용",
    "2024년 지원금액", "공급가격", "대출한도", "대출조건", "융자한도", "총한도", "이자율", "금리",
    "대출금리", "융자금리", "지원율", "지원비율", "지원_비율", "본인부담률", "상한액", "하한액",
    "지원_금액", "지급_기준", "위로금_기준", "훈련비_지원율", "절감률별_단가",
    "소득요건_및_최대지급액", "연간 보험료 개인부담액", "2024년_가구별_생계급여_기준",
    "융자종류별한도", "수선비용",
}
# Not about the program itself: page furniture, FAQs, notes, headings.
META_ITEMS = {
    "footer", "목록", "소분류", "참고_사업명", "source_page", "제목", "자주하는 질문",
    "자주하는_질문", "자주하는질문", "질문", "답변", "질문1", "답변1", "질문2", "답변2",
    "알려드립니다", "2024년 변경사항", "2024년_변경사항", "2024년, 이렇게 달라집니다", "비고",
    "note", "주석", "유의사항", "주의사항", "참고사항", "추가정보", "추가_사항", "title", "content",
    "heading",
}
# Regions that head the rows of a per-region contact table; such a table has no single number.
REGIONS = ("서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북",
           "충남", "전북", "전남", "경북", "경남", "제주")
MIN_REGIONAL_ROWS = 3

# Items whose text is shown without the item's name; other items keep it ("연령: 만 19~34세").
UNLABELLED_ITEMS = (
    WHAT_ITEMS | OVERVIEW_ITEMS | WHO_ITEMS | CONTACT_ITEMS
    | {"설명", "방법", "신청방법", "방법_및_문의", "방법 및 문의", "신고방법 및 문의", "신청"}
)
# Table cells shown without their column name ("지원내용: …" reads as just "…").
PLAIN_CELLS = {"내용", "지원내용", "설명", "안내", "세부내용", "서비스내용", "content", "description",
               "구분", "항목"}
# A table row as the source writes it: "내용의 '기타 지원' 관련 정보: 지원종류은(는) '…', …입니다."
TABLE_ROW = re.compile(r"^(.+?)의 '(.*?)' 관련 정보: (.*)$", re.S)
TABLE_CELL = re.compile(r"(?:^|(?<=', ))([^']+?)은\(는\) '")

# A sentence that says something about money: amounts in won, free, own share, a rate of support.
MONEY = re.compile(
    r"\d[\d,.]*\s*(?:만|천|억)?\s*원|무료|무상|본인\s*(?:이\s*)?부담|자부담"
    r"|\d+(?:\.\d+)?\s*%[^.%]{0,30}?(?:지원|할인|감면|경감|면제|환급)"
)

# Words that say nothing about a program; never keywords or related words.
GENERIC_WORDS = {
    "지원", "서비스", "사업", "신청", "대상", "도움", "제공", "제도", "운영", "이용", "지급",
    "지원사업", "지원금", "공급", "등", "및", "특별지원", "시범사업", "프로그램", "종합", "관리",
    "센터", "한시", "신규", "확대", "기타", "발급", "활동", "의료지원", "시", "등의", "프로젝트",
    "마련", "활성화", "설립", "핵심", "중심", "지방", "전용", "적용", "보급", "사용가구", "개선",
    "개발", "강화", "촉진", "이행", "처리", "설치", "교체", "파견", "허용", "우선", "특별", "일반",
    "통합", "맞춤형", "공동", "이용료", "비용", "바우처", "사업주",
}
GENERIC_SUFFIXES = ("지원", "사업", "서비스", "제도", "운영", "이용")

# Groups of people a program is for, as they appear in 대상 texts (most specific first).
TARGET_GROUPS = (
    "독거노인", "노인", "어르신", "발달장애인", "장애아동", "장애인", "임산부", "임신부", "산모",
    "난임부부", "영유아", "아동", "청소년", "청년", "대학생", "신혼부부", "한부모", "저소득",
    "기초생활수급자", "차상위", "1인 가구", "다문화", "결혼이민자", "북한이탈주민", "국가유공자",
    "보훈대상자", "제대군인", "농업인", "어업인", "구직자", "실업자", "근로자", "자영업자",
    "소상공인", "여성", "노숙인", "중장년", "어린이", "고령자",
)
MAX_TARGET_GROUPS = 5

# Category rules, tried in order on the program name, then on 중분류, then on 대분류; the first
# rule with a word contained in the text wins. Specific rules come before broad ones.
NAME_RULES: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.JOBS, ("창업", "직업재활", "근로지원인", "대체인력")),
    (Category.EDUCATION, ("장학", "학자금", "수업료", "학비", "교육비", "교육급여")),
    (Category.INCOME, ("부가가치세", "개별소비세", "상속세", "증여세", "지방세", "세금인상분", "보험료",
                       "요금감면", "감면제도")),
    (Category.OTHER, ("등록신청", "종합조사", "확인서 발급", "표지 발급", "연료 사용 허용",
                      "영농도우미", "인력 지원", "통번역", "수어통역")),
    (Category.ESCORT, ("이동지원", "동행")),
    (Category.COUNSELLING, ("상담", "심리", "정신건강", "마음건강", "자살", "중독", "과의존", "1388",
                            "1366", "법률", "변호사", "세무사", "후견", "분쟁조정", "개인회생", "노후준비")),
    (Category.SAFETY, ("응급안전", "실종", "학대", "폭력", "성착취", "성매매", "보호 전문기관",
                       "보호전문기관", "쉼터", "해바라기")),
    (Category.MEALS, ("급식", "양곡", "영양플러스", "기저귀", "조제분유")),
    (Category.REPAIRS, ("주택 개조", "주택개조", "시설개선", "에너지효율", "고효율조명", "슬레이트")),
    (Category.HEALTH, ("의료", "진료", "검진", "검사", "예방접종", "치료", "건강", "수술", "틀니",
                       "임플란트", "재활", "치매", "난청", "보청기", "철분제", "엽산제", "불소",
                       "결핵", "암환자", "희귀질환", "보건", "산정특례", "환경성질환", "모자보건",
                       "보조기기", "인공달팽이관", "언어발달", "생리용품", "석면", "진폐", "원폭",
                       "한센", "합병증", "예방관리", "케어센터")),
    (Category.FAMILY, ("보육", "어린이집", "아이돌봄", "육아", "양육", "출산", "임신", "입양",
                       "다함께 돌봄", "아동")),
    (Category.CARE, ("돌봄", "요양", "간병", "가사", "활동지원", "주간보호", "주간 보호", "보호시설",
                     "재가", "양로", "도우미", "주간활동", "방과후활동", "거주시설", "가족휴식")),
    (Category.HOUSING, ("주택", "주거", "임대", "전세", "월세", "리모델링", "LPG용기", "신재생에너지",
                        "생활관")),
    (Category.JOBS, ("일자리", "취업", "고용", "직업", "일학습", "훈련", "실습", "자활근로", "구직",
                     "생산품", "판로", "여성기업", "인재", "근로장애인", "경제활동", "전직", "직장복귀")),
    (Category.EDUCATION, ("교육", "학교", "학습", "배움터", "멘토링", "아카데미", "특수학급", "학생")),
    (Category.CULTURE, ("문화누리", "문화누림", "문화이용권", "스포츠", "체육", "산림복지",
                        "방송접근", "놀이교실", "청소년활동")),
    (Category.SOCIAL, ("경로당", "복지관", "사회관계", "가족센터", "다문화가족지원센터",
                       "사회통합프로그램")),
    (Category.FAMILY, ("가족", "부모", "위탁", "산모", "난임", "한부모")),
    (Category.INCOME, ("수당", "연금", "급여", "장려금", "대출", "융자", "대부", "대여", "보증",
                       "금융", "채무", "감면", "면제", "보상", "위로금", "지원금", "정착금", "생계",
                       "기초생활", "바우처", "이용권", "저축", "계좌", "통장", "보험", "햇살론",
                       "홀씨", "캐시백", "운임", "대지급금", "공제", "보조", "예우금", "경제적",
                       "사회보장")),
)
SUBSECTION_RULES: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.OTHER, ("국방",)),
    (Category.EDUCATION, ("교육비", "교육의 기회")),
    (Category.INCOME, ("보훈급여금", "생활안정 지원", "생활이 곤란", "생계", "재정", "요금", "세제",
                       "채무", "자립자금")),
    (Category.COUNSELLING, ("정신건강", "갈등", "청소년 보호 및 상담")),
    (Category.CULTURE, ("청소년 역량 강화", "문화활동")),
    (Category.HOUSING, ("주택", "주거")),
    (Category.JOBS, ("일자리", "취업", "실직", "기업운영", "일하고자")),
    (Category.HEALTH, ("건강", "의료", "질환", "질병", "치매")),
    (Category.CARE, ("돌봐", "일상생활")),
    (Category.SOCIAL, ("복지시설", "사회활동")),
    (Category.FAMILY, ("보육", "임신", "출산", "자녀", "가족", "아이", "보호 및 자립지원")),
)
SECTION_RULES: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.INCOME, ("생계", "법률·금융", "보훈")),
    (Category.JOBS, ("취업",)),
    (Category.FAMILY, ("임신", "보육", "청소년")),
    (Category.HEALTH, ("보건의료",)),
    (Category.CARE, ("노령층", "장애인")),
)


# --- Revised Romanization ---------------------------------------------------------------

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")
_MEDIALS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
            "wo", "we", "wi", "yu", "eu", "ui", "i")
# Final consonants as pronounced at the end of a syllable (Revised Romanization).
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL_INITIAL, _RIEUL_FINAL = 5, 8


def romanize(text: str) -> str:
    """Romanize Korean text syllable by syllable (Revised Romanization, lowercase).

    Each Hangul syllable becomes its initial + medial + final letters from the RR tables
    (기초생활보장 → gichosaenghwalbojang); the one sound change applied is ㄹ+ㄹ → "ll"
    (생활로 → saenghwallo), other assimilations are not attempted. Other characters are kept
    as they are after NFKC normalization (Ⅱ → II): "K-Move 스쿨" → "K-Move seukul".
    """
    out: list[str] = []
    previous_final = -1
    for char in unicodedata.normalize("NFKC", text):
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            index = code - _HANGUL_FIRST
            initial, medial, final = index // 588, (index % 588) // 28, index % 28
            lead = _INITIALS[initial]
            if initial == _RIEUL_INITIAL and previous_final == _RIEUL_FINAL:
                lead = "l"
            out.append(lead + _MEDIALS[medial] + _FINALS[final])
            previous_final = final
        else:
            out.append(char)
            previous_final = -1
    return "".join(out)


def slugify(name: str) -> str:
    """The id slug of a program name: romanized, lowercase, runs of other characters → "-".

    At most MAX_SLUG_LENGTH characters, cut at a hyphen where possible.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", romanize(name).lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug.rfind("-", 0, MAX_SLUG_LENGTH + 1)
        slug = slug[: cut if cut > MAX_SLUG_LENGTH // 2 else MAX_SLUG_LENGTH].strip("-")
    return slug or "program"


def name_hash(name: str) -> str:
    """A short hash of the full name, stable across runs and machines."""
    return hashlib.sha1(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def assign_ids(names: Iterable[str]) -> dict[str, str]:
    """Program id for each name. Names whose slugs collide: the first in sorted order keeps the
    plain slug, the others get "-" + a hash of their full name, so the result depends only on
    the names, never on the order they come in."""
    by_slug: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_slug.setdefault(slugify(name), []).append(name)
    ids: dict[str, str] = {}
    for slug, group in by_slug.items():
        for position, name in enumerate(group):
            ids[name] = ID_PREFIX + (slug if position == 0 else f"{slug}-{name_hash(name)}")
    return ids


def slug_collisions(names: Iterable[str]) -> dict[str, list[str]]:
    """Slugs shared by more than one name (for reporting)."""
    by_slug: dict[str, list[str]] = {}
    for name in sorted(set(names)):
        by_slug.setdefault(slugify(name), []).append(name)
    return {slug: group for slug, group in by_slug.items() if len(group) > 1}


# --- Phone numbers ----------------------------------------------------------------------

_PHONE_PATTERNS = (
    # Area and mobile numbers: 02-2155-8281, 043-719-8398~8399, 02)123-4567.
    (re.compile(r"(?<![\d-])(0\d{1,2})\s*[-)]\s*(\d{3,4})-(\d{4})(?!\d)"), "{0}-{1}-{2}"),
    # Nationwide numbers: 1577-1000, ☎1600-1004.
    (re.compile(r"(?<![\d-])(1\d{3})-(\d{4})(?!\d)"), "{0}-{1}"),
    # Public short lines (129, 1366, 123): only after ☎, "(", "국번없이", "전화", "연락처" or
    # alone at the start of a contact field, and not a count, age, amount or year.
    (re.compile(r"(?:☎|\(|국번\s*없이|전화|연락처\s*:?|^|(?<=/ ))\s*(1\d{2,3})"
                r"(?![\d.\-~]|\s*(?:세|원|%|개|명|년|월|일|만|회|시간|분|인|가구|층|호|차|종|급))"),
     "{0}"),
)


def extract_phone(text: str) -> str | None:
    """The first phone number in `text`, normalized to the catalog's pattern, or None."""
    found: list[tuple[int, str]] = []
    for pattern, template in _PHONE_PATTERNS:
        for match in pattern.finditer(text):
            number = template.format(*match.groups())
            if PHONE_PATTERN.match(number):
                found.append((match.start(1), number))
                break
    return min(found)[1] if found else None


_URL = re.compile(
    r"(?:https?://)?((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*"
    r"\.(?:go\.kr|or\.kr|co\.kr|re\.kr|ac\.kr|kr|com|net|org)(?:/[\w./?=&%-]*)?)",
    re.I,
)


def extract_url(text: str) -> str | None:
    match = _URL.search(text)
    return "https://" + match.group(1).rstrip("./").lower() if match else None


# --- Reading the chunks ------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One fact of a program: its 항목 (what it is about) and its text."""

    item: str
    body: str
    foreign: bool = False  # from the p. 368 excerpt on foreign residents (see FOREIGN_EXCERPT)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _literal(value: str) -> str:
    """A cell holding a Python literal ("{'공익활동': '65세 이상', …}") as plain text."""
    if not value.startswith(("{", "[")):
        return value
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    return _flatten(parsed)


def _flatten(value: object) -> str:
    if isinstance(value, dict):
        pairs = ((k, _flatten(v)) for k, v in value.items())
        return "; ".join(f"{k}: {v}" for k, v in pairs if v not in {"", "-"})
    if isinstance(value, list):
        return " / ".join(_flatten(v) for v in value)
    return _clean(str(value))


def _inline_literals(text: str) -> str:
    """Plain text with inline literals flattened ("… {'기관': 'SH수협은행', …}")."""
    return re.sub(r"\{[^{}]*\}", lambda m: _literal(m.group(0)), text)


def table_row(text: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(항목, row label, [(column, value), …]) of a table-row chunk, read from its text.

    The text is the reliable copy: the metadata of a row keeps stale columns of earlier rows
    and loses columns named like metadata fields (대분류, 사업명, 항목)."""
    match = TABLE_ROW.match(text)
    if not match:
        return None
    body = re.sub(r"'입니다\.?\s*$", "", match.group(3).strip())
    starts = list(TABLE_CELL.finditer(body))
    cells = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() - len("', ") if index + 1 < len(starts) else len(body)
        cells.append((_clean(start.group(1)), _clean(_literal(body[start.end():end]))))
    return match.group(1).strip(), _clean(match.group(2)), cells


def _is_phone_only(value: str) -> bool:
    return bool(re.fullmatch(r"[\d\-~, ]+", value))


def _render_row(item: str, label: str, cells: list[tuple[str, str]]) -> str:
    parts = []
    for key, value in cells:
        if not value or value in {"-", label}:
            continue
        if item in CONTACT_ITEMS | CONTACT_TABLE_ITEMS:
            parts.append(f"☎{value}" if _is_phone_only(value) else value)
        elif key in PLAIN_CELLS:
            parts.append(value)
        else:
            parts.append(f"{key.replace('_', ' ')}: {value}")
    separator = " " if item in CONTACT_ITEMS | CONTACT_TABLE_ITEMS else "; "
    body = separator.join(parts)
    if label and label != item:
        body = f"{label}: {body}" if item in CONTACT_ITEMS else f"{label} — {body}"
    return _clean(body)


def pieces_of(chunk: dict) -> list[Piece]:
    """The facts in one chunk (a row of the table of schemes on p. 92 holds three)."""
    text = chunk.get("text") or ""
    row = table_row(text)
    if row:
        item, label, cells = row
        values = dict(cells)
        if item == "사업목록" and "사업명" in values:
            name = values["사업명"]
            return [
                Piece(target, f"{name}: {values[source]}")
                for source, target in (("대상", "대상"), ("내용", "내용"), ("방법", "방법"))
                if values.get(source)
            ]
        return [Piece(item, _render_row(item, label, cells))]
    item = str(chunk["metadata"].get("항목") or "").strip()
    body = text
    for prefix in (f"{item}:", f"{item} :"):
        if item and body.startswith(prefix):
            body = body[len(prefix):]
            break
    body = _clean(_inline_literals(body))
    if item not in UNLABELLED_ITEMS and body:
        body = f"{item.replace('_', ' ')}: {body}"
    return [Piece(item, body)] if body else []


def chunk_item(chunk: dict) -> str:
    row = table_row(chunk.get("text") or "")
    return row[0] if row else str(chunk["metadata"].get("항목") or "").strip()


def chunk_page(chunk: dict) -> int | None:
    """The booklet page where the chunk's program starts: the number before "-" in
    `metadata.id` (agrees with the booklet's index); `source_page` is sometimes the next
    page, or p. 368 for two programs."""
    meta = chunk["metadata"]
    for value in (str(meta.get("id") or "").split("-")[0], meta.get("source_page")):
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    return None


def is_program_chunk(chunk: dict) -> bool:
    meta = chunk["metadata"]
    return meta.get("대분류") not in GUIDE_SECTIONS and meta.get("중분류") not in GUIDE_SUBSECTIONS


def _recover_missing_names(chunks: list[dict]) -> list[tuple[str | None, dict]]:
    """Pair each chunk with its program name; chunks without 사업명 take the name that a
    참고_사업명/소분류 chunk of the same page block gives (p. 46: 주택용 에너지캐시백)."""
    named: list[tuple[str | None, dict]] = []
    orphan_block, orphan_name = None, None
    for chunk in chunks:
        meta = chunk["metadata"]
        name = meta.get("사업명")
        if name:
            named.append((_clean(str(name)), chunk))
            continue
        if meta.get("id") != orphan_block:
            orphan_block, orphan_name = meta.get("id"), None
        if chunk_item(chunk) in NAME_ITEMS:
            text = chunk.get("text") or ""
            orphan_name = _clean(text.split(":", 1)[-1]) or orphan_name
        named.append((orphan_name, chunk))
    return named


def group_programs(chunks: list[dict]) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """Program chunks by program name, and the names merged into each program."""
    named = _recover_missing_names(chunks)
    all_names = {name for name, chunk in named if name and is_program_chunk(chunk)}
    groups: dict[str, list[dict]] = {}
    merged: dict[str, list[str]] = {}
    for name, chunk in named:
        if not name or not is_program_chunk(chunk):
            continue
        target = name
        faq_parent = FAQ_SUFFIX.sub("", name)
        if faq_parent != name and faq_parent in all_names:
            target = faq_parent
        elif name in MERGE_INTO and MERGE_INTO[name][0] in all_names:
            target, keep_name = MERGE_INTO[name]
            if keep_name and name not in merged.setdefault(target, []):
                merged[target].append(name)
        groups.setdefault(target, []).append(chunk)
    return groups, merged


def _index_key(name: str) -> str:
    return re.sub(r"[\s'‘’\"“”]", "", unicodedata.normalize("NFKC", name))


def index_contacts(chunks: list[dict]) -> dict[str, str]:
    """The 문의처 that the booklet's index gives, by normalized program name."""
    contacts = {}
    for chunk in chunks:
        if chunk["metadata"].get("중분류") != INDEX_SUBSECTION:
            continue
        row = table_row(chunk.get("text") or "")
        values = dict(row[2]) if row else {}
        if values.get("사업명") and values.get("문의처"):
            contacts[_index_key(values["사업명"])] = values["문의처"]
    return contacts


def _index_contact(name: str, contacts: dict[str, str]) -> str | None:
    key = _index_key(name)
    if key in contacts:
        return contacts[key]
    # The index sometimes drops a trailing qualifier: "요양비(출산비)지원(요양기관 외 …)".
    prefixes = [k for k in contacts if key.startswith(k) and len(k) >= 4]
    return contacts[max(prefixes, key=len)] if prefixes else None


def program_pieces(name: str, chunks: list[dict]) -> list[Piece]:
    """All facts of one program, without cross-references, excerpt text marked."""
    markers = FOREIGN_EXCERPT.get(name, ())
    pieces = []
    for chunk in chunks:
        text = _clean(chunk.get("text") or "")
        if CROSS_REFERENCE.search(text):
            continue
        foreign = any(text.startswith(marker) for marker in markers)
        for piece in pieces_of(chunk):
            if foreign:
                piece = Piece(piece.item, f"{FOREIGN_LABEL}{piece.body}", foreign=True)
            pieces.append(piece)
    return pieces


# --- Texts ----------------------------------------------------------------------------------

def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?。…" else text + "."


def trim(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a sentence end where one is near enough,
    else at a word boundary with "…"."""
    text = _clean(text)
    if len(text) <= limit:
        return text
    head = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?。](?=\s|$)", head)]
    if ends and ends[-1] >= limit * 0.4:
        return head[: ends[-1]].strip()
    head = head[: limit - 1]
    cut = max(head.rfind(" "), head.rfind(","), head.rfind(";"))
    if cut < limit * 0.4:
        cut = len(head)
    return head[:cut].rstrip(" ,;·—-:") + "…"


def _join(bodies: Iterable[str]) -> str:
    return " ".join(_sentence(body) for body in _unique(bodies))


def _bodies(pieces: list[Piece], items: set[str], foreign: bool = False) -> list[str]:
    return [p.body for p in pieces if p.item in items and p.foreign == foreign]


def _money_sentences(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(s for s in sentences if MONEY.search(s))


def _contact_parts(pieces: list[Piece]) -> list[str]:
    """Contact texts; a bare number (연락처: 129) joins the agency (기관) before it."""
    parts: list[str] = []
    previous = ""
    for piece in pieces:
        if piece.item not in CONTACT_ITEMS:
            continue
        body = f"☎{piece.body}" if _is_phone_only(piece.body) else piece.body
        if previous == "기관" and piece.item in {"연락처", "누리집"} and parts:
            parts[-1] = f"{parts[-1]} {body}"
        else:
            parts.append(body)
        previous = piece.item
    if parts and all(TABLE_POINTER.search(part) for part in parts):
        table = [p.body for p in pieces if p.item in CONTACT_TABLE_ITEMS]
        parts = table or parts
    return _unique(parts)


def _is_regional_directory(parts: list[str]) -> bool:
    """True for a table of per-region offices (서울 …, 부산 …): no number serves everyone."""
    return sum(part.startswith(REGIONS) for part in parts) >= MIN_REGIONAL_ROWS


# --- Category, keywords ----------------------------------------------------------------------

def categorize(name: str, sections: list[str], subsections: list[str]) -> Category:
    """The catalog category: the first rule whose word occurs in the name, else in 중분류,
    else in 대분류; "other" when none does."""
    for rules, texts in (
        (NAME_RULES, [name]),
        (SUBSECTION_RULES, subsections),
        (SECTION_RULES, sections),
    ):
        for category, words in rules:
            if any(word in text for text in texts for word in words):
                return category
    return Category.OTHER


_BRACKETS = re.compile(r"[(\[]((?:[^()\[\]]|\([^()]*\))*)[)\]]")
_QUOTES = "'\"‘’“”"
_PARTICLE_ENDINGS = ("을", "를", "에", "의", "적")


def _strip_quotes(text: str) -> str:
    return text.strip(_QUOTES + " ")


def _split_name(name: str) -> tuple[str | None, list[str], list[str]]:
    """A name's short form (without a trailing bracketed part), the bracketed aliases (split at
    commas) and the words outside brackets (split at spaces, commas, slashes and middle dots,
    but not inside dates such as 6·25)."""
    short = None
    trailing = re.search(r"\s*" + _BRACKETS.pattern + r"\s*$", name)
    if trailing and trailing.start() > 0:
        short = _clean(name[: trailing.start()])
    aliases = [_strip_quotes(p) for inner in _BRACKETS.findall(name) for p in inner.split(",")]
    words = re.split(r"[\s,/]+|(?<!\d)·|·(?!\d)", _BRACKETS.sub(" ", name))
    return short, [a for a in aliases if a], [w for w in map(_strip_quotes, words) if w]


def _acceptable(word: str) -> bool:
    """False for words that say nothing on their own: generic words, groups of people,
    numbers, English words such as "youth", words with a particle ("어르신을", "경제적"), and
    conditions ("주택구입 시")."""
    if len(word) < 2 or word in GENERIC_WORDS or word in TARGET_GROUPS:
        return False
    if re.fullmatch(r"[\d\-~ ,.·]+|[IVXⅠ-Ⅻ, ]+(?:유형)?", word):
        return False
    if re.fullmatch(r"[A-Za-z]+", word) and word != word.upper():
        return False
    if " " not in word and word.endswith(_PARTICLE_ENDINGS) and len(word) >= 3:
        return False
    if word.endswith(" 시"):
        return False
    stem = word
    while stem.endswith(GENERIC_SUFFIXES):
        stem = next(stem[: -len(s)] for s in GENERIC_SUFFIXES if stem.endswith(s))
    return stem == word or len(stem) >= 3


def _acceptable_alias(alias: str) -> bool:
    """A bracketed part of a name is an alias ("문화누리카드", "육아휴직 지원금") unless it
    describes a condition or a list ("주택구입 시", "학력인정 등", "어린이집 이용 아동")."""
    words = alias.split()
    if len(words) > 4 or words[-1] in {"등", "지원", "지급"} or " 시" in f" {alias} ":
        return False
    return _acceptable(alias) and all(w not in TARGET_GROUPS for w in words[-1:])


class _Frequencies:
    """In how many program names, and in how many programs' whole text, a word occurs."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self.name_parts: dict[str, int] = {}
        for name in texts:
            short, aliases, words = _split_name(name)
            for part in {short, *aliases, *words}:
                if part is not None:
                    self.name_parts[part] = self.name_parts.get(part, 0) + 1
        self._text: dict[str, int] = {}

    def in_names(self, word: str) -> int:
        return self.name_parts.get(word, 0)

    def in_texts(self, word: str) -> int:
        if word not in self._text:
            self._text[word] = sum(word in text for text in self.texts.values())
        return self._text[word]


# A word of a name is a keyword only if it is rare: in at most this many names, and in at most
# this many programs' text (else it would make unrelated programs fit on its own).
MAX_NAME_FREQUENCY = 2
MAX_TEXT_FREQUENCY = 3
MIN_WORD_LENGTH = 3


def keywords_for(name: str, merged: list[str], frequencies: _Frequencies) -> list[str]:
    """The name, its short form and bracketed aliases, its rare distinctive words, and the
    names of table rows merged into it."""

    def rare(word: str) -> bool:
        return (
            frequencies.in_names(word) <= MAX_NAME_FREQUENCY
            and frequencies.in_texts(word) <= MAX_TEXT_FREQUENCY
        )

    short, aliases, words = _split_name(name)
    keywords = [name]
    if short and _acceptable(short):
        keywords.append(short)
    keywords.extend(a for a in aliases if _acceptable_alias(a) and (" " in a or rare(a)))
    # A single word of one or two syllables ("내집", "연장", "함께") is too everyday to make a
    # program fit on its own once the analyser splits it, whatever its rarity in the booklet.
    keywords.extend(
        w for w in words if w != name and len(w) >= MIN_WORD_LENGTH and _acceptable(w) and rare(w)
    )
    for other in merged:
        other_short, other_aliases, _ = _split_name(other)
        keywords.append(other)
        if other_short:
            keywords.append(other_short)
        keywords.extend(a for a in other_aliases if _acceptable_alias(a))
    return _unique(keywords)


def related_for(subsections: list[str], who_text: str, keywords: list[str]) -> list[str]:
    words = list(subsections)
    groups = sorted(
        ((who_text.find(g), g) for g in TARGET_GROUPS if g in who_text),
        key=lambda pair: pair[0],
    )
    chosen: list[str] = []
    for _, group in groups:
        if any(group in c for c in chosen):  # "노인" after "독거노인"
            continue
        chosen.append(group)
        if len(chosen) == MAX_TARGET_GROUPS:
            break
    words.extend(chosen)
    return [w for w in _unique(words) if w not in keywords and w not in GENERIC_WORDS]


def _unique(words: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for word in words:
        word = _clean(word)
        if word and word not in seen:
            seen.add(word)
            out.append(word)
    return out


# --- Records --------------------------------------------------------------------------------

def _pages_label(pages: list[int]) -> str:
    if not pages:
        return SOURCE_TITLE
    low, high = min(pages), max(pages)
    return f"{SOURCE_TITLE}, {low}쪽" if low == high else f"{SOURCE_TITLE}, {low}–{high}쪽"


def _what(pieces: list[Piece]) -> str:
    """What the program gives: 내용/지원내용, else 개요/요약, else whatever is not about who,
    how, contact or page furniture."""
    described = (
        WHAT_ITEMS | OVERVIEW_ITEMS | WHO_ITEMS | WHO_DETAIL_ITEMS | EXCLUSION_ITEMS | HOW_ITEMS
        | CONTACT_ITEMS | CONTACT_TABLE_ITEMS
    )
    for bodies in (
        _bodies(pieces, WHAT_ITEMS),
        _bodies(pieces, OVERVIEW_ITEMS),
        [p.body for p in pieces if p.item not in described | META_ITEMS and not p.foreign],
    ):
        if bodies:
            return _join(bodies)
    return ""


def _who(pieces: list[Piece]) -> str:
    general = _bodies(pieces, WHO_ITEMS) or _bodies(pieces, WHO_DETAIL_ITEMS)
    return _join(general + _bodies(pieces, EXCLUSION_ITEMS) + _bodies(pieces, WHO_ITEMS, foreign=True))


def _cost(pieces: list[Piece]) -> str:
    """What the booklet says about amounts: the amount/limit/rate items, else the sentences
    that mention won, free of charge, own share or a rate of support."""
    stated = _join(_bodies(pieces, COST_ITEMS))
    if stated:
        return stated
    excluded = (
        META_ITEMS | CONTACT_ITEMS | CONTACT_TABLE_ITEMS | WHO_ITEMS | WHO_DETAIL_ITEMS
        | EXCLUSION_ITEMS | HOW_ITEMS
    )
    return _money_sentences(_join(p.body for p in pieces if p.item not in excluded and not p.foreign))


def _text(korean: str) -> dict:
    return {"ko": korean, "en": ""}


def build_program(
    name: str,
    chunks: list[dict],
    program_id: str,
    merged: list[str],
    frequencies: _Frequencies,
    fallback_contact: str | None,
) -> dict:
    """The catalog record (a plain dict in output order) of one program."""
    pieces = program_pieces(name, chunks)
    what, who, how, cost = _what(pieces), _who(pieces), _join(_bodies(pieces, HOW_ITEMS)), _cost(pieces)

    parts = _contact_parts(pieces)
    contact_text = " / ".join(parts) or fallback_contact or ""
    contact: dict = {}
    phone = None if _is_regional_directory(parts) else extract_phone(contact_text)
    if phone:
        contact["phone"] = phone
    if contact_text:
        contact["note"] = _text(contact_text)
    url = extract_url(contact_text)
    if url:
        contact["url"] = url

    agencies = _unique(p.body for p in pieces if p.item == "기관" and not p.foreign)
    sections = _unique(c["metadata"].get("대분류") or "" for c in chunks)
    subsections = _unique(c["metadata"].get("중분류") or "" for c in chunks)
    pages = sorted({page for c in chunks if (page := chunk_page(c)) is not None})
    keywords = keywords_for(name, merged, frequencies)

    record: dict = {
        "id": program_id,
        "name": _text(name),
        "summary": _text(trim(what, SUMMARY_LIMIT) if what else name),
        "category": categorize(name, sections, subsections).value,
        "area": [NATIONAL],
    }
    if agencies:
        record["organization"] = _text(agencies[0])
    record["eligibility"] = {"summary": _text(trim(who, DETAIL_LIMIT) if who else DEFAULT_ELIGIBILITY)}
    record["cost"] = {"summary": _text(trim(cost, COST_LIMIT) if cost else DEFAULT_COST)}
    record["apply"] = {"summary": _text(trim(how, DETAIL_LIMIT) if how else DEFAULT_APPLY), "bookable": False}
    if contact:
        record["contact"] = contact
    record["verified"] = True
    record["last_verified"] = LAST_VERIFIED.isoformat()
    record["source"] = {
        "title": _pages_label(pages),
        "url": SOURCE_URL,
        "license": SOURCE_LICENSE,
        "published": PUBLISHED.isoformat(),
    }
    record["keywords"] = {"ko": keywords, "en": []}
    record["related"] = {"ko": related_for(subsections, who, keywords), "en": []}
    return record


def build_programs(chunks: list[dict]) -> list[dict]:
    """Catalog program records (plain dicts, sorted by id) for the booklet's chunks."""
    groups, merged = group_programs(chunks)
    ids = assign_ids(groups)
    frequencies = _Frequencies(
        {
            name: " ".join([name, *(p.body for p in program_pieces(name, group))])
            for name, group in groups.items()
        }
    )
    contacts = index_contacts(chunks)
    programs = [
        build_program(
            name, group, ids[name], merged.get(name, []), frequencies, _index_contact(name, contacts)
        )
        for name, group in groups.items()
    ]
    return sorted(programs, key=lambda p: p["id"])


def render(programs: list[dict]) -> str:
    return json.dumps({"programs": programs}, ensure_ascii=False, indent=1) + "\n"


def build_passages(chunks: list[dict]) -> dict[str, list[str]]:
    """Each program's facts as the booklet states them (untrimmed, each once, in booklet
    order), by program id: the text the matcher's ranking indexes, already as `clean` leaves
    it, so loading need not clean 4,000 passages again."""
    groups, _ = group_programs(chunks)
    ids = assign_ids(groups)
    return {
        ids[name]: _unique(clean(piece.body) for piece in program_pieces(name, group))
        for name, group in sorted(groups.items(), key=lambda item: ids[item[0]])
    }


def render_passages(passages: dict[str, list[str]]) -> str:
    """The passages file: one program a line, so a change of the booklet shows as a short diff."""
    about = {
        "about": "Every national program's passages of the booklet, for ranking (catalog.ranking). "
        "Generated by `ddokddok catalog import-national`; do not edit.",
        "source": f"{SOURCE_TITLE}, {SOURCE_URL} ({SOURCE_LICENSE})",
    }
    head = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in about.items()]
    rows = [
        f"{json.dumps(program_id, ensure_ascii=False)}: {json.dumps(texts, ensure_ascii=False)}"
        for program_id, texts in passages.items()
    ]
    return "{\n" + ",\n".join(head) + ',\n"programs": {\n' + ",\n".join(rows) + "\n}\n}\n"


def import_national(source: Path, output: Path, passages: Path | None = None) -> int:
    """Read the booklet chunks at `source`, write the catalog file `output` (and, when given,
    the programs' passages to `passages`); return the count of programs."""
    chunks = json.loads(Path(source).read_text(encoding="utf-8"))
    programs = build_programs(chunks)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(programs), encoding="utf-8", newline="\n")
    if passages is not None:
        passages = Path(passages)
        passages.parent.mkdir(parents=True, exist_ok=True)
        passages.write_text(render_passages(build_passages(chunks)), encoding="utf-8", newline="\n")
    return len(programs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m catalog.tools.national_import",
        description="Turn the 2024 national welfare booklet into data/catalog/national.json.",
    )
    parser.add_argument("--source", type=Path, default=data_dir() / "sources" / SOURCE_NAME)
    parser.add_argument("--output", type=Path, default=data_dir() / "catalog" / OUTPUT_NAME)
    parser.add_argument("--passages", type=Path, default=data_dir() / "booklet" / PASSAGES_NAME)
    args = parser.parse_args(argv)
    count = import_national(args.source, args.output, args.passages)
    print(f"wrote {count} national programs to {args.output} and their passages to {args.passages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
