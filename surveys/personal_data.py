"""A respondent's own answers in the account's data export (GDPR Art. 15 and 20).

Registered for the foundation's hook `account_data_export` (surveys/wagtail_hooks.py). Only
responses still linked to the account appear: an anonymous survey cuts the link on
completion and the retention run cuts it after the period — those answers are nobody's any
more. Two queries, however many responses and answers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .models import Answer, Response


def _value(answer: Answer) -> Any:
    if answer.scale_id is not None:
        return {"row": answer.option.text, "scale": answer.scale.text}
    if answer.option_id is not None:
        if answer.rank is not None:
            return {"option": answer.option.text, "rank": answer.rank}
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
                "question_code": answer.question.code,
                "question": answer.question.text,
                "answer": _value(answer),
            }
        )
    return {
        "surveys.answers": [
            {
                "survey": response.survey.title,
                "response_id": response.pk,
                "state": response.state,
                "started_at": response.started_at.isoformat(),
                "submitted_at": response.submitted_at.isoformat()
                if response.submitted_at
                else None,
                "answers": answers.get(response.pk, []),
            }
            for response in responses
        ]
    }
