import re

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page, Site

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20
MAX_SEARCH_TERMS = 12
# Words only: quotes, brackets, *, :, ^ and - are query syntax in SQLite's FTS5 and
# PostgreSQL's tsquery, and a NUL byte cannot be sent to PostgreSQL at all.
SEARCH_TERM = re.compile(r"\w+")


def search_terms(query: str) -> str:
    """The words of what somebody typed, as the search backend may safely receive them.

    Operators (AND, OR, NOT, NEAR) stay plain words: the backend quotes every term.
    """
    return " ".join(SEARCH_TERM.findall(query)[:MAX_SEARCH_TERMS])


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over the live, public pages of the current site."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    terms = search_terms(query)
    pages = Page.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    results = pages.specific().search(terms) if terms else Page.objects.none()
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {"search_query": query, "page_obj": page_obj, "max_query_length": MAX_QUERY_LENGTH},
    )
