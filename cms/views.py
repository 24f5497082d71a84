import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.core.validators import slug_unicode_re
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from consultations.proposals.selectors import search_everywhere
from forums.selectors import search_events, search_threads
from foundation.models import Handlungsfeld
from surveys.selectors import search_published_surveys, surveys_about

from .models import HandlungsfeldPage

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
    """The hits of one kind of content (pages, proposals, threads, events, survey results)."""

    key: str
    label: str
    results: QuerySet[Any]
    count: int = 0
    preview: list[Any] | None = None


def _pages(request: HttpRequest, terms: str, handlungsfeld: Handlungsfeld | None) -> Any:
    pages = Page.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    if handlungsfeld is not None:
        # The Handlungsfeld's page and what lies below it.
        field_page = (
            HandlungsfeldPage.objects.live()
            .filter(handlungsfeld=handlungsfeld, path__in=pages.values("path"))
            .order_by("path")
            .first()
        )
        if field_page is None:
            return Page.objects.none()
        pages = pages.descendant_of(field_page, inclusive=True)
    return pages.specific().search(terms)


def _handlungsfeld(request: HttpRequest) -> Handlungsfeld | None:
    """The Handlungsfeld chosen with ?feld=<slug>; anything unknown means all of them."""
    slug = request.GET.get("feld", "")
    if (
        not slug or len(slug) > 120 or not slug_unicode_re.fullmatch(slug)
    ):  # e.g. a NUL byte: no slug
        return None
    return Handlungsfeld.objects.filter(slug=slug).first()


def _groups(request: HttpRequest, terms: str, field: Handlungsfeld | None) -> list[SearchGroup]:
    proposals = search_everywhere(text=terms, user=request.user)
    threads = search_threads(text=terms)
    events = search_events(text=terms)
    surveys = search_published_surveys(text=terms)
    if field is not None:
        proposals = proposals.filter(handlungsfeld=field)
        threads = threads.filter(forum__handlungsfeld=field)
        events = events.filter(handlungsfeld=field)
        surveys = surveys_about(surveys, field)
    return [
        SearchGroup("seiten", _("Pages"), _pages(request, terms, field)),
        SearchGroup("vorschlaege", _("Proposals"), proposals),
        SearchGroup("diskussionen", _("Forum threads"), threads),
        SearchGroup("veranstaltungen", _("Events"), events),
        SearchGroup("umfragen", _("Survey results"), surveys),
    ]


def search(request: HttpRequest) -> HttpResponse:
    """One search over the site's pages, the proposals, the forum threads, the events and the
    published survey results.

    "Everything" shows how many hits each kind has and its first few; ?in=seiten,
    vorschlaege, diskussionen, veranstaltungen or umfragen lists one kind page by page;
    ?feld=<slug> keeps to one Handlungsfeld.
    """
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    terms = search_terms(query)
    scope = request.GET.get("in", "")
    field = _handlungsfeld(request)
    groups = _groups(request, terms, field) if terms else []
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
            "handlungsfelder": Handlungsfeld.objects.all(),
            "field": field,
            "field_param": f"&feld={field.slug}" if field else "",
            "max_query_length": MAX_QUERY_LENGTH,
        },
    )
