"""The demo step records the concept's 6 workshops, 4 Fachgespräche and 4 Rücksprachen."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from consultations.review.models import ReviewMeeting
from demo.review_meetings import load_review_meetings
from demo.steps import DemoContext
from foundation.models import Department

DATA = json.loads(
    (Path(__file__).resolve().parents[2] / "demo" / "data" / "region_hannover.json").read_text(
        "utf-8"
    )
)


@pytest.mark.django_db
def test_review_meetings_of_the_concept_are_loaded_idempotently():
    for entry in DATA["departments"]:
        Department.objects.get_or_create(slug=entry["slug"], defaults={"name": entry["name"]})
    ctx = DemoContext(data=DATA, today=date(2026, 1, 1), now=None, log=lambda _message: None)
    load_review_meetings(ctx)
    load_review_meetings(ctx)  # twice: nothing duplicated

    assert Counter(ReviewMeeting.objects.values_list("kind", flat=True)) == {
        "workshop": 6,
        "expert_talk": 4,
        "consultation": 4,
    }
    workshop = ReviewMeeting.objects.get(title="Workshop Fachbereich Soziales")
    assert workshop.starts_on == date(2015, 2, 1) and workshop.ends_on == date(2015, 3, 31)
    assert [d.slug for d in workshop.departments.all()] == ["fachbereich-soziales"]
