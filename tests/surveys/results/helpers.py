"""A small institutions' survey with answers, built through the ORM (the answering pages are
another package's): groups, municipalities and one question of every kind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from surveys.models import (
    Answer,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    RecipientGroup,
    Response,
    ResponseState,
    Survey,
    SurveyMode,
)
from tests.foundation.factories import MunicipalityFactory
from tests.surveys.factories import (
    RecipientFactory,
    RecipientGroupFactory,
    SurveyFactory,
    SurveyPageFactory,
    choice_question,
)


@dataclass
class Questionnaire:
    survey: Survey
    groups: list[RecipientGroup]
    municipalities: list
    kind: Question  # multiple choice: kind of institution
    size: Question  # single choice
    rating: Question  # matrix
    staff: Question  # number
    founded: Question  # date
    priorities: Question  # ranking
    remarks: Question  # long text
    options: dict[str, dict[str, Option]] = field(default_factory=dict)


def questionnaire(**survey_fields) -> Questionnaire:
    survey_fields.setdefault("mode", SurveyMode.INVITATION)
    survey = SurveyFactory(title="Bedarfsanalyse", slug="bedarfsanalyse", **survey_fields)
    groups = [
        RecipientGroupFactory(survey=survey, name="Beratungsstellen", position=1),
        RecipientGroupFactory(survey=survey, name="Religionsgemeinschaften", position=2),
    ]
    municipalities = [
        MunicipalityFactory(name="Laatzen", slug="laatzen"),
        MunicipalityFactory(name="Garbsen", slug="garbsen"),
    ]
    page = SurveyPageFactory(survey=survey, position=1, title="Ihre Einrichtung")
    kind = choice_question(
        page,
        "art",
        ["Vereine", "Bildungseinrichtungen", "Beratungsstellen"],
        kind=QuestionKind.MULTIPLE,
        text="Welcher Art ist Ihre Einrichtung?",
        allow_other=True,
        position=1,
    )
    size = choice_question(
        page, "groesse", ["klein", "mittel", "groß"], text="Wie groß ist sie?", position=2
    )
    rating = Question.objects.create(
        survey=survey,
        page=page,
        position=3,
        code="bedarf",
        kind=QuestionKind.MATRIX,
        text="Wie groß ist der Bedarf?",
    )
    for position, (code, text) in enumerate(
        [("sprache", "Sprachkurse"), ("beratung", "Beratung")], 1
    ):
        Option.objects.create(
            question=rating, role=OptionRole.ROW, position=position, code=code, text=text
        )
    for position, text in enumerate(["gering", "mittel", "hoch"], 1):
        Option.objects.create(
            question=rating, role=OptionRole.SCALE, position=position, code=str(position), text=text
        )
    staff = Question.objects.create(
        survey=survey,
        page=page,
        position=4,
        code="personal",
        kind=QuestionKind.NUMBER,
        text="Wie viele Beschäftigte?",
    )
    founded = Question.objects.create(
        survey=survey,
        page=page,
        position=5,
        code="gegruendet",
        kind=QuestionKind.DATE,
        text="Seit wann gibt es Sie?",
    )
    priorities = choice_question(
        page,
        "prioritaet",
        ["Sprache", "Arbeit", "Wohnen"],
        kind=QuestionKind.RANKING,
        text="Was ist am wichtigsten?",
        position=6,
    )
    remarks = Question.objects.create(
        survey=survey,
        page=page,
        position=7,
        code="anmerkungen",
        kind=QuestionKind.LONG_TEXT,
        text="Was möchten Sie uns noch sagen?",
    )
    data = Questionnaire(
        survey=survey,
        groups=groups,
        municipalities=municipalities,
        kind=kind,
        size=size,
        rating=rating,
        staff=staff,
        founded=founded,
        priorities=priorities,
        remarks=remarks,
    )
    for question in (kind, size, rating, priorities):
        data.options[question.code] = {
            f"{o.role}:{o.code}" if o.role != OptionRole.CHOICE else o.code: o
            for o in question.options.all()
        }
    return data


def respond(
    data: Questionnaire,
    *,
    group: int | None = 0,
    municipality: int | None = 0,
    state: str = ResponseState.COMPLETE,
    kinds: tuple[str, ...] = (),
    other: str = "",
    size: str | None = None,
    rating: dict[str, str] | None = None,
    staff: int | str | None = None,
    founded: datetime.date | None = None,
    ranking: tuple[str, ...] = (),
    remark: str = "",
    user=None,
    invite: bool = True,
) -> Response:
    """One response with the given answers (option codes), its recipient invited first."""
    survey = data.survey
    group_row = data.groups[group] if group is not None else None
    place = data.municipalities[municipality] if municipality is not None else None
    recipient = (
        RecipientFactory(survey=survey, group=group_row, municipality=place) if invite else None
    )
    response = Response.objects.create(
        survey=survey,
        recipient=recipient,
        user=user,
        group=group_row,
        municipality=place,
        language="de",
        state=state,
        submitted_at=datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)
        if state == ResponseState.COMPLETE
        else None,
    )
    answers = []
    for code in kinds:
        answers.append(
            Answer(response=response, question=data.kind, option=data.options["art"][code])
        )
    if other:
        answers.append(Answer(response=response, question=data.kind, text=other))
    if size:
        answers.append(
            Answer(response=response, question=data.size, option=data.options["groesse"][size])
        )
    for row, point in (rating or {}).items():
        answers.append(
            Answer(
                response=response,
                question=data.rating,
                option=data.options["bedarf"][f"row:{row}"],
                scale=data.options["bedarf"][f"scale:{point}"],
            )
        )
    if staff is not None:
        answers.append(Answer(response=response, question=data.staff, number=Decimal(str(staff))))
    if founded:
        answers.append(Answer(response=response, question=data.founded, date=founded))
    for rank, code in enumerate(ranking, start=1):
        answers.append(
            Answer(
                response=response,
                question=data.priorities,
                option=data.options["prioritaet"][code],
                rank=rank,
            )
        )
    if remark:
        answers.append(Answer(response=response, question=data.remarks, text=remark))
    Answer.objects.bulk_create(answers)
    return response


def invite_only(data: Questionnaire, count: int, *, group: int = 0, municipality: int = 0) -> None:
    for _ in range(count):
        RecipientFactory(
            survey=data.survey,
            group=data.groups[group],
            municipality=data.municipalities[municipality],
        )
