"""The directory pages: find, add and keep services; register a found resource (counted)."""

from __future__ import annotations

from django.urls import reverse

from maeul.people.models import TimelineEvent
from maeul.resources.models import Resource, Service


def test_add_find_and_edit_a_service(client, official, partner_org, dong_a):
    client.force_login(official)
    response = client.post(
        reverse("funds:service_new"),
        {
            "organization": partner_org.pk,
            "area": dong_a.pk,
            "name": "집수리 봉사",
            "name_en": "Home repairs",
            "kind": "volunteer",
            "status": "active",
            "domains": ["housing", "safety"],
            "documents": "신분증\n임대차계약서",
            "places_per_month": "4",
        },
    )
    service = Service.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{service.pk}/")
    assert service.domains == ["housing", "safety"] and service.documents.count() == 2
    page = client.get(reverse("funds:directory"), {"domain": "housing"}).content.decode()
    assert "집수리 봉사" in page
    page = client.get(reverse("funds:directory"), {"domain": "income"}).content.decode()
    assert "집수리 봉사" not in page
    detail = client.get(reverse("funds:service_detail", args=[service.pk])).content.decode()
    assert "임대차계약서" in detail and "Home repairs" in detail


def test_bad_service_form_writes_nothing(client, official, partner_org, dong_a):
    client.force_login(official)
    response = client.post(
        reverse("funds:service_new"),
        {
            "organization": partner_org.pk,
            "area": dong_a.pk,
            "name": "x",
            "kind": "service",
            "status": "active",
            "minimum_age": "80",
            "maximum_age": "60",
        },
    )
    assert response.status_code == 200
    assert "The minimum age is above the maximum age." in response.content.decode()
    assert not Service.objects.exists()


def test_registering_a_resource_on_the_page_writes_the_counted_event(client, official, dong_a):
    client.force_login(official)
    response = client.post(
        reverse("funds:resource_list"),
        {
            "dong": dong_a.pk,
            "name": "라면 100상자",
            "kind": "goods",
            "amount": "1500000",
            "discovered_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    assert Resource.objects.get().amount == 1_500_000
    event = TimelineEvent.objects.get(kind=TimelineEvent.Kind.RESOURCE_DISCOVERED)
    assert event.amount == 1_500_000 and event.dong_id == dong_a.pk
    assert "라면 100상자" in client.get(reverse("funds:resource_list")).content.decode()


def test_resource_in_another_dong_cannot_be_chosen(client, official, dong_b):
    client.force_login(official)
    response = client.post(
        reverse("funds:resource_list"),
        {
            "dong": dong_b.pk,
            "name": "x",
            "kind": "cash",
            "amount": "1",
            "discovered_on": "2026-11-02",
        },
    )
    assert response.status_code == 400 and not Resource.objects.exists()
