"""Proposals whose titles look alike: trigrams on PostgreSQL (pg_trgm, the GiST index of
review migration 0004), a bounded difflib comparison elsewhere."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import connection

from .models import REVIEWABLE, Proposal

SIMILARITY_FALLBACK_LIMIT = 1000
TRIGRAM_THRESHOLD = 0.3
# The search reads limit × this many nearest titles (see similar_proposals).
DUPLICATE_WINDOW = 4
DIFFLIB_THRESHOLD = 0.6


@dataclass
class DuplicateCandidate:
    proposal: Proposal
    similarity: float


def similar_proposals(
    *,
    consultation_id: int,
    handlungsfeld_id: int | None,
    title: str,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[DuplicateCandidate]:
    """Proposals of the consultation that still stand on their own (not hidden, merged or
    closed) whose titles look like `title`: the review's duplicate suggestions, and what a
    resident is shown before publishing a proposal."""
    others = Proposal.objects.filter(REVIEWABLE, consultation_id=consultation_id)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramDistance

        # Nearest titles first by trigram distance (1 - similarity): ordered by `<->` alone,
        # the GiST index of review migration 0004 hands them out without reading the other
        # proposals. A few more than `limit` are fetched, so that the threshold and the
        # tie-break by supports apply in Python to the same rows a full sort would pick
        # (barring exact ties in distance at the edge of the window).
        rows = (
            others.annotate(distance=TrigramDistance("title", title))
            .select_related("handlungsfeld")
            .order_by("distance")[: limit * DUPLICATE_WINDOW]
        )
        nearest = [DuplicateCandidate(row, 1.0 - float(row.distance)) for row in rows]
        candidates = [
            candidate for candidate in nearest if candidate.similarity >= TRIGRAM_THRESHOLD
        ]
        candidates.sort(
            key=lambda candidate: (-candidate.similarity, -candidate.proposal.support_count)
        )
        return candidates[:limit]
    # Fallback: compare with the most recent titles of the same Handlungsfeld, bounded.
    titles = list(
        others.filter(handlungsfeld_id=handlungsfeld_id)
        .order_by("-created_at")
        .values_list("pk", "title")[:SIMILARITY_FALLBACK_LIMIT]
    )
    wanted = title.casefold()
    scored: list[tuple[float, int]] = []
    for pk, title in titles:
        matcher = difflib.SequenceMatcher(None, wanted, title.casefold())
        if (
            matcher.real_quick_ratio() >= DIFFLIB_THRESHOLD
            and matcher.quick_ratio() >= DIFFLIB_THRESHOLD
        ):
            ratio = matcher.ratio()
            if ratio >= DIFFLIB_THRESHOLD:
                scored.append((ratio, pk))
    scored.sort(reverse=True)
    scored = scored[:limit]
    by_pk = Proposal.objects.select_related("handlungsfeld").in_bulk([pk for _ratio, pk in scored])
    return [DuplicateCandidate(by_pk[pk], ratio) for ratio, pk in scored if pk in by_pk]
