"""The pages: the dong's day, a member's round (audited), the area map (scoped)."""

import json
import random

from maeul.accounts.models import AuditRecord
from maeul.routing.models import DayPlan, Round, Stop
from maeul.routing.tests.test_services import DAY, place, team, work  # noqa: F401 (fixtures)
from tests.factories import HouseholdFactory


def map_data(response) -> dict:
    html = response.content.decode()
    marker = '<script id="map-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def test_plan_a_day_and_open_a_round(client, official, dong_a, work):  # noqa: F811
    client.force_login(official)
    response = client.post("/rounds/plan/", {"dong": dong_a.pk, "day": DAY.isoformat()})
    assert response.status_code == 302
    plan = DayPlan.objects.get(dong=dong_a, day=DAY)
    page = client.get(f"/rounds/?dong={dong_a.pk}&day={DAY.isoformat()}")
    assert page.status_code == 200
    round_ = Round.objects.filter(plan=plan, member=official).get()
    assert f"/rounds/{round_.pk}/" in page.content.decode()
    before = AuditRecord.objects.count()
    page = client.get(f"/rounds/{round_.pk}/")
    assert page.status_code == 200
    stops = [s for s in round_.stops.all() if s.household_id]
    body = page.content.decode()
    for stop in stops:
        assert stop.household.address in body
    record = AuditRecord.objects.order_by("-pk").first()
    assert AuditRecord.objects.count() == before + 1
    assert sorted(record.household_ids) == sorted(s.household_id for s in stops)
    assert record.purpose == "visit"
    data = map_data(page)
    assert [s["n"] for s in data["stops"] if "n" in s] == list(range(1, len(stops) + 1))
    assert sum(1 for s in data["stops"] if s.get("lunch")) == 1


def test_not_today_takes_a_stop_off_and_keeps_the_member(client, official, dong_a, work):  # noqa: F811
    client.force_login(official)
    client.post("/rounds/plan/", {"dong": dong_a.pk, "day": DAY.isoformat()})
    stop = Stop.objects.filter(round__member=official).exclude(kind=Stop.Kind.LUNCH).first()
    response = client.post(f"/rounds/stops/{stop.pk}/skip/")
    assert response.status_code == 302
    new_round = Round.objects.get(plan__dong=dong_a, member=official)
    assert response["Location"] == f"/rounds/{new_round.pk}/"
    assert stop.key not in set(new_round.stops.values_list("key", flat=True))


def test_the_area_map_shows_only_the_viewers_households(
    client,
    official,
    official_b,
    volunteer,
    dong_a,
    dong_b,
    work,  # noqa: F811
):
    other = place(HouseholdFactory(dong=dong_b), random.Random(2))
    client.force_login(official)
    data = map_data(client.get("/rounds/map/"))
    ids = {h["id"] for h in data["households"]}
    assert other.pk not in ids and {h.pk for h in work["households"]} <= ids
    assert client.get(f"/rounds/map/?dong={dong_b.pk}").status_code == 404
    audit = AuditRecord.objects.order_by("-pk").first()
    assert audit.action == "map" and other.pk not in audit.household_ids
    client.force_login(official_b)
    data = map_data(client.get("/rounds/map/"))
    assert [h["id"] for h in data["households"]] == [other.pk]
    assert data["leads"] == [] and data["overdue"] == []
    client.force_login(volunteer)
    assert client.get("/rounds/map/").status_code == 404
    assert client.get("/rounds/").status_code == 404


def test_the_day_page_says_the_hub_s_nominal_day(client, official, dong_a, work, settings):  # noqa: F811
    settings.ROUTING_NOMINAL_DAY_HOURS = 7.5
    client.force_login(official)
    client.post("/rounds/plan/", {"dong": dong_a.pk, "day": DAY.isoformat()})
    body = client.get(f"/rounds/?dong={dong_a.pk}&day={DAY.isoformat()}").content.decode()
    assert "센터 밖 7.5시간" in body or "Nominal day: 7.5 h" in body
