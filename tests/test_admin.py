"""Django's admin is a viewer of the records about people: it writes none of them (the services
write them, with their timeline event and checks), every page that shows one leaves an audit
record, and no encrypted field is ever shown. Reference tables stay editable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Permission
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from maeul.accounts.admin_mixins import AuditedReadAdminMixin, ReadOnlyAdminMixin
from maeul.accounts.models import AuditRecord, Role, SafetyNetMember, User
from maeul.benefits.models import LocalRuleSetting, SweepRun
from maeul.campaigns.models import Campaign, Instrument
from maeul.discovery.models import OutboxMessage
from maeul.people.fields import EncryptedTextField
from maeul.people.models import BenefitReceipt, Consent, Household, Resident, TimelineEvent
from maeul.people.services import resident_fill
from maeul.resources.models import PartnerInstitution, Resource
from tests.factories import PASSWORD, HouseholdFactory, UserFactory

RRN = "500301-2345678"
HEALTH = "당뇨 인슐린 투여 중"
VIOLENCE = "배우자 폭력 신고 이력"
DISABILITY = "시각장애 1급 상세"

#: Models the admin may edit: no service of theirs has a rule, an event or an audit to bypass.
EDITABLE = {User, SafetyNetMember, PartnerInstitution, Resource}


def maeul_admins() -> list[tuple[type[Model], admin.ModelAdmin]]:
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("maeul.")
    ]


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root_t", "root@example.org", PASSWORD)


@pytest.fixture
def household(dong_a, official) -> Household:
    household = HouseholdFactory(dong=dong_a, head="이순자", violence_notes=VIOLENCE)
    head = household.members.get()
    head.health_notes = HEALTH
    head.disability_detail = DISABILITY
    resident_fill(head, rrn=RRN)
    head.save()
    return household


def consent(household: Household, official: User) -> Consent:
    return Consent.objects.create(
        household=household,
        purpose="hub case work",
        scopes=["hub"],
        given_on=dt.date(2026, 1, 5),
        recorded_by=official,
    )


#: model → how to make one record of it for the household.
RECORDS: dict[type[Model], Callable[[Household, User], Model]] = {
    Household: lambda household, official: household,
    TimelineEvent: lambda household, official: TimelineEvent.objects.create(
        household=household,
        dong=household.dong,
        kind=TimelineEvent.Kind.CONSENT_GIVEN,
        occurred_at=timezone.now(),
        actor=official,
        summary="상담 메모",
    ),
    BenefitReceipt: lambda household, official: BenefitReceipt.objects.create(
        household=household,
        resident=household.members.get(),
        programme="basic_pension",
        started_on=dt.date(2025, 4, 1),
        monthly_amount=334_810,
    ),
    Consent: consent,
    AuditRecord: lambda household, official: AuditRecord.objects.create(
        user=official,
        username=official.username,
        at=timezone.now(),
        action="view",
        household_id=household.pk,
        path=f"/households/{household.pk}/",
        purpose="case_work",
    ),
    Instrument: lambda household, official: Instrument.objects.create(
        code="t", name="t", items=[], cutoff=1, source="t"
    ),
    Campaign: lambda household, official: Campaign.objects.create(
        name="t",
        purpose="t",
        area=household.dong,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
        created_by=official,
    ),
    OutboxMessage: lambda household, official: OutboxMessage.objects.create(
        channel="sms", recipient="010-0000-0000", purpose="t", body="x"
    ),
    LocalRuleSetting: lambda household, official: LocalRuleSetting.objects.create(
        gu=household.dong.parent,
        parameter="local.livelihood.rate",
        value="0.5",
        valid_from=dt.date(2026, 1, 1),
        changed_by=official,
    ),
    SweepRun: lambda household, official: SweepRun.objects.create(
        actor=official,
        period="2026-01",
        households=1,
        results={str(household.dong_id): {"blind_spots": [[household.pk, ["basic_pension"]]]}},
    ),
}


def url(obj_or_model, view: str, *args) -> str:
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def snapshot(model: type[Model]) -> list[tuple]:
    return sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))


# --- which admin may write --------------------------------------------------------------------


def test_every_registered_model_but_the_reference_tables_is_read_only():
    for model, model_admin in maeul_admins():
        if model in EDITABLE:
            continue
        assert isinstance(model_admin, ReadOnlyAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, ReadOnlyAdminMixin), inline


def test_every_admin_of_a_household_record_audits_its_reads():
    for model, model_admin in maeul_admins():
        if model is Household or any(
            f.is_relation and f.related_model is Household for f in model._meta.fields
        ):
            assert isinstance(model_admin, AuditedReadAdminMixin), model


def test_the_records_tested_below_are_all_the_read_only_ones():
    read_only = {m for m, a in maeul_admins() if isinstance(a, ReadOnlyAdminMixin)}
    assert read_only == set(RECORDS)


# --- the refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(RECORDS), ids=lambda m: m.__name__)
def test_admin_refuses_to_add_change_or_delete(client, superuser, household, official, model):
    record = RECORDS[model](household, official)
    client.force_login(superuser)
    before = {m: snapshot(m) for m in (model, Household, Resident, TimelineEvent, AuditRecord)}
    audits = AuditRecord.objects.count()

    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "add"), {"address": "x", "purpose": "x"}).status_code == 403
    change = client.post(
        url(record, "change", record.pk),
        {"address": "바뀐 주소", "purpose": "바뀐 목적", "period": "2020-01", "_save": "Save"},
    )
    assert change.status_code == 403
    assert client.get(url(record, "delete", record.pk)).status_code == 403
    assert client.post(url(record, "delete", record.pk), {"post": "yes"}).status_code == 403
    bulk = client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)

    for m, rows in before.items():
        if m is AuditRecord:
            # The refused requests read nothing; only the list re-shown after the bulk POST may
            # have been audited.
            assert AuditRecord.objects.count() - audits <= 1
            assert snapshot(AuditRecord)[: len(rows)] == rows
        else:
            assert snapshot(m) == rows, m


@pytest.mark.parametrize("model", list(RECORDS), ids=lambda m: m.__name__)
def test_admin_pages_offer_no_write(client, superuser, household, official, model):
    record = RECORDS[model](household, official)
    client.force_login(superuser)
    page = client.get(url(record, "change", record.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert url(record, "delete", record.pk) not in html
    listing = client.get(url(model, "changelist")).content.decode()
    assert "delete_selected" not in listing
    assert url(model, "add") not in listing


def test_only_superusers_and_administrators_view_the_records(client, household, dong_a, gu):
    view = Permission.objects.get(codename="view_household")
    official = UserFactory(role=Role.WELFARE_OFFICIAL, home_area=dong_a, is_staff=True)
    administrator = UserFactory(role=Role.ADMINISTRATOR, home_area=gu, is_staff=True)
    for user in (official, administrator):
        user.user_permissions.add(view)
    client.force_login(official)
    assert client.get(url(household, "change", household.pk)).status_code == 403
    assert client.get(url(Household, "changelist")).status_code == 403
    client.force_login(administrator)
    assert client.get(url(household, "change", household.pk)).status_code == 200
    assert client.post(url(household, "change", household.pk), {}).status_code == 403


# --- audit ------------------------------------------------------------------------------------


def test_household_change_view_writes_one_audit_record(client, superuser, household):
    client.force_login(superuser)
    before = AuditRecord.objects.count()
    assert client.get(url(household, "change", household.pk)).status_code == 200
    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("id")
    assert (record.user, record.action, record.household_id, record.purpose) == (
        superuser,
        "view",
        household.pk,
        "admin",
    )
    assert record.path == url(household, "change", household.pk)


@pytest.mark.parametrize(
    "model", [TimelineEvent, BenefitReceipt, Consent], ids=lambda m: m.__name__
)
def test_a_household_record_view_is_audited_as_a_read_of_its_household(
    client, superuser, household, official, model
):
    record = RECORDS[model](household, official)
    client.force_login(superuser)
    client.get(url(record, "change", record.pk))
    audit = AuditRecord.objects.latest("id")
    assert (audit.action, audit.household_id, audit.purpose) == ("view", household.pk, "admin")


def test_household_list_audits_the_households_on_the_page(client, superuser, household, dong_b):
    other = HouseholdFactory(dong=dong_b)
    client.force_login(superuser)
    assert client.get(url(Household, "changelist")).status_code == 200
    audit = AuditRecord.objects.latest("id")
    assert (audit.action, audit.purpose) == ("list", "admin")
    assert sorted(audit.household_ids) == sorted([household.pk, other.pk])


def test_household_history_view_is_audited(client, superuser, household):
    client.force_login(superuser)
    assert client.get(url(household, "history", household.pk)).status_code == 200
    audit = AuditRecord.objects.latest("id")
    assert (audit.action, audit.household_id) == ("view", household.pk)


def test_a_missing_household_is_not_audited(client, superuser, db):
    client.force_login(superuser)
    client.get(url(Household, "change", 999_999))
    assert not AuditRecord.objects.filter(household_id=999_999).exists()


def test_safety_net_member_view_is_audited(client, superuser, dong_a):
    member = SafetyNetMember.objects.create(
        name="최반장",
        phone="010-1234-5678",
        dong=dong_a,
        team="care",
        joined_on=dt.date(2025, 1, 1),
    )
    client.force_login(superuser)
    assert client.get(url(member, "change", member.pk)).status_code == 200
    audit = AuditRecord.objects.latest("id")
    assert (audit.action, audit.household_id, audit.purpose) == ("view", None, "admin")
    assert audit.path == url(member, "change", member.pk)


# --- what is never shown ----------------------------------------------------------------------


def test_no_admin_can_show_an_encrypted_field(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in maeul_admins():
        shown = [
            (
                model,
                flatten_fieldsets(model_admin.get_fieldsets(request)),
                model_admin.list_display,
            ),
            *(
                (
                    inline.model,
                    flatten_fieldsets(inline(model, admin.site).get_fieldsets(request)),
                    (),
                )
                for inline in model_admin.inlines
            ),
        ]
        for shown_model, fields, listed in shown:
            secret = {
                f.name
                for f in shown_model._meta.fields
                if isinstance(f, EncryptedTextField) or f.name.startswith("rrn")
            }
            names = set(fields) | set(listed) | set(model_admin.search_fields)
            assert not secret & names, (shown_model, secret & names)


def test_registration_number_and_sensitive_notes_are_not_shown(client, superuser, household):
    head = household.members.get()
    client.force_login(superuser)
    html = client.get(url(household, "change", household.pk)).content.decode()
    assert head.name in html  # the member is shown …
    for secret in (RRN, RRN.replace("-", ""), RRN[:8], head.rrn_encrypted, HEALTH, VIOLENCE):
        assert secret not in html  # … not the registration number, nor the sensitive notes
    assert DISABILITY not in html
    listing = client.get(url(Household, "changelist")).content.decode()
    assert RRN not in listing and RRN[:8] not in listing


def test_timeline_event_shows_no_case_notes(client, superuser, household, official):
    event = RECORDS[TimelineEvent](household, official)
    client.force_login(superuser)
    html = client.get(url(event, "change", event.pk)).content.decode()
    assert event.get_kind_display() in html
    assert "상담 메모" not in html


# --- reference tables -------------------------------------------------------------------------


def test_an_editable_reference_table_still_saves(client, superuser, partner_org, dong_a):
    client.force_login(superuser)
    response = client.post(
        url(partner_org, "change", partner_org.pk),
        {
            "name": "망미종합사회복지관 (이전)",
            "kind": PartnerInstitution.Kind.WELFARE_CENTRE,
            "area": dong_a.pk,
            "mou_signed_on": "2025-03-01",
            "phone": "051-000-0000",
            "services": "도시락 배달",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content
    partner_org.refresh_from_db()
    assert partner_org.name == "망미종합사회복지관 (이전)"
    assert partner_org.mou_signed_on == dt.date(2025, 3, 1)


def test_a_safety_net_member_can_still_be_added(client, superuser, dong_a):
    client.force_login(superuser)
    response = client.post(
        url(SafetyNetMember, "add"),
        {
            "name": "최반장",
            "phone": "",
            "dong": dong_a.pk,
            "team": SafetyNetMember.Team.DISCOVERY,
            "kind": SafetyNetMember.Kind.TONG_JANG,
            "joined_on": "2025-01-01",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content
    assert SafetyNetMember.objects.filter(name="최반장", dong=dong_a).exists()
