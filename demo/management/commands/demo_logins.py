from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.logins import DEMO_PASSWORD, ensure_demo_logins


class Command(BaseCommand):
    help = (
        "Create (or reset) one demo login per role and print them. All share the password "
        f"“{DEMO_PASSWORD}”. Refuses to run unless DEBUG is on or --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create the demo logins even with DEBUG off (never on a public installation).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo logins have a publicly known password and are only created with DEBUG=1. "
                "Use --force if you really want them on this installation."
            )
        logins = ensure_demo_logins()
        width = max(len(login.role) for login in logins)
        email_width = max(len(login.email) for login in logins)
        self.stdout.write("Demo logins (sign in at /konto/login/):")
        for login in logins:
            self.stdout.write(
                f"  {login.role.ljust(width)}  {login.email.ljust(email_width)}  {login.password}"
            )
