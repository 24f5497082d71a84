from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from foundation.roles import Role, is_coordination_office, is_reviewer

register = template.Library()


@register.simple_tag(takes_context=True)
def review_nav(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The review area's sub-navigation for the signed-in user's roles."""
    request = context["request"]
    user = request.user
    links: list[tuple[str, str]] = []
    if is_coordination_office(user):
        links += [
            (_("Triage inbox"), "review:triage"),
            (_("Dashboard"), "review:dashboard"),
            (_("Review meetings"), "review:meetings"),
        ]
    if is_reviewer(user):
        links.append((_("My department's queue"), "review:queue"))
        if not is_coordination_office(user):
            links.append((_("Review meetings"), "review:meetings"))
    items = []
    for title, name in links:
        url = reverse(name)
        items.append({"title": title, "url": url, "active": request.path.startswith(url)})
    return items


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def staff_name(user: Any) -> str:
    """A person in the review's timelines and lists: display name and department, never the
    e-mail address ("Petra Schulz (Fachbereich Schulen)", "Jan Koch (Koordinierungsstelle)").

    The name is `User.public_name` (the display name, or "Participant" / "Deleted account");
    memberships and groups come from `selectors.person_prefetches` when prefetched.
    """
    if user is None:
        return ""
    units = sorted(membership.department.name for membership in user.department_memberships.all())
    if not units and Role.COORDINATION.value in {group.name for group in user.groups.all()}:
        units = [_("Coordination office")]
    if not units:
        return user.public_name
    return f"{user.public_name} ({', '.join(units)})"
