"""A second report by the same person returns that person's first report of that very object,
also when others reported the object too and when the person reported other objects; passing
the object by the wrong keywords names all of them."""

from __future__ import annotations

import pytest

from consultations.discussion.services import flag_comment, flag_proposal
from consultations.models import Comment
from forums.services import post_flag
from tests.consultations.factories import ProposalFactory, ResidentFactory
from tests.forums.factories import PostFactory

pytestmark = pytest.mark.django_db


def a_post():
    return {"post": PostFactory()}


def a_comment():
    return {"comment": Comment.objects.create(proposal=ProposalFactory(), body="Ja")}


def a_proposal():
    return {"proposal": ProposalFactory()}


KINDS = {"post": (post_flag, a_post), "comment": (flag_comment, a_comment)}
KINDS["proposal"] = (flag_proposal, a_proposal)


@pytest.mark.parametrize("kind", list(KINDS))
def test_reporting_again_after_others_returns_ones_own_first_report(kind):
    service, make = KINDS[kind]
    target = make()
    reporter = ResidentFactory()
    for _ in range(2):
        service(reporter=ResidentFactory(), reason="spam", **target)
    mine, _created = service(reporter=reporter, reason="offensive", note="Meins", **target)

    again, created = service(reporter=reporter, reason="spam", note="Nochmal", **target)

    assert not created
    assert (again.pk, again.reporter, again.reason, again.note) == (
        mine.pk,
        reporter,
        "offensive",
        "Meins",
    )
    assert type(mine).objects.filter(**target).count() == 3


@pytest.mark.parametrize("kind", list(KINDS))
def test_reporting_again_returns_the_report_of_this_object_not_of_another(kind):
    service, make = KINDS[kind]
    first, second = make(), make()
    reporter = ResidentFactory()
    service(reporter=reporter, reason="spam", note="Das erste", **first)
    report, _created = service(reporter=reporter, reason="off_topic", note="Das zweite", **second)

    again, created = service(reporter=reporter, reason="spam", **second)

    assert not created
    assert (again.pk, again.reason, again.note) == (report.pk, "off_topic", "Das zweite")
    ((keyword, content),) = second.items()
    assert getattr(again, keyword) == content


@pytest.mark.parametrize("kind", list(KINDS))
def test_passing_the_object_by_several_wrong_keywords_names_them_all(kind):
    service, make = KINDS[kind]
    (content,) = make().values()

    with pytest.raises(TypeError) as wrong:
        service(reporter=ResidentFactory(), reason="spam", thing=content, other=content)
    with pytest.raises(TypeError) as extra:
        service(reporter=ResidentFactory(), reason="spam", **{kind: content}, also=content)

    assert str(wrong.value) == f"pass the object as {kind}=…, got thing, other"
    assert str(extra.value) == f"pass the object as {kind}=…, got {kind}, also"
