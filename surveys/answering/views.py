"""Public survey pages and answering: list, detail, start, token link, pages, review, submit.

The token link (/umfragen/t/<token>/) is exchanged for a session and redirects, so the
token leaves the address bar; every token that does not open a survey gets the same
neutral page. Answering pages find the response in the session (or, for open surveys, by
the signed-in account). Writes go through surveys.answering.services; a refused page is
shown again with everything the respondent typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from foundation.ratelimits import limit_exceeded, rate_limit_message, rate_limited_response
from foundation.roles import is_coordination_office, is_editor, role_required
from foundation.rules import participation_refusal

from .. import selectors
from ..conditions import Questionnaire, Visibility
from ..models import Survey, SurveyMode, SurveyPage
from . import services, session
from .display import answer_lines
from .forms import PageForm, QuestionBlock


def _may_preview(user: Any) -> bool:
    return bool(is_editor(user) or is_coordination_office(user))


# --- public pages -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/list.html",
        {"surveys": list(selectors.public_surveys()), "now_moment": timezone.now()},
    )


def _taking_part(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    """What the detail page offers this visitor: continue, start, sign in, or a reason."""
    response = session.current_response(request, survey)
    done = session.is_done(request, survey) or bool(response and response.is_complete)
    refusal = survey.answering_refusal()
    state: dict[str, Any] = {"response": response, "done": done, "refusal": refusal}
    if done or refusal or (response is not None):
        return state
    if survey.mode == SurveyMode.INVITATION:
        state["invitation_only"] = True
        return state
    if request.user.is_authenticated:
        state["start_refusal"] = participation_refusal(request.user) or services.open_mode_refusal(
            survey=survey, user=request.user
        )
    elif not survey.allow_anonymous:
        state["sign_in"] = True
    return state


@require_http_methods(["GET", "HEAD"])
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.public_survey(slug=slug)
    context = {
        "survey": survey,
        "question_count": selectors.question_count(survey),
        "may_preview": _may_preview(request.user),
        "now_moment": timezone.now(),
        **_taking_part(request, survey),
    }
    context.update(selectors.detail_extra_context(survey, request))
    return render(request, "surveys/detail.html", context)


@require_http_methods(["POST"])
def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or continue) an open survey: as the signed-in resident, or without an account."""
    survey = selectors.public_survey(slug=slug)
    existing = session.current_response(request, survey)
    if existing is not None and not existing.is_complete:
        return redirect("surveys:resume", slug=survey.slug)
    try:
        if request.user.is_authenticated:
            response = services.response_for_user(
                survey=survey, user=request.user, language=get_language() or ""
            )
        else:
            if survey.mode == SurveyMode.OPEN and not survey.allow_anonymous:
                login = reverse("account_login")
                return redirect(f"{login}?next={survey.get_absolute_url()}")
            if session.is_done(request, survey):
                raise ValidationError(_("You have already answered this survey. Thank you!"))
            if limit_exceeded(request, "survey_start"):
                messages.error(request, rate_limit_message("survey_start"))
                return redirect(survey.get_absolute_url())
            response = services.response_for_visitor(survey=survey, language=get_language() or "")
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(survey.get_absolute_url())
    if response.is_complete:
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect(survey.get_absolute_url())
    session.remember(request, response)
    return redirect("surveys:resume", slug=survey.slug)


@require_http_methods(["GET", "HEAD"])
def survey_token(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: find the recipient by the token's hash, put the response into the
    session and redirect to where the recipient continues. Unknown, expired, used and
    malformed tokens all get the same neutral page with the same status."""
    if limit_exceeded(request, "survey_token"):
        response = rate_limited_response(request, "survey_token")
    else:
        recipient = services.recipient_for_token(token)
        if recipient is None:
            response = render(request, "surveys/token_invalid.html", status=404)
        else:
            answer_set = services.response_for_recipient(recipient=recipient)
            request.session.cycle_key()
            session.remember(request, answer_set)
            response = redirect("surveys:resume", slug=recipient.survey.slug)
    # The token must not travel further: not in a Referer header, not in a cache.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _answering(request: HttpRequest, slug: str) -> tuple[Survey, Any] | HttpResponse:
    """The survey and this browser's response, or where to send someone who has none."""
    survey = selectors.public_survey(slug=slug)
    response = session.current_response(request, survey)
    if response is None:
        if session.is_done(request, survey):
            return redirect("surveys:thanks", slug=survey.slug)
        if survey.mode == SurveyMode.INVITATION:
            messages.info(
                request, _("Please open the survey with the personal link from your invitation.")
            )
        else:
            messages.info(request, _("Please start the survey here first."))
        return redirect(survey.get_absolute_url())
    if response.is_complete:
        return redirect("surveys:thanks", slug=survey.slug)
    return survey, response


def _page_url(survey: Survey, questionnaire: Questionnaire, page: SurveyPage | None) -> str:
    if page is None:
        return reverse("surveys:review", kwargs={"slug": survey.slug})
    return reverse(
        "surveys:page", kwargs={"slug": survey.slug, "number": questionnaire.page_number(page)}
    )


@require_http_methods(["GET", "HEAD"])
def survey_resume(request: HttpRequest, slug: str) -> HttpResponse:
    found = _answering(request, slug)
    if isinstance(found, HttpResponse):
        return found
    survey, response = found
    view = services.load_response(response)
    return redirect(_page_url(survey, view.questionnaire, view.resume_page()))


def _error_summary(blocks: list[QuestionBlock]) -> list[dict[str, str]]:
    return [
        {"anchor": block.anchor_id, "text": block.text, "error": error}
        for block in blocks
        for error in block.errors
    ]


def _render_page(
    request: HttpRequest,
    *,
    survey: Survey,
    questionnaire: Questionnaire,
    page: SurveyPage,
    form: PageForm,
    steps: list[SurveyPage],
    refusal: str | None = None,
    preview: bool = False,
    status: int = 200,
) -> HttpResponse:
    blocks = form.blocks()
    step = next((i for i, p in enumerate(steps, start=1) if p.pk == page.pk), 0)
    number = questionnaire.page_number(page)
    return render(
        request,
        "surveys/page.html",
        {
            "survey": survey,
            "survey_page": page,
            "number": number,
            "blocks": blocks,
            "form": form,
            "error_summary": _error_summary(blocks),
            "step": step,
            # The review counts as the last step.
            "total_steps": len(steps) + (0 if preview else 1),
            "refusal": refusal,
            "preview": preview,
            "has_previous": step > 1,
            "previous_number": questionnaire.page_number(steps[step - 2]) if step > 1 else None,
            "next_number": questionnaire.page_number(steps[step]) if step < len(steps) else None,
            "all_pages": steps if preview else [],
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def survey_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    found = _answering(request, slug)
    if isinstance(found, HttpResponse):
        return found
    survey, response = found
    questionnaire = services.questionnaire_ready(Questionnaire.load(survey))
    page = questionnaire.page_by_number(number)
    if page is None:
        raise Http404
    view = services.load_response(response, questionnaire)
    if not any(p.pk == page.pk for p in view.pages):
        messages.info(request, _("This page does not apply to you, given your earlier answers."))
        return redirect(_page_url(survey, questionnaire, view.next_page(page)))
    questions = view.questions_to_ask(page)
    if request.method != "POST":
        form = PageForm(
            questionnaire=questionnaire,
            questions=questions,
            values=view.values,
            draft=session.draft(request, response, page.pk),
        )
        return _render_page(
            request,
            survey=survey,
            questionnaire=questionnaire,
            page=page,
            form=form,
            steps=view.pages,
            refusal=services.answering_refusal(response),
        )

    form = PageForm(
        request.POST,
        questionnaire=questionnaire,
        questions=questions,
        decide=lambda values: view.shown_on_page(page, values),
    )
    going_back = request.POST.get("action") == "back"
    refusal = services.answering_refusal(response)
    if refusal:  # closed meanwhile: show the page again with what was typed, store nothing
        return _render_page(
            request,
            survey=survey,
            questionnaire=questionnaire,
            page=page,
            form=form,
            steps=view.pages,
            refusal=refusal,
            status=400,
        )
    if form.is_valid():
        try:
            result = services.save_page(
                response=response, page=page, values=form.values, questionnaire=questionnaire
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            session.keep_draft(request, response, page.pk, None)
            if form.ignored_posted_questions() or result.ignored:
                messages.info(
                    request,
                    _(
                        "Some answers were not saved because those questions do not apply "
                        "to you, given your earlier answers."
                    ),
                )
            after = result.view
            target = after.previous_page(page) if going_back else after.next_page(page)
            if going_back and target is None:
                return redirect(survey.get_absolute_url())
            return redirect(_page_url(survey, questionnaire, target))
    elif going_back:
        # Not valid yet: nothing is stored, but what was typed waits for the respondent.
        session.keep_draft(request, response, page.pk, form.posted_draft())
        messages.info(
            request,
            _(
                "Your entries on page %(number)d are kept but not saved yet. They are saved "
                "when you continue from that page."
            )
            % {"number": view.step(page)},
        )
        target = view.previous_page(page)
        if target is None:
            return redirect(survey.get_absolute_url())
        return redirect(_page_url(survey, questionnaire, target))
    return _render_page(
        request,
        survey=survey,
        questionnaire=questionnaire,
        page=page,
        form=form,
        steps=view.pages,
        status=400,
    )


def _review_sections(view: services.ResponseView) -> list[dict[str, Any]]:
    questionnaire = view.questionnaire
    missing = {q.pk for q in view.missing_required()}
    sections = []
    for step, page in enumerate(view.pages, start=1):
        items = []
        for question in questionnaire.visible_questions(page, view.visibility):
            if not question.takes_answer:
                continue
            items.append(
                {
                    "question": question,
                    "text": question.translated("text"),
                    "lines": answer_lines(question, view.values.get(question.pk), questionnaire),
                    "missing": question.pk in missing,
                }
            )
        sections.append(
            {
                "page": page,
                "title": page.translated("title"),
                "step": step,
                "number": questionnaire.page_number(page),
                "items": items,
            }
        )
    return sections


def _render_review(
    request: HttpRequest, survey: Survey, view: services.ResponseView, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "surveys/review.html",
        {
            "survey": survey,
            "sections": _review_sections(view),
            "missing": view.missing_required(),
            "step": len(view.pages) + 1,
            "total_steps": len(view.pages) + 1,
            "refusal": services.answering_refusal(view.response),
            "previous_number": (
                view.questionnaire.page_number(view.pages[-1]) if view.pages else None
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def survey_review(request: HttpRequest, slug: str) -> HttpResponse:
    found = _answering(request, slug)
    if isinstance(found, HttpResponse):
        return found
    survey, response = found
    return _render_review(request, survey, services.load_response(response))


@require_http_methods(["POST"])
def survey_submit(request: HttpRequest, slug: str) -> HttpResponse:
    found = _answering(request, slug)
    if isinstance(found, HttpResponse):
        return found
    survey, response = found
    try:
        services.submit_response(response=response)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _render_review(request, survey, services.load_response(response), status=400)
    session.mark_done(request, survey)
    return redirect("surveys:thanks", slug=survey.slug)


@require_http_methods(["GET", "HEAD"])
def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.public_survey(slug=slug)
    response = session.current_response(request, survey)
    if not (session.is_done(request, survey) or (response and response.is_complete)):
        return redirect(survey.get_absolute_url())
    return render(request, "surveys/thanks.html", {"survey": survey})


# --- staff preview ----------------------------------------------------------------------------


@role_required(_may_preview)
@require_http_methods(["GET", "HEAD", "POST"])
def survey_preview(request: HttpRequest, slug: str, number: int = 1) -> HttpResponse:
    """Every page as a respondent sees it (conditions are noted, not applied), with the same
    checks on sending; nothing is stored."""
    survey = selectors.survey_for_staff(slug=slug)
    questionnaire = services.questionnaire_ready(Questionnaire.load(survey))
    page = questionnaire.page_by_number(number)
    if page is None:
        if number == 1:
            return render(request, "surveys/preview_empty.html", {"survey": survey})
        raise Http404
    everything = Visibility(
        page_ids=frozenset(p.pk for p in questionnaire.pages),
        question_ids=frozenset(questionnaire.questions),
    )
    questions = questionnaire.visible_questions(page, everything)
    form = PageForm(
        request.POST if request.method == "POST" else None,
        questionnaire=questionnaire,
        questions=questions,
    )
    status = 200
    if request.method == "POST":
        going_back = request.POST.get("action") == "back"
        if going_back or form.is_valid():
            target = number - 1 if going_back else number + 1
            if 1 <= target <= len(questionnaire.pages):
                return redirect("surveys:preview_page", slug=survey.slug, number=target)
            messages.info(
                request,
                _("Preview: the respondent would now see the review page. Nothing was stored."),
            )
            return redirect("surveys:preview_page", slug=survey.slug, number=number)
        status = 400
    return _render_page(
        request,
        survey=survey,
        questionnaire=questionnaire,
        page=page,
        form=form,
        steps=questionnaire.pages,
        preview=True,
        status=status,
    )
