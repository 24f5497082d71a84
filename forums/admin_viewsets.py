"""Forums and forum events in the Wagtail admin (menu "Foren"): editors and the coordination
office create and edit them; what holds posts or registrations is not deleted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSetGroup

from foundation.admin.base import PlatformModelViewSet, RefusingDeleteView

from .admin_forms import ForumEventForm, ForumForm
from .models import Forum, ForumEvent


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
    ]

    def get_form_class(self, for_update: bool = False) -> type:
        return ForumEventForm


class ForumsAdminGroup(ModelViewSetGroup):
    menu_label = _("Forums")
    menu_icon = "group"
    menu_order = 250
    items = (ForumViewSet("forums_admin"), ForumEventViewSet("forum_events_admin"))
