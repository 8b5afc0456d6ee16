"""Re-encrypt every identifier under the newest field key.

Put the new key first in MAEUL_FIELD_KEYS (keep the old ones after it), run this command,
then the old keys can be removed. The blind index is keyed separately and does not change.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from maeul.people.identity import rotate
from maeul.people.models import Resident


class Command(BaseCommand):
    help = "Re-encrypt registration numbers under the newest key of MAEUL_FIELD_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    @transaction.atomic
    def handle(self, *args, batch: int, **options):
        done = 0
        queryset = (
            Resident.objects.exclude(rrn_encrypted="").only("pk", "rrn_encrypted").order_by("pk")
        )
        last_pk = 0
        while True:
            rows = list(queryset.filter(pk__gt=last_pk)[:batch])
            if not rows:
                break
            for resident in rows:
                resident.rrn_encrypted = rotate(resident.rrn_encrypted)
            Resident.objects.bulk_update(rows, ["rrn_encrypted"])
            done += len(rows)
            last_pk = rows[-1].pk
        self.stdout.write(f"re-encrypted {done} registration numbers under the newest key")
