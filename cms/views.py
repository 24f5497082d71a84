import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from consultations.proposals.selectors import search_everywhere
from forums.selectors import search_events, search_threads

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20
MAX_SEARCH_TERMS = 12
#: On "everything", each kind shows its first few hits and a link to all of them.
PREVIEW_PER_KIND = 5
# Words only: quotes, brackets, *, :, ^ and - are query syntax in SQLite's FTS5 and
# PostgreSQL's tsquery, and a NUL byte cannot be sent to PostgreSQL at all.
SEARCH_TERM = re.compile(r"\w+")


def search_terms(query: str) -> str:
    """The words of what somebody typed, as the search backend may safely receive them.

    Operators (AND, OR, NOT, NEAR) stay plain words: the backend quotes every term.
    """
    return " ".join(SEARCH_TERM.findall(query)[:MAX_SEARCH_TERMS])


@dataclass
class SearchGroup:
    """The hits of one kind of content (pages, proposals, threads)."""

    key: str
    label: str
    results: QuerySet[Any]
    count: int = 0
    preview: list[Any] | None = None


def _pages(request: HttpRequest, terms: str) -> QuerySet[Page]:
    pages = Page.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.specific().search(terms)


def search(request: HttpRequest) -> HttpResponse:
    """One search over the site's pages, the proposals, the forum threads and the events.

    "Everything" shows how many hits each kind has and its first few; ?in=seiten,
    vorschlaege, diskussionen or veranstaltungen lists one kind page by page.
    """
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    terms = search_terms(query)
    scope = request.GET.get("in", "")
    groups: list[SearchGroup] = []
    if terms:
        groups = [
            SearchGroup("seiten", _("Pages"), _pages(request, terms)),
            SearchGroup(
                "vorschlaege", _("Proposals"), search_everywhere(text=terms, user=request.user)
            ),
            SearchGroup("diskussionen", _("Forum threads"), search_threads(text=terms)),
            SearchGroup("veranstaltungen", _("Events"), search_events(text=terms)),
        ]
    chosen = next((group for group in groups if group.key == scope), None)
    page_obj = None
    if chosen is not None:
        page_obj = Paginator(chosen.results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        chosen.count = page_obj.paginator.count  # counted once, by the paginator
    for group in groups:
        if group is not chosen:
            group.count = group.results.count()
    if chosen is None:
        for group in groups:
            group.preview = list(group.results[:PREVIEW_PER_KIND]) if group.count else []
    return render(
        request,
        "cms/search.html",
        {
            "search_query": query,
            "groups": groups,
            "chosen": chosen,
            "page_obj": page_obj,
            "total": sum(group.count for group in groups),
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )
