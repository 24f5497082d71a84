"""Which response a browser is answering: kept in its session, never in the address.

The token page, the start button and the sign-in put the response id here; on completion
it is removed again (an anonymous survey's session must not point at its answers) and only
"this survey is done" stays.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ..models import Response, Survey, SurveyMode

RESPONSES = "surveys.responses"  # {survey id: response id}
DONE = "surveys.done"  # [survey id, ...]
DRAFTS = "surveys.drafts"  # {"<response id>:<page id>": {field name: [values]}}


def remember(request: HttpRequest, response: Response) -> None:
    responses = dict(request.session.get(RESPONSES, {}))
    responses[str(response.survey_id)] = response.pk
    request.session[RESPONSES] = responses


def current_response(request: HttpRequest, survey: Survey) -> Response | None:
    """The response this browser answers: from the session, or a signed-in resident's own."""
    response_id = request.session.get(RESPONSES, {}).get(str(survey.pk))
    if response_id:
        response = (
            Response.objects.select_related("survey", "recipient", "last_page")
            .filter(pk=response_id, survey=survey)
            .first()
        )
        if response is not None:
            return response
    user = request.user
    if survey.mode == SurveyMode.OPEN and user.is_authenticated:
        return (
            Response.objects.select_related("survey", "recipient", "last_page")
            .filter(survey=survey, user=user)
            .first()
        )
    return None


def mark_done(request: HttpRequest, survey: Survey) -> None:
    responses = dict(request.session.get(RESPONSES, {}))
    response_id = responses.pop(str(survey.pk), None)
    request.session[RESPONSES] = responses
    drafts = {
        key: value
        for key, value in request.session.get(DRAFTS, {}).items()
        if not key.startswith(f"{response_id}:")
    }
    request.session[DRAFTS] = drafts
    done = list(request.session.get(DONE, []))
    if survey.pk not in done:
        done.append(survey.pk)
    request.session[DONE] = done


def is_done(request: HttpRequest, survey: Survey) -> bool:
    return survey.pk in request.session.get(DONE, [])


def draft(request: HttpRequest, response: Response, page_id: int) -> dict[str, Any] | None:
    return request.session.get(DRAFTS, {}).get(f"{response.pk}:{page_id}")


def keep_draft(
    request: HttpRequest, response: Response, page_id: int, data: dict[str, Any] | None
) -> None:
    drafts = dict(request.session.get(DRAFTS, {}))
    key = f"{response.pk}:{page_id}"
    if data:
        drafts[key] = data
    else:
        drafts.pop(key, None)
    request.session[DRAFTS] = drafts
