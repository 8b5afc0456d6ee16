"""Consistency checks a restored (or long-running) database must pass: `manage.py
check_integrity`. Each check reads only and returns the problems it found, in words an
operator can act on. Apps with ledgers or invariants of their own add checks in an
`integrity` module (`checks() -> list[str]`), collected here."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef

from maeul.accounts.models import AuditRecord
from maeul.people.models import Household, Resident, TimelineEvent


def timeline_households() -> list[str]:
    """Every timeline event about a household points to a household that exists."""
    orphans = (
        TimelineEvent.objects.filter(household_id__isnull=False)
        .exclude(Exists(Household.objects.filter(pk=OuterRef("household_id"))))
        .count()
    )
    return (
        [f"{orphans} timeline events point to a household that does not exist"] if orphans else []
    )


def household_heads() -> list[str]:
    """Every household not anonymised has at least one member (its head is registered with it)."""
    empty = (
        Household.objects.filter(anonymised_at__isnull=True)
        .exclude(Exists(Resident.objects.filter(household_id=OuterRef("pk"))))
        .count()
    )
    return [f"{empty} households have no member"] if empty else []


def audit_trail() -> list[str]:
    """The audit trail is append-only (PostgreSQL refuses UPDATE and DELETE through a trigger),
    every record names who read (the username is kept even when the account is removed) and
    every household it names exists (households are anonymised, never deleted)."""
    problems = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal",
                ["accounts_auditrecord_append_only"],
            )
            if cursor.fetchone()[0] != 1:
                problems.append("the audit trail's append-only trigger is missing")
    unnamed = AuditRecord.objects.filter(username="").count()
    if unnamed:
        problems.append(f"{unnamed} audit records name no reader")
    dangling = (
        AuditRecord.objects.filter(household_id__isnull=False)
        .exclude(Exists(Household.objects.filter(pk=OuterRef("household_id"))))
        .count()
    )
    if dangling:
        problems.append(f"{dangling} audit records name a household that does not exist")
    return problems


CORE_CHECKS = (timeline_households, household_heads, audit_trail)


def all_checks() -> list:
    """The core checks, then each app's `integrity.checks`."""
    checks = list(CORE_CHECKS)
    for config in apps.get_app_configs():
        if not config.name.startswith("maeul.") or config.name == "maeul.hub":
            continue
        try:
            module = importlib.import_module(f"{config.name}.integrity")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.integrity":
                raise
            continue
        checks.append(module.checks)
    return checks
