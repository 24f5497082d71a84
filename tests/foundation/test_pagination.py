"""The pager shows the same few links however many pages a list has (issue 13: at 100,000
proposals the old pager wrote 5,000 links, 60 KB of the page)."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def pager(number: int, pages: int) -> list[str]:
    request = RequestFactory().get("/liste/", {"page": number, "sort": "newest"})
    page_obj = Paginator(range(pages * 20), 20).get_page(number)
    html = render_to_string(
        "foundation/includes/pagination.html", {"page_obj": page_obj, "request": request}
    )
    return re.findall(r"<li>(.*?)</li>", html)


def test_a_deep_page_of_a_long_list_shows_a_constant_window():
    items = pager(150, 5000)
    texts = [re.sub(r"<[^>]+>", "", item) for item in items]
    assert texts == [
        "Previous",
        "1",
        "…",
        "148",
        "149",
        "150",
        "151",
        "152",
        "…",
        "5000",
        "Next",
    ] or texts == [
        "Zurück",
        "1",
        "…",
        "148",
        "149",
        "150",
        "151",
        "152",
        "…",
        "5000",
        "Weiter",
    ]
    assert 'aria-current="page">150<' in items[5]
    assert "page=151" in items[6] and "sort=newest" in items[6]  # the filters stay


def test_a_short_list_shows_every_page():
    texts = [re.sub(r"<[^>]+>", "", item) for item in pager(1, 4)]
    assert texts[:4] == ["1", "2", "3", "4"]
