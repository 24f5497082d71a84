"""The roles of the guide as Django groups, and the predicates every app checks.

Residents need no group: a signed-in, active, unblocked user with a verified e-mail address.
Reviewers are members of a Department (DepartmentMembership); the group only grants the
reviewer pages. Coordination office and editors are groups with model permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache


class Role(StrEnum):
    COORDINATION = "Koordinierungsstelle"
    REVIEWER = "Fachbereich-Prüfung"
    EDITOR = "Redaktion"


# Model permissions per role: (app_label, codename prefix list or exact codenames).
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.COORDINATION: [
        "wagtailadmin.access_admin",
        "foundation.view_user",
        "foundation.add_consultation",
        "foundation.change_consultation",
        "foundation.view_consultation",
        "foundation.add_phase",
        "foundation.change_phase",
        "foundation.delete_phase",
        "foundation.view_phase",
        "foundation.view_department",
        "foundation.add_department",
        "foundation.change_department",
        "foundation.view_departmentmembership",
        "foundation.add_departmentmembership",
        "foundation.change_departmentmembership",
        "foundation.delete_departmentmembership",
        "foundation.view_organisation",
        "foundation.add_organisation",
        "foundation.change_organisation",
        "foundation.view_municipality",
        "foundation.view_handlungsfeld",
    ],
    Role.REVIEWER: [],
    Role.EDITOR: [
        "wagtailadmin.access_admin",
        "foundation.view_consultation",
        "foundation.change_consultation",
        "foundation.add_consultation",
        "foundation.view_phase",
        "foundation.add_phase",
        "foundation.change_phase",
        "foundation.delete_phase",
        "foundation.view_municipality",
        "foundation.add_municipality",
        "foundation.change_municipality",
        "foundation.view_handlungsfeld",
        "foundation.add_handlungsfeld",
        "foundation.change_handlungsfeld",
        "foundation.view_department",
        "foundation.add_department",
        "foundation.change_department",
        "foundation.view_organisation",
        "foundation.add_organisation",
        "foundation.change_organisation",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}


def ensure_roles(extra: dict[Role, list[str]] | None = None) -> dict[Role, Group]:
    """Create the role groups and grant their permissions; safe to run any number of times."""
    groups: dict[Role, Group] = {}
    wanted = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for role, perms in (extra or {}).items():
        wanted[role].extend(perms)
    for role, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
        groups[role] = group
    return groups


def _in_group(user: Any, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_role_names_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names_cache = cache
    return role.value in cache


@rules.predicate
def is_active_participant(user: Any) -> bool:
    """Signed in, active, not blocked and with a verified e-mail address."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.blocked_at:
        return False
    cached = getattr(user, "_verified_cache", None)
    if cached is None:
        # Cached across requests; foundation.signals clears it when an address changes.
        timeout = settings.VERIFIED_EMAIL_CACHE_SECONDS
        key = verified_cache_key(user.pk)
        cached = cache.get(key) if timeout else None
        if cached is None:
            from allauth.account.models import EmailAddress

            cached = (
                user.is_superuser or EmailAddress.objects.filter(user=user, verified=True).exists()
            )
            if timeout:
                cache.set(key, cached, timeout)
        user._verified_cache = cached
    return cached


def verified_cache_key(user_id: int) -> str:
    return f"foundation:verified-email:{user_id}"


@rules.predicate
def is_coordination_office(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, Role.COORDINATION)


@rules.predicate
def is_editor(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _in_group(user, Role.EDITOR)


def department_ids(user: Any) -> set[int]:
    """Ids of the departments the user reviews for (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_department_ids_cache", None)
    if cache is None:
        cache = set(user.department_memberships.values_list("department_id", flat=True))
        user._department_ids_cache = cache
    return cache


@rules.predicate
def is_reviewer(user: Any) -> bool:
    return bool(department_ids(user))


def role_required(
    allowed: Callable[[Any], bool],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator for staff pages: visitors are sent to sign in, signed-in people for
    whom `allowed(user)` is false get 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
