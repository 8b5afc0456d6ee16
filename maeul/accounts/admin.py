from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from maeul.accounts.models import AuditRecord, SafetyNetMember, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
class SafetyNetMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "dong", "team", "kind", "joined_on")
    list_filter = ("team", "dong")
    raw_id_fields = ("user", "tong", "ban")


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "household_id", "path", "ip")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
