from django.contrib import admin

from maeul.campaigns.models import Campaign, Instrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "cutoff")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "starts_on", "ends_on")
    raw_id_fields = ("staff", "safety_net")
