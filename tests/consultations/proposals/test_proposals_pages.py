"""Browsing: list with filters, search, sorting, pagination; detail page; fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Proposal, ProposalKind, ProposalStatus
from tests.consultations.factories import (
    HandlungsfeldFactory,
    MunicipalityFactory,
    ProposalFactory,
    ResidentFactory,
    SupportFactory,
    coordination_office_user,
    open_consultation,
)

pytestmark = pytest.mark.django_db


def list_url(consultation, **kwargs):
    return reverse("consultations:proposal_list", args=[consultation.slug])


def test_visitor_sees_the_list_with_count_and_markers(client):
    consultation = open_consultation()
    field = HandlungsfeldFactory(name="Bildung und Sprache", slug="bildung")
    ProposalFactory(consultation=consultation, handlungsfeld=field, title="Sprachcafés in Laatzen")
    ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        title="Zurückgezogene Idee",
        status=ProposalStatus.WITHDRAWN,
    )
    ProposalFactory(
        consultation=consultation, handlungsfeld=field, title="Versteckte Idee", is_hidden=True
    )

    response = client.get(list_url(consultation))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sprachcafés in Laatzen" in html
    assert "Zurückgezogene Idee" in html and "proposal-card--withdrawn" in html
    assert "Versteckte Idee" not in html
    assert response.context["result_count"] == 2


def test_coordination_office_sees_hidden_proposals_marked(client):
    consultation = open_consultation()
    ProposalFactory(consultation=consultation, title="Versteckte Idee", is_hidden=True)
    client.force_login(coordination_office_user())

    response = client.get(list_url(consultation))

    assert "Versteckte Idee" in response.content.decode()
    assert "proposal-card--hidden" in response.content.decode()


def test_filters_by_field_municipality_kind_status_and_assessment(client):
    consultation = open_consultation()
    education, work = HandlungsfeldFactory(slug="bildung"), HandlungsfeldFactory(slug="arbeit")
    laatzen = MunicipalityFactory(name="Laatzen", slug="laatzen")
    a = ProposalFactory(
        consultation=consultation, handlungsfeld=education, kind=ProposalKind.GOAL, title="Ziel A"
    )
    b = ProposalFactory(
        consultation=consultation,
        handlungsfeld=work,
        title="Maßnahme B",
        is_region_wide=False,
        status=ProposalStatus.ACCEPTED,
    )
    b.municipalities.add(laatzen)
    ProposalFactory(title="Andere Konsultation")

    def titles(**params):
        response = client.get(list_url(consultation), params)
        assert response.status_code == 200
        return {p.title for p in response.context["proposals"]}

    assert titles() == {"Ziel A", "Maßnahme B"}
    assert titles(handlungsfeld="bildung") == {"Ziel A"}
    assert titles(municipality="laatzen") == {"Maßnahme B"}
    assert titles(kind="goal") == {"Ziel A"}
    assert titles(status="accepted") == {"Maßnahme B"}
    assert titles(assessed="yes") == {"Maßnahme B"}
    assert titles(assessed="no") == {"Ziel A"}
    field_page = client.get(
        reverse("consultations:proposal_list_field", args=[consultation.slug, "arbeit"])
    )
    assert {p.title for p in field_page.context["proposals"]} == {"Maßnahme B"}
    assert a.pk


def test_search_finds_all_terms_in_title_or_body(client):
    consultation = open_consultation()
    ProposalFactory(
        consultation=consultation, title="Sprachkurse am Abend", body="<p>für Berufstätige</p>"
    )
    ProposalFactory(
        consultation=consultation, title="Sprachkurse am Morgen", body="<p>für Eltern</p>"
    )

    response = client.get(list_url(consultation), {"q": "Sprachkurse Eltern"})

    assert [p.title for p in response.context["proposals"]] == ["Sprachkurse am Morgen"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming needs PostgreSQL")
def test_postgres_search_stems_german_words_and_ranks_title_matches_first(client):
    consultation = open_consultation()
    ProposalFactory(
        consultation=consultation, title="Beratung vor Ort", body="<p>Mehr Hilfe für Kinder</p>"
    )
    ProposalFactory(
        consultation=consultation, title="Spielgruppen für Kindern", body="<p>am Abend</p>"
    )
    ProposalFactory(consultation=consultation, title="Radwege", body="<p>sicherer</p>")

    response = client.get(list_url(consultation), {"q": "Kind", "sort": "relevance"})

    assert [p.title for p in response.context["proposals"]] == [
        "Spielgruppen für Kindern",
        "Beratung vor Ort",
    ]


def test_sorting_by_supports_and_comments(client):
    consultation = open_consultation()
    ProposalFactory(consultation=consultation, title="wenig", support_count=1, comment_count=9)
    ProposalFactory(consultation=consultation, title="viel", support_count=50, comment_count=0)

    by_supports = client.get(list_url(consultation), {"sort": "supports"}).context["proposals"]
    by_comments = client.get(list_url(consultation), {"sort": "comments"}).context["proposals"]

    assert [p.title for p in by_supports] == ["viel", "wenig"]
    assert [p.title for p in by_comments] == ["wenig", "viel"]


def test_pagination_twenty_per_page(client):
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    ProposalFactory.create_batch(25, consultation=consultation, handlungsfeld=field)

    first = client.get(list_url(consultation))
    second = client.get(list_url(consultation), {"page": 2})

    assert len(first.context["proposals"]) == 20
    assert len(second.context["proposals"]) == 5
    assert "25 proposals" in client.get("/en" + list_url(consultation)).content.decode()


def test_htmx_request_gets_only_the_results_with_the_count_for_screen_readers(client):
    consultation = open_consultation()
    ProposalFactory(consultation=consultation)

    response = client.get(list_url(consultation), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="proposal-results"' in html
    assert 'hx-swap-oob="true"' in html and 'aria-live="polite"' in html


def test_bad_filter_values_keep_the_page_working(client):
    consultation = open_consultation()
    ProposalFactory(consultation=consultation)

    response = client.get(
        list_url(consultation), {"kind": "nonsense", "page": "x", "municipality": "atlantis"}
    )

    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()


def test_unpublished_consultation_is_not_found_for_the_public(client):
    consultation = open_consultation()
    consultation.is_published = False
    consultation.save()

    assert client.get(list_url(consultation)).status_code == 404


def test_detail_shows_text_author_supports_status_and_goal_measures(client):
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    goal = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        kind=ProposalKind.GOAL,
        title="Mehr Teilhabe",
    )
    measure = ProposalFactory(
        consultation=consultation,
        handlungsfeld=field,
        goal=goal,
        title="Beiräte stärken",
        author=ResidentFactory(display_name="Ayşe K."),
    )
    SupportFactory(proposal=measure)
    measure.support_count = 1
    measure.save()

    goal_page = client.get(
        reverse("consultations:proposal_detail", args=[consultation.slug, goal.pk])
    )
    measure_page = client.get(
        reverse("consultations:proposal_detail", args=[consultation.slug, measure.pk])
    )

    assert "Beiräte stärken" in goal_page.content.decode()
    html = measure_page.content.decode()
    assert "Ayşe K." in html and "Mehr Teilhabe" in html
    assert "<strong>1</strong>" in html
    assert 'id="comments"' in html


def test_hidden_proposal_shows_the_reason_in_place_instead_of_the_text(client):
    consultation = open_consultation()
    proposal = ProposalFactory(
        consultation=consultation,
        is_hidden=True,
        hidden_reason="Beleidigung",
        body="<p>Geheimer Text</p>",
    )

    html = client.get(
        reverse("consultations:proposal_detail", args=[consultation.slug, proposal.pk])
    ).content.decode()

    assert "Beleidigung" in html
    assert "Geheimer Text" not in html


def test_proposal_of_another_consultation_is_not_found(client):
    consultation = open_consultation()
    other = ProposalFactory()

    assert (
        client.get(
            reverse("consultations:proposal_detail", args=[consultation.slug, other.pk])
        ).status_code
        == 404
    )


def test_detail_context_hooks_add_the_assessment(client):
    from wagtail import hooks

    from consultations.proposals import selectors

    consultation = open_consultation()
    proposal = ProposalFactory(consultation=consultation)

    def provider(p, request):
        return {"public_assessment": f"Umsetzbar: {p.title}"}

    with hooks.register_temporarily(selectors.DETAIL_CONTEXT_HOOK, provider):
        html = client.get(
            reverse("consultations:proposal_detail", args=[consultation.slug, proposal.pk])
        ).content.decode()
    assert f"Umsetzbar: {proposal.title}" in html


def _list_queries(client, size):
    consultation = open_consultation()
    field = HandlungsfeldFactory()
    town = MunicipalityFactory()
    user = ResidentFactory()
    for proposal in ProposalFactory.create_batch(
        size, consultation=consultation, handlungsfeld=field, is_region_wide=False
    ):
        proposal.municipalities.add(town)
        SupportFactory(proposal=proposal, user=user)
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            list_url(consultation),
            {"sort": "supports", "handlungsfeld": field.slug, "q": "Sprachkurse"},
        )
    assert response.status_code == 200
    assert len(response.context["proposals"]) == min(size, 20)
    return len(captured)


def _warm_content_types() -> None:
    """The follow button names its thing by content type, which Django reads once per
    process; counting the steady state, not the first request after start."""
    from django.contrib.contenttypes.models import ContentType

    from foundation.models import Consultation

    ContentType.objects.get_for_models(Consultation, Proposal)


def test_list_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries):
    _warm_content_types()
    small, large = _list_queries(client, 5), _list_queries(client, 50)

    assert small == large
    assert (
        large <= 22
    )  # 9 of them are the site layout (session, user, menus, notifications, staff links)


def _detail_queries(client, size):
    consultation = open_consultation(priority_points=5)
    field = HandlungsfeldFactory()
    goal = ProposalFactory(consultation=consultation, handlungsfeld=field, kind=ProposalKind.GOAL)
    for measure in ProposalFactory.create_batch(
        size, consultation=consultation, handlungsfeld=field, goal=goal
    ):
        SupportFactory(proposal=goal)
        measure.municipalities.add(MunicipalityFactory())
    client.force_login(ResidentFactory())
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            reverse("consultations:proposal_detail", args=[consultation.slug, goal.pk])
        )
    assert response.status_code == 200
    assert len(response.context["measures"]) == size
    return len(captured)


def test_detail_query_count_does_not_grow_with_the_data(client):
    _warm_content_types()
    small, large = _detail_queries(client, 5), _detail_queries(client, 50)

    assert small == large
    assert large <= 26
