"""Results pages; included into surveys.urls (namespace "surveys")."""

from django.urls import path

from . import views

urlpatterns = [
    path("auswertung/", views.results_index, name="results_index"),
    path("<slug:slug>/auswertung/", views.dashboard, name="results_dashboard"),
    path(
        "<slug:slug>/auswertung/fragen/<slug:code>/",
        views.question_detail,
        name="results_question",
    ),
    path(
        "<slug:slug>/auswertung/veroeffentlichung/",
        views.publication_change,
        name="results_publication",
    ),
    path("<slug:slug>/ergebnisse/", views.public_results_page, name="results_public"),
]
