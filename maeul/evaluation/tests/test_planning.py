"""Hub-model scores on a fixture computed by hand and the suggested models (staffing:
test_staffing.py)."""

from __future__ import annotations

import pytest

from maeul.evaluation.planning import DongIndexes, hub_models


def fixture_rows() -> list[DongIndexes]:
    #            id  name lat    lon     pop   subj/1000 km   part/1000 resources
    return [
        DongIndexes(1, "A", 35.10, 129.10, 1000, 300, 0.5, 20, 9_000_000),
        DongIndexes(2, "B", 35.11, 129.10, 3000, 100, 1.5, 5, 1_000_000),
        DongIndexes(3, "C", 35.30, 129.30, 2000, 200, 1.0, 10, 5_000_000),
        DongIndexes(4, "D", 35.12, 129.10, 2000, 150, 2.5, 8, 3_000_000),
    ]


def test_scores_as_computed_by_hand():
    by_id = {m.indexes.dong_id: m for m in hub_models(fixture_rows())}
    # population: min 1000, max 3000 → A 0, B 100, C 50, D 50
    assert [by_id[i].scores["population"] for i in (1, 2, 3, 4)] == [0, 100, 50, 50]
    # subjects per 1000: min 100, max 300 → A 100, B 0, C 50, D 25
    assert [by_id[i].scores["subjects_rate"] for i in (1, 2, 3, 4)] == [100, 0, 50, 25]
    # accessibility, shorter is better: min 0.5, max 2.5 → A 100, B 50, C 75, D 0
    assert [by_id[i].scores["accessibility"] for i in (1, 2, 3, 4)] == [100, 50, 75, 0]
    # participation: min 5, max 20 → A 100, B 0, C 33.3, D 20
    assert [by_id[i].scores["participation"] for i in (1, 2, 3, 4)] == [100, 0, 33.3, 20]
    # resources: min 1M, max 9M → A 100, B 0, C 50, D 25
    assert [by_id[i].scores["resources"] for i in (1, 2, 3, 4)] == [100, 0, 50, 25]
    # total: mean of the five
    assert by_id[1].total == 80.0  # (0+100+100+100+100)/5
    assert by_id[2].total == 30.0  # (100+0+50+0+0)/5
    assert by_id[3].total == 51.7  # (50+50+75+33.3+50)/5 = 51.66
    assert by_id[4].total == 24.0  # (50+25+0+20+25)/5


def test_sphere_type_where_all_three_are_below_the_median():
    by_id = {m.indexes.dong_id: m for m in hub_models(fixture_rows())}
    # medians: subjects 37.5, participation 26.65, resources 37.5
    # B (0, 0, 0) and D (25, 20, 25) lack all three → sphere; A and C basic
    assert [by_id[i].model for i in (1, 2, 3, 4)] == ["basic", "sphere", "basic", "sphere"]
    assert by_id[4].weak == ["subjects_rate", "participation", "resources"]
    # linked to the nearest basic dong: A (B and D lie next to it; C is far)
    assert by_id[2].central_id == 1 and by_id[4].central_id == 1
    assert by_id[1].central_id is None


def test_all_equal_scores_fifty_and_stay_basic():
    rows = [DongIndexes(i, str(i), 35.1, 129.1, 100, 10, 1.0, 1, 0) for i in (1, 2)]
    models = hub_models(rows)
    assert all(m.scores["population"] == 50 for m in models)
    assert all(m.model == "basic" for m in models)


@pytest.mark.django_db
def test_planning_page(client, gu_user, dong_a, dong_b, password, volunteer):
    client.login(username=gu_user.username, password=password)
    html = client.get("/evaluation/planning/").content.decode()
    assert f'data-dong="{dong_a.pk}"' in html and "Method (seed 001" in html
    client.login(username=volunteer.username, password=password)
    assert client.get("/evaluation/planning/").status_code == 404
