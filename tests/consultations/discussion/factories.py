"""Factories for the discussion and moderation tests (comments, flags)."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from consultations.models import Comment, Flag
from foundation.models import FlagReason
from tests.consultations.factories import (
    ProposalFactory,
    ResidentFactory,
    UserFactory,
    open_consultation,
)


class CommentFactory(DjangoModelFactory):
    """A comment row as stored; use consultations.discussion.comment_create to go through the rules."""

    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(ResidentFactory)
    body = factory.Sequence(lambda n: f"Gute Idee, aber bitte auch für Familien mit Kindern ({n}).")


class FlagFactory(DjangoModelFactory):
    class Meta:
        model = Flag

    reporter = factory.SubFactory(ResidentFactory)
    reason = FlagReason.OFFENSIVE


def open_proposal(**kwargs) -> object:
    """A proposal in a consultation whose forum phase (with comments) runs now."""
    consultation = open_consultation()
    return ProposalFactory(consultation=consultation, **kwargs)


def blocked_resident(**kwargs) -> object:
    return ResidentFactory(blocked_at=timezone.now(), blocked_reason="Beleidigungen", **kwargs)


def unverified_user(**kwargs) -> object:
    return UserFactory(**kwargs)
