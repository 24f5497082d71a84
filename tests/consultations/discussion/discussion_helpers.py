"""Helpers shared by the discussion, moderation and export tests."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation


def en(name: str, *args, **kwargs) -> str:
    """The English address of a page, so that assertions on UI texts see the English msgids."""
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


def detail_url(proposal, *, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(
            "consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk]
        )


def count_queries(client, url: str) -> int:
    """Queries of one GET (which must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
