"""Writing a checked high-risk list in one transaction: new households through `people`'s
bulk builder, then every row's lead through `discovery.bulk` — the same rows `lead_register`
writes one at a time."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from maeul.accounts.models import User
from maeul.discovery.bulk import NewLead, leads_bulk_register
from maeul.discovery.matching import HouseholdIndex
from maeul.discovery.models import Lead, LeadUpload
from maeul.discovery.upload.check import UploadRow, parse_upload
from maeul.discovery.upload.read import read_upload_bytes
from maeul.errors import PermissionDenied
from maeul.people.bulk import NewHousehold, households_bulk_register


def upload_import(*, actor: User, file, filename: str) -> LeadUpload:
    """Read, check, then write a high-risk list; a file with any bad row saves nothing."""
    if not actor.is_authenticated or not actor.is_hub_staff:
        raise PermissionDenied(gettext_lazy("Only hub staff may upload a high-risk list."))
    data = read_upload_bytes(file, filename)
    rows = parse_upload(actor=actor, data=data, filename=filename)
    return _write(actor=actor, rows=rows, filename=filename)


@transaction.atomic
def _write(*, actor: User, rows: list[UploadRow], filename: str) -> LeadUpload:
    now = timezone.now()
    gu_id = rows[0].dong.parent_id
    index = HouseholdIndex(gu_id=gu_id, keys=[r.keys for r in rows])
    matches = [index.match(r.keys) for r in rows]
    matched = sum(1 for known, _method in matches if known is not None)
    upload = LeadUpload.objects.create(
        uploaded_by=actor,
        filename=(filename or "")[:200],
        row_count=len(rows),
        matched_count=matched,
    )
    new_rows = [r for r, (known, _m) in zip(rows, matches, strict=True) if known is None]
    new_ids = iter(
        households_bulk_register(
            [
                NewHousehold(
                    dong_id=r.dong.pk,
                    address=r.address,
                    head_name=r.name,
                    head_birth_date=r.birth_date,
                    head_rrn=r.rrn,
                    lat=r.dong.lat,
                    lon=r.dong.lon,
                )
                for r in new_rows
            ],
            actor_id=actor.pk,
            now=now,
        )
    )
    leads = []
    for r, (known, method) in zip(rows, matches, strict=True):
        if known is None:
            household_id, household_dong_id = next(new_ids), r.dong.pk
        else:
            household_id, household_dong_id = known.household_id, known.dong_id
        leads.append(
            NewLead(
                dong_id=r.dong.pk,
                household_id=household_id,
                household_dong_id=household_dong_id,
                source=Lead.Source.HIGH_RISK_LIST.value,
                match=method,
                urgency=r.urgency,
                subject_name=r.name,
                address=r.address,
                description=r.description,
                crisis_signals=r.signals,
            )
        )
    leads_bulk_register(leads, actor_id=actor.pk, now=now, upload_id=upload.pk)
    return upload
