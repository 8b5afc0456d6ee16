"""Case-work pages: assessment, case list and detail (plan, follow-ups, conferences, closure
through the team lead's sign-off, reopen), opening a case, linkages and the partner's
referral list."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maeul.accounts.audit import audit_read
from maeul.accounts.permissions import safe_next
from maeul.cases import services
from maeul.cases.concurrency import EditConflict
from maeul.cases.forms import (
    AssessmentForm,
    CaseCloseForm,
    CaseOpenForm,
    ConferenceForm,
    GoalForm,
    GoalStatusForm,
    LinkageForm,
    LinkageStatusForm,
)
from maeul.cases.models import Assessment, Case, Linkage, SignOff
from maeul.cases.selectors import (
    assessments_visible_to,
    case_get,
    cases_in_order,
    cases_list_page,
    cases_visible_to,
    linkage_get,
    linkages_for_partner,
    referrals_in_order,
)
from maeul.errors import DomainError, NotFound
from maeul.pagination import paginate
from maeul.people.policy import visible_fields
from maeul.people.selectors import household_get
from maeul.resources.selectors import partners_in_reach, resources_in_reach
from maeul.visits.selectors import visiting_staff, visits_visible_to
from maeul.web import add_domain_error, parse_id, staff_required


@staff_required
def assessment_create(request: HttpRequest, household_id: int) -> HttpResponse:
    user = request.user
    household = household_get(user=user, household_id=household_id)
    visit_id = parse_id(request.GET.get("visit") or request.POST.get("visit"))
    visit = (
        visits_visible_to(user).filter(pk=visit_id, household=household).first()
        if visit_id
        else None
    )
    initial = {"consent_date": timezone.localdate(), "consent_scopes": ["hub"]}
    if visit is not None:
        for domain in visit.observed_needs:
            initial[f"need_{domain}"] = "2"
    form = AssessmentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_record(
                actor=user,
                household=household,
                needs=form.needs(),
                overall_risk=data["overall_risk"],
                decision=data["decision"],
                consent_given=data["consent_given"],
                consent_scopes=data["consent_scopes"],
                consent_date=data["consent_date"],
                visit=visit,
                summary=data["summary"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            if assessment.decision in services.CASE_DECISIONS:
                url = reverse("cases:case_open", args=[household.pk])
                return redirect(f"{url}?assessment={assessment.pk}")
            if assessment.decision == Assessment.Decision.LINKAGE_ONLY:
                url = reverse("cases:linkage_create", args=[household.pk])
                return redirect(f"{url}?assessment={assessment.pk}")
            return redirect("hub:household_detail", household_id=household.pk)
    audit_read(request=request, household_id=household.pk)
    return render(
        request,
        "cases/assessment_form.html",
        {"form": form, "household": household, "visit": visit},
    )


@staff_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Case.Status.OPEN)
    if status not in Case.Status.values and status != "all":
        status = Case.Status.OPEN
    kind = request.GET.get("kind", "")
    if kind not in Case.Kind.values:
        kind = ""
    page = _page(
        request,
        lambda number: cases_list_page(
            user=request.user,
            status="" if status == "all" else status,
            kind=kind,
            page=number,
            page_size=CASE_PAGE_SIZE,
        ),
    )
    page["rows"] = cases_in_order(user=request.user, ids=page["rows"])
    audit_read(request=request, household_ids=[c.household_id for c in page["rows"]], action="list")
    return render(
        request,
        "cases/case_list.html",
        {
            **page,
            "cases": page["rows"],
            "status": status,
            "kind": kind,
            "today": timezone.localdate(),
            "statuses": Case.Status.choices,
            "kinds": Case.Kind.choices,
        },
    )


#: Cases per page of the case list.
CASE_PAGE_SIZE = 50


def _page(request: HttpRequest, pager: Callable[[int], dict]) -> dict:
    """One page of a list for a page's pager: the rows, the total `count`, `page_number`,
    `pages`, `previous_page` and `next_page` (None at the ends). `pager(number)` gives a page
    as `maeul.pagination.paginate` does. A page past the end (the list shrank, or a
    hand-typed number) shows the last page; a page that is not a number, the first. The
    list's order must end with a unique column, so that a page never repeats or skips a
    row."""
    wanted = parse_id(request.GET.get("page")) or 1
    page = pager(wanted)
    pages = max(1, -(-page["count"] // page["page_size"]))
    if page["page"] > pages:
        page = pager(pages)
    return {
        "rows": page["results"],
        "count": page["count"],
        "page_number": page["page"],
        "pages": pages,
        "previous_page": page["page"] - 1 if page["page"] > 1 else None,
        "next_page": page["page"] + 1 if page["page"] < pages else None,
    }


def _case_forms(data=None, action: str = ""):
    def bind(name):
        return data if action == name else None

    return {
        "goal_form": GoalForm(bind("goal_add"), prefix="goal"),
        "conference_form": ConferenceForm(
            bind("conference"), prefix="conf", initial={"held_on": timezone.localdate()}
        ),
        "close_form": CaseCloseForm(bind("close_request"), prefix="close"),
    }


@staff_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case: plan goals per domain, follow-ups, conferences, linkages; asking the team
    lead to sign off the plan or the closure, reopen. Every form carries the case's version:
    an edit made from a page older than the case is refused with a conflict (409), nothing
    written, and the page shows the case as it now is."""
    user = request.user
    case = case_get(user=user, case_id=case_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _case_forms(request.POST, action)
    conflict = False
    if action:
        try:
            done = _case_action(request, case, action, forms)
        except EditConflict:  # shown by the page's conflict card, the typed text kept
            done, conflict = False, True
        if done:
            return redirect("cases:case_detail", case_id=case.pk)
        case = case_get(user=user, case_id=case_id)
    audit_read(request=request, household_id=case.household_id)
    signoffs = list(case.signoffs.select_related("requested_by", "decided_by"))
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "today": timezone.localdate(),
            "signoffs": signoffs,
            "closure_pending": any(
                s.subject == SignOff.Subject.CLOSURE and s.status == SignOff.Status.PENDING
                for s in signoffs
            ),
            "is_team_lead": services.is_team_lead(user),
            "close_reasons": Case.CloseReason.choices,
            "conflict": conflict,
            **forms,
        },
        status=409 if conflict else 400 if action else 200,
    )


def _version(value: str | None) -> int | None:
    """The case version a form was rendered from (0 or more), or None."""
    try:
        number = int(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 0 else None


def _case_action(request: HttpRequest, case: Case, action: str, forms: dict) -> bool:
    user = request.user
    version = _version(request.POST.get("version"))
    if version is None:
        messages.error(request, _("The form is out of date: reload the page."))
        return False
    try:
        if action == "goal_add":
            form = forms["goal_form"]
            if not form.is_valid():
                return False
            services.goal_add(actor=user, case=case, expected_version=version, **form.cleaned_data)
            messages.success(request, _("Goal added to the plan."))
        elif action == "goal_status":
            form = GoalStatusForm(request.POST)
            goal = case.goals.filter(pk=parse_id(request.POST.get("goal"))).first()
            if not form.is_valid() or goal is None:
                messages.error(request, _("Unknown goal status."))
                return True
            services.goal_update_status(
                actor=user, goal=goal, status=form.cleaned_data["status"], expected_version=version
            )
            messages.success(request, _("Plan updated."))
        elif action == "conference":
            form = forms["conference_form"]
            if not form.is_valid():
                return False
            services.conference_record(
                actor=user, case=case, expected_version=version, **form.cleaned_data
            )
            messages.success(request, _("Case conference recorded."))
        elif action == "close_request":
            form = forms["close_form"]
            if not form.is_valid():
                return False
            services.signoff_request(
                actor=user,
                case=case,
                subject=SignOff.Subject.CLOSURE,
                close_reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                expected_version=version,
            )
            messages.success(
                request, _("Closure asked of the team lead: the case closes when approved.")
            )
        elif action == "reopen":
            services.case_reopen(actor=user, case=case, expected_version=version)
            messages.success(request, _("Case re-opened."))
        elif action == "signoff_request":
            services.signoff_request(
                actor=user,
                case=case,
                subject=request.POST.get("subject", ""),
                close_reason=request.POST.get("close_reason", ""),
                note=request.POST.get("note", "")[:500],
                expected_version=version,
            )
            messages.success(request, _("Sign-off asked of the team lead."))
        elif action == "signoff_decide":
            pending = case.signoffs.filter(pk=parse_id(request.POST.get("signoff"))).first()
            if pending is None:
                raise Http404
            services.signoff_decide(
                actor=user,
                signoff=pending,
                approve=request.POST.get("decision") == "approve",
                comment=request.POST.get("comment", "")[:1000],
                expected_version=version,
            )
            messages.success(request, _("Sign-off recorded."))
        else:
            raise Http404
    except EditConflict:
        raise
    except DomainError as exc:
        target = {
            "goal_add": "goal_form",
            "conference": "conference_form",
            "close_request": "close_form",
        }
        if action in target:
            add_domain_error(forms[target[action]], exc)
            return False
        messages.error(request, str(exc.message))
    return True


@staff_required
def case_open_view(request: HttpRequest, household_id: int) -> HttpResponse:
    user = request.user
    household = household_get(user=user, household_id=household_id)
    assessment_id = parse_id(request.GET.get("assessment") or request.POST.get("assessment"))
    assessment = (
        assessments_visible_to(user).filter(pk=assessment_id, household=household).first()
        if assessment_id
        else None
    )
    kind = (
        Case.Kind.INTENSIVE
        if assessment and assessment.decision == Assessment.Decision.CASE_INTENSIVE
        else Case.Kind.GENERAL
    )
    staff = visiting_staff(user=user, household=household)
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None,
        staff=staff,
        initial={"kind": kind, "manager": user.pk, "follow_up_every_days": 30},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=user, household=household, assessment=assessment, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Case opened; the first follow-up is scheduled."))
            return redirect("cases:case_detail", case_id=case.pk)
    audit_read(request=request, household_id=household.pk)
    return render(
        request,
        "cases/case_open.html",
        {"form": form, "household": household, "assessment": assessment},
    )


@staff_required
def linkage_create(request: HttpRequest, household_id: int) -> HttpResponse:
    user = request.user
    household = household_get(user=user, household_id=household_id)
    params = request.POST if request.method == "POST" else request.GET
    assessment_id = parse_id(params.get("assessment"))
    assessment = (
        assessments_visible_to(user).filter(pk=assessment_id, household=household).first()
        if assessment_id
        else None
    )
    case_id = parse_id(params.get("case"))
    case = (
        cases_visible_to(user).filter(pk=case_id, household=household).first()
        if case_id
        else cases_visible_to(user).filter(household=household, status=Case.Status.OPEN).first()
    )
    form = LinkageForm(
        request.POST if request.method == "POST" else None,
        resources=resources_in_reach(user),
        partners=partners_in_reach(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.linkage_propose(
                actor=user,
                household=household,
                case=case,
                assessment=assessment,
                **form.cleaned_data,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Service linkage proposed."))
            if case is not None:
                return redirect("cases:case_detail", case_id=case.pk)
            return redirect("hub:household_detail", household_id=household.pk)
    audit_read(request=request, household_id=household.pk)
    return render(
        request,
        "cases/linkage_form.html",
        {"form": form, "household": household, "case": case, "assessment": assessment},
    )


@login_required
@require_POST
def linkage_status(request: HttpRequest, linkage_id: int) -> HttpResponse:
    """Move a linkage on (hub staff; a referral: withdraw it), or answer a referral and report
    its outcome (its partner: accept, decline with a reason, served, returned)."""
    linkage = linkage_get(user=request.user, linkage_id=linkage_id)
    form = LinkageStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
    else:
        try:
            services.linkage_update(actor=request.user, linkage=linkage, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Linkage updated."))
    if request.user.is_partner:
        if request.POST.get("next") == "detail":
            return redirect("cases:referral_detail", linkage_id=linkage.pk)
        return redirect("cases:referral_list")
    next_url = safe_next(request, request.POST.get("next"), "")
    if next_url:
        return redirect(next_url)
    if linkage.case_id:
        return redirect("cases:case_detail", case_id=linkage.case_id)
    return redirect("hub:household_detail", household_id=linkage.household_id)


def _partner_only(request: HttpRequest) -> None:
    if not request.user.is_partner:
        raise Http404


#: Referrals per page of the partner's portal.
REFERRAL_PAGE_SIZE = 50


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """A partner institution's referrals (its portal): only the fields the household's consent
    allows a partner (name and address), only while the consent stands. Paged, newest first
    (ties by number, so a page never repeats or skips a row), the status filter kept."""
    _partner_only(request)
    status = request.GET.get("status", "")
    if status not in Linkage.Status.values:
        status = ""
    referrals = linkages_for_partner(user=request.user).order_by("-proposed_at", "-id")
    if status:
        referrals = referrals.filter(status=status)
    ids = referrals.select_related(None).prefetch_related(None).values_list("pk", flat=True)
    page = _page(request, lambda number: paginate(ids, page=number, page_size=REFERRAL_PAGE_SIZE))
    page["rows"] = referrals_in_order(user=request.user, ids=list(page["rows"]))
    audit_read(request=request, household_ids=[r.household_id for r in page["rows"]], action="list")
    return render(
        request,
        "cases/referral_list.html",
        {
            **page,
            "referrals": page["rows"],
            "status": status,
            "statuses": REFERRAL_STATUSES,
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def referral_detail(request: HttpRequest, linkage_id: int) -> HttpResponse:
    """One referral in the partner's portal, with the answer and outcome forms."""
    _partner_only(request)
    referral = linkages_for_partner(user=request.user).filter(pk=linkage_id).first()
    if referral is None:
        raise Http404
    audit_read(request=request, household_id=referral.household_id)
    fields = visible_fields(request.user, referral.household)
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "fields": fields,
            "targets": services.linkage_targets(request.user, referral),
            "reasons": Linkage.DeclineReason.choices,
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )


#: The statuses of a referral as its partner knows them.
REFERRAL_STATUSES = [
    (s, str(Linkage.REFERRAL_LABELS.get(s, label)))
    for s, label in Linkage.Status.choices
    if s != Linkage.Status.REQUESTED
]
