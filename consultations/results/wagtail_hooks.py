"""How results plug into the review workflow and the staff navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from consultations.review.services import CASE_PUBLISHED_HOOK
from foundation.staff import STAFF_LINKS_HOOK, StaffLink

from . import permissions
from .services import adopt_published_case

hooks.register(CASE_PUBLISHED_HOOK, adopt_published_case)


@hooks.register(STAFF_LINKS_HOOK)
def staff_links() -> list[StaffLink]:
    return [
        StaffLink(
            title=_("Monitoring"),
            url_name="results:staff_index",
            allowed=permissions.may_use_monitoring_staff_pages,
            order=60,
        )
    ]
