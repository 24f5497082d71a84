"""Duplicate suggestions on the case page: nearest titles, threshold, tie-break, index."""

from __future__ import annotations

import pytest
from django.db import connection

from consultations.models import Proposal, ProposalStatus
from consultations.review.selectors import TRIGRAM_THRESHOLD, duplicate_candidates

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (pg_trgm)"
)


def _in_same_field(primary: Proposal, title: str, **extra) -> Proposal:
    return ProposalFactory(
        title=title, consultation=primary.consultation, handlungsfeld=primary.handlungsfeld, **extra
    )


def test_nearest_first_equal_titles_by_supports_and_unrelated_titles_left_out():
    primary = ProposalFactory(title="Sprachkurse für Eltern mit Kinderbetreuung")
    near = _in_same_field(primary, "Sprachkurse für Eltern mit Kinderbetreuung anbieten")
    farther_less = _in_same_field(primary, "Sprachkurse für Eltern am Abend", support_count=1)
    farther_more = _in_same_field(primary, "Sprachkurse für Eltern am Abend", support_count=9)
    _in_same_field(primary, "Radwege ausbauen")
    _in_same_field(
        primary, "Sprachkurse für Eltern mit Kinderbetreuung", status=ProposalStatus.WITHDRAWN
    )
    ProposalFactory(title="Sprachkurse für Eltern mit Kinderbetreuung")  # another consultation

    found = duplicate_candidates(primary)

    assert [candidate.proposal for candidate in found] == [near, farther_more, farther_less]
    assert all(candidate.similarity >= TRIGRAM_THRESHOLD for candidate in found)
    assert found[0].similarity > found[1].similarity == found[2].similarity


def test_limit_is_kept():
    primary = ProposalFactory(title="Mehrsprachige Beratung im Jobcenter")
    for n in range(8):
        _in_same_field(primary, f"Mehrsprachige Beratung im Jobcenter {n}")
    assert len(duplicate_candidates(primary, limit=3)) == 3


@postgres_only
def test_the_nearest_titles_come_from_the_trigram_index():
    primary = ProposalFactory(title="Sprachkurse für Eltern mit Kinderbetreuung")
    from django.contrib.postgres.search import TrigramDistance

    queryset = Proposal.objects.order_by(TrigramDistance("title", primary.title))[:20]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "review_proposal_title_trgm" in plan
