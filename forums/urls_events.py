"""The events overview at /veranstaltungen/: every published consultation's forum events,
and a calendar feed per Handlungsfeld."""

from django.urls import path

from . import views_events

app_name = "events"

urlpatterns = [
    path("", views_events.event_overview, name="overview"),
    path("<slug:field_slug>/kalender.ics", views_events.field_feed, name="field_feed"),
]
