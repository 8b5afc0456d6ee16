"""Admin of the benefits records, read-only. A gu's ordinance lines are set on the gu page
(/benefits/local-rules/, through ``local_rule_set``, which checks bounds and keeps the dated
history); a sweep is run by ``registry_sweep``, which writes its leads and events. The admin
lists both so that what the gu and the sweep recorded stays as they recorded it.

A member's means, the household's situation and its support obligors are not in the admin:
they are personal data written by their services and read on the household page."""

from __future__ import annotations

from django.contrib import admin

from maeul.accounts.admin_mixins import ReadOnlyAdminMixin
from maeul.benefits.models import LocalRuleSetting, SweepRun


@admin.register(LocalRuleSetting)
class LocalRuleSettingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("gu", "parameter", "value", "valid_from", "changed_by", "changed_at")
    list_filter = ("gu", "parameter")
    search_fields = ("parameter", "note")
    date_hierarchy = "valid_from"
    list_select_related = ("gu", "changed_by")


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The counts of a sweep; its results (which households are blind spots) are not shown, so
    the page reads no household and is not audited."""

    list_display = ("created_at", "period", "actor", "households", "blind_spots", "unqualified")
    hidden_fields = ("results",)
    list_select_related = ("actor",)
