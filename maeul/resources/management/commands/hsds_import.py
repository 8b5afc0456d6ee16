"""Read a directory written as Open Referral HSDS 3 JSON files (as hsds_export writes them)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maeul.areas.models import Area
from maeul.errors import DomainError
from maeul.resources.hsds import FILES, import_directory


class Command(BaseCommand):
    help = (
        "Import organisations, locations and services from the HSDS 3 JSON files in DIR "
        f"({', '.join(FILES)}); objects are matched by their HSDS id. All or nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--area",
            default="",
            help="Area code for organisations from other systems that carry no maeul area code.",
        )

    def handle(self, *args, directory: Path, area: str, **options) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        default_area = None
        if area:
            default_area = Area.objects.filter(code=area).first()
            if default_area is None:
                raise CommandError(f"unknown area code {area}")
        try:
            counts = import_directory(directory, default_area=default_area)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
