"""Reads of the foundation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import Consultation, Notification, User
from .rules import may_see_consultation

#: A model may list fields that must not leave in a personal data export (e.g. internal
#: reviewer notes about the person) in a class attribute of this name.
EXPORT_EXCLUDE_ATTRIBUTE = "personal_data_export_exclude"

#: Fields that never leave, whatever model they are on.
_NEVER_EXPORTED = {"password"}

#: Apps above the foundation add data the automatic export cannot see (e.g. a survey's answers,
#: which point at the response, not at the user): `hook(user) -> dict[str, list[dict]]`, merged
#: into "data" of the export. The foundation imports no app; the apps register the hook.
ACCOUNT_DATA_EXPORT_HOOK = "account_data_export"


def context_from_hooks(hook_name: str, *args: Any) -> dict[str, Any]:
    """The dicts that the hooks registered under `hook_name` return for `args`, merged: how
    a lower floor's page shows what higher floors add to it (proposals from a thread, ...)."""
    context: dict[str, Any] = {}
    for hook in hooks.get_hooks(hook_name):
        context.update(hook(*args) or {})
    return context


def consultation_for(*, slug: str, user: Any) -> Consultation:
    """The consultation a page of any app belongs to, if `user` may see it (else 404)."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None or not may_see_consultation(user, consultation):
        raise Http404
    return consultation


def unread_notification_count(*, user: Any) -> int:
    """Counted once per request (the header and the list page both show it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(user, "_unread_notifications_cache", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._unread_notifications_cache = cached
    return cached


def _is_project_app(app_label: str) -> bool:
    """Apps of this project (inside BASE_DIR, not in the virtualenv) plus allauth's accounts."""
    if app_label == "account":  # allauth's EmailAddress rows are personal data too
        return True
    config = apps.get_app_config(app_label)
    path = Path(config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and ".venv" not in path.parts and "site-packages" not in path.parts


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict | list):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return str(value)


def _label(field: models.Field) -> str:
    return capfirst(str(field.verbose_name))


def _serialise(obj: models.Model, *, skip: set[str]) -> dict[str, Any]:
    """One row with the field labels of the model, in the active language, as keys.

    A related object appears by name ("Mehr Sprachkurse am Abend"), not only by its number;
    a choice by the text the site shows for it.
    """
    excluded = set(getattr(type(obj), EXPORT_EXCLUDE_ATTRIBUTE, ())) | _NEVER_EXPORTED | skip
    data: dict[str, Any] = {str(_("Record number")): obj.pk}
    for field in obj._meta.concrete_fields:
        if field.name in excluded or field.primary_key:
            continue
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            if related_id is not None and field.name in obj._state.fields_cache:
                value: Any = f"{getattr(obj, field.name)} (#{related_id})"
            else:
                value = related_id
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
            value = str(value) if value is not None else None
        else:
            value = _json_value(field.value_from_object(obj))
        data[_label(field)] = value
    return data


def _user_relations() -> list[models.ForeignObjectRel]:
    """Reverse relations from project models to the user (proposals, comments, supports...).

    Found at run time, so that an app which adds a model pointing at the user is exported
    without changes here.
    """
    relations = []
    for relation in User._meta.related_objects:
        model = relation.related_model
        if not _is_project_app(model._meta.app_label) and model._meta.app_label != "account":
            continue
        if relation.many_to_many:
            continue  # memberships through a model are exported from that model
        relations.append(relation)
    return sorted(relations, key=lambda rel: (rel.related_model._meta.label, rel.field.name))


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything the platform stores about and from the user, as JSON-ready data.

    Written for the person who asked for it: sections and fields carry the names the site
    uses, in the person's language (their profile's, else the active one).
    """
    with translation.override(user.language or translation.get_language()):
        return _personal_data_export(user)


def export_filename(*, user: User) -> str:
    with translation.override(user.language or translation.get_language()):
        # Translators: the file name of the personal data export; no spaces, no slashes.
        stem = slugify(_("my-data"))
    return f"{stem}-{timezone.localdate().isoformat()}.json"


def _personal_data_export(user: User) -> dict[str, Any]:
    def label(name: str) -> str:
        return _label(User._meta.get_field(name))

    profile = {
        label("email"): user.email,
        label("display_name"): user.display_name,
        str(_("Name shown with your contributions")): user.public_name,
        label("first_name"): user.first_name,
        label("last_name"): user.last_name,
        label("municipality"): user.municipality.name if user.municipality_id else None,
        label("language"): user.get_language_display() if user.language else None,
        label("notify_comments_inapp"): user.notify_comments_inapp,
        label("notify_comments_email"): user.notify_comments_email,
        label("notify_status_inapp"): user.notify_status_inapp,
        label("notify_status_email"): user.notify_status_email,
        label("date_joined"): _json_value(user.date_joined),
        label("last_login"): _json_value(user.last_login),
        str(_("Roles")): sorted(user.groups.values_list("name", flat=True)),
    }
    contributions: dict[str, list[dict[str, Any]]] = {}
    for relation in _user_relations():
        model = relation.related_model
        forward = relation.field
        foreign_keys = [
            field.name
            for field in model._meta.concrete_fields
            if field.is_relation and field.name != forward.name and field.related_model is not User
        ]
        queryset = (
            model._default_manager.filter(**{forward.name: user})
            .select_related(*foreign_keys)
            .order_by("pk")
        )
        rows = [_serialise(obj, skip={forward.name}) for obj in queryset.iterator(chunk_size=500)]
        if not rows:
            continue
        title = capfirst(str(model._meta.verbose_name_plural))
        if forward.name not in {"user", "author", "recipient"}:
            title = f"{title} ({_label(forward)})"
        if title in contributions:  # two models that the site names alike
            title = f"{title} [{model._meta.label_lower}]"
        contributions[title] = rows
    for hook in hooks.get_hooks(ACCOUNT_DATA_EXPORT_HOOK):
        for title, rows in hook(user).items():
            if rows:
                contributions.setdefault(str(title), []).extend(rows)
    return {
        str(_("Exported at")): timezone.localtime().isoformat(),
        str(_("Website")): settings.WAGTAIL_SITE_NAME,
        str(_("Profile")): profile,
        str(_("Your contributions and records")): contributions,
    }
