from django.urls import include, path

app_name = "surveys"

urlpatterns: list = [
    path("", include("surveys.answering.urls")),
    path("", include("surveys.invitations.urls")),
]
