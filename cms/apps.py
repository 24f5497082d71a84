from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Website")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        from .navigation import invalidate

        # Cached menus go stale when the page tree or its view restrictions change.
        for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
            signal.connect(invalidate, dispatch_uid=f"cms-navigation-{id(signal)}")
        post_delete.connect(invalidate, sender=Page, dispatch_uid="cms-navigation-page-delete")
        for signal in (post_save, post_delete):
            signal.connect(
                invalidate,
                sender=PageViewRestriction,
                dispatch_uid=f"cms-navigation-pvr-{id(signal)}",
            )
