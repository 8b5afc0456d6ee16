from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from maeul.accounts.audit import audit_read
from maeul.errors import NotFound
from maeul.people.selectors import (
    household_get,
    household_list,
    household_timeline,
)


@login_required
def household_list_view(request: HttpRequest) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    q = request.GET.get("q", "")[:60]
    result = household_list(user=request.user, q=q, page=page, page_size=50)
    audit_read(request=request, household_ids=[r["id"] for r in result["results"]], action="list")
    context = {
        "result": result,
        "q": q,
        "has_next": result["page"] * result["page_size"] < result["count"],
        "minimal": not request.user.is_hub_staff,
    }
    template = "people/_household_rows.html" if request.htmx else "people/household_list.html"
    return render(request, template, context)


@login_required
def household_detail_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """The household record, with each kind of data shown only where the policy lets the
    user's role read it (maeul.people.policy)."""
    try:
        household = household_get(user=request.user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc
    audit_read(request=request, household_id=household.pk, action="view")
    return render(request, *_household_page(request, household))


def _household_page(request: HttpRequest, household, *, notes_errors=None) -> tuple[str, dict]:
    from maeul.people.policy import DataKind, may_read, may_write

    user = request.user
    can = {kind.value: may_read(user, kind, household) for kind in DataKind}
    context: dict = {"household": household, "members": list(household.members.all()), "can": can}
    if not user.is_hub_staff:
        return "people/household_minimal.html", context
    context["can_write"] = {
        kind: may_write(user, kind, household)
        for kind in ("health", "violence_notes", "disability")
    }
    context["notes_errors"] = notes_errors or {}
    if can["income_assets"]:
        context["benefits"] = list(
            household.benefits.select_related("resident").order_by("-started_on")
        )
        from maeul.benefits.views import household_section_context

        context.update(household_section_context(request, household))
    if can["case_notes"]:
        from maeul.cases.selectors import household_work

        context["timeline"] = list(household_timeline(user=user, household=household))
        context.update(household_work(user=user, household=household))
    return "people/household_detail.html", context


@login_required
def household_notes_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """Save the sensitive notes (health of a member, disability details, violence notes) the
    user's role may write; each is encrypted at rest."""
    from django.shortcuts import redirect

    from maeul.errors import DomainError
    from maeul.people.services import sensitive_notes_update

    if request.method != "POST":
        return redirect("people:household_detail", household_id=household_id)
    try:
        household = household_get(user=request.user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc
    try:
        sensitive_notes_update(
            actor=request.user,
            household=household,
            violence_notes=request.POST.get("violence_notes"),
            resident_id=int(request.POST["resident"])
            if request.POST.get("resident", "").isdigit()
            else None,
            health_notes=request.POST.get("health_notes"),
            disability_detail=request.POST.get("disability_detail"),
        )
    except DomainError as error:
        audit_read(request=request, household_id=household.pk, action="view")
        template, context = _household_page(
            request, household, notes_errors={error.field or "notes": error.message}
        )
        return render(request, template, context, status=400)
    return redirect("people:household_detail", household_id=household.pk)
