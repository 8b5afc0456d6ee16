"""Campaigns in the admin: read-only. A campaign and its targets change through
campaigns.services (the target list, outcomes as visits), and an instrument's items and
scoring must not change under answers already recorded."""

from django.contrib import admin

from maeul.accounts.admin_mixins import ReadOnlyAdminMixin
from maeul.campaigns.models import Campaign, Instrument


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "cutoff")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "area", "starts_on", "ends_on")
