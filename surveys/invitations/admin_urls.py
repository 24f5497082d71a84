"""The invitation screens' admin URLs (below /admin/, registered in surveys/wagtail_hooks.py)."""

from django.urls import path

from . import admin_views

app_name = "surveys_invitations"

urlpatterns = [
    path("<int:survey_id>/", admin_views.recipients, name="recipients"),
    path("<int:survey_id>/import/", admin_views.import_recipients, name="import"),
    path("imports/<int:import_id>/", admin_views.import_report, name="import_report"),
    path("<int:survey_id>/invite/", admin_views.send_invitations, name="send_invitations"),
    path("<int:survey_id>/remind/", admin_views.send_reminders, name="send_reminders"),
]
