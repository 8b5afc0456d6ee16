"""The perception survey's analysis (seed 000, issue 8): a small survey whose every weighted
cell was worked out by hand, the overall column as the combination of the eup/myeon/dong
columns, the quintile rule, and bad input refused with a clear error."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction as F

import numpy as np
import polars as pl
import pytest
from django.core.management import CommandError, call_command

from maeul.councils.survey.analysis import Item, SurveyInputError, analyse

INSTRUMENT = [
    (
        "i1",
        "",
        "협의체 활동은 취약계층을 대상으로 한다.",
        "CSSC activities target the disadvantaged.",
    ),
    ("a", "S1", "방향과 목표가 있다.", "There are directions and objectives."),
    ("b", "S1", "위원들은 방향을 이해한다.", "Members grasp the direction."),
    ("c", "S2", "위원들은 서로 존중한다.", "Members listen with respect."),
]
# community code, type → [(participant type, answers to i1, a, b, c)]; None: not answered.
SURVEY = {
    ("1100", "eup"): [("V", (7, 2, 3, 4)), ("V", (6, 3, 3, 5)), ("W", (4, 1, 2, 6))],
    ("1200", "myeon"): [("V", (5, 4, 4, 3)), ("V", (7, 5, 4, 2)), ("W", (3, 3, None, 7))],
    ("1300", "dong"): [("V", (6, 5, 5, 4)), ("V", (6, 5, 6, 4)), ("W", (2, 6, 6, 1))],
    ("1400", "dong"): [("V", (7, 6, 6, 5)), ("V", (5, 6, 7, 5)), ("W", (1, 7, 7, 5))],
    ("1500", "dong"): [("V", (7, 7, 7, 2)), ("V", (4, 7, 6, 3)), ("W", (6, 6, 7, 1))],
    # One respondent: counted everywhere but left out of the quintile ranking; i1 blank.
    ("1600", "dong"): [("W", ("", 7, 7, 7))],
}
POPULATION = [("V", 130), ("W", 30)]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def response_rows(survey=SURVEY):
    rows, number = [], 0
    for (code, kind), people in survey.items():
        for ptype, answers in people:
            number += 1
            for item, answer in zip(("i1", "a", "b", "c"), answers, strict=True):
                if answer is not None:
                    rows.append((f"r{number:02d}", code, kind, ptype, item, answer))
    return rows


@pytest.fixture
def files(tmp_path):
    return {
        "instrument": write(
            tmp_path / "I.csv", ["item", "scale", "text_ko", "text_en"], INSTRUMENT
        ),
        "responses": write(
            tmp_path / "R.csv",
            ["respondent", "community", "community_type", "participant_type", "item", "answer"],
            response_rows(),
        ),
        "population": write(tmp_path / "P.csv", ["participant_type", "members"], POPULATION),
    }


def run_json(**files) -> dict:
    out = io.StringIO()
    call_command("survey_analyse", json=True, stdout=out, **files)
    return json.loads(out.getvalue())


def approx(value):
    return pytest.approx(float(value), abs=1e-12)


def test_every_weighted_cell_of_a_small_survey_matches_the_hand_computation(files):
    result = run_json(**files)
    assert result["respondents"] == 16
    # Weights: N = 160, n = 16; V: (130/160)/(10/16) = 1.3, W: (30/160)/(6/16) = 0.5, i.e.
    # 13 : 5. i1: V answers sum 60 (10 answers), W 4+3+2+1+6 = 16 (5 answers, 1600 blank):
    # (13·60 + 5·16) / (13·10 + 5·5) = 860/155 = 172/31.
    i1 = result["items"]["i1"]
    assert i1["mean"] == approx(F(172, 31))
    # eup (1100): (13·(7+6) + 5·4)/31 = 189/31; myeon (1200): (13·12 + 5·3)/31 = 171/31;
    # dong: (13·35 + 5·9)/(13·6 + 5·3) = 500/93.
    assert i1["by_type"] == {
        "eup": approx(F(189, 31)),
        "myeon": approx(F(171, 31)),
        "dong": approx(F(500, 93)),
    }
    # Agree (5–7): 9 V answers and one W (6): (117 + 5)/155; neither (4): one V, one W;
    # disagree (1–3): three W answers.
    assert i1["agree"] == approx(F(122, 155))
    assert i1["neither"] == approx(F(18, 155))
    assert i1["disagree"] == approx(F(15, 155))
    assert i1["top20"] is None and i1["bottom20"] is None and i1["gap"] is None

    items = result["items"]
    assert items["a"]["mean"] == approx(5)
    assert items["a"]["by_type"] == {
        "eup": approx(F(70, 31)),
        "myeon": approx(F(132, 31)),
        "dong": approx(F(299, 49)),
    }
    assert items["b"]["mean"] == approx(F(808, 155))
    assert items["b"]["by_type"] == {
        "eup": approx(F(88, 31)),
        "myeon": approx(4),
        "dong": approx(F(44, 7)),
    }
    assert items["c"]["mean"] == approx(F(77, 20))
    assert items["c"]["by_type"] == {
        "eup": approx(F(147, 31)),
        "myeon": approx(F(100, 31)),
        "dong": approx(F(369, 98)),
    }
    # a, all 16 answered (weight 13·10 + 5·6 = 160): V answers 2,3,4,5,5,5,6,6,7,7 and W
    # 1,3,6,7,6,7. Agree: 7 V and 4 W → 91 + 20; neither: one V (13); disagree: V 2,3 and W 1,3.
    assert items["a"]["agree"] == approx(F(111, 160))
    assert items["a"]["neither"] == approx(F(13, 160))
    assert items["a"]["disagree"] == approx(F(36, 160))

    # S1 scores (mean of a, b): 1100: 2.5, 3, 1.5 → (13·5.5 + 5·1.5)/31 = 79/31; 1200: 4, 4.5
    # and 3 (b missing) → 251/62; 1300: 333/62; 1400: 395/62; 1500: 7, 6.5, 6.5 → 208/31.
    s1 = result["scales"]["S1"]
    assert s1["mean"] == approx(F(1623, 320))
    assert s1["by_type"] == {
        "eup": approx(F(79, 31)),
        "myeon": approx(F(251, 62)),
        "dong": approx(F(607, 98)),
    }
    # Ranked ascending 1100 < 1200 < 1300 < 1400 < 1500 (1600 has one respondent): quintiles
    # floor(5r/5) = r, so the top 20 % is 1500 and the bottom 20 % is 1100.
    assert s1["top20"] == approx(F(208, 31))
    assert s1["bottom20"] == approx(F(79, 31))
    assert s1["gap"] == approx(F(129, 31))
    # S2 = c: 1500 (70/31) < 1200 (100/31) < 1300 (109/31) < 1100 (147/31) < 1400 (5).
    s2 = result["scales"]["S2"]
    assert s2["mean"] == approx(F(77, 20))
    assert (s2["top20"], s2["bottom20"], s2["gap"]) == (
        approx(5),
        approx(F(70, 31)),
        approx(F(85, 31)),
    )

    # Items take their scale's quintiles: a in 1500 (7, 7, 6) and 1100 (2, 3, 1).
    assert items["a"]["top20"] == approx(F(212, 31))
    assert items["a"]["bottom20"] == approx(F(70, 31))
    assert items["a"]["gap"] == approx(F(142, 31))
    assert items["b"]["top20"] == approx(F(204, 31))
    assert items["b"]["bottom20"] == approx(F(88, 31))
    assert items["c"]["top20"] == approx(5)
    assert items["c"]["bottom20"] == approx(F(70, 31))

    assert result["communities"] == {
        "1100": {"S1": approx(F(79, 31)), "S2": approx(F(147, 31))},
        "1200": {"S1": approx(F(251, 62)), "S2": approx(F(100, 31))},
        "1300": {"S1": approx(F(333, 62)), "S2": approx(F(109, 31))},
        "1400": {"S1": approx(F(395, 62)), "S2": approx(5)},
        "1500": {"S1": approx(F(208, 31)), "S2": approx(F(70, 31))},
        "1600": {"S1": approx(7), "S2": approx(7)},
    }
    assert set(result) == {"items", "scales", "communities", "respondents"}
    assert set(result["items"]["a"]) == {
        "mean",
        "by_type",
        "agree",
        "neither",
        "disagree",
        "top20",
        "bottom20",
        "gap",
    }
    assert set(result["scales"]["S1"]) == {"mean", "by_type", "top20", "bottom20", "gap"}


def random_survey(seed: int, respondents: int = 600):
    rng = np.random.default_rng(seed)
    items = [Item("i1", None), Item("i2", None)] + [
        Item(f"s{j}_{k}", f"S{j}") for j in range(3) for k in range(4)
    ]
    codes = [f"{2600000000 + 100 * c}" for c in range(40)]
    ctype = {c: ("eup", "myeon", "dong")[i % 3] for i, c in enumerate(codes)}
    ptypes = ["vol", "council", "resident", "head", "worker", "self", "other"]
    rows = []
    for r in range(respondents):
        code = codes[rng.integers(len(codes))]
        ptype = ptypes[rng.integers(len(ptypes))]
        for it in items:
            if rng.random() < 0.9:
                rows.append((f"r{r}", code, ctype[code], ptype, it.item, int(rng.integers(1, 8))))
    frame = pl.DataFrame(
        rows,
        schema=list(
            ("respondent", "community", "community_type", "participant_type", "item", "answer")
        ),
        orient="row",
    )
    population = {p: int(rng.integers(50, 500)) for p in ptypes}
    return items, frame, population


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_overall_column_is_the_respondent_weighted_combination_of_eup_myeon_dong(seed):
    items, frame, population = random_survey(seed)
    result = analyse(items=items, responses=frame, population=population)
    weights = {t: w for t, (_, _, w) in result.weights.items()}
    # The weight behind each type's column: the summed weights of its respondents' answers.
    answered = frame.with_columns(pl.col("participant_type").replace_strict(weights).alias("w"))
    for item in items:
        sub = answered.filter(pl.col("item") == item.item)
        total = {
            t: sub.filter(pl.col("community_type") == t)["w"].sum()
            for t in ("eup", "myeon", "dong")
        }
        row = result.items[item.item]
        combined = sum(total[t] * row["by_type"][t] for t in total) / sum(total.values())
        assert row["mean"] == pytest.approx(combined, rel=1e-12)
    for scale, row in result.scales.items():
        assert row["mean"] == pytest.approx(
            sum(
                row["by_type"][t] * _scale_weight(frame, weights, scale, t)
                for t in ("eup", "myeon", "dong")
            )
            / sum(_scale_weight(frame, weights, scale, t) for t in ("eup", "myeon", "dong")),
            rel=1e-12,
        )
    # The weights give back the population's shares: Σ_t n_t w_t = n.
    assert sum(n_t * w for _, n_t, w in result.weights.values() if n_t) == pytest.approx(
        result.respondents
    )


def _scale_weight(frame, weights, scale, kind):
    people = frame.filter(
        pl.col("item").str.starts_with(scale.lower()) & (pl.col("community_type") == kind)
    ).unique("respondent")
    return sum(weights[p] for p in people["participant_type"].to_list())


def test_quintiles_rank_ascending_with_ties_by_community_code():
    items = [Item("a", "S")]
    rows = []
    # Seven communities with equal weights; 3002 and 3001 tie, the tie goes to the lower code.
    means = {"3005": 6, "3002": 2, "3001": 2, "3004": 5, "3003": 3, "3007": 7, "3006": 4}
    for code, value in means.items():
        for r in range(3):
            rows.append((f"{code}-{r}", code, "dong", "p", "a", value))
    rows.append(("lonely-1", "3000", "dong", "p", "a", 1))  # two respondents: not ranked
    rows.append(("lonely-2", "3000", "dong", "p", "a", 1))
    frame = pl.DataFrame(
        rows,
        schema=["respondent", "community", "community_type", "participant_type", "item", "answer"],
        orient="row",
    )
    result = analyse(items=items, responses=frame, population={"p": 10})
    # m = 7: ranks 0..6 → floor(5r/7) = 0, 0, 1, 2, 2, 3, 4.
    assert result.quintiles["S"] == {
        "3001": 0,
        "3002": 0,
        "3003": 1,
        "3006": 2,
        "3004": 2,
        "3005": 3,
        "3007": 4,
    }
    assert result.scales["S"]["bottom20"] == 2
    assert result.scales["S"]["top20"] == 7
    assert result.scales["S"]["gap"] == 5
    assert result.flagged() == {"3001": ["S"], "3002": ["S"]}


def bad(files, tmp_path, rows=None, population=None, instrument=None):
    header = ["respondent", "community", "community_type", "participant_type", "item", "answer"]
    if rows is not None:
        files["responses"] = write(tmp_path / "R2.csv", header, rows)
    if population is not None:
        files["population"] = write(
            tmp_path / "P2.csv", ["participant_type", "members"], population
        )
    if instrument is not None:
        files["instrument"] = write(
            tmp_path / "I2.csv", ["item", "scale", "text_ko", "text_en"], instrument
        )
    with pytest.raises(CommandError) as exc:
        run_json(**files)
    return str(exc.value)


@pytest.mark.parametrize(
    "row, code, words",
    [
        (("r1", "1100", "eup", "V", "zz", 5), "unknown_item", "'zz'"),
        (("r1", "1100", "eup", "V", "a", 8), "answer_out_of_range", "'8'"),
        (("r1", "1100", "eup", "V", "a", 0), "answer_out_of_range", "1–7"),
        (("r1", "1100", "eup", "V", "a", "4.5"), "answer_out_of_range", "'4.5'"),
        (("r1", "1100", "eup", "X", "a", 5), "unknown_participant_type", "'X'"),
        (("r1", "1100", "town", "V", "a", 5), "unknown_community_type", "'town'"),
        (("r1", "1100", "eup", "V", "i1", 5), "duplicate_answer", "'r1'"),
        (("r1", "1200", "eup", "V", "b", 5), "inconsistent_respondent", "'r1'"),
    ],
)
def test_bad_rows_are_refused_with_the_row_and_value(files, tmp_path, row, code, words):
    rows = [("r1", "1100", "eup", "V", "i1", 4), row]
    message = bad(files, tmp_path, rows=rows)
    assert code in message and words in message


def test_bad_row_names_its_line_in_the_file(files, tmp_path):
    rows = [("r1", "1100", "eup", "V", "i1", 4), ("r1", "1100", "eup", "V", "a", 9)]
    assert "rows 3" in bad(files, tmp_path, rows=rows)


def test_missing_files_and_columns_are_named(files, tmp_path):
    assert "missing_file" in bad(dict(files, responses=str(tmp_path / "nope.csv")), tmp_path)
    (tmp_path / "R3.csv").write_text("respondent,community,item,answer\nr1,1100,a,5\n")
    message = bad(dict(files, responses=str(tmp_path / "R3.csv")), tmp_path)
    assert "missing_columns" in message and "community_type, participant_type" in message
    (tmp_path / "P3.csv").write_text("type,count\nV,3\n")
    assert "participant_type, members" in bad(
        dict(files, population=str(tmp_path / "P3.csv")), tmp_path
    )
    assert "bad_population" in bad(files, tmp_path, population=[("V", "many")])


def test_respondents_of_a_type_without_members_are_refused(files, tmp_path):
    message = bad(files, tmp_path, population=[("V", 130), ("W", 0)])
    assert "empty_stratum" in message and "'W'" in message


def test_byte_order_mark_and_blank_answers_are_accepted(files, tmp_path):
    path = tmp_path / "I-bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + open(files["instrument"], "rb").read())
    assert run_json(**dict(files, instrument=str(path)))["respondents"] == 16


def test_analysis_refuses_without_responses():
    with pytest.raises(SurveyInputError) as exc:
        analyse(
            items=[Item("a", "S")],
            responses=pl.DataFrame(
                schema={
                    c: pl.Utf8
                    for c in (
                        "respondent",
                        "community",
                        "community_type",
                        "participant_type",
                        "item",
                        "answer",
                    )
                }
            ),
            population={"p": 1},
        )
    assert exc.value.code == "no_responses"
