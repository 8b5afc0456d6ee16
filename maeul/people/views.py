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
    try:
        household = household_get(user=request.user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc
    audit_read(request=request, household_id=household.pk, action="view")
    context: dict = {"household": household, "members": list(household.members.all())}
    if request.user.is_hub_staff:
        from maeul.cases.selectors import household_work

        context.update(
            benefits=list(household.benefits.select_related("resident").order_by("-started_on")),
            timeline=list(household_timeline(user=request.user, household=household)),
            **household_work(user=request.user, household=household),
        )
        from maeul.benefits.views import household_section_context

        context.update(household_section_context(request, household))
        template = "people/household_detail.html"
    else:
        template = "people/household_minimal.html"
    return render(request, template, context)
