"""The registry's own page: the household list and search, scoped and audited. The household
page itself combines several apps and lives in maeul.hub."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maeul.accounts.audit import audit_read
from maeul.people.selectors import household_list


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
