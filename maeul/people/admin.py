from django.contrib import admin

from maeul.people.models import BenefitReceipt, Consent, Household, Resident, TimelineEvent


class ResidentInline(admin.TabularInline):
    model = Resident
    fields = ("name", "relation", "birth_date", "sex", "disability")
    extra = 0


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("id", "address", "dong", "housing")
    list_filter = ("dong",)
    search_fields = ("address",)
    inlines = [ResidentInline]
    raw_id_fields = ("tong", "ban", "care_volunteers")


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "dong", "household_id", "amount")
    list_filter = ("kind", "dong")
    raw_id_fields = ("household", "actor")


admin.site.register(BenefitReceipt, raw_id_fields=("household", "resident"))
admin.site.register(Consent, raw_id_fields=("household", "resident", "recorded_by"))
