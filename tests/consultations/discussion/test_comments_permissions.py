"""Who may do what in the discussion: each action × role, checked on the server."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consultations.discussion import services as discussion
from consultations.models import Comment, Flag
from tests.consultations.factories import ResidentFactory, coordination_office_user

from .discussion_helpers import en
from .factories import CommentFactory, blocked_resident, open_proposal, unverified_user

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "unverified", "blocked", "resident", "author", "coordination"]


@pytest.fixture
def scene():
    proposal = open_proposal()
    comment = CommentFactory(proposal=proposal, body="Ursprünglicher Text")
    return proposal, comment


def login_as(client, role, comment):
    user = {
        "visitor": lambda: None,
        "unverified": unverified_user,
        "blocked": blocked_resident,
        "resident": ResidentFactory,
        "author": lambda: comment.author,
        "coordination": coordination_office_user,
    }[role]()
    if user is not None:
        client.force_login(user)
    return user


# expected: "login" (redirect to sign-in), "ok", "refused" (message, nothing written), 404.
# A blocked account is signed out on its next request (foundation middleware), so it meets the
# login page; the services refuse it as well (see the service tests at the end).
COMMENT = {
    "visitor": "login",
    "unverified": "refused",
    "blocked": "login",
    "resident": "ok",
    "author": "ok",
    "coordination": "ok",
}
EDIT = {
    "visitor": "login",
    "unverified": 404,
    "blocked": "login",
    "resident": 404,
    "author": "ok",
    "coordination": 404,
}
DELETE = {
    "visitor": "login",
    "unverified": 404,
    "blocked": "login",
    "resident": 404,
    "author": "ok",
    "coordination": 404,
}
FLAG = {
    "visitor": "login",
    "unverified": "refused",
    "blocked": "login",
    "resident": "ok",
    "author": "refused",
    "coordination": "ok",
}


@pytest.mark.parametrize("role", ROLES)
def test_comment_and_reply(client, scene, role):
    proposal, comment = scene
    login_as(client, role, comment)
    before = Comment.objects.count()

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk),
        {"body": "Neuer Gedanke", "parent": comment.pk},
    )

    expected = COMMENT[role]
    if expected == "login":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code == 302 and Comment.objects.count() == before + 1
    else:
        assert response.status_code == 400 and Comment.objects.count() == before
        assert "Neuer Gedanke" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_edit(client, scene, role):
    _proposal, comment = scene
    login_as(client, role, comment)

    response = client.post(
        en("consultations:comment_edit", pk=comment.pk), {"body": "Geänderter Text"}
    )

    comment.refresh_from_db()
    expected = EDIT[role]
    if expected == "login":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code == 302 and comment.body == "Geänderter Text"
    else:
        assert response.status_code == expected and comment.body == "Ursprünglicher Text"


@pytest.mark.parametrize("role", ROLES)
def test_delete(client, scene, role):
    _proposal, comment = scene
    login_as(client, role, comment)

    response = client.post(en("consultations:comment_delete", pk=comment.pk))

    comment.refresh_from_db()
    expected = DELETE[role]
    if expected == "login":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code == 302 and comment.deleted_at is not None
    else:
        assert response.status_code == expected and comment.deleted_at is None


@pytest.mark.parametrize("role", ROLES)
def test_flag_comment(client, scene, role):
    _proposal, comment = scene
    login_as(client, role, comment)

    response = client.post(
        en("consultations:comment_flag", pk=comment.pk), {"reason": "spam", "note": "Werbung"}
    )

    expected = FLAG[role]
    if expected == "login":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code == 302 and Flag.objects.filter(comment=comment).count() == 1
    else:
        assert response.status_code == 400 and not Flag.objects.exists()
        assert "Werbung" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_flag_proposal(client, scene, role):
    proposal, comment = scene
    proposal.author = comment.author  # "author" is the proposal's author here
    proposal.save()
    login_as(client, role, comment)

    response = client.post(
        en("consultations:proposal_flag", proposal_pk=proposal.pk), {"reason": "off_topic"}
    )

    expected = FLAG[role]
    if expected == "login":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif expected == "ok":
        assert response.status_code == 302 and Flag.objects.filter(proposal=proposal).count() == 1
    else:
        assert response.status_code == 400 and not Flag.objects.exists()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_services_refuse_a_blocked_resident_but_let_them_delete_their_own_comment(scene, english):
    proposal, comment = scene
    blocked = blocked_resident()

    with pytest.raises(ValidationError, match="Your account is blocked"):
        discussion.comment_create(proposal=proposal, author=blocked, body="Trotzdem")
    with pytest.raises(ValidationError, match="Your account is blocked"):
        discussion.flag_comment(comment=comment, reporter=blocked, reason="spam")
    own = CommentFactory(proposal=proposal, author=blocked)
    with pytest.raises(ValidationError, match="Your account is blocked"):
        discussion.comment_edit(comment=own, user=blocked, body="anders")

    discussion.comment_delete(comment=own, user=blocked)

    own.refresh_from_db()
    assert own.deleted_at is not None


def test_unverified_user_is_asked_to_confirm_the_email_address(client, scene):
    proposal, _comment = scene
    client.force_login(unverified_user())

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk), {"body": "Hallo"}
    )

    assert "Please confirm your e-mail address first" in response.content.decode()
