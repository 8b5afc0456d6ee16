"""Write the directory as Open Referral HSDS 3 JSON files into a folder."""

from pathlib import Path

from django.core.management.base import BaseCommand

from maeul.resources.hsds import export_directory


class Command(BaseCommand):
    help = "Export the directory (organisations, locations, services) as HSDS 3 JSON into DIR."

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        counts = export_directory(directory)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
