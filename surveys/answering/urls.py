"""Public survey pages and answering, included by surveys/urls.py (namespace "surveys").

The slug "t" is reserved: /umfragen/t/<token>/ is the invitation link.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("t/<path:token>/", views.survey_token, name="token"),
    path("<slug:slug>/", views.survey_detail, name="detail"),
    path("<slug:slug>/teilnehmen/", views.survey_start, name="start"),
    path("<slug:slug>/weiter/", views.survey_resume, name="resume"),
    path("<slug:slug>/seite/<int:number>/", views.survey_page, name="page"),
    path("<slug:slug>/ueberblick/", views.survey_review, name="review"),
    path("<slug:slug>/absenden/", views.survey_submit, name="submit"),
    path("<slug:slug>/danke/", views.survey_thanks, name="thanks"),
    path("<slug:slug>/vorschau/", views.survey_preview, name="preview"),
    path("<slug:slug>/vorschau/<int:number>/", views.survey_preview, name="preview_page"),
]
