"""Merge traces on both proposals, and a bulk publication that publishes what it can and names
each proposal it left out with the reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from consultations.models import ProposalStatus
from consultations.review import services
from consultations.review.models import Assessment, ReviewCase, ReviewEvent, ReviewState

from .factories import (
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
)
from .test_corrections import People, case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


# --- Merge traces ------------------------------------------------------------------------------


def test_merging_into_a_primary_without_a_case_opens_one_that_carries_the_history():
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse")
    first = ProposalFactory(consultation=primary.consultation, title="Kurse A")
    second = ProposalFactory(consultation=primary.consultation, title="Kurse B")
    assert not ReviewCase.objects.filter(proposal=primary).exists()

    services.proposals_merge(primary=primary, duplicates=[second, first], actor=office)

    case = ReviewCase.objects.get(proposal=primary)
    assert (case.state, case.lead_department, case.closed_at) == (ReviewState.NEW, None, None)
    events = [
        (event.action, event.from_state, event.to_state, event.comment, event.actor)
        for event in ReviewEvent.objects.filter(case=case).order_by("pk")
    ]
    assert events == [
        ("created", "", "new", "", office),
        ("merge_primary", "new", "new", "Kurse A; Kurse B", office),
    ]
    # the new case stays in the inbox, untriaged, and can be assigned as usual
    assert case.proposal.review_refusal() is None


def test_a_second_merge_adds_to_the_primarys_history_without_opening_it_again():
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse")
    first = ProposalFactory(consultation=primary.consultation, title="Kurse A")
    second = ProposalFactory(consultation=primary.consultation, title="Kurse B")
    services.proposals_merge(primary=primary, duplicates=[first], actor=office)
    services.proposals_merge(primary=primary, duplicates=[second], actor=office)

    case = ReviewCase.objects.get(proposal=primary)
    assert [(event.action, event.comment) for event in case.events.order_by("pk")] == [
        ("created", ""),
        ("merge_primary", "Kurse A"),
        ("merge_primary", "Kurse B"),
    ]


def test_a_primary_with_a_case_gets_no_second_opening_event():
    office = coordination_office_user()
    primary_case = ReviewCaseFactory(proposal=ProposalFactory(title="Sprachkurse"))
    duplicate = ProposalFactory(consultation=primary_case.proposal.consultation, title="Kurse A")
    services.proposals_merge(primary=primary_case.proposal, duplicates=[duplicate], actor=office)
    assert [event.action for event in primary_case.events.all()] == ["merge_primary"]
    assert ReviewCase.objects.get(pk=primary_case.pk).state == ReviewState.ASSIGNED


def test_the_primarys_case_page_shows_the_merge_and_the_duplicate_page_says_where_it_went(client):
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse mit Kinderbetreuung")
    duplicate = ProposalFactory(
        consultation=primary.consultation, title="Sprachkurse mit Kinderbetreuung anbieten"
    )
    services.proposals_merge(primary=primary, duplicates=[duplicate], actor=office)
    client.force_login(office)
    content = client.get(
        reverse("review:case", kwargs={"proposal_id": primary.pk})
    ).content.decode()
    assert "<strong>Doppelte Vorschläge in diesen Vorschlag zusammengeführt</strong>" in content
    assert f'<p class="review-rationale">{duplicate.title}</p>' in content
    duplicate_case = client.get(
        reverse("review:case", kwargs={"proposal_id": duplicate.pk})
    ).content.decode()
    assert "Dieser Vorschlag wurde mit „Sprachkurse mit Kinderbetreuung“ zusammengeführt." in (
        duplicate_case
    )


def test_the_public_pages_link_primary_and_merged_proposals_both_ways(client):
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse mit Kinderbetreuung")
    primary.consultation.is_published = True
    primary.consultation.save(update_fields=["is_published"])
    first = ProposalFactory(consultation=primary.consultation, title="Kurse für Eltern")
    second = ProposalFactory(consultation=primary.consultation, title="Elternkurse am Abend")
    hidden = ProposalFactory(consultation=primary.consultation, title="Verstecktes Duplikat")
    services.proposals_merge(primary=primary, duplicates=[first, second, hidden], actor=office)
    type(hidden).objects.filter(pk=hidden.pk).update(is_hidden=True)
    slug = primary.consultation.slug

    def url(proposal):
        return reverse("consultations:proposal_detail", args=[slug, proposal.pk])

    page = client.get(url(primary)).content.decode()
    assert 'id="merged-proposals-heading"' in page
    assert "In diesen Vorschlag zusammengeführte Vorschläge" in page
    assert (
        "Die Koordinierungsstelle hat diese 2 ähnlichen Vorschläge mit diesem zusammengeführt"
        in page
    )
    assert f'<a href="{url(first)}">Kurse für Eltern</a>' in page
    assert f'<a href="{url(second)}">Elternkurse am Abend</a>' in page
    assert "Verstecktes Duplikat" not in page
    assert 'id="public-assessment-heading"' not in page  # nothing assessed yet

    duplicate_page = client.get(url(first)).content.decode()
    assert "Dieser Vorschlag wurde zusammengeführt mit:" in duplicate_page
    assert f'<a href="{url(primary)}">Sprachkurse mit Kinderbetreuung</a>' in duplicate_page
    assert 'id="merged-proposals-heading"' not in duplicate_page


def test_one_merged_proposal_is_announced_in_the_singular(client):
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse")
    primary.consultation.is_published = True
    primary.consultation.save(update_fields=["is_published"])
    services.proposals_merge(
        primary=primary,
        duplicates=[ProposalFactory(consultation=primary.consultation, title="Kurse")],
        actor=office,
    )
    page = client.get(
        reverse("consultations:proposal_detail", args=[primary.consultation.slug, primary.pk])
    ).content.decode()
    assert (
        "Die Koordinierungsstelle hat einen ähnlichen Vorschlag mit diesem zusammengeführt" in page
    )


def test_a_proposal_page_with_many_merged_proposals_needs_no_more_queries(
    client, django_assert_num_queries
):
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse")
    primary.consultation.is_published = True
    primary.consultation.save(update_fields=["is_published"])
    url = reverse("consultations:proposal_detail", args=[primary.consultation.slug, primary.pk])
    services.proposals_merge(
        primary=primary,
        duplicates=[ProposalFactory(consultation=primary.consultation)],
        actor=office,
    )
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    services.proposals_merge(
        primary=primary,
        duplicates=[ProposalFactory(consultation=primary.consultation) for _ in range(5)],
        actor=office,
    )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


# --- Bulk publication --------------------------------------------------------------------------


def test_a_mixed_selection_publishes_the_approved_and_names_each_other_with_its_reason(people):
    first, second = case_in("approved", people), case_in("approved", people)
    assessed = case_in("assessed", people)
    published = case_in("published", people)
    untriaged = ProposalFactory(title="Noch nicht zugewiesen")
    selection = [first.proposal, assessed.proposal, untriaged, second.proposal, published.proposal]

    outcome = services.proposals_publish(proposals=selection, actor=people.office)

    assert [case.pk for case in outcome.published] == [first.pk, second.pk]
    assert [(proposal.pk, reason) for proposal, reason in outcome.refused] == [
        (
            assessed.proposal_id,
            "Veröffentlicht werden kann nur eine freigegebene Einschätzung (jetzt: „Eingeschätzt“).",
        ),
        (
            untriaged.pk,
            "Die Prüfung hat noch nicht begonnen; veröffentlicht werden kann nur eine "
            "freigegebene Einschätzung.",
        ),
        (
            published.proposal_id,
            "Veröffentlicht werden kann nur eine freigegebene Einschätzung (jetzt: „Veröffentlicht“).",
        ),
    ]
    for case in (first, second):
        case.refresh_from_db()
        case.proposal.refresh_from_db()
        assert case.state == ReviewState.PUBLISHED
        assert case.proposal.status == ProposalStatus.ACCEPTED
    times = {
        Assessment.objects.get(proposal_id=case.proposal_id).published_at
        for case in (first, second)
    }
    assert len(times) == 1 and None not in times
    assessed.refresh_from_db()
    assert assessed.state == ReviewState.ASSESSED
    assert Assessment.objects.get(proposal=assessed.proposal).published_at is None
    assert not ReviewCase.objects.filter(proposal=untriaged).exists()


def test_the_publication_refusals_in_english(people):
    with translation.override("en"):
        assert services.publication_refusal(None) == (
            "Its review has not started yet; only an approved assessment can be published."
        )
        assert services.publication_refusal(case_in("in_review", people)) == (
            "Only an approved assessment can be published (now: “In review”)."
        )
    assert services.publication_refusal(case_in("approved", people)) is None


def test_a_case_refused_while_publishing_leaves_the_others_published(people):
    first, troubled, last = (case_in("approved", people) for _ in range(3))

    def refuse(case, *, actor):
        if case.pk == troubled.pk:
            raise ValidationError(["Das Konzept ist gesperrt.", "Bitte später erneut."])

    with hooks.register_temporarily(services.CASE_PUBLISHED_HOOK, refuse):
        outcome = services.proposals_publish(
            proposals=[first.proposal, troubled.proposal, last.proposal], actor=people.office
        )

    assert [case.pk for case in outcome.published] == [first.pk, last.pk]
    assert [(proposal.pk, reason) for proposal, reason in outcome.refused] == [
        (troubled.proposal_id, "Das Konzept ist gesperrt. Bitte später erneut.")
    ]
    troubled.refresh_from_db()
    assert troubled.state == ReviewState.APPROVED
    assert not troubled.events.filter(action="publish").exists()
    assert Assessment.objects.get(proposal=troubled.proposal).published_at is None
    last.refresh_from_db()
    assert last.state == ReviewState.PUBLISHED


def test_bulk_publishing_nothing_or_by_someone_else_is_refused(people):
    approved = case_in("approved", people)
    with pytest.raises(ValidationError) as nothing:
        services.proposals_publish(proposals=[], actor=people.office)
    assert nothing.value.messages == ["Wählen Sie mindestens einen freigegebenen Vorschlag aus."]
    with pytest.raises(PermissionDenied):
        services.proposals_publish(proposals=[approved.proposal], actor=people.reviewer)
    approved.refresh_from_db()
    assert approved.state == ReviewState.APPROVED


def test_the_inbox_publishes_the_rest_and_says_which_proposal_was_left_out(client, people):
    good = case_in("approved", people)
    bad = case_in("assessed", people)
    client.force_login(people.office)
    response = client.post(
        reverse("review:triage"),
        {"action": "publish", "proposal": [good.proposal_id, bad.proposal_id]},
        follow=True,
    )
    assert response.redirect_chain and response.status_code == 200
    content = response.content.decode()
    assert "1 Einschätzung veröffentlicht." in content
    assert (
        f"„{bad.proposal.title}“ (Nr. {bad.proposal_id}) wurde nicht veröffentlicht: "
        "Veröffentlicht werden kann nur eine freigegebene Einschätzung (jetzt: „Eingeschätzt“)."
    ) in content
    assert ReviewCase.objects.get(pk=good.pk).state == ReviewState.PUBLISHED


def test_the_inbox_keeps_the_selection_when_nothing_could_be_published(client, people):
    bad = case_in("assessed", people)
    client.force_login(people.office)
    response = client.post(
        reverse("review:triage"), {"action": "publish", "proposal": [bad.proposal_id]}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert f"„{bad.proposal.title}“ (Nr. {bad.proposal_id}) wurde nicht veröffentlicht" in content
    assert "Einschätzung veröffentlicht." not in content
    assert ReviewCase.objects.get(pk=bad.pk).state == ReviewState.ASSESSED
    with translation.override("en"):
        english = client.post(
            reverse("review:triage"), {"action": "publish", "proposal": [bad.proposal_id]}
        ).content.decode()
    assert (
        f"“{bad.proposal.title}” (no. {bad.proposal_id}) was not published: Only an approved "
        "assessment can be published (now: “Assessed”)."
    ) in english
