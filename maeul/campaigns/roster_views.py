"""Pages of the safety net and the registry imports: the roster with the hand-over, a
volunteer's care households with the check-in, the benefit recipients import."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maeul.accounts.audit import audit_read
from maeul.accounts.models import SafetyNetMember, User
from maeul.areas.models import Area
from maeul.campaigns.care import care_check_in
from maeul.campaigns.forms import MemberForm
from maeul.campaigns.recipients import COLUMNS, recipients_import
from maeul.campaigns.roster import (
    care_hand_over,
    care_households_of,
    member_update,
    members_visible_to,
    roster,
    roster_areas,
    roster_counts,
)
from maeul.discovery.upload.read import UploadInvalid
from maeul.errors import DomainError
from maeul.pagination import paginate
from maeul.people.selectors import dong_ids_of, household_get
from maeul.web import add_domain_error, parse_date, parse_id, staff_required


def _page(request: HttpRequest) -> int:
    return parse_id(request.GET.get("page")) or 1


@staff_required
def recipients_import_view(request: HttpRequest) -> HttpResponse:
    """Upload the national system's recipients list; the result or every bad row."""
    result = None
    errors: list = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file."))
        else:
            try:
                result = recipients_import(actor=request.user, file=upload, filename=upload.name)
            except UploadInvalid as exc:
                errors = exc.errors
                messages.error(request, str(exc.message))
            except DomainError as exc:
                messages.error(request, str(exc.message))
    return render(
        request,
        "campaigns/recipients_import.html",
        {"result": result, "errors": errors, "columns": COLUMNS},
    )


@staff_required
def roster_view(request: HttpRequest) -> HttpResponse:
    """The safety net by team, kind and tong, with activity; the hand-over form."""
    user = request.user
    team = request.GET.get("team", "")
    kind = request.GET.get("kind", "")
    sex = request.GET.get("sex", "")
    sex = sex if sex in (*SafetyNetMember.Sex.values, "?") else ""
    tongs, bans = roster_areas(user=user, tong_id=parse_id(request.GET.get("tong")))
    tong_id = parse_id(request.GET.get("tong")) if tongs else None
    tong_id = tong_id if any(t.pk == tong_id for t in tongs) else None
    ban_id = parse_id(request.GET.get("ban"))
    ban_id = ban_id if any(b.pk == ban_id for b in bans) else None
    team = team if team in SafetyNetMember.Team.values else ""
    kind = kind if kind in SafetyNetMember.Kind.values else ""
    members = roster(user=user, team=team, kind=kind, tong_id=tong_id, ban_id=ban_id, sex=sex)
    page = paginate(members, page=_page(request), page_size=100)
    query = urlencode(
        {
            k: v
            for k, v in {
                "team": team,
                "kind": kind,
                "tong": tong_id or "",
                "ban": ban_id or "",
                "sex": sex,
            }.items()
            if v
        }
    )
    volunteers = User.objects.filter(
        role="volunteer", is_active=True, home_area_id__in=dong_ids_of(user)
    ).order_by("full_name", "username")
    return render(
        request,
        "campaigns/roster.html",
        {
            "page": page,
            "has_next": page["page"] * page["page_size"] < page["count"],
            "counts": roster_counts(user=user),
            "teams": SafetyNetMember.Team.choices,
            "kinds": SafetyNetMember.Kind.choices,
            "sexes": [*SafetyNetMember.Sex.choices, ("?", _("not recorded"))],
            "tongs": tongs,
            "bans": bans,
            "team": team,
            "kind": kind,
            "sex": sex,
            "tong_id": tong_id,
            "ban_id": ban_id,
            "query": query,
            "volunteers": volunteers,
            "today": timezone.localdate(),
        },
    )


@staff_required
def member_edit_view(request: HttpRequest, safety_net_member_id: int) -> HttpResponse:
    """Correct a safety-net member's particulars: sex, phone, team, kind, tong/ban, leaving."""
    user = request.user
    member = (
        members_visible_to(user)
        .select_related("tong", "ban", "dong")
        .filter(pk=safety_net_member_id)
    )
    member = member.first()
    if member is None:
        raise Http404
    tongs = Area.objects.filter(level=Area.Level.TONG, parent_id=member.dong_id).order_by("code")
    bans = (
        Area.objects.filter(level=Area.Level.BAN, parent__parent_id=member.dong_id)
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    initial = {
        "name": member.name,
        "sex": member.sex,
        "phone": member.phone,
        "team": member.team,
        "kind": member.kind,
        "tong": member.tong,
        "ban": member.ban,
        "left_on": member.left_on,
    }
    form = MemberForm(request.POST or None, initial=initial, tongs=tongs, bans=bans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_update(actor=user, member=member, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": member.name})
            return redirect("campaigns:roster")
    return render(request, "campaigns/member_form.html", {"form": form, "member": member})


@staff_required
@require_POST
def hand_over_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    volunteers = User.objects.filter(role="volunteer", home_area_id__in=dong_ids_of(user))
    leaving = volunteers.filter(pk=parse_id(request.POST.get("leaving"))).first()
    taking_over = volunteers.filter(pk=parse_id(request.POST.get("taking_over"))).first()
    given_on = parse_date(request.POST.get("consent_given_on"))
    if leaving is None or taking_over is None or given_on is None:
        messages.error(request, _("Choose both volunteers and the date of the consents."))
        return redirect("campaigns:roster")
    try:
        moved = care_hand_over(
            actor=user, leaving=leaving, taking_over=taking_over, consent_given_on=given_on
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("%(count)s care households handed over to %(name)s, each with its consent.")
            % {"count": moved, "name": taking_over.label},
        )
    return redirect("campaigns:roster")


@login_required
def care_households_view(request: HttpRequest) -> HttpResponse:
    """A volunteer's phone view of her care households, with a check-in button."""
    households = list(care_households_of(user=request.user))
    audit_read(request=request, household_ids=[h.pk for h in households], action="list")
    return render(request, "campaigns/care_households.html", {"households": households})


@login_required
@require_POST
def care_check_in_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_get(user=request.user, household_id=household_id)
    try:
        care_check_in(actor=request.user, household=household, notes=request.POST.get("notes", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Care visit recorded."))
    return redirect("campaigns:care_households")
