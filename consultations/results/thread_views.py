"""The public page of a measure: the golden thread from forum and proposal to implementation."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from foundation.selectors import consultation_for

from . import charts, thread_selectors


def measure_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """404 until the measure is part of a published concept version."""
    consultation = consultation_for(slug=slug, user=request.user)
    page = thread_selectors.public_measure(consultation, pk)
    if page is None:
        raise Http404
    return render(
        request,
        "results/measure_detail.html",
        {
            "consultation": consultation,
            "page": page,
            "measure": page.measure,
            "indicators": [
                (indicator, charts.line_chart(indicator)) for indicator in page.indicators
            ],
        },
    )
