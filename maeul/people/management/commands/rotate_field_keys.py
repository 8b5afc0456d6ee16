"""Re-encrypt every identifier and sensitive field under the newest field key.

Put the new key first in MAEUL_FIELD_KEYS (keep the old ones after it), run this command,
then the old keys can be removed. The blind index is keyed separately and does not change.
See docs/security.md, "Key rotation".
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from maeul.people.identity import rotate
from maeul.people.models import Household, Resident


def _batches(queryset, batch: int):
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not rows:
            return
        yield rows
        last_pk = rows[-1].pk


class Command(BaseCommand):
    help = (
        "Re-encrypt registration numbers and sensitive fields (health, disability details, "
        "violence notes) under the newest key of MAEUL_FIELD_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    @transaction.atomic
    def handle(self, *args, batch: int, **options):
        rrn = 0
        residents = Resident.objects.exclude(rrn_encrypted="").only("pk", "rrn_encrypted")
        for rows in _batches(residents, batch):
            for resident in rows:
                resident.rrn_encrypted = rotate(resident.rrn_encrypted)
            Resident.objects.bulk_update(rows, ["rrn_encrypted"])
            rrn += len(rows)

        # EncryptedTextField decrypts with any listed key when read and encrypts with the
        # newest when written: reading and writing the values back re-encrypts them.
        sensitive = 0
        residents = Resident.objects.filter(~Q(health_notes="") | ~Q(disability_detail="")).only(
            "pk", "health_notes", "disability_detail"
        )
        for rows in _batches(residents, batch):
            Resident.objects.bulk_update(rows, ["health_notes", "disability_detail"])
            sensitive += len(rows)
        households = Household.objects.exclude(violence_notes="").only("pk", "violence_notes")
        for rows in _batches(households, batch):
            Household.objects.bulk_update(rows, ["violence_notes"])
            sensitive += len(rows)
        self.stdout.write(
            f"re-encrypted {rrn} registration numbers and the sensitive fields of {sensitive} "
            "records under the newest key"
        )
