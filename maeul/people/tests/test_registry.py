"""Keeping the registry: edits, member moves, and the merge of two records of one household
with its undo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import timezone

from maeul.cases.models import Case
from maeul.cases.services import case_open
from maeul.discovery.models import Lead
from maeul.discovery.services import lead_register
from maeul.errors import DomainError, NotFound
from maeul.people import registry
from maeul.people.models import BenefitReceipt, Household, HouseholdMerge, Resident, TimelineEvent
from maeul.people.registry import (
    household_update,
    households_merge,
    merge_undo,
    resident_add,
    resident_move,
    resident_update,
)
from maeul.people.services import household_register
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_household_update_checks_choices_and_records_it(official, household_a):
    household_update(
        actor=official,
        household=household_a,
        address="부산광역시 수영구 새주소로 1",
        phone="010-1111-2222",
        housing="public_rental",
        groups=["senior_alone", "disabled"],
    )
    household_a.refresh_from_db()
    assert household_a.groups == ["senior_alone", "disabled"]
    assert household_a.events.filter(kind="household_updated").count() == 1
    with pytest.raises(DomainError) as err:
        household_update(actor=official, household=household_a, address="x", groups=["nope"])
    assert err.value.code == "invalid_group"
    household_a.refresh_from_db()
    assert household_a.address == "부산광역시 수영구 새주소로 1"


def test_only_staff_in_scope_edit(volunteer, official, household_b):
    with pytest.raises(NotFound):
        household_update(actor=official, household=household_b, address="x")
    household_b.care_volunteers.add(volunteer)
    with pytest.raises(NotFound):
        resident_add(actor=volunteer, household=household_b, name="새사람", relation="child")


def test_member_add_update_and_move(official, household_a, dong_a):
    child = resident_add(
        actor=official,
        household=household_a,
        name="김아들",
        relation="child",
        birth_date=dt.date(1990, 1, 1),
        rrn="900101-1234567",
    )
    assert child.rrn_index and child.rrn == "900101-1234567"
    resident_update(actor=official, resident=child, name="김큰아들", relation="child")
    child.refresh_from_db()
    assert child.name == "김큰아들" and child.rrn_index  # no number given: kept
    BenefitReceipt.objects.create(
        household=household_a,
        resident=child,
        programme="basic_pension",
        started_on=dt.date(2025, 1, 1),
    )
    new_home = HouseholdFactory(dong=dong_a, head="이웃")
    resident_move(actor=official, resident=child, to=new_home)
    child.refresh_from_db()
    assert child.household == new_home
    assert BenefitReceipt.objects.get(resident=child).household == new_home
    assert household_a.events.filter(kind="member_moved").exists()
    assert new_home.events.filter(kind="member_moved").exists()
    with pytest.raises(DomainError) as err:
        resident_move(actor=official, resident=household_a.members.get(), to=new_home)
    assert err.value.code == "only_member"
    with pytest.raises(DomainError):
        resident_add(actor=official, household=household_a, name=" ", relation="child")
    with pytest.raises(DomainError):
        resident_add(
            actor=official, household=household_a, name="가", relation="child", rrn="12345"
        )


@pytest.fixture
def twins(official, dong_a, volunteer):
    """One household registered twice: by a lead (name and birth date) and by hand, at two
    spellings of its address, each with records of its own."""
    lead = lead_register(
        actor=official,
        source="staff",
        dong=dong_a,
        address="부산광역시 수영구 망미로 10",
        subject_name="박순이",
        subject_birth_date=dt.date(1945, 5, 5),
    )
    first = lead.household
    second = household_register(
        actor=official,
        dong=dong_a,
        address="부산광역시 수영구 망미로 10-1",
        head_name="박순이",
        head_birth_date=dt.date(1945, 5, 5),
    )
    visit_plan(actor=official, household=second, planned_on=timezone.localdate())
    BenefitReceipt.objects.create(
        household=second, programme="basic_pension", started_on=dt.date(2025, 1, 1)
    )
    second.care_volunteers.add(volunteer)
    return first, second


def test_merge_moves_everything_and_undo_restores_it(official, twins, volunteer):
    first, second = twins
    second_id = second.pk
    second_events = set(second.events.values_list("pk", flat=True))
    record = households_merge(actor=official, keep=first, merge=second)
    assert not Household.objects.filter(pk=second_id).exists()
    assert first.members.count() == 2
    assert Visit.objects.get().household_id == first.pk
    assert BenefitReceipt.objects.get().household_id == first.pk
    assert set(first.events.values_list("pk", flat=True)) >= second_events
    assert volunteer in first.care_volunteers.all()
    assert first.events.filter(kind="household_merged").exists()
    assert record.merged_by == official and record.moved["visits.Visit.household"]

    restored = merge_undo(actor=official, merge=record)
    assert restored.pk == second_id and restored.address == "부산광역시 수영구 망미로 10-1"
    assert restored.members.count() == 1 and first.members.count() == 1
    assert Visit.objects.get().household_id == second_id
    assert BenefitReceipt.objects.get().household_id == second_id
    assert set(restored.events.values_list("pk", flat=True)) == second_events
    assert volunteer in restored.care_volunteers.all()
    assert volunteer not in first.care_volunteers.all()
    assert Lead.objects.get().household_id == first.pk  # the lead was the first record's
    record.refresh_from_db()
    assert record.undone_by == official
    assert first.events.filter(kind="merge_undone").exists()
    with pytest.raises(DomainError) as err:
        merge_undo(actor=official, merge=record)
    assert err.value.code == "merge_undone"


def test_a_merged_household_keeps_one_head_and_undo_gives_the_head_back(official, twins):
    first, second = twins
    assert first.members.get().relation == second.members.get().relation == "head"
    record = households_merge(actor=official, keep=first, merge=second)
    # The benefit rules and the household page need exactly one head.
    assert list(first.members.values_list("relation", flat=True).order_by("pk")) == [
        "head",
        "other",
    ]
    restored = merge_undo(actor=official, merge=record)
    assert restored.members.get().relation == "head"
    assert first.members.get().relation == "head"


def test_merge_cannot_be_undone_after_30_days(official, twins):
    first, second = twins
    record = households_merge(actor=official, keep=first, merge=second)
    HouseholdMerge.objects.filter(pk=record.pk).update(
        merged_at=timezone.now() - dt.timedelta(days=31)
    )
    with pytest.raises(DomainError) as err:
        merge_undo(actor=official, merge=record)
    assert err.value.code == "merge_too_old"


def test_merge_refuses_two_unrelated_households(official, dong_a):
    a = HouseholdFactory(dong=dong_a, head="가나다")
    b = HouseholdFactory(dong=dong_a, head="라마바")
    Resident.objects.filter(household=b).update(birth_date=dt.date(1980, 1, 1))
    with pytest.raises(DomainError) as err:
        households_merge(actor=official, keep=a, merge=b)
    assert err.value.code == "not_same_household"


def test_merge_conflict_moves_nothing(official, twins):
    first, second = twins
    case_open(actor=official, household=first, kind="general", manager=official)
    case_open(actor=official, household=second, kind="general", manager=official)
    with pytest.raises(DomainError) as err:
        households_merge(actor=official, keep=first, merge=second)
    assert err.value.code == "merge_conflict"
    assert Household.objects.filter(pk=second.pk).exists()
    assert Case.objects.get(household=second) and second.members.count() == 1
    assert Visit.objects.get().household_id == second.pk
    assert not HouseholdMerge.objects.exists()


def test_merge_out_of_scope_is_not_found(official, official_b, twins):
    first, second = twins
    with pytest.raises(NotFound):
        households_merge(actor=official_b, keep=first, merge=second)
    assert TimelineEvent.objects.filter(kind="household_merged").count() == 0


def _a_row(model, *, household, context, depth=0):
    """A row of `model` with its required fields filled in (foreign keys made the same way,
    or the household, its dong, the acting user), saved. Generic, so that a table an app adds
    later is covered too."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default():
            if not (field.is_relation and field.related_model is Household):
                continue
        if field.is_relation:
            target = field.related_model
            if target is Household:
                values[field.name] = household
            elif target._meta.label in context:
                values[field.name] = context[target._meta.label]
            else:
                assert depth < 4, f"{model._meta.label}: too deep"
                values[field.name] = _a_row(
                    target, household=household, context=context, depth=depth + 1
                )
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, (models.DateTimeField,)):
            values[field.name] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.name] = dt.date(2026, 1, 1)
        elif isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
            values[field.name] = 1
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
        elif isinstance(field, models.JSONField):
            values[field.name] = {}
        else:
            values[field.name] = "x"
    return model._base_manager.create(**values)


def test_a_merge_moves_the_rows_of_every_app_and_undo_sends_them_back(official, twins):
    """Every table of every app that points to a household (found through Django's registry,
    hidden reverse names included): its row of the merged record moves to the kept one through
    that app's own `merge` module, and comes back on undo."""
    first, second = twins
    context = {"areas.Area": second.dong, "accounts.User": official}
    rows = {}
    for field in registry._all_relations():
        if field.model._meta.app_label == "people":
            continue
        existing = field.model._base_manager.filter(**{field.name: second}).first()
        rows[registry._label(field)] = existing or _a_row(
            field.model, household=second, context=context
        )
    apps_with_rows = {label.split(".")[0] for label in rows}
    assert apps_with_rows >= {"discovery", "visits", "cases", "campaigns", "screening"}
    assert {m.__name__.split(".")[1] for m in registry.app_merges()} >= apps_with_rows
    second_id = second.pk
    record = households_merge(actor=official, keep=first, merge=second)
    for label, row in rows.items():
        row.refresh_from_db()
        assert row.household_id == first.pk, label
        assert record.moved[label] == [row.pk], label
    merge_undo(actor=official, merge=record)
    for label, row in rows.items():
        row.refresh_from_db()
        assert row.household_id == second_id, label


def test_an_app_without_a_merge_module_refuses_the_merge(official, twins, monkeypatch):
    """A table whose app has no `merge` module would be lost with the merged record: the
    merge stops and nothing moves."""
    first, second = twins
    every = registry.app_merges()
    monkeypatch.setattr(
        registry, "app_merges", lambda: [m for m in every if m.__name__ != "maeul.visits.merge"]
    )
    with pytest.raises(ImproperlyConfigured, match="visits.Visit.household"):
        households_merge(actor=official, keep=first, merge=second)
    assert Household.objects.filter(pk=second.pk).exists()
    assert Visit.objects.get().household_id == second.pk
    assert not HouseholdMerge.objects.exists()


def test_household_page_links_to_the_record_for_those_who_may_edit(
    client, official, volunteer, household_a
):
    household_a.care_volunteers.add(volunteer)
    page = reverse("hub:household_detail", args=[household_a.pk])
    edit = reverse("people:household_edit", args=[household_a.pk])
    client.force_login(official)
    assert f'href="{edit}"' in client.get(page).content.decode()
    client.force_login(volunteer)
    response = client.get(page)
    assert response.status_code == 200 and f'href="{edit}"' not in response.content.decode()
    assert client.get(edit).status_code == 404
