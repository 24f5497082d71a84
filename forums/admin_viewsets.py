"""Forums and forum events in the Wagtail admin (menu "Foren"): editors and the coordination
office create and edit them; what holds posts or registrations is not deleted."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSetGroup

from foundation.admin.base import PlatformModelViewSet, RefusingDeleteView
from foundation.admin.forms import InlineFormsetPanel

from . import events
from .admin_forms import EVENT_FILE_FIELDS, ForumEventForm, ForumForm
from .models import EventRegistration, Forum, ForumEvent, RegistrationStatus


def forum_delete_refusal(forum: Forum) -> str | None:
    count = forum.threads.count()
    if count:
        return ngettext(
            "The forum holds %(count)s thread and is not deleted; close it for posts instead.",
            "The forum holds %(count)s threads and is not deleted; close it for posts instead.",
            count,
        ) % {"count": count}
    return None


def event_delete_refusal(event: ForumEvent) -> str | None:
    count = event.registrations.filter(cancelled_at__isnull=True).count()
    if count:
        return ngettext(
            "%(count)s person is registered; the event is not deleted. Close the registration "
            "and tell the participants first.",
            "%(count)s people are registered; the event is not deleted. Close the registration "
            "and tell the participants first.",
            count,
        ) % {"count": count}
    return None


class ForumDeleteView(RefusingDeleteView):
    refusal = staticmethod(forum_delete_refusal)


class EventDeleteView(RefusingDeleteView):
    refusal = staticmethod(event_delete_refusal)


class ForumViewSet(PlatformModelViewSet):
    model = Forum
    icon = "comment"
    menu_label = _("Forums")
    url_prefix = "forums/forums"
    delete_view_class = ForumDeleteView
    inspect_view_enabled = False
    list_select_related = ("consultation", "handlungsfeld")
    search_fields = ["handlungsfeld__name", "consultation__title"]
    list_filter = ["consultation", "is_open"]
    ordering = ["consultation__title", "handlungsfeld__number"]
    list_display = [
        "handlungsfeld",
        "consultation",
        "is_open",
        Column("thread_count", label=_("Threads")),
        Column("post_count", label=_("Posts")),
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return ForumForm


class RegistrationsPanel(Panel):
    """The registrations of an event, read-only: counts, the waiting list in its order, and
    the links to the participant list and its CSV (check-in list with codes)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "forums/admin/registrations_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            event = self.instance
            context["event"] = event
            context["waiting_list"] = list(events.waiting_list(event))
            return context


def waiting_count() -> Coalesce:
    """The length of each event's waiting list, as a subquery (no join into the list)."""
    waiting = (
        EventRegistration.objects.filter(
            event=OuterRef("pk"), status=RegistrationStatus.WAITING, cancelled_at__isnull=True
        )
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(waiting, output_field=IntegerField()), 0)


class ForumEventViewSet(PlatformModelViewSet):
    model = ForumEvent
    icon = "date"
    menu_label = _("Forum events")
    url_prefix = "forums/events"
    delete_view_class = EventDeleteView
    copy_view_enabled = True
    inspect_view_enabled = False
    search_fields = ["title", "place", "venue"]
    list_filter = ["consultation", "registration_open"]
    ordering = ["-starts_at"]
    list_display = [
        "title",
        "starts_at",
        "place",
        "registration_open",
        Column("registered_count", label=_("Registered")),
        "capacity",
        Column("waiting_count", label=_("Waiting list")),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("consultation"),
                    FieldRowPanel([FieldPanel("number"), FieldPanel("handlungsfeld")]),
                    FieldPanel("title"),
                    FieldPanel("slug"),
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                    FieldPanel("description"),
                ],
                heading=_("Event"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("venue"),
                    FieldPanel("street_address"),
                    FieldRowPanel([FieldPanel("postal_code"), FieldPanel("place")]),
                    FieldPanel("municipality"),
                    FieldPanel("accessibility"),
                    FieldPanel("online_url"),
                ],
                heading=_("Place"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("registration_open"),
                    FieldRowPanel([FieldPanel("capacity"), FieldPanel("has_waiting_list")]),
                    RegistrationsPanel(heading=_("Registrations")),
                ],
                heading=_("Registration"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("participants"),
                    FieldPanel("documentation"),
                    InlineFormsetPanel(
                        "files",
                        child_fields=EVENT_FILE_FIELDS,
                        heading=_("Files"),
                        help_text=_(
                            "Minutes, presentations and photos. They are shown on the event "
                            "page once the event has taken place."
                        ),
                    ),
                ],
                heading=_("Documentation (after the event)"),
            ),
        ],
        base_form_class=ForumEventForm,
    )

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("queryset", ForumEvent.objects.annotate(waiting_count=waiting_count()))
        return super().get_index_view_kwargs(**kwargs)


class ForumsAdminGroup(ModelViewSetGroup):
    menu_label = _("Forums")
    menu_icon = "group"
    menu_order = 250
    items = (ForumViewSet("forums_admin"), ForumEventViewSet("forum_events_admin"))
