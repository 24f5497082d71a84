"""The consultations' pages, one namespace: the sub-packages' URL lists side by side."""

from django.urls import include, path

app_name = "consultations"

urlpatterns = [
    path("", include("consultations.discussion.urls")),
    path("", include("consultations.exports.urls")),
    path("", include("consultations.proposals.urls")),
]
