"""Bad input in the discussion: clear messages, and the typed text is never lost."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Comment, Flag
from tests.consultations.factories import ResidentFactory

from .discussion_helpers import en
from .factories import CommentFactory, FlagFactory, open_proposal

pytestmark = pytest.mark.django_db


def test_empty_comment_is_refused_with_a_message(client):
    proposal = open_proposal()
    client.force_login(ResidentFactory())

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk), {"body": "   "}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please write a comment before sending it." in html
    assert (
        'aria-invalid="true"' in html
        and 'aria-describedby="id_body_helptext id_body_error"' in html
    )
    assert not Comment.objects.exists()


def test_too_long_comment_is_refused_and_the_text_kept(client):
    proposal = open_proposal()
    client.force_login(ResidentFactory())
    text = "Sehr lang. " * 500  # 5500 characters

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk), {"body": text}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 5000 characters" in html
    assert text.strip() in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deleted_at": timezone.now()}, "This comment was deleted, so you cannot reply to it."),
        (
            {"is_hidden": True, "hidden_reason": "Beleidigung"},
            "hidden by the moderation, so you cannot reply",
        ),
    ],
)
def test_reply_to_a_deleted_or_hidden_comment_is_refused(client, change, message):
    proposal = open_proposal()
    comment = CommentFactory(proposal=proposal)
    Comment.objects.filter(pk=comment.pk).update(**change)
    client.force_login(ResidentFactory())

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk),
        {"body": "Meine Antwort", "parent": comment.pk},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Meine Antwort" in html
    assert Comment.objects.count() == 1


def test_reply_to_a_comment_of_another_proposal_is_not_found(client):
    proposal, other = open_proposal(), open_proposal()
    foreign = CommentFactory(proposal=other)
    client.force_login(ResidentFactory())

    response = client.post(
        en("consultations:comment_create", proposal_pk=proposal.pk),
        {"body": "x", "parent": foreign.pk},
    )

    assert response.status_code == 404


def test_editing_with_an_empty_text_keeps_the_form_and_the_old_comment(client):
    comment = CommentFactory(proposal=open_proposal(), body="Alt")
    client.force_login(comment.author)

    response = client.post(en("consultations:comment_edit", pk=comment.pk), {"body": ""})

    assert response.status_code == 400
    assert "Please write a comment before sending it." in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Alt" and comment.edited_at is None


def test_flagging_twice_is_friendly_and_stores_one_flag(client):
    comment = CommentFactory(proposal=open_proposal())
    client.force_login(ResidentFactory())
    url = en("consultations:comment_flag", pk=comment.pk)

    first = client.post(url, {"reason": "spam"}, follow=True)
    second = client.post(url, {"reason": "offensive"}, follow=True)
    again = client.get(url, follow=True)

    assert "Thank you for your report" in first.content.decode()
    assert "You have already reported this" in second.content.decode()
    assert "You have already reported this" in again.content.decode()
    assert Flag.objects.count() == 1
    page = client.get(first.redirect_chain[-1][0]).content.decode()
    assert "You reported this comment." in page


def test_the_database_refuses_a_second_flag_by_the_same_person():
    comment = CommentFactory(proposal=open_proposal())
    flag = FlagFactory(comment=comment)

    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(reporter=flag.reporter, comment=comment, reason="spam")


def test_the_database_refuses_a_flag_without_or_with_two_targets():
    comment = CommentFactory(proposal=open_proposal())
    reporter = ResidentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(reporter=reporter, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(
            reporter=reporter, reason="spam", comment=comment, proposal=comment.proposal
        )


def test_flag_without_reason_keeps_the_note(client):
    comment = CommentFactory(proposal=open_proposal())
    client.force_login(ResidentFactory())

    response = client.post(
        en("consultations:comment_flag", pk=comment.pk), {"note": "Enthält eine Telefonnummer"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Please choose a reason." in html and "Enthält eine Telefonnummer" in html
