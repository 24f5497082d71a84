"""Export pages; included into surveys.urls (namespace "surveys")."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/auswertung/exporte/", views.export_list, name="export_list"),
    path(
        "<slug:slug>/auswertung/exporte/<int:pk>/datei/",
        views.export_download,
        name="export_download",
    ),
]
