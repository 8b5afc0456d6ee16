"""Campaign pages: the list with funnels, a new campaign, the campaign (funnel, progress per
dong and team, coverage per tong/ban, targets, the target-list builder), the phone page that
records a household's outcome, and a worker's own targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maeul.accounts.audit import audit_read
from maeul.accounts.models import DONG_STAFF_ROLES, GU_ROLES, User
from maeul.areas.models import Area
from maeul.campaigns.charts import hbars
from maeul.campaigns.forms import (
    CampaignForm,
    MemberAssignForm,
    SafetyNetForm,
    TargetAssignForm,
    TargetFiltersForm,
    TargetLinkForm,
    TargetPlanForm,
    TargetRecordForm,
)
from maeul.campaigns.instruments import item_text
from maeul.campaigns.models import Target
from maeul.campaigns.selectors import (
    areas_for_filters,
    campaign_get,
    campaign_progress,
    campaign_safety_net,
    campaign_targets,
    campaign_workers,
    campaigns_visible_to,
    funnel_of,
    funnels_for,
    my_targets,
    safety_net_choices,
    target_get,
)
from maeul.campaigns.services import (
    campaign_create,
    campaign_safety_net_set,
    target_case_open,
    target_link,
    target_plan_visit,
    target_record,
    targets_assign_pending,
    targets_build,
    targets_give_to_member,
)
from maeul.campaigns.target_upload import COLUMNS as UPLOAD_COLUMNS
from maeul.campaigns.target_upload import targets_upload
from maeul.discovery.upload.read import UploadInvalid
from maeul.errors import DomainError
from maeul.pagination import paginate
from maeul.people.selectors import dong_ids_of
from maeul.web import add_domain_error, parse_id, staff_required


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    campaigns = list(campaigns_visible_to(user).select_related("area", "instrument"))
    funnels = funnels_for(user=user, campaign_ids=[c.pk for c in campaigns])
    rows = [{"campaign": c, "funnel": funnels[c.pk]} for c in campaigns]
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "rows": rows,
            "today": timezone.localdate(),
            "mine": my_targets(user=user, outcomes=[Target.Outcome.PENDING]).count(),
        },
    )


@staff_required
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    area_ids = set(dong_ids_of(user))
    if user.is_gu_level and user.home_area_id:
        area_ids.add(user.home_area_id)
    areas = Area.objects.filter(pk__in=area_ids).order_by("level", "code")
    staff = User.objects.filter(
        is_active=True, home_area_id__in=area_ids, role__in=[r for r in _staff_roles()]
    ).order_by("full_name", "username")
    form = CampaignForm(
        request.POST or None, areas=areas, staff=staff, safety_net=safety_net_choices(user=user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                actor=user,
                name=data["name"],
                purpose=data["purpose"],
                area=data["area"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                instrument=data["instrument"],
                teams=data["teams"],
                staff=data["staff"],
                safety_net=data["safety_net"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Campaign created. Now build its target list."))
            return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


def _staff_roles() -> list[str]:
    return [str(r) for r in DONG_STAFF_ROLES | GU_ROLES]


@staff_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = request.user
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    targets = campaign_targets(user=user, campaign=campaign)
    funnel = funnel_of(targets)
    progress = campaign_progress(user=user, campaign=campaign)
    outcome = request.GET.get("outcome", "")
    listed = targets.select_related(
        "household", "tong", "ban", "assignee", "member"
    ).prefetch_related("household__members")
    if outcome in Target.Outcome.values:
        listed = listed.filter(outcome=outcome)
    page = paginate(
        listed.order_by("dong_id", "tong_id", "ban_id", "id"), page=_page(request), page_size=50
    )
    audit_read(
        request=request, household_ids=[t.household_id for t in page["results"]], action="list"
    )
    areas = areas_for_filters(user=user, campaign=campaign)
    funnel_chart = hbars(
        [
            (_("targets"), funnel.targets, funnel.targets),
            (_("reached"), funnel.reached, funnel.targets),
            (_("in need"), funnel.in_need, funnel.targets),
            (_("linked"), funnel.linked, funnel.targets),
        ],
        title=_("Funnel"),
    )
    if len(progress["dong"]) > 1:
        coverage_title = _("Coverage per dong")
        coverage = [(r["dong__name"], r["reached"], r["targets"]) for r in progress["dong"]]
    else:
        coverage_title = _("Coverage per tong")
        coverage = [
            (r["tong__name"], r["reached"], r["targets"])
            for r in _by_tong([r for r in progress["tong"] if r["tong__name"]])
        ]
    coverage_chart = hbars(coverage[:60], title=coverage_title, percent=True)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "funnel": funnel,
            "funnel_chart": funnel_chart,
            "coverage_chart": coverage_chart,
            "coverage_title": coverage_title,
            "coverage_rows": len(coverage),
            "progress": progress,
            "page": page,
            "has_next": page["page"] * page["page_size"] < page["count"],
            "outcome": outcome,
            "outcomes": Target.Outcome.choices,
            "filters_form": TargetFiltersForm(dongs=areas["dongs"], tongs=areas["tongs"]),
            "assign_form": TargetAssignForm(
                people=campaign_workers(user=user, campaign=campaign), tongs=areas["tongs"]
            ),
            "safety_net": campaign_safety_net(user=user, campaign=campaign),
            "safety_net_form": SafetyNetForm(
                initial={"members": campaign.safety_net.all()},
                choices=safety_net_choices(user=user, campaign=campaign),
            ),
            "member_assign_form": MemberAssignForm(
                members=campaign.safety_net.filter(dong_id__in=dong_ids_of(user)),
                tongs=areas["tongs"],
            ),
            "instrument_items": [
                item_text(i) for i in (campaign.instrument.items if campaign.instrument else ())
            ],
        },
    )


def _by_tong(rows: list[dict]) -> list[dict]:
    """Tong totals from tong/ban rows."""
    totals: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["dong__name"], row["tong__name"])
        total = totals.setdefault(
            key, {"dong__name": key[0], "tong__name": key[1], "reached": 0, "targets": 0}
        )
        total["reached"] += row["reached"]
        total["targets"] += row["targets"]
    return list(totals.values())


def _page(request: HttpRequest) -> int:
    return parse_id(request.GET.get("page")) or 1


@staff_required
@require_POST
def targets_build_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = request.user
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    areas = areas_for_filters(user=user, campaign=campaign)
    form = TargetFiltersForm(request.POST, dongs=areas["dongs"], tongs=areas["tongs"])
    if form.is_valid():
        try:
            added = targets_build(actor=user, campaign=campaign, filters=form.filters())
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("%(count)s households added to the target list.") % {"count": added}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)


@staff_required
def targets_upload_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Upload a target list as a CSV or XLSX file: the layout, then the result or every row
    to correct (nothing is added unless every row matches)."""
    campaign = campaign_get(user=request.user, campaign_id=campaign_id)
    result = None
    errors: list = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file."))
        else:
            try:
                result = targets_upload(
                    actor=request.user, campaign=campaign, file=upload, filename=upload.name
                )
            except UploadInvalid as exc:
                errors = exc.errors
                messages.error(request, str(exc.message))
            except DomainError as exc:
                messages.error(request, str(exc.message))
    return render(
        request,
        "campaigns/targets_upload.html",
        {"campaign": campaign, "result": result, "errors": errors, "columns": UPLOAD_COLUMNS},
        status=400 if errors else 200,
    )


@staff_required
@require_POST
def campaign_safety_net_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Name the campaign's safety-net members."""
    user = request.user
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    form = SafetyNetForm(request.POST, choices=safety_net_choices(user=user, campaign=campaign))
    if not form.is_valid():
        messages.error(request, _("Choose members of the campaign's dongs."))
    else:
        try:
            campaign_safety_net_set(
                actor=user, campaign=campaign, members=form.cleaned_data["members"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The campaign's safety-net members are saved."))
    return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)


@staff_required
@require_POST
def targets_member_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Give pending targets to a named safety-net member."""
    user = request.user
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    areas = areas_for_filters(user=user, campaign=campaign)
    form = MemberAssignForm(
        request.POST,
        members=campaign.safety_net.filter(dong_id__in=dong_ids_of(user)),
        tongs=areas["tongs"],
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the campaign's safety-net members."))
    else:
        member = form.cleaned_data["member"]
        try:
            count = targets_give_to_member(
                actor=user,
                campaign=campaign,
                member=member,
                tong_id=parse_id(form.cleaned_data.get("tong")),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("%(count)s pending targets given to %(name)s.")
                % {"count": count, "name": member.name},
            )
    return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)


@staff_required
@require_POST
def targets_assign_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = request.user
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    areas = areas_for_filters(user=user, campaign=campaign)
    form = TargetAssignForm(
        request.POST, people=campaign_workers(user=user, campaign=campaign), tongs=areas["tongs"]
    )
    if form.is_valid():
        try:
            count = targets_assign_pending(
                actor=user,
                campaign=campaign,
                assignee=form.cleaned_data["assignee"],
                tong_id=parse_id(form.cleaned_data.get("tong")),
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("%(count)s targets given to %(name)s.")
                % {"count": count, "name": form.cleaned_data["assignee"].label},
            )
    else:
        messages.error(request, _("Choose who the targets go to."))
    return redirect("campaigns:campaign_detail", campaign_id=campaign.pk)


@login_required
def target_record_view(request: HttpRequest, target_id: int) -> HttpResponse:
    """The phone page: reach a household, record the outcome and the screening."""
    user = request.user
    target = target_get(user=user, target_id=target_id)
    instrument = target.campaign.instrument
    form = TargetRecordForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            target, warnings = target_record(
                actor=user,
                target=target,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                answers=form.answers(),
                observed_needs=form.cleaned_data["observed_needs"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Recorded: %(outcome)s.") % {"outcome": target.get_outcome_display()},
            )
            if target.flagged:
                messages.warning(
                    request,
                    _("Score %(score)s is at or past the cut-off: a high-urgency lead says why.")
                    % {"score": target.score},
                )
            for warning in warnings:
                messages.warning(
                    request,
                    _("Another team is also visiting this household: %(warning)s")
                    % {"warning": warning.message},
                )
            return redirect("campaigns:target_record", target_id=target.pk)
    audit_read(request=request, household_id=target.household_id)
    return render(
        request,
        "campaigns/target_record.html",
        {
            "target": target,
            "form": form,
            "link_form": TargetLinkForm() if user.is_hub_staff else None,
            "plan_form": TargetPlanForm(initial={"planned_on": timezone.localdate()}),
            "item_fields": [form[name] for name in form.item_fields],
        },
    )


@login_required
@require_POST
def target_plan_view(request: HttpRequest, target_id: int) -> HttpResponse:
    user = request.user
    target = target_get(user=user, target_id=target_id)
    form = TargetPlanForm(request.POST)
    if form.is_valid():
        try:
            _target, warnings = target_plan_visit(
                actor=user, target=target, planned_on=form.cleaned_data["planned_on"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Visit planned."))
            for warning in warnings:
                messages.warning(
                    request,
                    _("Another team is also visiting this household: %(warning)s")
                    % {"warning": warning.message},
                )
    else:
        messages.error(request, _("Choose the date."))
    return redirect("campaigns:target_record", target_id=target.pk)


@staff_required
@require_POST
def target_link_view(request: HttpRequest, target_id: int) -> HttpResponse:
    user = request.user
    target = target_get(user=user, target_id=target_id)
    form = TargetLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to link the household to."))
        return redirect("campaigns:target_record", target_id=target.pk)
    data = form.cleaned_data
    try:
        if data["action"] == "case":
            target_case_open(actor=user, target=target)
        else:
            target_link(
                actor=user,
                target=target,
                kind=data["action"],
                programme=data["programme"],
                description=data["description"],
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Linked."))
    return redirect("campaigns:target_record", target_id=target.pk)


@login_required
def my_targets_view(request: HttpRequest) -> HttpResponse:
    """A worker's own campaign households, phone-sized: the ones still to reach first."""
    user = request.user
    targets = list(my_targets(user=user).order_by("outcome", "tong_id", "ban_id", "id")[:200])
    targets.sort(key=lambda t: (t.outcome != Target.Outcome.PENDING, t.pk))
    audit_read(request=request, household_ids=[t.household_id for t in targets], action="list")
    return render(request, "campaigns/my_targets.html", {"targets": targets})
