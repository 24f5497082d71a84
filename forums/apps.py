from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from foundation.services import account_deleted

        from . import signals

        account_deleted.connect(
            signals.free_event_places_of_deleted_account, dispatch_uid="forums.free_event_places"
        )
