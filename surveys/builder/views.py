"""The builder's screens in the Wagtail admin: structure overview, pages, questions.

Every view asks permissions.may_build_surveys; writes go through services.py, which asks
surveys.structure (the lock rule) and stores nothing when it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import structure
from ..models import Question, QuestionKind, Survey, SurveyPage
from ..permissions import may_build_surveys
from . import selectors, services
from .forms import (
    CONDITION_FIELDS,
    OptionFormSet,
    PageConditionFormSet,
    PageForm,
    QuestionConditionFormSet,
    QuestionForm,
)


def builder_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_build_surveys(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def structure_url(survey: Survey) -> str:
    return reverse("surveys_builder:structure", args=[survey.pk])


def _breadcrumbs(survey: Survey, *more: tuple[str, str]) -> list[dict[str, str]]:
    items = [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("survey_admin:index"), "label": _("Surveys")},
        {"url": structure_url(survey), "label": survey.title},
    ]
    items += [{"url": url, "label": label} for label, url in more]
    return items


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    title: str,
    survey: Survey,
    status: int = 200,
) -> TemplateResponse:
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "form",
        "breadcrumbs_items": _breadcrumbs(survey, (title, request.path)),
        "survey": survey,
        "lock_reason": structure.lock_reason(survey),
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


# --- Structure overview ------------------------------------------------------------------------
@builder_required
def structure_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    overview = selectors.structure_overview(survey)
    context = {
        "overview": overview,
        "preview_url": selectors.preview_url(survey),
        "settings_url": reverse("survey_admin:edit", args=[survey.pk]),
        "recipients_url": reverse("surveys_invitations:recipients", args=[survey.pk]),
        "kinds": QuestionKind.choices,
    }
    response = _render(
        request, "surveys/builder/structure.html", context, title=_("Structure"), survey=survey
    )
    response.context_data["breadcrumbs_items"] = _breadcrumbs(survey)
    return response


# --- Pages --------------------------------------------------------------------------------------
def _page_form(request: HttpRequest, survey: Survey, page: SurveyPage) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = PageForm(data, instance=page, survey=survey)
    conditions = PageConditionFormSet(data, instance=page, survey=survey, prefix="conditions")
    error = None
    if request.method == "POST" and form.is_valid() and conditions.is_valid():
        try:
            saved = services.page_save(survey=survey, form=form, conditions=conditions)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Page “%(title)s” saved.") % {"title": saved.title})
            return HttpResponseRedirect(structure_url(survey))
    title = _("Edit page") if page.pk else _("Add page")
    return _render(
        request,
        "surveys/builder/form.html",
        {
            "form": form,
            "main_fields": ["title", "intro", *form.translation_field_names],
            "formsets": [
                (conditions, CONDITION_FIELDS, _("Show this page only if"), _condition_help()),
            ],
            "error": error,
        },
        title=title,
        survey=survey,
        status=400 if request.method == "POST" else 200,
    )


def _condition_help() -> str:
    return _(
        "All conditions must hold. Only questions on earlier pages (for a page) or earlier "
        "questions (for a question) can be used."
    )


@builder_required
def page_create(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    return _page_form(request, survey, SurveyPage(survey=survey))


@builder_required
def page_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(SurveyPage.objects.select_related("survey"), pk=page_id)
    return _page_form(request, page.survey, page)


@builder_required
def page_delete(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(SurveyPage.objects.select_related("survey"), pk=page_id)
    survey = page.survey
    refusal = structure.page_delete_refusal(page)
    if request.method == "POST" and not refusal:
        try:
            services.page_delete(page=page)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, _("Page “%(title)s” deleted.") % {"title": page.title})
            return HttpResponseRedirect(structure_url(survey))
    return _render(
        request,
        "surveys/builder/confirm_delete.html",
        {"object": page, "refusal": refusal, "contents": page.questions.count()},
        title=_("Delete page"),
        survey=survey,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@builder_required
def page_move(request: HttpRequest, page_id: int, direction: str) -> HttpResponse:
    page = get_object_or_404(SurveyPage.objects.select_related("survey"), pk=page_id)
    try:
        services.page_move(page=page, offset=_offset(direction))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(structure_url(page.survey) + f"#page-{page.pk}")


def _offset(direction: str) -> int:
    offsets = {"up": -1, "down": 1}
    if direction not in offsets:
        raise Http404
    return offsets[direction]


# --- Questions ---------------------------------------------------------------------------------
def _question_form(request: HttpRequest, survey: Survey, question: Question) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {}
    if question.pk is None:
        kind = request.GET.get("kind")
        initial = {
            "page": question.page_id,
            "kind": kind if kind in QuestionKind.values else QuestionKind.SINGLE,
            "code": structure.next_question_code(survey),
        }
    form = QuestionForm(data, instance=question, survey=survey, initial=initial)
    options = OptionFormSet(
        data,
        instance=question,
        prefix="options",
        survey_language=survey.language,
        queryset=question.options.order_by("role", "position", "pk") if question.pk else None,
    )
    conditions = QuestionConditionFormSet(
        data, instance=question, survey=survey, prefix="conditions"
    )
    error = None
    if request.method == "POST":
        valid = [form.is_valid(), options.is_valid(), conditions.is_valid()]
        if all(valid):
            try:
                saved = services.question_save(
                    survey=survey, form=form, options=options, conditions=conditions
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Question “%(code)s” saved.") % {"code": saved.code})
                if "add_another" in request.POST:
                    url = reverse("surveys_builder:question_create", args=[saved.page_id])
                    return HttpResponseRedirect(f"{url}?kind={saved.kind}")
                return HttpResponseRedirect(structure_url(survey) + f"#question-{saved.pk}")
    option_fields = ["role", "code", "text"]
    if options.forms:
        option_fields += options.forms[0].translation_field_names
    return _render(
        request,
        "surveys/builder/form.html",
        {
            "form": form,
            "main_fields": [
                name for name in form.fields if name not in form.translation_field_names
            ]
            + form.translation_field_names,
            "formsets": [
                (
                    options,
                    option_fields,
                    _("Options, matrix rows and scale points"),
                    _(
                        "Choice, dropdown and ranking questions take answer options; a matrix "
                        "takes rows and scale points. Codes are the stored values (1, 2, 3 … "
                        "when left empty). Yes/no questions get the options Y and N by "
                        "themselves; other types take none."
                    ),
                ),
                (
                    conditions,
                    CONDITION_FIELDS,
                    _("Show this question only if"),
                    _condition_help(),
                ),
            ],
            "error": error,
            "add_another": True,
        },
        title=_("Edit question") if question.pk else _("Add question"),
        survey=survey,
        status=400 if request.method == "POST" else 200,
    )


@builder_required
def question_create(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(SurveyPage.objects.select_related("survey"), pk=page_id)
    return _question_form(request, page.survey, Question(survey=page.survey, page=page))


@builder_required
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("survey", "page"), pk=question_id)
    return _question_form(request, question.survey, question)


@builder_required
def question_delete(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("survey"), pk=question_id)
    survey = question.survey
    refusal = structure.question_delete_refusal(question)
    if request.method == "POST" and not refusal:
        try:
            services.question_delete(question=question)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(request, _("Question “%(code)s” deleted.") % {"code": question.code})
            return HttpResponseRedirect(structure_url(survey))
    return _render(
        request,
        "surveys/builder/confirm_delete.html",
        {"object": question, "refusal": refusal},
        title=_("Delete question"),
        survey=survey,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@builder_required
def question_move(request: HttpRequest, question_id: int, direction: str) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("survey", "page"), pk=question_id)
    try:
        services.question_move(question=question, offset=_offset(direction))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(structure_url(question.survey) + f"#question-{question.pk}")
