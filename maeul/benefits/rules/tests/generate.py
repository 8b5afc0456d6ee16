"""Writes the OpenFisca YAML tests of the threshold cases: ``python generate.py``.

For every programme, 2025 and 2026, household sizes 1–6: a case at the line, one won under
and one won over. The expected lines and amounts are the published tables typed in below —
NOT computed by the rules under test and NOT read from the parameters YAML — so a wrong
parameter or a wrong formula fails here.

Sources of the tables (see docs/benefits.md, "Parameters and their sources", for what was
verified and where; checked 2026-11):
- MEDIAN, NBLS lines: 보건복지부 고시 「2025년/2026년 기준 중위소득 및 생계·의료급여 선정기준과
  최저보장수준」 and the 2025/2026 국민기초생활보장사업 안내 (선정기준 tables; each line is the
  share of the median rounded to the won, e.g. 2026 4-person livelihood 2,078,316 and 1-person
  820,556 as stated by the Ministry, Asia Today 2026-01-01).
- basic pension / disability pension lines and amounts: 2025/2026 선정기준액 announcements
  (2026: 2,470,000 / 3,952,000, Ministry 2026-01-01); 기준연금액 2026 349,700 (고시 제3조).
- emergency welfare (75% income table, livelihood support amounts): 2025/2026 긴급지원사업 안내
  — the livelihood amounts are NOT checked against the guide (no source found; derived rule).
- single-parent line: 2025 63% table of 여성가족부 (mogef.go.kr, 2–6 persons); 2026 65% table
  of 거제시 (geoje.go.kr, updated 2026-01-20, 2–6 persons). No 1-person line (a single parent
  has a child).
- child allowance 2026 under 9 (만 8세 이하): the 아동수당법 amendment (committee, 2026-01-07).
- the gu's programmes (60%, 75%): the demo gu's lines (maeul demo values).
"""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
YEARS = (2025, 2026)
SIZES = range(1, 7)

MEDIAN = {
    2025: [2392013, 3932658, 5025353, 6097773, 7108192, 8064805],
    2026: [2564238, 4199292, 5359036, 6494738, 7556719, 8555952],
}
LINES = {
    2025: {
        "nbls_livelihood": [765444, 1258451, 1608113, 1951287, 2274621, 2580738],
        "nbls_medical": [956805, 1573063, 2010141, 2439109, 2843277, 3225922],
        "nbls_housing": [1148166, 1887676, 2412169, 2926931, 3411932, 3871106],
        "nbls_education": [1196007, 1966329, 2512677, 3048887, 3554096, 4032403],
        "near_poor": [1196007, 1966329, 2512677, 3048887, 3554096, 4032403],
        "single_parent": [None, 2477575, 3165972, 3841597, 4478161, 5080827],  # 63%
        "emergency_welfare": [1794010, 2949494, 3769015, 4573330, 5331144, 6048604],
        "local_emergency_aid": [1794010, 2949494, 3769015, 4573330, 5331144, 6048604],
        "local_livelihood": [1435208, 2359595, 3015212, 3658664, 4264915, 4838883],
    },
    2026: {
        "nbls_livelihood": [820556, 1343773, 1714892, 2078316, 2418150, 2737905],
        "nbls_medical": [1025695, 1679717, 2143614, 2597895, 3022688, 3422381],
        "nbls_housing": [1230834, 2015660, 2572337, 3117474, 3627225, 4106857],
        "nbls_education": [1282119, 2099646, 2679518, 3247369, 3778360, 4277976],
        "near_poor": [1282119, 2099646, 2679518, 3247369, 3778360, 4277976],
        "single_parent": [None, 2729540, 3483373, 4221580, 4911867, 5561369],  # 65% from 2026
        "emergency_welfare": [1923179, 3149469, 4019277, 4871054, 5667539, 6416964],
        "local_emergency_aid": [1923179, 3149469, 4019277, 4871054, 5667539, 6416964],
        "local_livelihood": [1538543, 2519575, 3215422, 3896843, 4534031, 5133571],
    },
}
EMERGENCY_LIVELIHOOD = {
    2025: [765400, 1258400, 1608100, 1951200, 2274600, 2580700],
    2026: [820500, 1343700, 1714800, 2078300, 2418100, 2737900],
}
PENSION = {  # single line, couple line, standard amount
    2025: (2280000, 3648000, 342510),
    2026: (2470000, 3952000, 349700),
}
EMERGENCY_PROPERTY_METROPOLITAN = 241000000
CHILD_ALLOWANCE = {2025: (8, 100000), 2026: (9, 100000)}  # under this age, amount
SINGLE_PARENT_CHILD = 230000  # 아동양육비 per child, 2025 and 2026 (월 23만 원)
LOCAL_LIVELIHOOD_AMOUNT, LOCAL_EMERGENCY_AMOUNT = 200000, 500000


def household(members: list[dict], **variables) -> dict:
    """persons p0..pn; p0 is the head; each member dict has 'role' and variables."""
    persons, roles = {}, {}
    for i, member in enumerate(members):
        member = dict(member)
        role = member.pop("role", "head" if i == 0 else "child")
        persons[f"p{i}"] = member
        roles.setdefault(role, []).append(f"p{i}")
    group = {
        ("children" if r == "child" else r + "s" if r in ("parent", "other") else r): v
        for r, v in roles.items()
    }
    return {
        "persons": persons,
        "households": {"h": {**group, "region": "metropolitan", **variables}},
    }


def case(name: str, year: int, members: list[dict], output: dict, **variables) -> dict:
    return {
        "name": name,
        "period": f"{year}-03",
        "absolute_error_margin": 0.5,
        "input": household(members, **variables),
        "output": output,
    }


def adults(n: int, head: dict) -> list[dict]:
    return [head] + [{"age": 30, "role": "child"} for _ in range(n - 1)]


def around(line: int, step: int = 1):
    """One won under, at, one won over. Property and annual income are recorded in 10,000 won
    (만원) and OpenFisca stores money in float32 (exact to the won only below 16,777,216), so
    their cases step by 10,000 won."""
    yield "under", line - step, True
    yield "at", line, True
    yield "over", line + step, False


def nbls_cases() -> list[dict]:
    cases = []
    for year in YEARS:
        for n in SIZES:
            for programme in (
                "nbls_livelihood",
                "nbls_medical",
                "nbls_housing",
                "near_poor",
                "local_livelihood",
            ):
                line = LINES[year][programme][n - 1]
                for where, income, entitled in around(line):
                    output = {programme: entitled, f"{programme}_line": line}
                    if programme == "nbls_livelihood":
                        output["nbls_livelihood_amount"] = max(line - income, 0) if entitled else 0
                    if programme == "local_livelihood":
                        output["local_livelihood_amount"] = (
                            LOCAL_LIVELIHOOD_AMOUNT if entitled else 0
                        )
                    cases.append(
                        case(
                            f"{programme} {year}, {n} person(s), income {where} the line",
                            year,
                            adults(n, {"age": 45, "other_income": income}),
                            output,
                        )
                    )
            line = LINES[year]["nbls_education"][n - 1]
            head = {"age": 17 if n == 1 else 45}
            for where, income, entitled in around(line):
                members = [{**head, "other_income": income}] + [
                    {"age": 10, "role": "child"} for _ in range(n - 1)
                ]
                cases.append(
                    case(
                        f"nbls_education {year}, {n} person(s), income {where} the line",
                        year,
                        members,
                        {"nbls_education": entitled, "nbls_education_line": line},
                    )
                )
    return cases


def pension_cases() -> list[dict]:
    cases = []
    for year in YEARS:
        single, couple, amount = PENSION[year]
        for n in SIZES:
            line = single if n == 1 else couple
            both = 2 * int(amount * 0.8)
            for where, income, entitled in around(line):
                members = [{"age": 70, "other_income": income}]
                if n > 1:
                    members.append({"age": 68, "role": "spouse"})
                members += [{"age": 40, "role": "child", "other_income": 3000000}] * (
                    n - len(members)
                )
                cases.append(
                    case(
                        f"basic_pension {year}, {n} person(s), unit income {where} the line",
                        year,
                        members,
                        {
                            "basic_pension": entitled,
                            "basic_pension_amount": (amount if n == 1 else both) if entitled else 0,
                        },
                    )
                )
                members = [{"age": 30, "severe_disability": True, "other_income": income}]
                if n > 1:
                    members.append({"age": 30, "role": "spouse"})
                members += [{"age": 5, "role": "child"}] * (n - len(members))
                cases.append(
                    case(
                        f"disability_pension {year}, {n} person(s), unit income {where} the line",
                        year,
                        members,
                        {
                            "disability_pension": entitled,
                            "disability_pension_amount": amount if entitled else 0,
                        },
                    )
                )
        for age, entitled in ((64, False), (65, True), (66, True)):
            cases.append(
                case(
                    f"basic_pension {year}, aged {age}",
                    year,
                    [{"age": age}],
                    {"basic_pension": entitled},
                )
            )
        for age, entitled in ((17, False), (18, True), (19, True)):
            cases.append(
                case(
                    f"disability_pension {year}, aged {age}",
                    year,
                    [{"age": age, "severe_disability": True}],
                    {"disability_pension": entitled},
                )
            )
        cases.append(
            case(
                f"disability_pension {year}, mild disability",
                year,
                [{"age": 40}],
                {"disability_pension": False},
            )
        )
    return cases


def family_cases() -> list[dict]:
    cases = []
    for year in YEARS:
        limit, amount = CHILD_ALLOWANCE[year]
        for n in range(2, 7):
            line = LINES[year]["single_parent"][n - 1]
            for where, income, entitled in around(line):
                members = [{"age": 40, "is_single_parent": True, "other_income": income}] + [
                    {"age": 10, "role": "child"} for _ in range(n - 1)
                ]
                cases.append(
                    case(
                        f"single_parent {year}, {n} person(s), income {where} the line",
                        year,
                        members,
                        {
                            "single_parent": entitled,
                            "single_parent_amount": (n - 1) * SINGLE_PARENT_CHILD
                            if entitled
                            else 0,
                        },
                    )
                )
            for age, entitled in ((limit - 1, True), (limit, False), (limit + 1, False)):
                members = [{"age": 35}] + [{"age": age, "role": "child"} for _ in range(n - 1)]
                cases.append(
                    case(
                        f"child_allowance {year}, {n - 1} child(ren) aged {age}",
                        year,
                        members,
                        {
                            "child_allowance": entitled,
                            "child_allowance_amount": (n - 1) * amount if entitled else 0,
                        },
                    )
                )
        cases.append(
            case(
                f"single_parent {year}, 1 person: no child",
                year,
                [{"age": 40, "is_single_parent": True}],
                {"single_parent": False},
            )
        )
        cases.append(
            case(
                f"child_allowance {year}, 1 person: no child",
                year,
                [{"age": 40}],
                {"child_allowance": False},
            )
        )
    return cases


def emergency_cases() -> list[dict]:
    cases = []
    for year in YEARS:
        for n in SIZES:
            line = LINES[year]["emergency_welfare"][n - 1]
            for where, income, entitled in around(line):
                cases.append(
                    case(
                        f"emergency_welfare {year}, {n} person(s), income {where} the line",
                        year,
                        adults(n, {"age": 45, "earned_income": income}),
                        {
                            "emergency_welfare": entitled,
                            "emergency_welfare_amount": EMERGENCY_LIVELIHOOD[year][n - 1]
                            if entitled
                            else 0,
                            "local_emergency_aid": False,
                        },
                        in_crisis=True,
                    )
                )
                cases.append(
                    case(
                        f"local_emergency_aid {year}, {n} person(s), property above the national "
                        f"limit, income {where} the line",
                        year,
                        adults(
                            n, {"age": 45, "earned_income": income, "assets_general": 300000000}
                        ),
                        {
                            "emergency_welfare": False,
                            "local_emergency_aid": entitled,
                            "local_emergency_aid_amount": LOCAL_EMERGENCY_AMOUNT if entitled else 0,
                        },
                        in_crisis=True,
                    )
                )
            cases.append(
                case(
                    f"emergency_welfare {year}, {n} person(s), no crisis",
                    year,
                    adults(n, {"age": 45}),
                    {"emergency_welfare": False},
                )
            )
        limit = EMERGENCY_PROPERTY_METROPOLITAN
        for where, assets, entitled in around(limit, 10000):
            cases.append(
                case(
                    f"emergency_welfare {year}, general property {where} the limit",
                    year,
                    [{"age": 45, "assets_general": assets}],
                    {"emergency_welfare": entitled},
                    in_crisis=True,
                )
            )
    return cases


def obligor_cases() -> list[dict]:
    cases = []
    for year in YEARS:
        for where, income, excluded in (("at", 100000000, False), ("over", 100010000, True)):
            cases.append(
                case(
                    f"nbls_livelihood {year}, obligor annual income {where} 100,000,000 (over: +10,000)",
                    year,
                    [{"age": 80}],
                    {"nbls_livelihood": not excluded, "local_livelihood": excluded},
                    obligor_annual_income=income,
                )
            )
        twelve_median_2 = 12 * MEDIAN[year][1]
        for where, income, excluded in (
            ("at", twelve_median_2, False),
            ("over", twelve_median_2 + 10000, True),
        ):
            cases.append(
                case(
                    f"nbls_medical {year}, obligor annual income {where} 12 × 2-person median",
                    year,
                    [{"age": 80}],
                    {"nbls_medical": not excluded, "nbls_housing": True},
                    obligor_annual_income=income,
                )
            )
    return cases


def worked_examples() -> list[dict]:
    return [
        case(
            "2026, 4 persons, no income: the maximum livelihood benefit 2,078,316 "
            "(보건복지부 2026 기준 중위소득 보도자료)",
            2026,
            [{"age": 45}, {"age": 43, "role": "spouse"}, {"age": 12}, {"age": 9}],
            {"nbls_livelihood_amount": 2078316, "nbls_education": True, "child_allowance": False},
        ),
        case(
            "2026, 1 person, no income: the maximum livelihood benefit 820,556",
            2026,
            [{"age": 70}],
            {"nbls_livelihood_amount": 820556, "basic_pension_amount": 349700},
        ),
        case(
            "2025, 1 person earning 1,000,000 a month: 30% deducted, 765,444 − 700,000 = 65,444",
            2025,
            [{"age": 40, "earned_income": 1000000}],
            {"recognised_income": 700000, "nbls_livelihood_amount": 65444},
        ),
        case(
            "2026 basic pension couple both entitled: each 349,700 less 20% = 279,760",
            2026,
            [{"age": 70}, {"age": 67, "role": "spouse"}],
            {"basic_pension_amount": 559520},
        ),
        case(
            "2025, property: 100,000,000 general property in a metropolitan city less the "
            "77,000,000 deduction at 4.17% a month = 959,100",
            2025,
            [{"age": 50, "assets_general": 100000000}],
            {"recognised_income": 959100, "nbls_livelihood": False},
        ),
        case(
            "2026 single parent with one child, recognised income 2,700,000: above the 2025-style "
            "63% line (2,645,554) but under the 2026 65% line 2,729,540 (거제시 2026 table), "
            "아동양육비 230,000",
            2026,
            [{"age": 38, "is_single_parent": True, "other_income": 2700000}, {"age": 6}],
            {"single_parent": True, "single_parent_line": 2729540, "single_parent_amount": 230000},
        ),
        case(
            "2026 basic pension, earnings 2,000,000 a month: (2,000,000 − 1,160,000 basic "
            "deduction) × 70% = 588,000 (고시 제6조 figures; the 1,160,000 is still to be "
            "confirmed on law.go.kr)",
            2026,
            [{"age": 70, "earned_income": 2000000}],
            {"pension_recognised_income": 588000, "basic_pension_amount": 349700},
        ),
    ]


def main() -> None:
    files = {
        "nbls.yaml": nbls_cases() + obligor_cases(),
        "pensions.yaml": pension_cases(),
        "family.yaml": family_cases(),
        "emergency.yaml": emergency_cases(),
        "worked_examples.yaml": worked_examples(),
    }
    for name, cases in files.items():
        text = "# Generated by generate.py from the published tables; do not edit by hand.\n"
        text += yaml.safe_dump(cases, allow_unicode=True, sort_keys=False, width=100)
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(cases)} cases")


if __name__ == "__main__":
    main()
