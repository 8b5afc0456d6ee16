"""Admin of the people records: a viewer only. Households, members, benefits received,
consents and timeline events change through `maeul.people.services` (and the services of the
apps above), which write the timeline event and check consent and scope; the admin would
bypass all of that. Each page that shows a record writes an audit record (purpose "admin").

Shown is what the administrator role may read (maeul.people.policy: identity, contact,
household, benefits): never an encrypted field — the registration number, health,
disability and violence notes — nor the disability grade or the case notes of the timeline."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model

from maeul.accounts.admin_mixins import AuditedReadAdminMixin, ReadOnlyAdminMixin
from maeul.people.fields import EncryptedTextField
from maeul.people.models import BenefitReceipt, Consent, Household, Resident, TimelineEvent


def encrypted(model: type[Model]) -> tuple[str, ...]:
    """The model's fields encrypted at rest: the admin would show them decrypted."""
    return tuple(f.name for f in model._meta.fields if isinstance(f, EncryptedTextField))


#: The registration number (ciphertext and its blind index) and the keys derived for matching.
RESIDENT_HIDDEN = (*encrypted(Resident), "rrn_encrypted", "rrn_index", "name_key", "disability")


class ResidentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Resident
    fields = ("name", "relation", "birth_date", "sex")
    hidden_fields = RESIDENT_HIDDEN
    extra = 0


@admin.register(Household)
class HouseholdAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "address", "dong", "housing")
    list_filter = ("dong",)
    search_fields = ("address",)
    list_select_related = ("dong",)
    hidden_fields = (*encrypted(Household), "address_key")
    inlines = [ResidentInline]

    def audit_household_id(self, obj: Model) -> int | None:
        return obj.pk


@admin.register(TimelineEvent)
class TimelineEventAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "dong", "household_id", "amount")
    list_filter = ("kind", "dong")
    list_select_related = ("dong",)
    # The summary is case notes (a goal, a visit's note), which administrators do not read.
    hidden_fields = ("summary",)


@admin.register(BenefitReceipt)
class BenefitReceiptAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("household_id", "programme", "started_on", "ended_on", "monthly_amount")
    list_filter = ("programme",)


@admin.register(Consent)
class ConsentAdmin(AuditedReadAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("household_id", "purpose", "given_on", "withdrawn_on")
