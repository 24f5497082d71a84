"""The sentence a resident reads when a phase does not allow what they try: for proposals,
supports and priority points, with no later phase ("is over") and with one (its title and its
start in the reader's language and the site's time zone)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consultations.proposals import services
from foundation.models import Activity
from tests.consultations.factories import PhaseFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# 08:30 UTC is 09:30 in Berlin: the reason must show the local time
OPENS = datetime(2030, 3, 4, 9, 30, tzinfo=BERLIN)

OPENS_EN = "March 4, 2030, 9:30 a.m."  # Django's English DATETIME_FORMAT
NOTHING_OPEN = {"allows_proposals": False, "allows_supports": False, "priority_points": 0}
ALL_OPEN = {"allows_proposals": True, "allows_supports": True, "priority_points": 5}


def consultation_with(*, later_phase: bool):
    consultation = PhaseFactory(**NOTHING_OPEN).consultation
    if later_phase:
        PhaseFactory(
            consultation=consultation,
            kind="assessment",
            title="Abstimmung",
            starts_at=OPENS.astimezone(ZoneInfo("UTC")),
            ends_at=OPENS + timedelta(days=30),
            **ALL_OPEN,
        )
    return consultation


@pytest.mark.parametrize(
    ("activity", "english", "german"),
    [
        (
            Activity.PROPOSALS,
            "Proposals cannot be submitted at the moment: the phase for proposals is over.",
            "Derzeit können keine Vorschläge eingereicht werden: Die Phase für Vorschläge ist beendet.",
        ),
        (
            Activity.SUPPORTS,
            "Proposals cannot be supported at the moment: the phase for supports is over.",
            "Derzeit können keine Vorschläge unterstützt werden: Die Phase für Unterstützungen ist beendet.",
        ),
        (
            Activity.PRIORITY_POINTS,
            "Priority points cannot be given in the current phase.",
            "In der aktuellen Phase können keine Prioritätspunkte vergeben werden.",
        ),
    ],
)
def test_closed_with_no_later_phase(activity, english, german):
    consultation = consultation_with(later_phase=False)

    with translation.override("en"):
        gate = services.activity_gate(consultation, activity)
        with pytest.raises(ValidationError) as refused:
            services.ensure_open(consultation, activity)
    with translation.override("de"):
        german_reason = services.activity_gate(consultation, activity).reason

    assert not gate.is_open and gate.opens_with is None
    assert gate.reason == english
    assert refused.value.messages == [english]
    assert german_reason == german


@pytest.mark.parametrize(
    ("activity", "english"),
    [
        (
            Activity.PROPOSALS,
            "Proposals cannot be submitted at the moment. Submission opens with the phase "
            "“Abstimmung” on " + OPENS_EN + ".",
        ),
        (
            Activity.SUPPORTS,
            "Proposals cannot be supported at the moment. Supporting opens with the phase "
            "“Abstimmung” on " + OPENS_EN + ".",
        ),
        (
            Activity.PRIORITY_POINTS,
            "Priority points cannot be given at the moment. They open with the phase "
            "“Abstimmung” on " + OPENS_EN + ".",
        ),
    ],
)
def test_closed_until_a_later_phase_names_it_and_its_local_start(activity, english):
    consultation = consultation_with(later_phase=True)

    with translation.override("en"):
        gate = services.activity_gate(consultation, activity)
    with translation.override("de"):
        german = services.activity_gate(consultation, activity).reason

    assert not gate.is_open
    assert gate.opens_with.title == "Abstimmung"
    assert gate.reason == english
    assert "„Abstimmung“" in german or "“Abstimmung”" in german
    assert "4. März 2030 09:30" in german


def test_an_open_phase_gives_no_reason():
    consultation = PhaseFactory(**ALL_OPEN).consultation

    for activity in (Activity.PROPOSALS, Activity.SUPPORTS, Activity.PRIORITY_POINTS):
        gate = services.activity_gate(consultation, activity)
        assert gate.is_open and not gate.reason
        assert services.ensure_open(consultation, activity) == gate
