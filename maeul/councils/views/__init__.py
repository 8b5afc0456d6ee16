"""Council pages: the councils a user may see, a council's record (members, meetings and
decisions, projects, budget, education, plan, its area's indicators in aggregate), the survey
rounds with seed 000's tables and charts (Excel, PDF), the members' answer link (no login),
the paper-answer import and the council's case reviews (consented households only)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maeul.accounts.audit import audit_read
from maeul.areas.models import Area
from maeul.councils.forms import (
    ImportForm,
    MeetingForm,
    MemberEditForm,
    MemberForm,
    ReviewForm,
    RoundForm,
    TermEndForm,
    ZonePlanForm,
    ZoneSelectForm,
)
from maeul.councils.models import CaseReview, Decision, Member, SurveyInvite
from maeul.councils.report import build_report, report_pdf, report_xlsx
from maeul.councils.selectors import (
    council_get,
    council_overview,
    councils_visible_to,
    invite_by_token,
    member_may_report,
    member_of,
    round_get,
    rounds_visible_to,
)
from maeul.councils.services import (
    ImportErrors,
    case_review_record,
    decision_follow_up,
    meeting_record,
    member_accounts,
    member_add,
    member_term_end,
    member_update,
    survey_answer_submit,
    survey_import_paper,
    survey_round_open,
    zone_plan_add,
    zone_select,
)
from maeul.councils.survey.instrument import INTENT_ITEMS, SCALES, scale_items, text_of
from maeul.councils.zones import (
    CRITERIA,
    weights_from,
    zone_candidates,
    zone_evaluation,
    zone_get,
    zones_visible_to,
)
from maeul.errors import DomainError
from maeul.indicators.selectors import INDICATORS, indicator_values
from maeul.people import policy
from maeul.people.models import Household
from maeul.people.selectors import (
    dong_ids_of,
    household_row,
    households_consenting_to,
    households_visible_to,
)
from maeul.web import add_domain_error, staff_required

#: What a council sees of a consented household: the policy's CSSC row (head's name, members,
#: housing, vulnerable groups), whoever opens the page.
COUNCIL_FIELDS = set().union(*policy.LIMITS[policy.CSSC_MEMBER].values())


def _council_reader(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and (user.is_hub_staff or member_of(user) is not None))  # type: ignore[union-attr]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not _council_reader(request):
        raise Http404
    councils = list(councils_visible_to(request.user))  # type: ignore[arg-type]
    rounds = list(rounds_visible_to(request.user))  # type: ignore[arg-type]
    return render(request, "councils/index.html", {"councils": councils, "rounds": rounds})


def _expert_information(council) -> tuple[list[tuple[str, int]], dt.date, dt.date]:
    """The council's area indicators over the last 12 months, aggregated (never a person)."""
    end = timezone.localdate()
    start = end - dt.timedelta(days=364)
    area = council.area
    gu = area if area.level == Area.Level.SIGUNGU else area.parent
    values = indicator_values(gu=gu, start=start, end=end)
    own = values[None] if area.level == Area.Level.SIGUNGU else values.get(area.pk, {})
    return [(label, own.get(key, 0)) for key, label in INDICATORS], start, end


@login_required
def council_detail(request: HttpRequest, council_id: int) -> HttpResponse:
    if not _council_reader(request):
        raise Http404
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    indicators, start, end = _expert_information(council)
    reviews = []
    if request.user.is_hub_staff:  # type: ignore[union-attr]
        reviews = list(
            CaseReview.objects.filter(
                council=council,
                household__in=households_visible_to(request.user),  # type: ignore[arg-type]
            ).select_related("household")[:20]
        )
    return render(
        request,
        "councils/council_detail.html",
        {
            "council": council,
            **council_overview(user=request.user, council=council),  # type: ignore[arg-type]
            "indicators": indicators,
            "period": (start, end),
            "reviews": reviews,
            "today": timezone.localdate(),
            "may_manage": request.user.is_hub_staff,  # type: ignore[union-attr]
            "may_report": member_may_report(request.user, council),  # type: ignore[arg-type]
            "is_gu_council": council.parent_id is None and council.area.level == "sigungu",
        },
    )


@staff_required
def meeting_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    # members whose term has ended are not offered (their record stays)
    members = list(council.members.filter(term_end__gte=timezone.localdate()))
    form = MeetingForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_record(
                actor=request.user,  # type: ignore[arg-type]
                council=council,
                held_on=data["held_on"],
                kind=data["kind"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                attendee_ids=[int(pk) for pk in data["attendees"]],
                decisions=data["decisions"].splitlines(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("councils:council_detail", council_id=council.pk)
    return render(request, "councils/meeting_form.html", {"council": council, "form": form})


@staff_required
def member_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["teams_led"] = [t.strip() for t in data["teams_led"].splitlines() if t.strip()]
        try:
            member_add(actor=request.user, council=council, **data)  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("councils:council_detail", council_id=council.pk)
    return render(request, "councils/member_form.html", {"council": council, "form": form})


def _member_initial(member: Member) -> dict:
    return {
        "name": member.name,
        "participant_type": member.participant_type,
        "affiliations": member.affiliations,
        "position": member.position,
        "sex": member.sex,
        "age_band": member.age_band,
        "term_start": member.term_start,
        "term_end": member.term_end,
        "teams_led": "\n".join(member.teams_led),
        "user": member.user_id or "",
    }


def _member_get(request: HttpRequest, council_id: int, member_id: int) -> Member:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    member = council.members.select_related("council__area", "user").filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


@staff_required
def member_edit(request: HttpRequest, council_id: int, member_id: int) -> HttpResponse:
    """Edit a member's record and linked account; end her term (the record stays)."""
    member = _member_get(request, council_id, member_id)
    council = member.council
    accounts = member_accounts(council, member)
    initial = _member_initial(member)
    form = MemberEditForm(request.POST or None, initial=initial, accounts=accounts)
    end_form = TermEndForm(initial={"ended_on": min(timezone.localdate(), member.term_end)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user_id = data.pop("user")
        try:
            member_update(
                actor=request.user,  # type: ignore[arg-type]
                member=member,
                user=next((u for u in accounts if u.pk == user_id), None),
                **{**data, "teams_led": data["teams_led"].splitlines()},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Member saved."))
            return redirect("councils:council_detail", council_id=council.pk)
    return render(
        request,
        "councils/member_edit.html",
        {
            "council": council,
            "member": member,
            "form": form,
            "end_form": end_form,
            "ended": member.term_end < timezone.localdate(),
        },
    )


@staff_required
@require_POST
def member_end(request: HttpRequest, council_id: int, member_id: int) -> HttpResponse:
    """End a member's term on the given day (the record stays)."""
    member = _member_get(request, council_id, member_id)
    end_form = TermEndForm(request.POST)
    if end_form.is_valid():
        try:
            member_term_end(
                actor=request.user,  # type: ignore[arg-type]
                member=member,
                ended_on=end_form.cleaned_data["ended_on"],
            )
        except DomainError as exc:
            add_domain_error(end_form, exc)
        else:
            messages.success(request, _("The member's term has ended; her record stays."))
            return redirect("councils:council_detail", council_id=member.council_id)
    form = MemberEditForm(
        initial=_member_initial(member),
        accounts=member_accounts(member.council, member),
    )
    return render(
        request,
        "councils/member_edit.html",
        {
            "council": member.council,
            "member": member,
            "form": form,
            "end_form": end_form,
            "ended": member.term_end < timezone.localdate(),
        },
        status=400,
    )


@staff_required
@require_POST
def decision_done(request: HttpRequest, council_id: int, decision_id: int) -> HttpResponse:
    """Record whether a decision was carried out (the council page's buttons)."""
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    decision = Decision.objects.filter(meeting__council=council, pk=decision_id).first()
    if decision is None:
        raise Http404
    decision_follow_up(
        actor=request.user,  # type: ignore[arg-type]
        decision=decision,
        carried_out=request.POST.get("carried_out") == "yes",
        note=request.POST.get("note", "")[:300],
    )
    return redirect("councils:council_detail", council_id=council.pk)


@staff_required
def case_review(request: HttpRequest, council_id: int) -> HttpResponse:
    """Cases brought to the council: only households in the user's reach that consented to
    council review are offered and shown (head's name only: the policy's CSSC row)."""
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    consented = households_visible_to(request.user).filter(  # type: ignore[arg-type]
        pk__in=households_consenting_to("council").values("pk")
    )
    if council.area.level == Area.Level.DONG:
        consented = consented.filter(dong=council.area)
    consented_list = list(
        consented.select_related("dong").prefetch_related("members").order_by("pk")[:50]
    )
    rows = [household_row(h, fields=COUNCIL_FIELDS) for h in consented_list]
    if consented_list:
        audit_read(
            request=request,
            household_ids=[h.pk for h in consented_list],
            action="list",
            purpose="council review",
        )
    form = ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = consented.filter(pk=data["household"]).first()
        try:
            if household is None:
                raise DomainError(
                    "no_council_consent",
                    _("Only a household that consented to council review can be reviewed."),
                    field="household",
                )
            case_review_record(
                actor=request.user,  # type: ignore[arg-type]
                council=council,
                household=household,
                decision=data["decision"],
                reviewed_on=data["reviewed_on"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The council's decision is recorded."))
            return redirect("councils:case_review", council_id=council.pk)
    reviews = CaseReview.objects.filter(council=council, household__in=consented).select_related(
        "household"
    )
    return render(
        request,
        "councils/case_review.html",
        {"council": council, "form": form, "households": rows, "reviews": reviews},
    )


# -- the perception survey ------------------------------------------------------------------


@staff_required
def survey_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_gu_level:  # type: ignore[union-attr]
        raise Http404
    gus = Area.objects.filter(
        pk__in=Area.objects.filter(pk__in=dong_ids_of(request.user)).values("parent_id")  # type: ignore[arg-type]
    )
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        gus=gus,
        initial={
            "title": _("%(year)d perception survey of the councils") % {"year": today.year},
            "opened_on": today,
            "closes_on": today + dt.timedelta(days=30),
            "gus": list(gus),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = survey_round_open(
                actor=request.user,  # type: ignore[arg-type]
                title=data["title"],
                gus=list(data["gus"]),
                opened_on=data["opened_on"],
                closes_on=data["closes_on"],
                sample_rate=data["sample_rate"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("councils:survey_detail", round_id=survey.pk)
    return render(request, "councils/survey_form.html", {"form": form})


@staff_required
def survey_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = round_get(user=request.user, round_id=round_id)  # type: ignore[arg-type]
    report = build_report(survey)
    return render(
        request,
        "councils/survey_detail.html",
        {
            "report": report,
            "survey": survey,
            "import_form": ImportForm(),
            "may_run": request.user.is_gu_level,  # type: ignore[union-attr]
        },
    )


@staff_required
def survey_links(request: HttpRequest, round_id: int) -> HttpResponse:
    """The sampled members' links, for the gu team to send; who answered is not shown."""
    if not request.user.is_gu_level:  # type: ignore[union-attr]
        raise Http404
    survey = round_get(user=request.user, round_id=round_id)  # type: ignore[arg-type]
    invites = survey.invites.select_related("member__council").order_by(
        "member__council", "member__name"
    )
    return render(request, "councils/survey_links.html", {"survey": survey, "invites": invites})


@staff_required
def survey_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = round_get(user=request.user, round_id=round_id)  # type: ignore[arg-type]
    response = HttpResponse(
        report_xlsx(build_report(survey)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response


@staff_required
def survey_pdf(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = round_get(user=request.user, round_id=round_id)  # type: ignore[arg-type]
    pdf = report_pdf(build_report(survey), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.pdf"'
    return response


@staff_required
@require_POST
def survey_import(request: HttpRequest, round_id: int) -> HttpResponse:
    survey = round_get(user=request.user, round_id=round_id)  # type: ignore[arg-type]
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("councils:survey_detail", round_id=survey.pk)
    upload = form.cleaned_data["file"]
    try:
        count = survey_import_paper(
            actor=request.user,  # type: ignore[arg-type]
            survey=survey,
            name=upload.name,
            content=upload.read(),
        )
    except ImportErrors as exc:
        messages.error(request, str(exc.message))
        for row, error in exc.errors[:20]:
            messages.error(request, _("Row %(row)d: %(error)s") % {"row": row, "error": error})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(n)d members' paper answers imported.") % {"n": count})
    return redirect("councils:survey_detail", round_id=survey.pk)


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The member's questionnaire: no login, the token is the key; once only."""
    invite = invite_by_token(token)
    lang = request.LANGUAGE_CODE
    sections = [(_("The intent of CSSCs"), [(i.item, text_of(i, lang)) for i in INTENT_ITEMS])]
    sections += [
        (str(title), [(i.item, text_of(i, lang)) for i in scale_items(scale)])
        for scale, (_n, title) in SCALES.items()
    ]
    error = ""
    if request.method == "POST" and invite.answered_at is None:
        answers = {item: request.POST.get(item, "") for _t, items in sections for item, _x in items}
        try:
            survey_answer_submit(token=token, answers=answers, source=SurveyInvite.Source.WEB)
        except DomainError as exc:
            error = str(exc.message)
        else:
            return redirect("councils:survey_answer", token=token)
    return render(
        request,
        "councils/survey_answer.html",
        {
            "invite": invite,
            "sections": sections,
            "scale": range(1, 8),
            "error": error,
            "given": request.POST if request.method == "POST" else {},
        },
    )


# -- Special Support Zones -------------------------------------------------------------------


@staff_required
def zones(request: HttpRequest) -> HttpResponse:
    """Candidate tongs ranked with the criteria and weights shown; the gu adjusts the weights
    (GET) and selects a zone with its reasons (POST)."""
    user = request.user
    try:
        weights = weights_from(request.GET)
        weight_error = ""
    except DomainError as exc:
        weights, weight_error = weights_from({}), str(exc.message)
    candidates = zone_candidates(user=user, weights=weights)  # type: ignore[arg-type]
    top = candidates[:40]
    form = ZoneSelectForm(request.POST or None, tongs=[c.tong for c in top])
    if request.method == "POST":
        if not user.is_gu_level:  # type: ignore[union-attr]
            raise Http404
        if form.is_valid():
            chosen = {int(pk) for pk in form.cleaned_data["tongs"]}
            picked = [c for c in top if c.tong.pk in chosen]
            try:
                zone = zone_select(
                    actor=user,  # type: ignore[arg-type]
                    tongs=[c.tong for c in picked],
                    name=form.cleaned_data["name"],
                    reasons=form.cleaned_data["reasons"],
                    selected_on=timezone.localdate(),
                    criteria={
                        "weights": weights,
                        "tongs": {
                            c.tong.code: {
                                "rank": c.rank,
                                "score": c.score,
                                "households": c.households,
                                "vulnerable": c.vulnerable,
                                "share": c.share,
                                "resources_per_100": c.resources_per_100,
                                "distance_km": c.distance_km,
                            }
                            for c in picked
                        },
                    },
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("councils:zone_detail", zone_id=zone.pk)
    return render(
        request,
        "councils/zones.html",
        {
            "candidates": top,
            "criteria": [(key, label, weights[key]) for key, (label, _d) in CRITERIA.items()],
            "weight_error": weight_error,
            "form": form,
            "zones": zones_visible_to(user),  # type: ignore[arg-type]
            "may_select": user.is_gu_level,  # type: ignore[union-attr]
            "group_labels": dict(Household.Group.choices),
        },
    )


@staff_required
def zone_detail(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = zone_get(user=request.user, zone_id=zone_id)  # type: ignore[arg-type]
    form = ZonePlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            zone_plan_add(actor=request.user, zone=zone, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The plan year is saved."))
            return redirect("councils:zone_detail", zone_id=zone.pk)
    return render(
        request,
        "councils/zone_detail.html",
        {
            "zone": zone,
            "tongs": zone.tongs.order_by("code"),
            "plan": zone.plan_years.all(),
            "weights": [
                (label, zone.criteria.get("weights", {}).get(key))
                for key, (label, _d) in CRITERIA.items()
                if key in zone.criteria.get("weights", {})
            ],
            "evaluation": zone_evaluation(zone),
            "form": form,
        },
    )
