"""Facts of the demo district: Suyeong-gu, Busan, its ten dongs and the story of its reform.

Codes, Korean names and centroids of the dongs come from the centroid table of
https://github.com/vuski/admdongkor (통계청MDIS인구용_행정경계중심점, UTM-K / EPSG:5179),
converted once to WGS84 (Transverse Mercator inverse on GRS80: lat0 38°N, lon0 127.5°E,
k0 0.9996, false easting 1,000,000 m, false northing 2,000,000 m) and kept here as facts.

The hub opening dates replay seed 003 (Suyeong-gu reorganised its dongs into welfare hubs in
two waves, the sphere-type pair Namcheon 1/2 included in the first) on the demo calendar:
seven dongs on 2025-07-01, the other three on 2026-03-01. Everything about people is synthetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The demo calendar: history starts here; "today" is the anchor unless --today is given.
HISTORY_START = dt.date(2024, 12, 1)
ANCHOR_TODAY = dt.date(2026, 11, 23)
FIRST_WAVE = dt.date(2025, 7, 1)
SECOND_WAVE = dt.date(2026, 3, 1)
#: The full demo size (seed 003: "visited all 14,569 vulnerable households").
FULL_HOUSEHOLDS = 14_500
#: Seed 003: "a human safety net of total 1,160".
FULL_SAFETY_NET = 1_160

SIDO = {
    "code": "2600000000",
    "name": "부산광역시",
    "name_en": "Busan",
    "lat": 35.17595,
    "lon": 129.04683,
}
GU = {
    "code": "2650000000",
    "name": "수영구",
    "name_en": "Suyeong-gu",
    "lat": 35.16149,
    "lon": 129.1135,
}


@dataclass(frozen=True)
class DongFact:
    code: str
    name: str
    name_en: str
    lat: float
    lon: float
    opened_on: dt.date
    weight: float  # share of the gu's vulnerable households (relative)
    roads: tuple[str, ...]
    hub_type: str = "basic"
    central: str = ""  # code of the central dong of a sphere-type hub
    pre_case_manager: bool = False  # a (privately employed) case manager before the reform


DONGS: tuple[DongFact, ...] = (
    DongFact(
        "2650066000",
        "남천제1동",
        "Namcheon 1-dong",
        35.14315,
        129.10669,
        FIRST_WAVE,
        0.9,
        ("수영로", "남천동로", "황령대로"),
    ),
    DongFact(
        "2650067000",
        "남천제2동",
        "Namcheon 2-dong",
        35.14394,
        129.11443,
        FIRST_WAVE,
        0.7,
        ("광남로", "남천바다로", "수영로"),
        hub_type="sphere",
        central="2650066000",
    ),
    DongFact(
        "2650073000",
        "수영동",
        "Suyeong-dong",
        35.17012,
        129.11737,
        FIRST_WAVE,
        1.1,
        ("수영성로", "연수로", "좌수영로"),
        pre_case_manager=True,
    ),
    DongFact(
        "2650074000",
        "망미제1동",
        "Mangmi 1-dong",
        35.1713,
        129.1018,
        FIRST_WAVE,
        1.2,
        ("망미번영로", "연수로", "과정로"),
        pre_case_manager=True,
    ),
    DongFact(
        "2650075000",
        "망미제2동",
        "Mangmi 2-dong",
        35.1797,
        129.1159,
        FIRST_WAVE,
        1.0,
        ("망미로", "연수로", "수영강변대로"),
    ),
    DongFact(
        "2650076000",
        "광안제1동",
        "Gwangan 1-dong",
        35.16261,
        129.11077,
        FIRST_WAVE,
        1.0,
        ("광안로", "광서로", "수영로"),
        pre_case_manager=True,
    ),
    DongFact(
        "2650077000",
        "광안제2동",
        "Gwangan 2-dong",
        35.15375,
        129.11599,
        SECOND_WAVE,
        1.1,
        ("광안해변로", "광남로", "광안로"),
    ),
    DongFact(
        "2650078000",
        "광안제3동",
        "Gwangan 3-dong",
        35.16764,
        129.10971,
        SECOND_WAVE,
        0.9,
        ("무학로", "장대골로", "과정로"),
    ),
    DongFact(
        "2650079000",
        "광안제4동",
        "Gwangan 4-dong",
        35.15543,
        129.10537,
        SECOND_WAVE,
        1.0,
        ("광서로", "황령대로", "광안로"),
    ),
    DongFact(
        "2650080000",
        "민락동",
        "Millak-dong",
        35.16036,
        129.12609,
        FIRST_WAVE,
        1.0,
        ("민락수변로", "광안해변로", "민락본동로"),
    ),
)

MANGMI1 = "2650074000"
SUYEONG = "2650073000"

DEMO_PASSWORD = "maeul-demo"

#: The sign-in accounts of the demo (created only in demo mode): username → persona.
DEMO_PERSONAS: dict[str, dict] = {
    "gu": {"role": "gu_team", "area": GU["code"], "full_name": "정현우"},
    "mangmi1": {"role": "welfare_official", "area": MANGMI1, "full_name": "김민정"},
    "suyeong": {"role": "welfare_official", "area": SUYEONG, "full_name": "이서연"},
    "nurse1": {"role": "visiting_nurse", "area": MANGMI1, "full_name": "박은영"},
    "volunteer1": {"role": "volunteer", "area": MANGMI1, "full_name": "최순자"},
    "partner1": {"role": "partner", "area": MANGMI1, "full_name": "윤태호"},
    "auditor": {"role": "administrator", "area": GU["code"], "full_name": "한지수"},
}

#: Partner institutions with an MOU (seed 003 lists the kinds: fire station, senior welfare
#: centre, mental health centre, church, rehabilitation centre, clinics, delivery workers …).
#: (name, kind, dong code, MOU date). The first one is partner1's institution.
PARTNERS: tuple[tuple[str, str, str, dt.date], ...] = (
    ("망미종합사회복지관", "welfare_centre", MANGMI1, dt.date(2025, 6, 20)),
    ("수영구노인복지관", "senior_centre", SUYEONG, dt.date(2025, 5, 12)),
    ("수영구정신건강복지센터", "mental_health", "2650076000", dt.date(2025, 6, 2)),
    ("수영119안전센터", "fire_station", SUYEONG, dt.date(2025, 7, 15)),
    ("광안종합사회복지관", "welfare_centre", "2650077000", dt.date(2025, 4, 28)),
    ("남천종합사회복지관", "welfare_centre", "2650066000", dt.date(2025, 8, 5)),
    ("수영지역자활센터", "employment", "2650075000", dt.date(2025, 9, 1)),
    ("수영구고용복지센터", "employment", "2650076000", dt.date(2026, 2, 10)),
    ("민락푸드뱅크", "food_bank", "2650080000", dt.date(2025, 7, 1)),
    ("광남교회 나눔부", "religious", "2650067000", dt.date(2025, 10, 14)),
    ("수영보건지소", "health", "2650078000", dt.date(2025, 3, 3)),
    ("망미시장 상인회", "business", MANGMI1, dt.date(2025, 11, 20)),
    ("수영구 새마을회 집수리봉사단", "other", "2650079000", dt.date(2025, 7, 22)),
    ("수영구 학원연합회", "business", "2650080000", dt.date(2026, 3, 18)),
    ("우유·음료 배달원 안부살핌단", "other", "2650075000", dt.date(2025, 12, 1)),
)

PARTNER_SERVICES = {
    "welfare_centre": "사례관리, 밑반찬 지원, 정서 지원 프로그램",
    "senior_centre": "독거어르신 안부 확인, 경로식당, 노인맞춤돌봄",
    "mental_health": "우울·자살위험 상담, 정신건강 사례관리",
    "fire_station": "위기가구 발견 통보, 화재안전 점검",
    "employment": "직업상담, 자활근로, 취업 연계",
    "food_bank": "식품·생필품 지원",
    "religious": "후원금, 반찬 나눔",
    "health": "건강검진, 만성질환 관리",
    "business": "후원 물품, 할인 서비스",
    "other": "집수리, 안부 확인",
}

# --- names (synthetic) ---------------------------------------------------------------------

SURNAMES = (
    ("김", 215),
    ("이", 147),
    ("박", 84),
    ("최", 47),
    ("정", 43),
    ("강", 24),
    ("조", 21),
    ("윤", 21),
    ("장", 20),
    ("임", 17),
    ("한", 15),
    ("오", 15),
    ("서", 15),
    ("신", 14),
    ("권", 14),
    ("황", 14),
    ("안", 14),
    ("송", 13),
    ("류", 11),
    ("전", 11),
    ("홍", 11),
    ("고", 9),
    ("문", 9),
    ("양", 9),
    ("손", 9),
    ("배", 8),
    ("백", 7),
    ("허", 6),
    ("유", 6),
    ("남", 5),
    ("심", 5),
    ("노", 4),
    ("하", 4),
    ("곽", 4),
    ("성", 4),
    ("차", 4),
    ("주", 4),
    ("우", 4),
    ("구", 4),
    ("진", 4),
    ("민", 3),
    ("나", 3),
    ("지", 3),
    ("엄", 3),
    ("변", 3),
)

#: (first syllables, second syllables) by (cohort, sex); cohort 0: born before 1960,
#: 1: 1960–1989, 2: 1990 and later.
GIVEN = {
    (0, "F"): ("순영정옥말춘복금명숙경현미귀", "자순희숙옥분남례녀덕선임애이"),
    (0, "M"): ("영정상동종병재성기용만광태명", "수호식철석길남근환섭웅규택구"),
    (1, "F"): ("미은지현선혜경수정유윤진영", "영희정숙경주진아미연선은란"),
    (1, "M"): ("성정동재영현준상민진승종태", "호민수훈철우석진욱규환일식"),
    (2, "F"): ("서지민하수예윤채다유은소가", "연윤아은린원서현영희진빈율"),
    (2, "M"): ("민서도예시하주준지건우현태", "준우윤호현진훈민성빈원혁규"),
}

# --- synthetic texts -------------------------------------------------------------------------

RESOURCE_NAMES = {
    "cash": ("이웃돕기 성금", "명절 위문금", "긴급생계비 후원", "장학금 후원", "의료비 후원"),
    "goods": (
        "쌀 10kg 나눔",
        "밑반찬 나눔",
        "난방유 지원",
        "김장김치 나눔",
        "생필품 꾸러미",
        "전기매트 지원",
        "안경 지원",
        "교복 지원",
    ),
    "sponsorship": ("정기 후원(월)", "결연 후원", "도시락 정기 배달", "우유 정기 배달"),
    "service": (
        "이미용 재능기부",
        "집수리 봉사",
        "방역·청소 봉사",
        "무료 법률상담",
        "한방 진료 봉사",
        "학습 멘토링",
    ),
}
PROVIDERS = (
    "망미시장 상인회",
    "수영구 약사회",
    "광안리 상가번영회",
    "지역 교회",
    "지역 사찰",
    "민락수산시장 상인회",
    "동네 미용실",
    "지역 의원",
    "개인 후원자",
    "봉사단체",
    "지역 기업",
    "아파트 부녀회",
    "로터리클럽",
    "라이온스클럽",
)
LEAD_TEXTS = (
    "관리비가 여러 달 밀렸다고 함",
    "며칠째 우편물이 쌓여 있음",
    "식사를 거르는 것 같음",
    "거동이 불편해 보이고 혼자 지냄",
    "집안에 쓰레기가 쌓여 있음",
    "실직 후 생활이 어렵다고 함",
    "병원비 부담을 호소함",
    "난방을 하지 않고 지냄",
    "아이들 돌봄이 어려워 보임",
    "우울감을 호소함",
    "전기가 끊겼다는 이웃 제보",
    "월세가 밀려 퇴거 위기",
)
LEAD_CLOSE_REASONS = ("상담 후 서비스 연계", "욕구 없음", "기존 지원 중", "전출", "중복 신고")
GOAL_TEXTS = {
    "income": "기초생활보장 신청 및 생계 안정",
    "employment": "자활근로 참여",
    "health": "만성질환 정기 진료 연계",
    "mental_health": "정신건강 상담 주 1회",
    "housing": "주거환경 개선(집수리)",
    "care": "노인맞춤돌봄 연계",
    "education": "아동 학습 지원",
    "safety": "안전 확인 주 2회",
    "daily_living": "식사 지원 연계",
    "social": "이웃 관계망 형성",
    "legal": "채무 조정 상담",
}
CONFERENCE_PARTICIPANTS = (
    "맞춤형복지팀장, 사례관리사, 방문간호사",
    "맞춤형복지팀장, 복지공무원, 복지관 사례관리자",
    "희망복지지원단, 동 맞춤형복지팀, 정신건강복지센터",
    "희망복지지원단, 동 맞춤형복지팀, 지역자활센터",
)
