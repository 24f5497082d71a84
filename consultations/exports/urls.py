"""Export pages; included into consultations.urls (same namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("exporte/", views.export_list, name="export_list"),
    path("exporte/<int:pk>/datei/", views.export_download, name="export_download"),
]
