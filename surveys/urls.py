from django.urls import include, path

app_name = "surveys"

urlpatterns: list = [
    # Before the answering pages: "auswertung/" must not be taken for a survey's slug.
    path("", include("surveys.results.urls")),
    path("", include("surveys.exports.urls")),
    path("", include("surveys.answering.urls")),
    path("", include("surveys.invitations.urls")),
]
