"""The sensitive-notes form of the household page edits one member at a time, chosen
explicitly: it never shows one person's health or disability notes in the fields of another,
and saving it writes only the chosen member's notes (PIPA art. 23)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from maeul.people.models import Household, Resident
from maeul.people.services import resident_fill

pytestmark = pytest.mark.django_db

HEAD_HEALTH = "HEAD-고혈압"
HEAD_DISABILITY = "HEAD-지체장애"
SPOUSE_HEALTH = "SPOUSE-치매 초기"
SPOUSE_DISABILITY = "SPOUSE-시각장애"


class NotesForm(HTMLParser):
    """What a browser would submit from the page's sensitive-notes form: its action and the
    values of its inputs, textareas and selects (the selected option, else the first)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.values: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "/notes/" in (attrs.get("action") or ""):
            self._in_form, self.action = True, attrs["action"]
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") != "submit":
            self.values[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.values[self._select] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the one newline right after <textarea>.
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            self.values.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "form":
            self._in_form = False


def notes_form(html: str) -> NotesForm:
    form = NotesForm()
    form.feed(html)
    assert form.action, "the page has no sensitive-notes form"
    return form


@pytest.fixture
def couple(household_a) -> tuple[Household, Resident, Resident]:
    head = household_a.members.get()
    head.health_notes = HEAD_HEALTH
    head.disability_detail = HEAD_DISABILITY
    head.save()
    spouse = Resident(
        household=household_a,
        name="이순자",
        relation=Resident.Relation.SPOUSE,
        health_notes=SPOUSE_HEALTH,
        disability_detail=SPOUSE_DISABILITY,
    )
    resident_fill(spouse)
    spouse.save()
    return household_a, head, spouse


def test_the_notes_of_the_chosen_member_fill_the_form(client, nurse, couple):
    household, head, spouse = couple
    client.force_login(nurse)
    response = client.get(f"/households/{household.pk}/", {"member": spouse.pk})
    assert response.status_code == 200
    form = notes_form(response.content.decode())
    assert form.values["resident"] == str(spouse.pk)
    assert form.values["health_notes"] == SPOUSE_HEALTH
    assert form.values["disability_detail"] == SPOUSE_DISABILITY
    assert HEAD_HEALTH not in str(form.values) and HEAD_DISABILITY not in str(form.values)


def test_no_member_chosen_no_member_notes_in_the_form(client, nurse, couple):
    household, head, spouse = couple
    client.force_login(nurse)
    form = notes_form(client.get(f"/households/{household.pk}/").content.decode())
    assert "health_notes" not in form.values and "disability_detail" not in form.values
    for notes in (HEAD_HEALTH, HEAD_DISABILITY, SPOUSE_HEALTH, SPOUSE_DISABILITY):
        assert notes not in str(form.values)


def test_saving_the_second_members_notes_leaves_the_first_alone(client, nurse, couple):
    household, head, spouse = couple
    client.force_login(nurse)
    page = client.get(f"/households/{household.pk}/", {"member": spouse.pk})
    form = notes_form(page.content.decode())
    form.values["health_notes"] = "SPOUSE-치매, 약 복용"
    response = client.post(form.action, form.values)
    assert response.status_code == 302
    head = Resident.objects.get(pk=head.pk)
    spouse = Resident.objects.get(pk=spouse.pk)
    assert (head.health_notes, head.disability_detail) == (HEAD_HEALTH, HEAD_DISABILITY)
    assert (spouse.health_notes, spouse.disability_detail) == (
        "SPOUSE-치매, 약 복용",
        SPOUSE_DISABILITY,
    )


def test_a_field_left_out_of_the_post_is_left_unchanged(client, nurse, couple):
    household, head, spouse = couple
    client.force_login(nurse)
    response = client.post(
        f"/households/{household.pk}/notes/", {"resident": spouse.pk, "health_notes": "새 메모"}
    )
    assert response.status_code == 302
    spouse = Resident.objects.get(pk=spouse.pk)
    assert (spouse.health_notes, spouse.disability_detail) == ("새 메모", SPOUSE_DISABILITY)


def test_member_notes_without_a_member_are_refused(client, nurse, couple):
    household, head, spouse = couple
    client.force_login(nurse)
    response = client.post(f"/households/{household.pk}/notes/", {"health_notes": "누구?"})
    assert response.status_code == 400
    assert "Choose a member of this household." in response.content.decode()
    assert Resident.objects.get(pk=head.pk).health_notes == HEAD_HEALTH
    assert Resident.objects.get(pk=spouse.pk).health_notes == SPOUSE_HEALTH


def test_a_member_of_another_household_is_refused(client, nurse, couple, dong_a):
    from tests.factories import HouseholdFactory

    household, head, spouse = couple
    other = HouseholdFactory(dong=dong_a, head="박말순").members.get()
    client.force_login(nurse)
    response = client.post(
        f"/households/{household.pk}/notes/", {"resident": other.pk, "health_notes": "x"}
    )
    assert response.status_code == 400
    assert Resident.objects.get(pk=other.pk).health_notes == ""
    # Nor does choosing them on this household's page show their notes.
    other.health_notes = "OTHER-천식"
    other.save()
    html = client.get(f"/households/{household.pk}/", {"member": other.pk}).content.decode()
    assert "OTHER-천식" not in html


def test_the_official_gets_disability_and_violence_fields_but_no_health(client, official, couple):
    household, head, spouse = couple
    client.force_login(official)
    html = client.get(f"/households/{household.pk}/", {"member": spouse.pk}).content.decode()
    form = notes_form(html)
    assert form.values["disability_detail"] == SPOUSE_DISABILITY
    assert "violence_notes" in form.values
    assert "health_notes" not in form.values
    assert SPOUSE_HEALTH not in html and HEAD_HEALTH not in html
