"""manage.py import_lss FILE --slug SHORT-NAME [--title ...] [--dry-run]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.interchange.lss import LssImportError, check_size, import_lss
from surveys.interchange.views import report_lines


class Command(BaseCommand):
    help = "Import a questionnaire from a LimeSurvey structure file (.lss) as a draft survey."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the .lss file.")
        parser.add_argument("--slug", required=True, help="Short name (URL) of the new survey.")
        parser.add_argument("--title", default="", help="Title (default: the file's title).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only, store nothing."
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        except LssImportError as error:
            raise CommandError("\n".join(error.messages)) from error
        try:
            report = import_lss(
                data=data, slug=options["slug"], title=options["title"], dry_run=options["dry_run"]
            )
        except LssImportError as error:
            raise CommandError("\n".join(error.messages)) from error
        for line in report_lines(report):
            self.stdout.write(line)
        if report.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was stored."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Imported as draft survey “{report.survey.slug}”.")
            )
