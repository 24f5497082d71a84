"""Links to the staff pages in the base layout; each app adds its own through a Wagtail hook.

An app's `wagtail_hooks.py` registers a function for the hook `STAFF_LINKS_HOOK` that returns
its `StaffLink`s; the layout shows those the signed-in person is allowed to open, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

STAFF_LINKS_HOOK = "mitreden_staff_links"


@dataclass(frozen=True)
class StaffLink:
    title: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100


def staff_links() -> list[StaffLink]:
    links = [link for hook in hooks.get_hooks(STAFF_LINKS_HOOK) for link in hook()]
    return sorted(links, key=lambda item: item.order)


def staff_links_for(user: Any) -> list[dict[str, str]]:
    return [
        {"title": str(link.title), "url": reverse(link.url_name)}
        for link in staff_links()
        if link.allowed(user)
    ]


def _may_use_wagtail_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        "wagtailadmin.access_admin"
    )


@hooks.register(STAFF_LINKS_HOOK)
def administration_link() -> list[StaffLink]:
    """The foundation's own staff link: the Wagtail admin, for everyone allowed into it."""
    return [
        StaffLink(
            title=_("Administration"),
            url_name="wagtailadmin_home",
            allowed=_may_use_wagtail_admin,
            order=900,
        )
    ]
