from django.urls import path

from . import transfer_views, views

app_name = "review"

urlpatterns = [
    path("", views.index, name="index"),
    path("eingang/", views.triage, name="triage"),
    path("meine-aufgaben/", views.queue, name="queue"),
    path("meine-aufgaben/tabelle/", transfer_views.queue_download, name="queue_download"),
    path("meine-aufgaben/hochladen/", transfer_views.queue_upload, name="queue_upload"),
    path("meine-aufgaben/hochladen/<int:pk>/", transfer_views.queue_import, name="queue_import"),
    path("uebersicht/", views.dashboard, name="dashboard"),
    path("vorschlag/<int:proposal_id>/", views.case_detail, name="case"),
    path("vorschlag/<int:proposal_id>/zuweisen/", views.case_assign, name="assign"),
    path("vorschlag/<int:proposal_id>/beginnen/", views.case_start, name="start"),
    path("vorschlag/<int:proposal_id>/einschaetzung/", views.assessment_edit, name="assessment"),
    path(
        "vorschlag/<int:proposal_id>/einschaetzung/bearbeiten/",
        views.assessment_office_edit,
        name="office_edit",
    ),
    path(
        "vorschlag/<int:proposal_id>/einschaetzung/korrigieren/",
        views.assessment_correct,
        name="correct",
    ),
    path("vorschlag/<int:proposal_id>/stellungnahme/", views.contribution_add, name="contribute"),
    path("vorschlag/<int:proposal_id>/freigeben/", views.case_approve, name="approve"),
    path("vorschlag/<int:proposal_id>/zurueckgeben/", views.case_return, name="return"),
    path("vorschlag/<int:proposal_id>/veroeffentlichen/", views.case_publish, name="publish"),
    path("vorschlag/<int:proposal_id>/zusammenfuehren/", views.merge, name="merge"),
    path("termine/", views.meeting_list, name="meetings"),
    path("termine/neu/", views.meeting_edit, name="meeting_create"),
    path("termine/<int:pk>/", views.meeting_detail, name="meeting"),
    path("termine/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
]
