"""What Django's admin may do with records about people.

Every write to a household, a member, a consent, a case … goes through a service that checks
the rule, writes the timeline event the indicators count and leaves a trace (STYLE.md, "each
writes the household-timeline event"). The admin writes straight to the tables, so for those
records it is a viewer only (`ReadOnlyAdminMixin`), and a viewer that leaves the same audit
record as the household page (`AuditedReadAdminMixin`, PIPA art. 29 access log; DOMAIN.md
"Personal data").

Who may view: superusers and the administrator role (maeul.people.policy: administrators
"read the audit trail and what a record is, not its sensitive contents") — on top of Django's
own staff flag and view permission, never instead of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from maeul.accounts.audit import audit_read
from maeul.accounts.models import Role

#: The purpose written on the audit records of reads made in the admin.
ADMIN_PURPOSE = "admin"

if TYPE_CHECKING:
    _AdminBase = admin.options.BaseModelAdmin[Any]
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = _ModelAdminBase = object


def may_use_admin(user: Any) -> bool:
    """Superusers and administrators; every other role works households through the hub pages,
    which scope them to their dong (`households_visible_to`)."""
    if not getattr(user, "is_active", False):
        return False
    return bool(user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR)


class ReadOnlyAdminMixin(_AdminBase):
    """The admin shows the record and refuses every write: no add, no change (a POST answers
    403), no delete, no actions (so no bulk delete). Put it before `admin.ModelAdmin` or
    `admin.TabularInline`.

    `hidden_fields` are never shown — encrypted fields (they would be decrypted on the page)
    and contents the administrator role may not read. When `fields` is not set, every other
    field of the model is shown, read-only."""

    hidden_fields: Sequence[str] = ()
    actions: Any = None

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return may_use_admin(request.user) and super().has_view_permission(request, obj)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[Any]:
        hidden = set(self.hidden_fields)
        if self.fields:
            names: list[Any] = list(self.fields)
        else:
            opts = self.model._meta
            names = [
                f.name for f in chain(opts.concrete_fields, opts.many_to_many) if not f.auto_created
            ]
        return [name for name in names if name not in hidden]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return self.get_fields(request, obj)


class AuditedReadAdminMixin(_ModelAdminBase):
    """Each admin page that shows a person's record writes an audit record, as the household
    page does: the change (detail) page and the history page one `view` of the record's
    household, the list one `list` of the households on the page. Purpose: "admin".

    `audit_household_id` says which household a record belongs to (the record's
    `household_id` unless overridden); records of a person outside any household (a
    safety-net member, a staff account) are audited with no household, the path naming
    the record."""

    audit_purpose = ADMIN_PURPOSE

    def audit_household_id(self, obj: Model) -> int | None:
        return getattr(obj, "household_id", None)

    def _audit(
        self, request: HttpRequest, response: HttpResponse, key: str, action: str
    ) -> HttpResponse:
        context = getattr(response, "context_data", None) or {}
        if response.status_code != 200 or context.get(key) is None:
            return response
        if action == "list":
            ids = (self.audit_household_id(obj) for obj in context[key].result_list)
            audit_read(
                request=request,
                household_ids=list(dict.fromkeys(i for i in ids if i is not None)),
                action="list",
                purpose=self.audit_purpose,
            )
        else:
            audit_read(
                request=request,
                household_id=self.audit_household_id(context[key]),
                action="view",
                purpose=self.audit_purpose,
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._audit(request, response, "original", "view")

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        return self._audit(request, response, "object", "view")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        return self._audit(request, response, "cl", "list")
