"""The outbox in the admin, read-only: what maeul told reporters, partners and case workers
(the demo's SMS provider leaves its messages here, queued)."""

from django.contrib import admin

from maeul.accounts.admin_mixins import ReadOnlyAdminMixin
from maeul.discovery.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "purpose", "status", "subject")
    list_filter = ("channel", "status", "purpose")
    search_fields = ("recipient", "subject")
    date_hierarchy = "created_at"
