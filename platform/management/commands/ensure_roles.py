from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.core.management.base import BaseCommand

from foundation.roles import ensure_roles


class Command(BaseCommand):
    help = "Create the role groups (Koordinierungsstelle, Fachbereich-Prüfung, Redaktion) and grant their permissions. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            create_permissions(config, verbosity=0)
        groups = ensure_roles()
        for role, group in groups.items():
            count = group.permissions.count()
            self.stdout.write(f"{role.value}: {count} permissions")
        self.stdout.write(self.style.SUCCESS("Role groups are up to date."))
