"""Reporting content to the moderation, through the report services themselves (the pages'
forms check some of this first): the reason must be one of the list, the note is stored as
written within its limit, nobody reports their own or deleted content, and a second report by
the same person returns the first while another person's report is a report of its own."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations.discussion.services import flag_comment, flag_proposal
from consultations.models import Comment
from forums.services import post_flag
from foundation.models.moderation import FLAG_NOTE_MAX_LENGTH
from tests.consultations.factories import ProposalFactory, ResidentFactory
from tests.forums.factories import PostFactory

pytestmark = pytest.mark.django_db


def a_post(author):
    return {"post": PostFactory(author=author)}


def a_comment(author):
    return {"comment": Comment.objects.create(proposal=ProposalFactory(), author=author, body="Ja")}


def a_proposal(author):
    return {"proposal": ProposalFactory(author=author)}


KINDS = {
    "post": (post_flag, a_post, "You cannot report your own post; you can edit or delete it."),
    "comment": (
        flag_comment,
        a_comment,
        "You cannot report your own comment; you can edit or delete it.",
    ),
    "proposal": (flag_proposal, a_proposal, "You cannot report your own proposal."),
}


def refusal(call) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call()
    return refused.value


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_report_keeps_its_reason_and_note_and_a_second_one_returns_the_first(kind):
    service, make, _own = KINDS[kind]
    target = make(ResidentFactory())
    reporter, other = ResidentFactory(), ResidentFactory()

    flag, created = service(reporter=reporter, reason="offensive", note=" Beleidigt. ", **target)
    again, created_again = service(reporter=reporter, reason="spam", note="", **target)
    second, created_second = service(reporter=other, reason="spam", **target)

    assert created and not created_again and created_second
    assert (flag.reporter, flag.reason, flag.note) == (reporter, "offensive", "Beleidigt.")
    assert again.pk == flag.pk and again.reason == "offensive"  # the first report stands
    assert second.pk != flag.pk and (second.reporter, second.note) == (other, "")
    assert service.filed_by(reporter, **target) and service.filed_by(other, **target)
    assert not service.filed_by(ResidentFactory(), **target)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("reason", ["", "gefällt mir nicht", "OFFENSIVE"])
def test_a_reason_off_the_list_is_refused_at_its_field(kind, reason):
    service, make, _own = KINDS[kind]
    target = make(ResidentFactory())

    refused = refusal(lambda: service(reporter=ResidentFactory(), reason=reason, **target))

    assert refused.message_dict == {"reason": ["Please choose a reason."]}
    assert [error.code for error in refused.error_dict["reason"]] == ["invalid"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_note_over_the_limit_is_refused_and_one_at_the_limit_is_kept(kind):
    service, make, _own = KINDS[kind]
    target = make(ResidentFactory())

    refused = refusal(
        lambda: service(
            reporter=ResidentFactory(),
            reason="spam",
            note="x" * (FLAG_NOTE_MAX_LENGTH + 1),
            **target,
        )
    )
    flag, _created = service(
        reporter=ResidentFactory(), reason="spam", note="x" * FLAG_NOTE_MAX_LENGTH, **target
    )

    assert refused.message_dict == {
        "note": [f"The note can have at most {FLAG_NOTE_MAX_LENGTH} characters."]
    }
    assert len(flag.note) == FLAG_NOTE_MAX_LENGTH


@pytest.mark.parametrize("kind", list(KINDS))
def test_nobody_reports_their_own_content(kind):
    service, make, own = KINDS[kind]
    author = ResidentFactory()
    target = make(author)

    refused = refusal(lambda: service(reporter=author, reason="spam", **target))

    assert refused.messages == [own] and refused.code == "own"
    assert not service.filed_by(author, **target)


@pytest.mark.parametrize(
    ("kind", "message"),
    [("post", "This post was deleted already."), ("comment", "This comment was deleted already.")],
)
def test_deleted_content_cannot_be_reported(kind, message):
    service, make, _own = KINDS[kind]
    target = make(ResidentFactory())
    (content,) = target.values()
    type(content).objects.filter(pk=content.pk).update(deleted_at=timezone.now())
    content.refresh_from_db()

    refused = refusal(lambda: service(reporter=ResidentFactory(), reason="spam", **target))

    assert refused.messages == [message] and refused.code == "deleted"


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_object_must_be_passed_by_its_own_keyword(kind):
    service, make, _own = KINDS[kind]
    (content,) = make(ResidentFactory()).values()

    with pytest.raises(TypeError) as wrong:
        service(reporter=ResidentFactory(), reason="spam", thing=content)
    with pytest.raises(TypeError) as none:
        service(reporter=ResidentFactory(), reason="spam")

    assert str(wrong.value) == f"pass the object as {kind}=…, got thing"
    assert str(none.value) == f"pass the object as {kind}=…, got nothing"
