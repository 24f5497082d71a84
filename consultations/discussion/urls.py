"""Discussion and moderation pages; included into consultations.urls (same namespace)."""

from django.urls import path

from . import moderation_views as views_moderation
from . import views as views_discussion

urlpatterns = [
    path(
        "vorschlaege/<int:proposal_pk>/kommentieren/",
        views_discussion.comment_create,
        name="comment_create",
    ),
    path(
        "vorschlaege/<int:proposal_pk>/melden/",
        views_discussion.proposal_flag,
        name="proposal_flag",
    ),
    path("kommentare/<int:pk>/bearbeiten/", views_discussion.comment_edit, name="comment_edit"),
    path("kommentare/<int:pk>/loeschen/", views_discussion.comment_delete, name="comment_delete"),
    path("kommentare/<int:pk>/melden/", views_discussion.comment_flag, name="comment_flag"),
    path("moderation/", views_moderation.moderation_queue, name="moderation_queue"),
    path("moderation/protokoll/", views_moderation.moderation_log, name="moderation_log"),
    path("moderation/gesperrt/", views_moderation.moderation_blocked, name="moderation_blocked"),
    path(
        "moderation/vorschlaege/<int:pk>/<slug:action>/",
        views_moderation.proposal_action,
        name="moderation_proposal",
    ),
    path(
        "moderation/kommentare/<int:pk>/<slug:action>/",
        views_moderation.comment_action,
        name="moderation_comment",
    ),
    path(
        "moderation/nutzer/<int:pk>/<slug:action>/",
        views_moderation.user_action,
        name="moderation_user",
    ),
]
