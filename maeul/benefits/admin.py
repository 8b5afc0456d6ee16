"""Admin of the benefits records. A gu's ordinance lines are set on the gu page
(/benefits/local-rules/, through ``local_rule_set``); the admin lists them read-only so that
the history stays what the gu recorded."""

from __future__ import annotations

from django.contrib import admin

from maeul.benefits.models import LocalRuleSetting, SweepRun


@admin.register(LocalRuleSetting)
class LocalRuleSettingAdmin(admin.ModelAdmin):
    list_display = ("gu", "parameter", "value", "valid_from", "changed_by", "changed_at")
    list_filter = ("gu", "parameter")
    search_fields = ("parameter", "note")
    date_hierarchy = "valid_from"
    readonly_fields = [f.name for f in LocalRuleSetting._meta.fields]
    list_select_related = ("gu", "changed_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "period", "actor", "households", "blind_spots", "unqualified")
    exclude = ("results",)
    readonly_fields = (
        "created_at",
        "actor",
        "period",
        "dong_ids",
        "households",
        "residents",
        "blind_spots",
        "unqualified",
        "incomplete",
        "leads_created",
        "seconds",
    )
    list_select_related = ("actor",)

    def has_add_permission(self, request) -> bool:
        return False
