"""The coordination office's results pages and the public results page of a survey.

Staff pages: visitors are sent to sign in, signed-in people without the permission get 403
(foundation.roles.role_required with the predicate of surveys.rules).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from foundation.roles import role_required
from surveys.models import Survey, SurveyStatus
from surveys.rules import (
    may_export_survey_results,
    may_publish_survey_results,
    may_view_survey_results,
)

from . import charts, publication, selectors, services

results_staff_required = role_required(may_view_survey_results)

FREE_TEXTS_PER_PAGE = 25
#: ?antworten=alle (default) or ?antworten=vollstaendig
FILTER_PARAMETER = "antworten"
COMPLETE_ONLY = "vollstaendig"
#: ?abschnitt=N: the page of the questionnaire whose results the dashboard shows (1 = first)
SECTION_PARAMETER = "abschnitt"


def complete_only(request: HttpRequest) -> bool:
    return request.GET.get(FILTER_PARAMETER) == COMPLETE_ONLY


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.exclude(status=SurveyStatus.DRAFT), slug=slug)


@results_staff_required
@require_GET
def results_index(request: HttpRequest) -> HttpResponse:
    """Every survey past its draft, with its figures: links to the dashboards."""
    surveys = Survey.objects.exclude(status=SurveyStatus.DRAFT).order_by("-created_at")
    return render(request, "surveys/results/index.html", {"surveys": surveys})


@results_staff_required
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    only_complete = complete_only(request)
    counts = selectors.participation(survey=survey)
    sections = selectors.result_sections(survey=survey)
    section = _section(request, sections)
    results = (
        selectors.survey_results(survey=survey, complete_only=only_complete, page=section.page)
        if section
        else []
    )
    return render(
        request,
        "surveys/results/dashboard.html",
        {
            "survey": survey,
            "complete_only": only_complete,
            "filter_parameter": FILTER_PARAMETER,
            "complete_value": COMPLETE_ONLY,
            "participation": counts,
            "overall_rows": [counts.overall],
            "states_chart": charts.states_chart(counts.overall),
            "group_chart": charts.participation_chart(counts.by_group) if counts.by_group else None,
            "municipality_chart": charts.participation_chart(counts.by_municipality)
            if counts.by_municipality
            else None,
            "items": publication.charted(results),
            "sections": sections,
            "section": section,
            "section_parameter": SECTION_PARAMETER,
            "previous_section": sections[section.number - 2]
            if section and section.number > 1
            else None,
            "next_section": sections[section.number]
            if section and section.number < len(sections)
            else None,
            "may_publish": may_publish_survey_results(request.user),
            "may_export": may_export_survey_results(request.user),
            "publication_refusal": services.publication_refusal(survey),
        },
    )


def _section(request: HttpRequest, sections: list) -> selectors.Section | None:
    """The section asked for; the first one where none (or one that does not exist) is."""
    if not sections:
        return None
    try:
        number = int(request.GET.get(SECTION_PARAMETER, "1"))
    except ValueError:
        number = 1
    return sections[number - 1] if 1 <= number <= len(sections) else sections[0]


@results_staff_required
@require_GET
def question_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    survey = _survey(slug)
    question = selectors.question_of(survey=survey, code=code)
    if question is None:
        raise Http404
    only_complete = complete_only(request)
    [result] = selectors.question_results(questions=[question], complete_only=only_complete)
    crosstab = selectors.crosstab_by_group(
        survey=survey, question=question, complete_only=only_complete
    )
    search = request.GET.get("suche", "").strip()[:200]
    texts_page = None
    if result.has_free_texts:
        texts_page = Paginator(
            selectors.free_texts(question=question, search=search, complete_only=only_complete),
            FREE_TEXTS_PER_PAGE,
        ).get_page(request.GET.get("seite"))
    return render(
        request,
        "surveys/results/question.html",
        {
            "survey": survey,
            "question": question,
            "item": publication.ChartedResult(result=result, chart=charts.question_chart(result)),
            "crosstab": crosstab,
            "complete_only": only_complete,
            "filter_parameter": FILTER_PARAMETER,
            "complete_value": COMPLETE_ONLY,
            "search": search,
            "texts_page": texts_page,
        },
    )


@results_staff_required
@require_POST
def publication_change(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    try:
        if request.POST.get("action") == "withdraw":
            services.results_unpublish(survey=survey, actor=request.user)
            messages.success(request, _("The results are no longer shown on the public page."))
        else:
            services.results_publish(survey=survey, actor=request.user)
            messages.success(
                request,
                _("The results are published. Groups with fewer than 5 answers are not shown."),
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:results_dashboard", slug=survey.slug)


@require_http_methods(["GET", "HEAD"])
def public_results_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The published results of a survey on a page of their own (404 until published)."""
    survey = _survey(slug)
    html = publication.rendered_public_results(survey=survey)
    if html is None:
        raise Http404
    return render(
        request,
        "surveys/results/public_page.html",
        {"survey": survey, "published_results_html": html},
    )
