import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.services import report_import

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "annual-report-2023.toml"


class Command(BaseCommand):
    help = "Load an annual report from a TOML data file (the shipped 2023 report by default)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE))
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite the working copy of an existing report of that year",
        )
        parser.add_argument("--draft", action="store_true", help="load without publishing")

    def handle(self, *args, path, replace, draft, **options):
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        report, loaded = report_import(data=data, replace=replace, publish=not draft)
        if loaded:
            figures = report.figures.count()
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the {report.year} report ({figures} key figures).")
            )
        else:
            self.stdout.write(
                f"The {report.year} report is already there; left as it is (--replace to reload)."
            )
