"""Admin of the accounts: staff accounts and the safety net stay editable here (no service
manages them; Django's admin log records each change), their pages audited as reads of a
person's record. The audit trail is append-only and only viewed."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from maeul.accounts.admin_mixins import AuditedReadAdminMixin, ReadOnlyAdminMixin
from maeul.accounts.models import AuditRecord, SafetyNetMember, User


@admin.register(User)
class UserAdmin(AuditedReadAdminMixin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "home_area", "is_active")
    list_filter = ("role", "home_area")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "maeul",
            {
                "fields": (
                    "full_name",
                    "role",
                    "home_area",
                    "partner",
                    "phone",
                    "privately_employed",
                    "hired_on",
                    "left_on",
                )
            },
        ),
    )


@admin.register(SafetyNetMember)
class SafetyNetMemberAdmin(AuditedReadAdminMixin, admin.ModelAdmin):
    """A resident in the dong's safety net: the admin is where the hub keeps the roster (no
    service, no timeline event); the page shows a resident's name and phone, so it is audited."""

    list_display = ("name", "dong", "team", "kind", "sex", "joined_on")
    list_filter = ("team", "sex", "dong")
    raw_id_fields = ("user", "tong", "ban")


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Append-only (AuditRecord refuses updates and deletes): no add either, or the admin could
    write a read that never happened. Reading the trail is not itself audited: it names the
    household read, not its contents."""

    list_display = ("at", "username", "action", "household_id", "purpose", "path", "ip")
    list_filter = ("action", "purpose")
