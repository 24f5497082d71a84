"""Registers the surveys' admin screens with Wagtail.

Each screen keeps its own hook functions, so that the sub-packages' registrations merge
without touching each other.
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .interchange.views import LssImportView, may_import_lss


# --- LimeSurvey import (surveys.interchange) -------------------------------------------------
class LssImportMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_import_lss(request.user)


@hooks.register("register_admin_urls")
def register_lss_import_urls() -> list:
    return [path("surveys/lss-import/", LssImportView.as_view(), name="surveys_lss_import")]


@hooks.register("register_admin_menu_item")
def register_lss_import_menu_item() -> MenuItem:
    return LssImportMenuItem(
        _("LimeSurvey import"), reverse("surveys_lss_import"), icon_name="upload", order=810
    )
