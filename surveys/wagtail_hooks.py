"""The surveys in the Wagtail admin (menu "Surveys": builder, recipients), in the foundation
(staff links, the account's data export) and on the public survey page (published results).

Further screens (e.g. the LimeSurvey import) add an item to the menu with the hook
SURVEYS_MENU_HOOK: `@hooks.register("register_surveys_menu_item")` returning a MenuItem.
"""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permissions import register_permission_policy

from foundation.selectors import ACCOUNT_DATA_EXPORT_HOOK
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from .builder.viewsets import SurveyViewSet
from .interchange.views import LssImportView
from .models import Survey
from .permissions import policy
from .personal_data import survey_answers_of
from .results.publication import rendered_public_results
from .rules import may_build_surveys, may_view_survey_results
from .selectors import DETAIL_CONTEXT_HOOK

SURVEYS_MENU_HOOK = "register_surveys_menu_item"

register_permission_policy(Survey, policy(Survey), exact_class=True)

survey_viewset = SurveyViewSet("survey_admin")


class StaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_build_surveys(request.user)


class SurveysMenuItem(SubmenuMenuItem):
    def is_shown(self, request) -> bool:
        return may_build_surveys(request.user)


@hooks.register("register_admin_viewset")
def register_survey_viewset() -> SurveyViewSet:
    return survey_viewset


@hooks.register("register_admin_urls")
def register_survey_admin_urls() -> list:
    return [
        path("survey-builder/", include("surveys.builder.urls", namespace="surveys_builder")),
        path(
            "survey-recipients/",
            include("surveys.invitations.admin_urls", namespace="surveys_invitations"),
        ),
    ]


@hooks.register(SURVEYS_MENU_HOOK)
def surveys_list_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("All surveys"), reverse("survey_admin:index"), icon_name="form", order=100
    )


@hooks.register(SURVEYS_MENU_HOOK)
def surveys_add_menu_item() -> MenuItem:
    return StaffMenuItem(_("New survey"), reverse("survey_admin:add"), icon_name="plus", order=110)


@hooks.register("register_admin_urls")
def register_lss_import_urls() -> list:
    return [path("surveys/lss-import/", LssImportView.as_view(), name="surveys_lss_import")]


@hooks.register(SURVEYS_MENU_HOOK)
def lss_import_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("LimeSurvey import"), reverse("surveys_lss_import"), icon_name="upload", order=120
    )


@hooks.register("register_admin_menu_item")
def surveys_menu() -> SubmenuMenuItem:
    return SurveysMenuItem(
        _("Surveys"), Menu(register_hook_name=SURVEYS_MENU_HOOK), icon_name="form", order=240
    )


hooks.register(ACCOUNT_DATA_EXPORT_HOOK, survey_answers_of)


@hooks.register(DETAIL_CONTEXT_HOOK)
def published_results_context(survey: Any, request: Any) -> dict[str, Any]:
    """Once published: the results and the template that shows them on the survey's page."""
    html = rendered_public_results(survey=survey)
    if html is None:
        return {}
    return {
        "published_results_html": html,
        "detail_sections": ["surveys/results/public_results_rendered.html"],
    }


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Survey results"),
            url_name="surveys:results_index",
            allowed=may_view_survey_results,
            order=70,
        )
    ]
