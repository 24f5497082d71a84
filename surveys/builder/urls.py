"""The builder's admin URLs (below /admin/, registered in surveys/wagtail_hooks.py)."""

from django.urls import path

from . import views

app_name = "surveys_builder"

urlpatterns = [
    path("<int:survey_id>/", views.structure_view, name="structure"),
    path("<int:survey_id>/pages/new/", views.page_create, name="page_create"),
    path("pages/<int:page_id>/", views.page_edit, name="page_edit"),
    path("pages/<int:page_id>/delete/", views.page_delete, name="page_delete"),
    path("pages/<int:page_id>/move/<str:direction>/", views.page_move, name="page_move"),
    path("pages/<int:page_id>/questions/new/", views.question_create, name="question_create"),
    path("questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path(
        "questions/<int:question_id>/move/<str:direction>/",
        views.question_move,
        name="question_move",
    ),
]
