"""The rules of a proposal that span its fields (proposals.services.validate_proposal_data),
each with the German message shown next to the field the person filled in.

The form checks some of them too; the service checks them again because it is also called
without the form (the demo loader, other services), so they are tested here on the service.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from consultations.proposals import services
from consultations.proposals.services import BODY_MAX_LENGTH, ProposalData
from tests.consultations.factories import (
    HandlungsfeldFactory,
    MunicipalityFactory,
    ProposalFactory,
    open_consultation,
)
from tests.forums.factories import ForumEventFactory, ForumFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return open_consultation()


@pytest.fixture
def field():
    return HandlungsfeldFactory()


def valid(field, **changes) -> ProposalData:
    data = ProposalData(
        kind="measure",
        title="Sprachkurse mit Kinderbetreuung",
        body="Viele Eltern können sonst nicht teilnehmen.",
        handlungsfeld=field,
        is_region_wide=True,
    )
    return dataclasses.replace(data, **changes)


def refusal(consultation, data, instance=None) -> dict[str, list[str]]:
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.validate_proposal_data(consultation=consultation, data=data, instance=instance)
    return refused.value.message_dict


def test_a_valid_proposal_passes_and_its_body_comes_back_rendered(consultation, field):
    data = valid(field, body="Mehr **Kurse**\n\n- abends\n- mit [Betreuung](https://example.org)")

    body = services.validate_proposal_data(consultation=consultation, data=data)

    assert body == (
        "<p>Mehr <strong>Kurse</strong></p><ul><li>abends</li>"
        '<li>mit <a href="https://example.org" rel="nofollow">Betreuung</a></li></ul>'
    )


def test_html_in_a_body_stays_text(consultation, field):
    data = valid(field, body='<p onclick="x()">Mehr Kurse</p><script>alert(1)</script>')

    body = services.validate_proposal_data(consultation=consultation, data=data)

    assert body == (
        '<p>&lt;p onclick="x()"&gt;Mehr Kurse&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    )


def test_a_body_without_visible_text_is_refused(consultation, field):
    assert refusal(consultation, valid(field, body=" \n\n\t \r\n")) == {
        "body": ["Bitte beschreiben Sie Ihren Vorschlag."]
    }


def test_a_body_of_exactly_the_limit_passes_and_one_more_character_is_refused(consultation, field):
    """The limit counts what the author typed, not the longer HTML it becomes."""
    at_limit = "a < b " * (BODY_MAX_LENGTH // 6) + "a" * (BODY_MAX_LENGTH % 6)
    assert len(at_limit) == BODY_MAX_LENGTH
    rendered = services.validate_proposal_data(
        consultation=consultation, data=valid(field, body=at_limit)
    )
    assert len(rendered) > BODY_MAX_LENGTH

    too_long = at_limit + "a"
    assert refusal(consultation, valid(field, body=too_long)) == {
        "body": ["Die Beschreibung ist zu lang: Erlaubt sind höchstens 10000 Zeichen."]
    }


def test_the_whole_region_and_single_municipalities_exclude_each_other(consultation, field):
    both = valid(field, is_region_wide=True, municipalities=(MunicipalityFactory(),))
    neither = valid(field, is_region_wide=False, municipalities=())

    assert refusal(consultation, both) == {
        "municipalities": [
            "Wählen Sie entweder die gesamte Region oder einzelne Städte und Gemeinden, "
            "nicht beides."
        ]
    }
    assert refusal(consultation, neither) == {
        "municipalities": ["Wählen Sie mindestens eine Stadt oder Gemeinde."]
    }


def test_only_a_measure_can_belong_to_a_goal(consultation, field):
    goal = ProposalFactory(consultation=consultation, handlungsfeld=field, kind="goal")

    assert refusal(consultation, valid(field, kind="goal", goal=goal)) == {
        "goal": ["Nur eine Maßnahme kann zu einem Ziel gehören."]
    }


def test_a_measure_belongs_to_a_goal_of_its_consultation_and_handlungsfeld(consultation, field):
    goal = ProposalFactory(consultation=consultation, handlungsfeld=field, kind="goal")

    assert services.validate_proposal_data(consultation=consultation, data=valid(field, goal=goal))


@pytest.mark.parametrize("wrong", ["other_consultation", "not_a_goal", "itself"])
def test_a_measure_cannot_belong_to_anything_but_a_goal_of_this_consultation(
    consultation, field, wrong
):
    if wrong == "other_consultation":
        goal = ProposalFactory(consultation=open_consultation(), handlungsfeld=field, kind="goal")
    else:
        goal = ProposalFactory(
            consultation=consultation,
            handlungsfeld=field,
            kind="goal" if wrong == "itself" else "measure",
        )
    instance = goal if wrong == "itself" else None

    assert refusal(consultation, valid(field, goal=goal), instance=instance) == {
        "goal": ["Wählen Sie ein Ziel dieses Beteiligungsverfahrens."]
    }


def test_a_measure_editing_itself_may_keep_another_goal(consultation, field):
    goal = ProposalFactory(consultation=consultation, handlungsfeld=field, kind="goal")
    measure = ProposalFactory(consultation=consultation, handlungsfeld=field)

    assert services.validate_proposal_data(
        consultation=consultation, data=valid(field, goal=goal), instance=measure
    )


def test_the_goal_must_be_of_the_same_handlungsfeld(consultation, field):
    goal = ProposalFactory(consultation=consultation, kind="goal")

    assert refusal(consultation, valid(field, goal=goal)) == {
        "goal": [
            "Das Ziel gehört zu einem anderen Handlungsfeld. "
            "Wählen Sie ein Ziel desselben Handlungsfelds."
        ]
    }


def test_the_forum_event_and_thread_it_came_from_belong_to_this_consultation(consultation, field):
    own_event = ForumEventFactory(consultation=consultation)
    own_thread = ThreadFactory(forum=ForumFactory(consultation=consultation))
    other_event = ForumEventFactory()
    other_thread = ThreadFactory()

    assert services.validate_proposal_data(
        consultation=consultation,
        data=valid(field, source_event=own_event, source_thread=own_thread),
    )
    assert refusal(
        consultation, valid(field, source_event=other_event, source_thread=other_thread)
    ) == {
        "source_event": ["Wählen Sie eine Forumsveranstaltung dieses Beteiligungsverfahrens."],
        "source_thread": ["Wählen Sie eine Forumsdiskussion dieses Beteiligungsverfahrens."],
    }


def test_an_empty_body_is_refused_and_windows_line_ends_are_unified(consultation, field):
    assert refusal(consultation, valid(field, body="")) == {
        "body": ["Bitte beschreiben Sie Ihren Vorschlag."]
    }

    data = valid(field, body="Erstens\r\nZeile\r\n\r\nZweitens\r\n")
    body = services.validate_proposal_data(consultation=consultation, data=data)

    assert body == "<p>Erstens<br>Zeile</p><p>Zweitens</p>"
    assert data.model_fields(body=body)["body_source"] == "Erstens\nZeile\n\nZweitens"
