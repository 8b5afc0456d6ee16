"""The money pages: the funds and their ledgers (donations, disbursements), donation
receipts as PDF, sponsorships with what needs attention."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from weasyprint import HTML

from maeul.accounts.audit import audit_read
from maeul.areas.models import Area
from maeul.campaigns.selectors import campaign_get, campaigns_visible_to
from maeul.cases.selectors import linkages_visible_to
from maeul.errors import DomainError, NotFound
from maeul.funds import matching, services
from maeul.funds.campaign_matching import campaign_assignments_accept, campaign_batch
from maeul.funds.forms import (
    DisbursementForm,
    DonationForm,
    FundForm,
    PaymentForm,
    PurposeForm,
    SponsorshipForm,
)
from maeul.funds.selectors import (
    donation_get,
    donations_visible_to,
    fund_get,
    fund_ledger,
    fund_list,
    sponsorship_states,
    sponsorships_visible_to,
)
from maeul.people.models import Domain
from maeul.people.selectors import dong_ids_of, household_get, households_visible_to
from maeul.resources.models import Resource
from maeul.resources.selectors import resources_in_reach
from maeul.web import add_domain_error, staff_required


@staff_required
def funds(request: HttpRequest) -> HttpResponse:
    form = FundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.fund_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("funds:fund_detail", fund_id=fund.pk)
    return render(
        request,
        "funds/fund_list.html",
        {"funds": fund_list(user=request.user), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def fund_detail(request: HttpRequest, fund_id: int) -> HttpResponse:
    """The ledger with its running balance, and the donation and disbursement forms."""
    user = request.user
    fund = fund_get(user=user, fund_id=fund_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    today = timezone.localdate()
    donation_form = DonationForm(
        request.POST if action == "donation" else None,
        initial={"received_on": today, "dong": user.home_area_id},
        dongs=Area.objects.filter(
            pk__in=dong_ids_of(user), parent_id=fund.gu_id, level=Area.Level.DONG
        ).order_by("name"),
        resources=resources_in_reach(user)
        .filter(kind__in=(Resource.Kind.CASH, Resource.Kind.GOODS, Resource.Kind.SPONSORSHIP))
        .order_by("-discovered_on", "-id")[:200],
    )
    purpose_form = PurposeForm(
        request.POST if action == "purpose" else None,
        initial={"purpose_domain": fund.purpose_domain, "purpose_kinds": fund.purpose_kinds},
    )
    if action == "purpose" and purpose_form.is_valid():
        try:
            services.fund_purpose_set(actor=user, fund=fund, **purpose_form.cleaned_data)
        except DomainError as exc:
            add_domain_error(purpose_form, exc)
        else:
            messages.success(request, _("The fund's purpose is saved."))
            return redirect("funds:fund_detail", fund_id=fund.pk)
    pay_form = DisbursementForm(
        request.POST if action == "disburse" else None, initial={"on": today}
    )
    if action == "donation" and donation_form.is_valid():
        try:
            donation = services.donation_record(actor=user, fund=fund, **donation_form.cleaned_data)
        except DomainError as exc:
            add_domain_error(donation_form, exc)
        else:
            messages.success(
                request, _("Donation recorded: receipt %(no)s.") % {"no": donation.receipt_no}
            )
            return redirect("funds:fund_detail", fund_id=fund.pk)
    if action == "disburse" and pay_form.is_valid():
        data = dict(pay_form.cleaned_data)
        linkage = linkages_visible_to(user).filter(pk=data.pop("linkage")).first()
        if linkage is None:
            pay_form.add_error("linkage", _("Unknown linkage."))
        else:
            try:
                services.disbursement_record(actor=user, fund=fund, linkage=linkage, **data)
            except DomainError as exc:
                add_domain_error(pay_form, exc)
            else:
                messages.success(request, _("Disbursement recorded."))
                return redirect("funds:fund_detail", fund_id=fund.pk)
    rows = fund_ledger(user=user, fund=fund)
    households = [e.linkage.household_id for e, _b in rows if e.linkage_id]
    if households:
        audit_read(request=request, household_ids=households, action="list")
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "rows": rows[::-1][:500],
            "donations": donations_visible_to(user).filter(fund=fund)[:200],
            "donation_form": donation_form,
            "pay_form": pay_form,
            "purpose_form": purpose_form,
        },
        status=400 if action else 200,
    )


@staff_required
@require_GET
def donation_receipt(request: HttpRequest, donation_id: int) -> HttpResponse:
    """The donation receipt for tax purposes, as a PDF (Korean fonts: Noto CJK)."""
    donation = donation_get(user=request.user, donation_id=donation_id)
    html = render_to_string(
        "funds/receipt.html", {"donation": donation, "issued_on": timezone.localdate()}
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{donation.receipt_no}.pdf"'
    return response


@staff_required
def sponsorships(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    form = SponsorshipForm(
        request.POST if request.method == "POST" else None,
        initial={"started_on": today, "end_condition": "self_reliance"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        household = households_visible_to(user).filter(pk=data.pop("household")).first()
        if household is None:
            form.add_error("household", _("Unknown household."))
        else:
            try:
                services.sponsorship_start(actor=user, household=household, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Sponsorship recorded."))
                return redirect("funds:sponsorships")
    states = sponsorship_states(user=user, today=today)
    audit_read(
        request=request, household_ids=[s.sponsorship.household_id for s in states], action="list"
    )
    return render(
        request,
        "funds/sponsorships.html",
        {
            "states": states,
            "form": form,
            "payment_form": PaymentForm(initial={"paid_on": today, "month": today.replace(day=1)}),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def sponsorship_payment(request: HttpRequest, sponsorship_id: int) -> HttpResponse:
    sponsorship = sponsorships_visible_to(request.user).filter(pk=sponsorship_id).first()
    if sponsorship is None:
        raise Http404
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the month, the amount and the date paid."))
    else:
        try:
            services.sponsorship_payment_record(
                actor=request.user, sponsorship=sponsorship, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Payment recorded."))
    return redirect("funds:sponsorships")


@staff_required
@require_GET
def household_matches(request: HttpRequest, household_id: int) -> HttpResponse:
    """For the household's assessed needs, the directory's services ranked."""
    household = household_get(user=request.user, household_id=household_id)
    today = timezone.localdate()
    needs = matching.household_needs(user=request.user, household=household, today=today)
    offers = matching.offers_in_reach(user=request.user)
    names = {o.key: o.name for o in offers}
    ranked = [
        (
            need,
            Domain(need.domain).label,
            [(o, names[o.key], d) for o, d in matching.rank(need, offers)[:5]],
        )
        for need in needs
    ]
    audit_read(request=request, household_id=household.pk)
    return render(
        request, "funds/household_matches.html", {"household": household, "ranked": ranked}
    )


@staff_required
@require_GET
def batch_matching(request: HttpRequest) -> HttpResponse:
    """The needs of the households assessed in the last N days (default 90), assigned to the
    directory's services under capacity; the needs no service could meet, by domain."""
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 366))
    except ValueError:
        days = 90
    today = timezone.localdate()
    needs = matching.recent_needs(
        user=request.user, since=today - dt.timedelta(days=days), today=today
    )
    offers = matching.offers_in_reach(user=request.user)
    result = matching.assign(needs, offers)
    unmet: dict[str, int] = {}
    for need in result.unmet:
        unmet[need.domain] = unmet.get(need.domain, 0) + 1
    return render(
        request,
        "funds/batch_matching.html",
        {
            "days": days,
            "needs": len(needs),
            "met": result.met,
            "unmet": sorted(((Domain(d).label, c) for d, c in unmet.items()), key=lambda x: -x[1]),
            "campaigns": campaigns_visible_to(request.user)
            .select_related("area")
            .order_by("-starts_on", "-id")[:50],
        },
    )


@staff_required
def campaign_matching(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Batch matching after an outreach campaign: its households found in need, their needs
    assigned to the directory's services under capacity, the needs nothing could meet; the
    assignments accepted become referrals (cases.services)."""
    user = request.user
    campaign = campaign_get(user=user, campaign_id=campaign_id)
    today = timezone.localdate()
    refused: dict[str, str] = {}
    if request.method == "POST":
        try:
            done = campaign_assignments_accept(
                actor=user, campaign=campaign, choices=request.POST.getlist("accept"), today=today
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc.message))
        else:
            refused = dict(done.refused)
            if done.linkages:
                messages.success(
                    request,
                    _("%(n)s referrals made from the assignment.") % {"n": len(done.linkages)},
                )
            if not refused:
                return redirect("funds:campaign_matching", campaign_id=campaign.pk)
            messages.error(
                request,
                _("%(n)s assignments could not be made; the reasons are shown next to them.")
                % {"n": len(refused)},
            )
    batch = campaign_batch(user=user, campaign=campaign, today=today)
    households = sorted({r.household.pk for r in batch.rows})
    if households:
        audit_read(request=request, household_ids=households, action="list")
    return render(
        request,
        "funds/campaign_matching.html",
        {
            "campaign": campaign,
            "batch": batch,
            "assigned": batch.assigned,
            "unmet": batch.unmet,
            "unmet_by_domain": batch.unmet_by_domain(),
            "refused": refused,
        },
        status=400 if request.method == "POST" else 200,
    )
