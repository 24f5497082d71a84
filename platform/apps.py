from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FoundationConfig(AppConfig):
    """The platform foundation, kept in the folder platform/ and imported as `foundation`.

    `path` is explicit because `foundation` is a namespace package (the folder has no
    __init__.py so that it can never shadow the standard library's `platform`).
    """

    name = "foundation"
    label = "foundation"
    verbose_name = _("Platform")
    path = str(Path(__file__).resolve().parent)
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals
        from .services import account_blocked

        account_blocked.connect(
            signals.tell_the_blocked_person, dispatch_uid="foundation.tell_the_blocked_person"
        )
