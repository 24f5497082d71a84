"""Public pages of the invitation mode: the opt-out page (no sign-in)."""

from django.urls import path

from . import views

urlpatterns = [
    path("abmelden/<str:token>/", views.opt_out, name="opt_out"),
]
