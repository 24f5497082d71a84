"""A respondent's own answers in the account's data export (GDPR Art. 15 and 20).

Registered for the foundation's hook `account_data_export` (surveys/wagtail_hooks.py). Only
responses still linked to the account appear: an anonymous survey cuts the link on
completion and the retention run cuts it after the period — those answers are nobody's any
more. Two queries, however many responses and answers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from .models import Answer, Response


def _value(answer: Answer) -> Any:
    if answer.scale_id is not None:
        return {_("Row"): answer.option.text, _("Scale point"): answer.scale.text}
    if answer.option_id is not None:
        if answer.rank is not None:
            return {_("Option"): answer.option.text, _("Rank"): answer.rank}
        return answer.option.text
    if answer.number is not None:
        return str(answer.number.normalize())
    if answer.date is not None:
        return answer.date.isoformat()
    return answer.text


def survey_answers_of(user: Any) -> dict[str, list[dict[str, Any]]]:
    responses = list(
        Response.objects.filter(user=user).select_related("survey").order_by("started_at", "pk")
    )
    if not responses:
        return {}
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(response__in=responses)
        .select_related("question", "option", "scale")
        .order_by("response_id", "question__page__position", "question__position", "pk")
    ):
        answers[answer.response_id].append(
            {
                _("Question code"): answer.question.code,
                _("Question"): answer.question.text,
                _("Answer"): _value(answer),
            }
        )
    return {
        _("Survey answers"): [
            {
                _("Survey"): response.survey.title,
                _("Response number"): response.pk,
                _("State"): str(response.get_state_display()),
                _("Opened"): response.started_at.isoformat(),
                _("Submitted"): response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                _("Answers"): answers.get(response.pk, []),
            }
            for response in responses
        ]
    }
