"""Forums at /foren/: moderation and post actions first, then per consultation (slug) pages."""

from django.urls import path

from . import views, views_events, views_moderation

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("moderation/", views_moderation.moderation_queue, name="moderation_queue"),
    path("moderation/protokoll/", views_moderation.moderation_log, name="moderation_log"),
    path(
        "moderation/beitraege/<int:pk>/<slug:action>/",
        views_moderation.post_action,
        name="moderation_post",
    ),
    path(
        "moderation/themen/<int:pk>/verschieben/",
        views_moderation.thread_move,
        name="moderation_thread_move",
    ),
    path(
        "moderation/themen/<int:pk>/<slug:action>/",
        views_moderation.thread_action,
        name="moderation_thread",
    ),
    path("beitraege/<int:pk>/bearbeiten/", views.post_edit, name="post_edit"),
    path("beitraege/<int:pk>/loeschen/", views.post_delete, name="post_delete"),
    path("beitraege/<int:pk>/melden/", views.post_flag, name="post_flag"),
    path("<slug:slug>/", views.forum_list, name="forum_list"),
    path("<slug:slug>/veranstaltungen/", views_events.event_list, name="event_list"),
    path("<slug:slug>/veranstaltungen/kalender.ics", views_events.events_feed, name="events_feed"),
    path(
        "<slug:slug>/veranstaltungen/<slug:event_slug>/kalender.ics",
        views_events.event_ics,
        name="event_ics",
    ),
    path(
        "<slug:slug>/veranstaltungen/<slug:event_slug>/",
        views_events.event_detail,
        name="event_detail",
    ),
    path(
        "<slug:slug>/veranstaltungen/<slug:event_slug>/anmelden/",
        views_events.event_register,
        name="event_register",
    ),
    path(
        "<slug:slug>/veranstaltungen/<slug:event_slug>/abmelden/",
        views_events.event_cancel,
        name="event_cancel",
    ),
    path(
        "<slug:slug>/veranstaltungen/<slug:event_slug>/teilnehmende/",
        views_events.event_participants,
        name="event_participants",
    ),
    path(
        "<slug:slug>/veranstaltungen/<slug:event_slug>/teilnehmende.csv",
        views_events.event_participants_csv,
        name="event_participants_csv",
    ),
    path("<slug:slug>/<slug:field_slug>/", views.forum_detail, name="forum_detail"),
    path("<slug:slug>/<slug:field_slug>/neu/", views.thread_create, name="thread_create"),
    path("<slug:slug>/<slug:field_slug>/<int:pk>/", views.thread_detail, name="thread_detail"),
    path(
        "<slug:slug>/<slug:field_slug>/<int:pk>/antworten/", views.post_create, name="post_create"
    ),
]
