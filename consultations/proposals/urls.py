"""Proposal pages; included into consultations.urls (same namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/vorschlaege/", views.proposal_list, name="proposal_list"),
    path(
        "<slug:slug>/vorschlaege/feld/<slug:field_slug>/",
        views.proposal_list,
        name="proposal_list_field",
    ),
    path("<slug:slug>/vorschlaege/neu/", views.proposal_create, name="proposal_create"),
    path("<slug:slug>/vorschlaege/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<slug:slug>/vorschlaege/<int:pk>/bearbeiten/", views.proposal_edit, name="proposal_edit"),
    path(
        "<slug:slug>/vorschlaege/<int:pk>/zurueckziehen/",
        views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "<slug:slug>/vorschlaege/<int:pk>/unterstuetzen/",
        views.proposal_support,
        name="proposal_support",
    ),
    path("<slug:slug>/vorschlaege/<int:pk>/punkte/", views.proposal_points, name="proposal_points"),
]
