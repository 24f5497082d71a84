"""Phases and e-mail verification are cached across requests and forgotten on every change."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from foundation.models import Consultation, Phase, PhaseKind, User
from foundation.roles import is_active_participant

from .factories import ConsultationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _caches_on(settings):
    settings.PHASES_CACHE_SECONDS = 300
    settings.VERIFIED_EMAIL_CACHE_SECONDS = 600


def _phase(consultation, kind, starts, ends=None, **switches):
    return Phase.objects.create(
        consultation=consultation, kind=kind, title=kind, starts_at=starts, ends_at=ends, **switches
    )


def test_the_current_phase_is_read_once_and_follows_saves_and_deletes(django_assert_num_queries):
    now = timezone.now()
    consultation = ConsultationFactory()
    forums = _phase(
        consultation, PhaseKind.FORUMS, now - timedelta(days=3), now + timedelta(days=3)
    )
    assessment = _phase(consultation, PhaseKind.ASSESSMENT, now + timedelta(days=3))

    fresh = Consultation.objects.get(pk=consultation.pk)
    assert fresh.phase_at() == forums
    with django_assert_num_queries(0):
        assert fresh.phase_at() == forums
        assert fresh.next_phase() == assessment

    forums.ends_at = now - timedelta(minutes=1)  # the forums end early, through the admin
    forums.save()
    assessment.starts_at = now - timedelta(minutes=1)
    assessment.save()
    assert Consultation.objects.get(pk=consultation.pk).phase_at() == assessment

    assessment.delete()
    assert Consultation.objects.get(pk=consultation.pk).phase_at() is None


def test_verification_is_remembered_and_a_confirmed_address_counts_at_once(
    django_assert_num_queries,
):
    user = UserFactory()
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    assert not is_active_participant(User.objects.get(pk=user.pk))
    with django_assert_num_queries(0):
        assert not is_active_participant(User(pk=user.pk, is_active=True))  # no query: cached

    address.verified = True  # what allauth does when the link in the mail is opened
    address.save()
    assert is_active_participant(User.objects.get(pk=user.pk))

    address.delete()
    assert not is_active_participant(User.objects.get(pk=user.pk))
