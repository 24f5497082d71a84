"""The coordination office edits a submitted assessment before approving it (recorded), and a
department's unsubmitted draft is labelled as a draft on the case page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from consultations.review import amendments, services
from consultations.review.models import (
    Assessment,
    AssessmentChange,
    AssessmentChangeKind,
    AssessmentRevision,
    ReviewCase,
    ReviewEvent,
    ReviewState,
)

from .factories import ResidentFactory
from .test_corrections import People, case_in
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return People()


def edited(**changes):
    data = dict(COMPLETE, revised_title="", revised_body="")
    data.update(changes)
    return data


def test_the_office_edits_a_submitted_assessment_and_the_edit_is_recorded(people):
    case = case_in("assessed", people)

    change = amendments.assessment_edit_by_office(
        case=case,
        actor=people.office,
        data=edited(
            cost_estimate="ca. 35.000 € pro Jahr",
            internal_note="Mit Kämmerei abgestimmt.",
            revised_title="Elternkurse mit Kinderbetreuung ausbauen",
        ),
        comment="  Kosten nach Rücksprache angepasst  ",
    )

    assessment = Assessment.objects.get(proposal=case.proposal)
    assert assessment.cost_estimate == "ca. 35.000 € pro Jahr"
    assert assessment.internal_note == "Mit Kämmerei abgestimmt."
    assert assessment.assessed_by == people.reviewer  # still the department's assessment
    change.refresh_from_db()
    assert (change.kind, change.changed_by, change.reason, change.outcome_changed) == (
        AssessmentChangeKind.OFFICE_EDIT,
        people.office,
        "Kosten nach Rücksprache angepasst",
        False,
    )
    assert change.before["internal_note"] == COMPLETE["internal_note"]
    assert change.after["internal_note"] == "Mit Kämmerei abgestimmt."
    revision = AssessmentRevision.objects.get(assessment=assessment)
    assert (revision.author, revision.revised_title) == (
        people.office,
        "Elternkurse mit Kinderbetreuung ausbauen",
    )
    event = ReviewEvent.objects.filter(case=case).order_by("-pk").first()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "edited_by_office",
        people.office,
        "assessed",
        "assessed",
    )
    assert event.action_label == "Von der Koordinierungsstelle bearbeitet"
    assert event.comment == (
        "Geändert: Kostenschätzung, interne Notiz, überarbeiteter Titel\n"
        "Kosten nach Rücksprache angepasst"
    )
    case.refresh_from_db()
    assert case.state == ReviewState.ASSESSED
    services.case_approve(case=case, actor=people.office)  # and then approves as usual
    assert ReviewCase.objects.get(pk=case.pk).state == ReviewState.APPROVED


def test_an_edit_without_a_note_records_only_what_changed(people):
    case = case_in("assessed", people)
    change = amendments.assessment_edit_by_office(
        case=case, actor=people.office, data=edited(feasibility="partly")
    )
    assert change.reason == "" and change.outcome_changed is True
    event = ReviewEvent.objects.filter(case=case).order_by("-pk").first()
    assert event.comment == "Geändert: Umsetzbarkeit"
    with translation.override("en"):
        assert event.action_label == "Edited by the coordination office"


@pytest.mark.parametrize(
    ("state", "label"),
    [("in_review", "In Prüfung"), ("approved", "Freigegeben"), ("published", "Veröffentlicht")],
)
def test_the_office_edits_only_while_the_case_is_assessed(people, state, label):
    case = case_in(state, people)
    with pytest.raises(ValidationError) as refused:
        amendments.assessment_edit_by_office(
            case=case, actor=people.office, data=edited(feasibility="partly")
        )
    assert refused.value.messages == [
        "Die Koordinierungsstelle kann eine Einschätzung nur bearbeiten, nachdem der Fachbereich "
        f"sie eingereicht hat und bevor sie freigegeben ist (jetzt: „{label}“)."
    ]
    assert refused.value.code == "not_editable"
    assert not AssessmentChange.objects.exists()


def test_the_edit_refusal_in_english_and_for_a_proposal_without_a_case(people):
    with translation.override("en"):
        assert amendments.office_edit_refusal(case_in("approved", people)) == (
            "The coordination office can only edit an assessment after the department has "
            "submitted it and before it is approved (now: “Approved”)."
        )
        assert amendments.office_edit_refusal(None) == (
            "The coordination office can only edit an assessment after the department has "
            "submitted it and before it is approved (now: “New”)."
        )
    assert amendments.office_edit_refusal(case_in("assessed", people)) is None


def test_an_edit_that_changes_nothing_and_an_incomplete_one_are_refused(people):
    case = case_in("assessed", people)
    with pytest.raises(ValidationError) as unchanged:
        amendments.assessment_edit_by_office(case=case, actor=people.office, data=edited())
    assert unchanged.value.messages == [
        "Es wurde nichts geändert. Ändern Sie mindestens ein Feld oder brechen Sie ab."
    ]
    with pytest.raises(ValidationError) as incomplete:
        amendments.assessment_edit_by_office(
            case=case, actor=people.office, data=edited(public_rationale="")
        )
    assert incomplete.value.message_dict == {
        "public_rationale": ["Begründen Sie die Einschätzung für die Öffentlichkeit."]
    }
    assert (
        Assessment.objects.get(proposal=case.proposal).public_rationale
        == (COMPLETE["public_rationale"])
    )
    assert not AssessmentChange.objects.exists()


def test_reviewers_and_residents_cannot_edit_for_the_office(people):
    case = case_in("assessed", people)
    for person in (people.reviewer, ResidentFactory()):
        with pytest.raises(PermissionDenied):
            amendments.assessment_edit_by_office(
                case=case, actor=person, data=edited(feasibility="partly")
            )
    assert not AssessmentChange.objects.exists()


def test_the_office_edits_through_the_case_page(client, people):
    case = case_in("assessed", people)
    case_url = reverse("review:case", kwargs={"proposal_id": case.proposal_id})
    url = reverse("review:office_edit", kwargs={"proposal_id": case.proposal_id})
    client.force_login(people.office)
    assert url in client.get(case_url).content.decode()
    form = client.get(url).content.decode()
    assert 'name="internal_note"' in form and 'name="comment"' in form

    post = {
        "feasibility": "partly",
        "responsibility": ["region"],
        "public_rationale": "",
        "internal_note": "Neu",
        "cost_estimate": "",
        "time_frame": "",
        "revised_title": "",
        "revised_body": "",
        "comment": "Nach Fachgespräch",
    }
    refused = client.post(url, post)
    assert refused.status_code == 400
    assert "Nach Fachgespräch" in refused.content.decode()  # what was typed is kept
    done = client.post(url, {**post, "public_rationale": "Teilweise: nur die Region."})
    assert done.status_code == 302
    page = client.get(case_url).content.decode()
    assert "Ihre Änderungen an der Einschätzung wurden gespeichert" in page
    assert "Von der Koordinierungsstelle bearbeitet" in page
    assert "Änderungen durch die Koordinierungsstelle" in page
    assert (
        "<dt>Umsetzbarkeit</dt>\n"
        '            <dd><span class="review-change-before">Vorher: Umsetzbar</span><br>'
        '<span class="review-change-after">Nachher: Teilweise umsetzbar</span></dd>'
    ) in page
    assert "<dt>Öffentliche Begründung</dt>" in page


def test_the_office_edit_page_is_closed_to_reviewers_and_after_approval(client, people):
    case = case_in("assessed", people)
    url = reverse("review:office_edit", kwargs={"proposal_id": case.proposal_id})
    client.force_login(people.reviewer)
    assert client.get(url).status_code == 403
    assert (
        url
        not in client.get(
            reverse("review:case", kwargs={"proposal_id": case.proposal_id})
        ).content.decode()
    )

    services.case_approve(case=case, actor=people.office)
    client.force_login(people.office)
    response = client.get(url)
    assert response.status_code == 302
    assert "(jetzt: „Freigegeben“)" in client.get(response.url).content.decode()


# --- Drafts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "draft"),
    [
        ("new", False),
        ("assigned", True),
        ("in_review", True),
        ("returned", True),
        ("assessed", False),
        ("approved", False),
        ("published", False),
    ],
)
def test_which_states_hold_a_draft(state, draft):
    assert ReviewCase(state=state).assessment_is_draft is draft


def test_an_unsubmitted_draft_is_labelled_on_the_case_page_until_it_is_submitted(client, people):
    case = case_in("in_review", people)
    services.assessment_save(case=case, actor=people.reviewer, data=COMPLETE)
    url = reverse("review:case", kwargs={"proposal_id": case.proposal_id})
    badge = '<span class="badge review-draft">Entwurf</span>'
    for person in (people.office, people.reviewer):
        client.force_login(person)
        content = client.get(url).content.decode()
        assert badge in content
        assert "Entwurf: Team Bildung hat diese Einschätzung noch nicht eingereicht." in content
        assert COMPLETE["public_rationale"] in content

    form_page = client.get(reverse("review:assessment", kwargs={"proposal_id": case.proposal_id}))
    assert badge in form_page.content.decode()

    services.assessment_save(case=case, actor=people.reviewer, data=COMPLETE, submit=True)
    assert badge not in client.get(url).content.decode()

    services.case_return(
        case=ReviewCase.objects.get(pk=case.pk), actor=people.office, comment="Kosten?"
    )
    services.review_start(case=ReviewCase.objects.get(pk=case.pk), actor=people.reviewer)
    assert badge in client.get(url).content.decode()  # back with the department: a draft again
    with translation.override("en"):
        english = client.get(reverse("review:case", kwargs={"proposal_id": case.proposal_id}))
    assert '<span class="badge review-draft">Draft</span>' in english.content.decode()


# --- The history row ---------------------------------------------------------------------------


def test_a_change_says_what_it_altered_as_displayed():
    change = AssessmentChange(
        assessment_id=7,
        kind=AssessmentChangeKind.CORRECTION,
        changed_at=datetime(2016, 3, 4, tzinfo=UTC),
        before={
            "feasibility": "",
            "responsibility": ["region", "unknown"],
            "cost_estimate": "",
            "time_frame": "ab 2016",
            "public_rationale": "gleich",
        },
        after={
            "feasibility": "partly",
            "responsibility": [],
            "cost_estimate": "ca. 5.000 €",
            "time_frame": "",
            "public_rationale": "gleich",
        },
    )
    assert str(change) == "7: correction 2016-03-04"
    assert change.differences() == [
        ("Umsetzbarkeit", "–", "Teilweise umsetzbar"),
        ("Zuständigkeit", "Region, unknown", "–"),
        ("Kostenschätzung", "–", "ca. 5.000 €"),
        ("Zeitrahmen", "ab 2016", "–"),
    ]
    change.after["feasibility"] = "odd"
    assert change.differences()[0] == ("Umsetzbarkeit", "–", "odd")
