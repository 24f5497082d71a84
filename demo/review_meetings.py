"""Demo step: the concept's 6 workshops, 4 Fachgespräche and 4 Rücksprachen (Feb–Mar 2015)."""

from __future__ import annotations

from datetime import date

from consultations.review.models import ReviewMeeting
from consultations.review.services import meeting_save
from demo.steps import DemoContext, register
from foundation.actors import SYSTEM
from foundation.models import Department


@register("review.meetings")
def load_review_meetings(ctx: DemoContext) -> None:
    entries = ctx.data.get("review_meetings", [])
    slugs = {slug for entry in entries for slug in entry.get("departments", [])}
    departments = {**Department.objects.in_bulk(list(slugs), field_name="slug"), **ctx.departments}
    for entry in entries:
        starts_on = date.fromisoformat(entry["period_start"])
        ends_on = date.fromisoformat(entry["period_end"]) if entry.get("period_end") else None
        existing = ReviewMeeting.objects.filter(
            kind=entry["kind"], title=entry["title"], starts_on=starts_on
        ).first()
        missing = [slug for slug in entry.get("departments", []) if slug not in departments]
        if missing:
            raise ValueError(f"review meeting {entry['title']!r}: unknown departments {missing}")
        meeting_save(
            actor=SYSTEM,
            meeting=existing,
            kind=entry["kind"],
            title=entry["title"],
            starts_on=starts_on,
            ends_on=ends_on,
            departments=[departments[slug] for slug in entry.get("departments", [])],
            proposals=list(existing.proposals.all()) if existing else [],
            outcome=entry.get("outcome", existing.outcome if existing else ""),
        )
    ctx.log(f"  {len(entries)} review meetings")
