"""Where a moment falls in a consultation's phases: a phase starts at its start and ends at
its end (a phase ending at 18:00 is over at 18:00), and the next phase is one that has not
started yet."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from foundation.models import Phase, PhaseKind

from .factories import ConsultationFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime(2027, 3, 1, 9, 0))
END = timezone.make_aware(datetime(2027, 3, 31, 18, 0))
SECOND = timedelta(seconds=1)


def _phase(consultation, kind, starts, ends=None):
    return Phase.objects.create(
        consultation=consultation, kind=kind, title=kind, starts_at=starts, ends_at=ends
    )


def test_a_phase_is_upcoming_until_its_start_current_until_its_end_then_past():
    forums = _phase(ConsultationFactory(), PhaseKind.FORUMS, START, END)
    open_ended = _phase(ConsultationFactory(), PhaseKind.MONITORING, START)

    assert [forums.state(m) for m in (START - SECOND, START, END - SECOND, END)] == [
        "upcoming",
        "current",
        "current",
        "past",
    ]
    assert [open_ended.state(m) for m in (START - SECOND, START + timedelta(days=3650))] == [
        "upcoming",
        "current",
    ]
    started_yesterday = timezone.now() - timedelta(days=1)
    assert _phase(ConsultationFactory(), PhaseKind.RESULT, started_yesterday).state() == "current"


def test_the_next_phase_is_the_first_that_has_not_started_and_none_after_the_last():
    consultation = ConsultationFactory()
    forums = _phase(consultation, PhaseKind.FORUMS, START, END)
    assessment = _phase(consultation, PhaseKind.ASSESSMENT, END)

    assert consultation.next_phase(START - SECOND) == forums
    assert consultation.next_phase(START) == assessment  # the forums have begun
    assert consultation.next_phase(END) is None  # the assessment has begun: nothing follows
