from django.core.management.base import BaseCommand, CommandParser

from demo.loader import DATA_FILE, load_demo


class Command(BaseCommand):
    help = "Load the Region Hannover demo data (idempotent: safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(DATA_FILE), help="Path of the JSON data file.")

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]

        def log(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        load_demo(path=options["file"], log=log)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
