"""Writes of the councils app: councils and their records (hub staff of the council's area),
survey rounds (the gu team), answers by link (no login: the token is the key) and paper
answers imported from a spreadsheet (all or nothing), case reviews (only households that
consented to council review; the decision also on the household's timeline). The council's
own records — projects, budget lines, education, the gu's annual plan, working groups — are
written in `records`, re-exported here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from maeul.accounts.models import User
from maeul.areas.models import Area
from maeul.councils.models import (
    CaseReview,
    Council,
    Decision,
    Meeting,
    Member,
    SurveyAnswer,
    SurveyInvite,
    SurveyRound,
    Zone,
    ZonePlanYear,
)
from maeul.councils.services.guards import _require_gu_team, _require_manager
from maeul.councils.services.members import (  # noqa: F401 (members, re-exported)
    member_accounts,
    member_add,
    member_term_end,
    member_update,
)
from maeul.councils.services.records import (  # noqa: F401 (the council's records, re-exported)
    budget_line_delete,
    budget_line_save,
    education_save,
    group_delete,
    group_save,
    guest_set,
    plan_create,
    plan_save,
    project_report,
    project_save,
)
from maeul.councils.survey.instrument import ITEMS
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Household, TimelineEvent
from maeul.people.selectors import dong_ids_of, household_consents_to, households_visible_to
from maeul.people.services import event_record

ITEM_CODES = {i.item for i in ITEMS}


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    council: Council,
    held_on: dt.date,
    agenda: str,
    minutes: str = "",
    kind: str = Meeting.Kind.PLENARY,
    attendee_ids: list[int] | None = None,
    decisions: list[str] | None = None,
) -> Meeting:
    _require_manager(actor, council)
    if not agenda.strip():
        raise DomainError("agenda_required", _("A meeting needs its agenda."), field="agenda")
    meeting = Meeting.objects.create(
        council=council, held_on=held_on, agenda=agenda, minutes=minutes, kind=kind
    )
    if attendee_ids:
        members = council.members.filter(pk__in=attendee_ids, term_end__gte=held_on)
        if members.count() != len(set(attendee_ids)):
            raise DomainError(
                "unknown_member",
                _("An attendee is not a member of this council on the meeting day."),
                field="attendees",
            )
        meeting.attendees.set(members)
    Decision.objects.bulk_create(
        [Decision(meeting=meeting, text=t.strip()) for t in decisions or [] if t.strip()]
    )
    return meeting


@transaction.atomic
def decision_follow_up(
    *, actor: User, decision: Decision, carried_out: bool, note: str = ""
) -> Decision:
    _require_manager(actor, decision.meeting.council)
    decision.carried_out = carried_out
    decision.note = note
    decision.save(update_fields=["carried_out", "note"])
    return decision


# -- the perception survey ------------------------------------------------------------------


@transaction.atomic
def survey_round_open(
    *,
    actor: User,
    title: str,
    gus: list[Area],
    opened_on: dt.date,
    closes_on: dt.date,
    sample_rate: float = 1.0,
    seed: int = 0,
) -> SurveyRound:
    """Open a round over the dong councils of the gus: the population of private members per
    participant type is taken now (public co-chairs, the dong heads, are not private members),
    and a stratified sample (the same rate in every participant type, at least one member of
    each) gets a link each."""
    _require_gu_team(actor)
    allowed = set(
        Area.objects.filter(pk__in=dong_ids_of(actor)).values_list("parent_id", flat=True)
    )
    if not gus or any(g.pk not in allowed or g.level != Area.Level.SIGUNGU for g in gus):
        raise DomainError("bad_gus", _("Choose one or more gus of your own."), field="gus")
    if closes_on < opened_on:
        raise DomainError("bad_dates", _("The round closes before it opens."), field="closes_on")
    if not 0 < sample_rate <= 1:
        raise DomainError(
            "bad_rate", _("The sample rate is above 0 and at most 1."), field="sample_rate"
        )
    members = list(
        Member.objects.filter(council__area__parent__in=gus, term_end__gte=opened_on)
        .exclude(position=Member.Position.PUBLIC_COCHAIR)
        .order_by("pk")
    )
    if not members:
        raise DomainError("no_members", _("These gus' councils have no private members."))
    population = dict(
        Member.objects.filter(pk__in=[m.pk for m in members])
        .values_list("participant_type")
        .annotate(n=Count("pk"))
        .order_by("participant_type")
    )
    survey = SurveyRound.objects.create(
        title=title.strip() or _("Perception survey"),
        opened_on=opened_on,
        closes_on=closes_on,
        population=population,
        created_by=actor,
    )
    survey.gus.set(gus)
    rng = random.Random(seed)
    sampled: list[Member] = []
    for kind in sorted(population):
        stratum = [m for m in members if m.participant_type == kind]
        size = max(1, round(len(stratum) * sample_rate))
        sampled += rng.sample(stratum, size)
    SurveyInvite.objects.bulk_create([SurveyInvite(round=survey, member=m) for m in sampled])
    return survey


def _clean_answers(answers: dict[str, object]) -> dict[str, int]:
    clean: dict[str, int] = {}
    for item, value in answers.items():
        if value in (None, ""):
            continue
        if item not in ITEM_CODES:
            raise DomainError("unknown_item", _("Unknown item %(item)s.") % {"item": item})
        try:
            number = int(str(value).strip())
        except ValueError:
            number = 0
        if str(value).strip() not in {str(i) for i in range(1, 8)}:
            raise DomainError(
                "answer_out_of_range",
                _("Answer %(value)s to %(item)s: answers are whole numbers 1–7.")
                % {"value": value, "item": item},
            )
        clean[item] = number
    if not clean:
        raise DomainError("no_answers", _("Answer at least one question."))
    return clean


@transaction.atomic
def survey_answer_submit(
    *, token: str, answers: dict[str, object], source: str = SurveyInvite.Source.WEB
) -> SurveyInvite:
    """A sampled member's answers through their link: once only, while the round is open."""
    invite = (
        SurveyInvite.objects.select_for_update().select_related("round").filter(token=token).first()
    )
    if invite is None or not token:
        raise NotFound()
    if invite.answered_at is not None:
        raise DomainError(
            "already_answered", _("These answers have already been received. Thank you.")
        )
    today = timezone.localdate()
    if source == SurveyInvite.Source.WEB and not (
        invite.round.opened_on <= today <= invite.round.closes_on
    ):
        raise DomainError("round_closed", _("This survey is not open."))
    clean = _clean_answers(answers)
    SurveyAnswer.objects.bulk_create(
        [SurveyAnswer(invite=invite, item=item, answer=value) for item, value in clean.items()]
    )
    invite.answered_at = timezone.now()
    invite.source = source
    invite.save(update_fields=["answered_at", "source"])
    return invite


class ImportErrors(DomainError):
    """Rows of a paper-answer spreadsheet that cannot be taken; nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(
            "import_rows", _("%(n)d row(s) have errors; nothing was imported.") % {"n": len(errors)}
        )
        self.errors = errors


def read_sheet(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8) or XLSX upload as dicts of text, header from the first row."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise DomainError("bad_file", _("Not a readable Excel file.")) from exc
        rows = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError("bad_file", _("The CSV file is not UTF-8.")) from exc
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise DomainError("bad_file", _("Upload a .csv or .xlsx file."))
    if not rows:
        raise DomainError("bad_file", _("The file is empty."))
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(r)]


@transaction.atomic
def survey_import_paper(*, actor: User, survey: SurveyRound, name: str, content: bytes) -> int:
    """Paper answers: one row per member (column `member`, the member number printed on the
    form) and one column per item code. All rows are checked first; any error and nothing is
    written. Returns the number of members imported."""
    _require_gu_team(actor)
    rows = read_sheet(name, content)
    if rows and "member" not in rows[0]:
        raise DomainError("missing_columns", _("The sheet needs a 'member' column."))
    invites = {str(i.member_id): i for i in survey.invites.all()}
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    checked: list[tuple[SurveyInvite, dict[str, int]]] = []
    for number, row in enumerate(rows, start=2):
        member = (row.get("member") or "").removesuffix(".0")
        invite = invites.get(member)
        if invite is None:
            errors.append(
                (number, _("Member %(m)s was not sampled in this round.") % {"m": member})
            )
            continue
        if member in seen or invite.answered_at is not None:
            errors.append((number, _("Member %(m)s has already answered.") % {"m": member}))
            continue
        seen.add(member)
        unknown = [k for k in row if k and k != "member" and k not in ITEM_CODES]
        if unknown:
            errors.append((number, _("Unknown item column(s): %(c)s.") % {"c": ", ".join(unknown)}))
            continue
        try:
            answers = _clean_answers(
                {k: (v or "").removesuffix(".0") for k, v in row.items() if k != "member"}
            )
        except DomainError as exc:
            errors.append((number, str(exc.message)))
            continue
        checked.append((invite, answers))
    if errors:
        raise ImportErrors(errors)
    if not checked:
        raise DomainError("no_rows", _("The sheet has no answers."))
    now = timezone.now()
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(invite=inv, item=k, answer=v)
            for inv, answers in checked
            for k, v in answers.items()
        ]
    )
    for invite, _answers in checked:
        invite.answered_at = now
        invite.source = SurveyInvite.Source.PAPER
    SurveyInvite.objects.bulk_update([inv for inv, _a in checked], ["answered_at", "source"])
    return len(checked)


# -- case review ------------------------------------------------------------------------------


@transaction.atomic
def case_review_record(
    *,
    actor: User,
    council: Council,
    household: Household,
    decision: str,
    reviewed_on: dt.date,
    occurred_at: dt.datetime | None = None,
) -> CaseReview:
    """The council's decision on a case brought to it: only a household in the staff member's
    reach that consented to council review (scope "council"); written on the timeline too,
    stamped now or at `occurred_at` (never in the future)."""
    _require_manager(actor, council)
    if not households_visible_to(actor).filter(pk=household.pk).exists():
        raise NotFound()
    if not household_consents_to(household, "council"):
        raise DomainError(
            "no_council_consent",
            _("This household has not consented to review by the council."),
        )
    if occurred_at is not None and occurred_at > timezone.now():
        raise DomainError(
            "review_in_future", _("A review cannot be dated in the future."), field="reviewed_on"
        )
    if not decision.strip():
        raise DomainError(
            "decision_required", _("Record the council's decision."), field="decision"
        )
    try:
        review = CaseReview.objects.create(
            council=council,
            household=household,
            decision=decision.strip(),
            reviewed_on=reviewed_on,
            recorded_by=actor,
        )
    except IntegrityError as exc:  # pragma: no cover - no unique constraint today
        raise DomainError("review_failed", str(exc)) from exc
    event_record(
        kind=TimelineEvent.Kind.COUNCIL_REVIEW,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=review,
        summary=_("Council review: %(d)s") % {"d": decision.strip()},
        occurred_at=occurred_at,
    )
    return review


# -- Special Support Zones -------------------------------------------------------------------


@transaction.atomic
def zone_select(
    *,
    actor: User,
    tongs: list[Area],
    name: str,
    reasons: str,
    selected_on: dt.date,
    criteria: dict,
) -> Zone:
    """The gu selects a zone: tongs of one dong of its own, with its reasons (seed 002)."""
    _require_gu_team(actor)
    if not tongs:
        raise DomainError("no_tongs", _("Choose the zone's tongs."), field="tongs")
    dongs = {t.parent_id for t in tongs}
    if len(dongs) != 1 or any(t.level != Area.Level.TONG for t in tongs):
        raise DomainError("bad_tongs", _("A zone is tongs of one dong."), field="tongs")
    (dong_id,) = dongs
    if dong_id not in dong_ids_of(actor):
        raise NotFound()
    if not reasons.strip():
        raise DomainError(
            "reasons_required", _("Give the reasons for the selection."), field="reasons"
        )
    zone = Zone.objects.create(
        dong_id=dong_id,
        name=name.strip() or _("Special support zone"),
        selected_on=selected_on,
        reasons=reasons.strip(),
        criteria=criteria,
        selected_by=actor,
    )
    zone.tongs.set(tongs)
    return zone


@transaction.atomic
def zone_plan_add(
    *,
    actor: User,
    zone: Zone,
    year: int,
    goals: str,
    projects: str,
    budget: int,
    shared_spaces: str = "",
    services: str = "",
    organising: str = "",
) -> ZonePlanYear:
    if not actor.is_authenticated or not actor.is_hub_staff:
        raise PermissionDenied(_("Only hub staff and the gu team manage councils."))
    if zone.dong_id not in dong_ids_of(actor):
        raise NotFound()
    if not 1 <= year <= 4:
        raise DomainError("bad_year", _("The plan covers years 1 to 4."), field="year")
    if ZonePlanYear.objects.filter(zone=zone, year=year).exists():
        raise DomainError(
            "year_planned", _("This year of the plan is already written."), field="year"
        )
    return ZonePlanYear.objects.create(
        zone=zone,
        year=year,
        goals=goals.strip(),
        projects=projects.strip(),
        budget=budget,
        shared_spaces=shared_spaces.strip(),
        services=services.strip(),
        organising=organising.strip(),
    )
