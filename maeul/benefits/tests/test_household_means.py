"""The means data of the household page's benefit section, rendered only when asked: the page
leaves the closed details empty (with a link), opening it fetches the forms from
`benefits:household_means` (scoped and audited like the page), `?means=1` renders them in place
(the link a browser without JavaScript follows), and a form sent back with errors opens them."""

from __future__ import annotations

import re

import pytest

from maeul.accounts.models import AuditRecord
from maeul.benefits.models import MeansRecord
from maeul.benefits.tests.helpers import means_for
from tests.factories import AreaFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


def _means_details(html: str) -> str:
    match = re.search(r'<details id="benefits-means"[^>]*>.*?</details>', html, re.S)
    assert match, "the means details is on the page"
    return match.group(0)


def test_page_leaves_the_means_forms_to_be_fetched(client, official, household_a):
    client.force_login(official)
    url = f"/benefits/households/{household_a.pk}/means/"
    details = _means_details(client.get(f"/households/{household_a.pk}/").content.decode())
    assert '<details id="benefits-means">' in details  # closed
    assert 'name="situation-region"' not in details and "obligor-relation" not in details
    assert (
        f'hx-get="{url}"' in details and 'hx-trigger="toggle once from:closest details"' in details
    )
    assert f'href="{url}"' in details  # without JavaScript: a link


def test_fragment_has_the_forms_and_is_audited(client, official, household_a):
    means_for(household_a, earned_income=1_200_000)
    member = household_a.members.get()
    client.force_login(official)
    before = AuditRecord.objects.filter(household_id=household_a.pk).count()
    response = client.get(f"/benefits/households/{household_a.pk}/means/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="situation-region"' in html and 'name="obligor-relation"' in html
    assert f'id="means-{member.pk}"' in html and 'value="1200000"' in html
    assert f'hx-post="/benefits/households/{household_a.pk}/means/{member.pk}/"' in html
    records = AuditRecord.objects.filter(household_id=household_a.pk).order_by("pk")
    assert records.count() == before + 1
    record = records.last()
    assert record.user == official and record.action == "view" and record.purpose == "benefits"


def test_fragment_equals_the_forms_of_the_page_opened_with_means(client, official, household_a):
    means_for(household_a)
    client.force_login(official)
    page = client.get(f"/households/{household_a.pk}/?means=1").content.decode()
    details = _means_details(page)
    assert details.startswith('<details id="benefits-means" open>')
    fragment = client.get(
        f"/benefits/households/{household_a.pk}/means/", HTTP_HX_REQUEST="true"
    ).content.decode()
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    body = re.sub(r"^.*?</summary>|</details>$", "", details, flags=re.S).strip()
    assert csrf.sub("", body) == csrf.sub("", fragment.strip())


def test_without_javascript_the_link_opens_the_page_with_the_forms(client, official, household_a):
    client.force_login(official)
    response = client.get(f"/benefits/households/{household_a.pk}/means/")
    assert response.status_code == 302
    assert response["Location"] == f"/households/{household_a.pk}/?means=1#benefits-means"
    html = client.get(response["Location"]).content.decode()
    assert 'name="situation-region"' in _means_details(html)


def test_form_with_errors_comes_back_open(client, official, household_a):
    member = household_a.members.get()
    client.force_login(official)
    prefix = f"means-{member.pk}-"
    response = client.post(
        f"/benefits/households/{household_a.pk}/means/{member.pk}/",
        {prefix + "earned_income": "-5"},
        HTTP_HX_REQUEST="true",
    )
    details = _means_details(response.content.decode())
    assert details.startswith('<details id="benefits-means" open>') and "has-error" in details
    assert not MeansRecord.objects.exists()
    # saved: the section comes back with the details closed again, as before
    ok = client.post(
        f"/benefits/households/{household_a.pk}/means/{member.pk}/",
        {prefix + "earned_income": "0", prefix + "other_income": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert '<details id="benefits-means">' in ok.content.decode()


def test_other_gu_household_is_404_and_not_audited(client, official, household_b):
    other_gu = AreaFactory(code="2635000000", name="해운대구", level="sigungu", parent=None)
    dong = AreaFactory(code="2635051000", name="우제1동", parent=other_gu)
    household = HouseholdFactory(dong=dong, head="타구비밀")
    client.force_login(official)
    for hid in (household.pk, household_b.pk):
        for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
            response = client.get(f"/benefits/households/{hid}/means/", **headers)
            assert response.status_code == 404
            assert "타구비밀" not in response.content.decode()
    assert not AuditRecord.objects.filter(household_id__in=[household.pk, household_b.pk]).exists()


def test_not_for_volunteers_nor_partners(client, volunteer, partner_user, household_a):
    for user in (volunteer, partner_user):
        client.force_login(user)
        response = client.get(
            f"/benefits/households/{household_a.pk}/means/", HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 404


def test_fragment_is_read_only(client, official, household_a):
    client.force_login(official)
    response = client.post(f"/benefits/households/{household_a.pk}/means/", {})
    assert response.status_code == 405
