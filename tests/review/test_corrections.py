"""Correcting a published assessment: who may, what is refused, what the public page shows,
and who is told (once per correction, only when the outcome changed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from consultations.models import ProposalStatus
from consultations.review import amendments, services
from consultations.review.models import (
    Assessment,
    AssessmentChange,
    AssessmentChangeKind,
    AssessmentRevision,
    Feasibility,
    ReviewEvent,
)
from foundation.models import Notification, OutboxMessage

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ResidentFactory,
    coordination_office_user,
    reviewer_of,
    support,
)
from .test_workflow import COMPLETE

pytestmark = pytest.mark.django_db

REASON = "Zuständigkeit nach Rücksprache mit der Kommune berichtigt"


class People:
    def __init__(self) -> None:
        self.office = coordination_office_user()
        self.department = DepartmentFactory(name="Team Bildung")
        self.reviewer = reviewer_of(self.department)


@pytest.fixture
def people():
    return People()


def case_in(state: str, people: People, **proposal_fields):
    proposal = ProposalFactory(**proposal_fields)
    proposal.consultation.is_published = True
    proposal.consultation.save(update_fields=["is_published"])
    (case,) = services.cases_assign(
        proposals=[proposal], lead_department=people.department, due_on=None, actor=people.office
    )
    services.review_start(case=case, actor=people.reviewer)
    if state != "in_review":
        services.assessment_save(case=case, actor=people.reviewer, data=COMPLETE, submit=True)
    if state not in ("in_review", "assessed"):
        services.case_approve(case=case, actor=people.office)
    if state == "published":
        services.cases_publish(cases=[case], actor=people.office)
    case.refresh_from_db()
    assert case.state == state
    return case


def public_data(**changes):
    data = {name: COMPLETE.get(name, "") for name in amendments.CORRECTABLE_FIELDS}
    data.update(changes)
    return data


def link_in(body: str) -> str:
    links = [line for line in body.splitlines() if line.startswith(settings.SITE_URL)]
    assert links, body
    return links[0].removeprefix(settings.SITE_URL)


# --- The correction itself -------------------------------------------------------------------


def test_a_correction_changes_the_text_keeps_the_history_and_records_an_event(people):
    case = case_in("published", people)
    published_at = Assessment.objects.get(proposal=case.proposal).published_at

    change = amendments.assessment_correct(
        case=case,
        actor=people.office,
        data=public_data(
            responsibility=["region"],
            public_rationale="Die Region ist allein zuständig.",
            revised_title="Elternkurse ausbauen",
        ),
        reason=f"  {REASON}  ",
    )

    assessment = Assessment.objects.get(proposal=case.proposal)
    assert assessment.responsibility == ["region"]
    assert assessment.public_rationale == "Die Region ist allein zuständig."
    assert assessment.published_at == published_at  # still published, on the same day
    assert assessment.internal_note == COMPLETE["internal_note"]  # never touched
    change.refresh_from_db()
    assert change.kind == AssessmentChangeKind.CORRECTION
    assert change.changed_by == people.office
    assert change.reason == REASON
    assert change.outcome_changed is True
    assert change.before["responsibility"] == ["region", "municipality"]
    assert change.after["responsibility"] == ["region"]
    assert change.before["public_rationale"] == COMPLETE["public_rationale"]
    assert change.after["revised_title"] == "Elternkurse ausbauen"
    assert "internal_note" not in change.after
    revision = AssessmentRevision.objects.get(assessment=assessment)
    assert (revision.revised_title, revision.author) == ("Elternkurse ausbauen", people.office)

    event = ReviewEvent.objects.filter(case=case).order_by("-pk").first()
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "corrected",
        people.office,
        "published",
        "published",
    )
    assert event.action_label == "Veröffentlichte Einschätzung korrigiert"
    assert event.comment == (
        f"Geändert: Zuständigkeit, öffentliche Begründung, überarbeiteter Titel\n{REASON}"
    )
    with translation.override("en"):
        assert change.differences() == [
            ("responsibility", "Region, Municipality (Kommune)", "Region"),
            ("public rationale", COMPLETE["public_rationale"], "Die Region ist allein zuständig."),
            ("revised title", "–", "Elternkurse ausbauen"),
        ]


def test_a_changed_feasibility_changes_the_proposal_status(people):
    case = case_in("published", people)
    amendments.assessment_correct(
        case=case,
        actor=people.office,
        data=public_data(feasibility=Feasibility.PARTLY),
        reason=REASON,
    )
    case.proposal.refresh_from_db()
    assert case.proposal.status == ProposalStatus.PARTLY_ACCEPTED


def test_other_apps_hear_of_a_correction_inside_its_transaction(people):
    case = case_in("published", people)
    heard = []

    def listener(change, *, actor):
        heard.append((change.pk, change.after["feasibility"], actor))
        case.proposal.refresh_from_db()
        heard.append(case.proposal.status)

    with hooks.register_temporarily(amendments.ASSESSMENT_CORRECTED_HOOK, listener):
        change = amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="partly"), reason=REASON
        )
    assert heard == [(change.pk, "partly", people.office), ProposalStatus.PARTLY_ACCEPTED]


def test_a_reworded_rationale_keeps_the_status(people):
    case = case_in("published", people)
    amendments.assessment_correct(
        case=case,
        actor=people.office,
        data=public_data(public_rationale="Neu formuliert: Die Region baut die Kurse aus."),
        reason="Tippfehler",
    )
    case.proposal.refresh_from_db()
    assert case.proposal.status == ProposalStatus.ACCEPTED


@pytest.mark.parametrize(
    ("state", "language", "message"),
    [
        ("approved", "de", "Nur eine veröffentlichte Einschätzung kann korrigiert werden."),
        ("assessed", "de", "Nur eine veröffentlichte Einschätzung kann korrigiert werden."),
        ("approved", "en", "Only a published assessment can be corrected."),
    ],
)
def test_only_a_published_assessment_can_be_corrected(people, state, language, message):
    case = case_in(state, people)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="partly"), reason=REASON
        )
    assert refused.value.messages == [message]
    assert refused.value.code == "not_published"
    assert not AssessmentChange.objects.exists()
    assert Assessment.objects.get(proposal=case.proposal).feasibility == Feasibility.FEASIBLE


def test_a_published_case_whose_assessment_lost_its_date_is_refused(people):
    case = case_in("published", people)
    assessment = Assessment.objects.get(proposal=case.proposal)
    assert amendments.correction_refusal(case, assessment) is None
    assert amendments.correction_refusal(None, assessment) is not None
    assert amendments.correction_refusal(case, None) is not None
    assessment.published_at = None
    assert (
        amendments.correction_refusal(case, assessment)
        == "Nur eine veröffentlichte Einschätzung kann korrigiert werden."
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Bitte geben Sie den Grund für die Korrektur an; er wird mit ihr veröffentlicht."),
        ("en", "Give the reason for the correction; it is published with it."),
    ],
)
def test_a_correction_needs_a_reason(people, language, message):
    case = case_in("published", people)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="partly"), reason="   "
        )
    assert refused.value.message_dict == {"reason": [message]}
    assert not AssessmentChange.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Es wurde nichts geändert. Ändern Sie mindestens ein Feld oder brechen Sie ab."),
        ("en", "Nothing was changed. Change at least one field or cancel."),
    ],
)
def test_a_correction_that_changes_nothing_is_refused(people, language, message):
    case = case_in("published", people)
    same = public_data(responsibility=["municipality", "region"])  # order does not count
    with translation.override(language), pytest.raises(ValidationError) as refused:
        amendments.assessment_correct(case=case, actor=people.office, data=same, reason=REASON)
    assert refused.value.messages == [message]
    assert refused.value.code == "unchanged"
    assert not AssessmentChange.objects.exists()
    assert not ReviewEvent.objects.filter(action="corrected").exists()


def test_a_correction_must_leave_a_complete_assessment(people):
    case = case_in("published", people)
    with pytest.raises(ValidationError) as refused:
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(responsibility=[]), reason=REASON
        )
    assert refused.value.message_dict == {
        "responsibility": ["Wählen Sie mindestens eine Zuständigkeit."]
    }
    assert Assessment.objects.get(proposal=case.proposal).responsibility == [
        "region",
        "municipality",
    ]


def test_reviewers_and_residents_cannot_correct(people):
    case = case_in("published", people)
    for person in (people.reviewer, ResidentFactory()):
        with pytest.raises(PermissionDenied) as refused:
            amendments.assessment_correct(
                case=case, actor=person, data=public_data(feasibility="partly"), reason=REASON
            )
        assert refused.value.args == ("Nur die Koordinierungsstelle darf dies tun.",)
    assert not AssessmentChange.objects.exists()


# --- Who is told ------------------------------------------------------------------------------


def test_a_changed_outcome_tells_author_and_supporters_once_with_a_link_to_the_proposal(
    client, people, django_capture_on_commit_callbacks
):
    case = case_in("published", people, title="Elternkurse mit Kinderbetreuung")
    proposal = case.proposal
    supporter = ResidentFactory()
    english = ResidentFactory(language="en")
    support(proposal, supporter)
    support(proposal, english)
    support(proposal, proposal.author)  # the author who also supports is told once
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change = amendments.assessment_correct(
            case=case,
            actor=people.office,
            data=public_data(feasibility=Feasibility.PARTLY, responsibility=["state"]),
            reason=REASON,
        )
    assert amendments.notify_correction(change_id=change.pk) == 3  # a second run sends nothing
    assert amendments.notify_correction(change_id=change.pk + 1000) == 0

    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert sorted(by_recipient) == sorted(
        [(proposal.author.email,), (supporter.email,), (english.email,)]
    )
    author_mail = by_recipient[(proposal.author.email,)]
    assert author_mail.subject == (
        "Die fachliche Einschätzung Ihres Vorschlags „Elternkurse mit Kinderbetreuung“ "
        "wurde korrigiert"
    )
    assert "Umsetzbarkeit: Umsetzbar → Teilweise umsetzbar" in author_mail.body
    assert "Zuständigkeit: Region, Kommune → Land" in author_mail.body
    assert f"Grund der Korrektur: {REASON}" in author_mail.body
    assert by_recipient[(supporter.email,)].subject == (
        "Die fachliche Einschätzung des von Ihnen unterstützten Vorschlags "
        "„Elternkurse mit Kinderbetreuung“ wurde korrigiert"
    )
    english_mail = by_recipient[(english.email,)]
    assert english_mail.subject == (
        "The assessment of the proposal “Elternkurse mit Kinderbetreuung” you support has been "
        "corrected"
    )
    assert "Feasibility: Feasible → Partly feasible" in english_mail.body
    assert "Reason for the correction: " + REASON in english_mail.body

    path = link_in(author_mail.body)
    assert path == reverse(
        "consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk]
    )
    page = client.get(path)
    assert page.status_code == 200 and page.context["proposal"].pk == proposal.pk
    assert Notification.objects.filter(kind="assessment_corrected").count() == 3
    assert Notification.objects.get(recipient=supporter, kind="assessment_corrected").url == path


def test_each_correction_that_changes_the_outcome_tells_again(
    people, django_capture_on_commit_callbacks
):
    case = case_in("published", people)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="partly"), reason="Eins"
        )
    with django_capture_on_commit_callbacks(execute=True):
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="feasible"), reason="Zwei"
        )
    to_author = [m for m in mail.outbox if m.to == [case.proposal.author.email]]
    assert len(to_author) == 2
    assert "Grund der Korrektur: Eins" in to_author[0].body
    assert "Grund der Korrektur: Zwei" in to_author[1].body


def test_a_reworded_rationale_cost_or_time_frame_tells_nobody(
    people, django_capture_on_commit_callbacks
):
    case = case_in("published", people)
    support(case.proposal, ResidentFactory())
    mail.outbox.clear()
    outbox_before = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        change = amendments.assessment_correct(
            case=case,
            actor=people.office,
            data=public_data(
                public_rationale="Klarer formuliert: Die Region baut die Kurse aus.",
                cost_estimate="ca. 45.000 € pro Jahr",
                time_frame="ab 2017",
                revised_body="Neu gefasst.",
            ),
            reason="Redaktionelle Korrektur",
        )
    assert change.outcome_changed is False
    assert OutboxMessage.objects.count() == outbox_before
    assert mail.outbox == []
    assert amendments.notify_correction(change_id=change.pk) == 0
    assert not Notification.objects.filter(kind="assessment_corrected").exists()


def test_the_outcome_is_feasibility_and_responsibility():
    before = {"feasibility": "feasible", "responsibility": ["region", "state"]}
    assert amendments.outcome_changed(before, {**before}) is False
    assert (
        amendments.outcome_changed(before, {**before, "responsibility": ["state", "region"]})
        is False
    )
    assert amendments.outcome_changed(before, {**before, "feasibility": "partly"}) is True
    assert amendments.outcome_changed(before, {**before, "responsibility": ["region"]}) is True
    assert amendments.outcome_changed(before, {**before, "public_rationale": "x"}) is False


def test_an_inactive_supporter_is_not_told(people, django_capture_on_commit_callbacks):
    case = case_in("published", people)
    gone = ResidentFactory(is_active=False)
    support(case.proposal, gone)
    with django_capture_on_commit_callbacks(execute=True):
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="partly"), reason=REASON
        )
    assert not Notification.objects.filter(recipient=gone).exists()
    assert all(message.to != [gone.email] for message in mail.outbox)


# --- The pages ------------------------------------------------------------------------------


def proposal_page(client, proposal) -> str:
    url = reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])
    return client.get(url).content.decode()


def test_the_public_page_shows_the_current_text_and_when_and_why_it_was_corrected(client, people):
    case = case_in("published", people)
    amendments.assessment_correct(
        case=case,
        actor=people.office,
        data=public_data(
            public_rationale="Die Region ist allein zuständig.", responsibility=["region"]
        ),
        reason=REASON,
    )
    change = AssessmentChange.objects.get()
    change.changed_at = datetime(2016, 3, 4, 10, 0, tzinfo=UTC)
    change.save(update_fields=["changed_at"])

    content = proposal_page(client, case.proposal)
    assert "Die Region ist allein zuständig." in content
    assert COMPLETE["public_rationale"] not in content
    assert f"korrigiert am 4. März 2016 ({REASON})" in content
    assert "Zuständigkeit</dt><dd>Region</dd>" in content
    assert COMPLETE["internal_note"] not in content
    with translation.override("en"):
        english = proposal_page(client, case.proposal)
    assert f"corrected on March 4, 2016 ({REASON})" in english


def test_an_uncorrected_page_says_nothing_about_corrections(client, people):
    case = case_in("published", people)
    content = proposal_page(client, case.proposal)
    assert "korrigiert am" not in content


def test_the_office_corrects_through_the_case_page_and_bad_input_is_kept(client, people):
    case = case_in("published", people)
    url = reverse("review:correct", kwargs={"proposal_id": case.proposal_id})
    client.force_login(people.office)
    case_page = client.get(reverse("review:case", kwargs={"proposal_id": case.proposal_id}))
    assert url in case_page.content.decode()

    form = client.get(url)
    assert form.status_code == 200
    assert 'name="internal_note"' not in form.content.decode()
    post = {
        "feasibility": "partly",
        "responsibility": ["region"],
        "public_rationale": "Nur teilweise: die Kinderbetreuung trägt die Kommune.",
        "cost_estimate": "",
        "time_frame": "",
        "revised_title": "",
        "revised_body": "",
        "reason": "",
    }
    refused = client.post(url, post)
    assert refused.status_code == 400
    content = refused.content.decode()
    assert "Bitte geben Sie den Grund für die Korrektur an" in content
    assert "Nur teilweise: die Kinderbetreuung trägt die Kommune." in content
    assert not AssessmentChange.objects.exists()

    done = client.post(url, {**post, "reason": REASON})
    assert done.status_code == 302
    change = AssessmentChange.objects.get()
    assert change.outcome_changed and change.reason == REASON
    history = client.get(done.url).content.decode()
    assert "Veröffentlichte Einschätzung korrigiert" in history
    assert "Teilweise umsetzbar" in history


def test_the_correction_page_refuses_an_unpublished_case_and_other_roles(client, people):
    approved = case_in("approved", people)
    client.force_login(people.office)
    response = client.get(reverse("review:correct", kwargs={"proposal_id": approved.proposal_id}))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Nur eine veröffentlichte Einschätzung kann korrigiert werden." in page
    assert reverse("review:correct", kwargs={"proposal_id": approved.proposal_id}) not in page

    published = case_in("published", people)
    url = reverse("review:correct", kwargs={"proposal_id": published.proposal_id})
    client.force_login(people.reviewer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON, "feasibility": "partly"}).status_code == 403
    client.force_login(ResidentFactory())
    assert client.get(url).status_code == 403
    assert not AssessmentChange.objects.exists()


def test_the_case_page_needs_as_many_queries_for_three_corrections_as_for_one(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = case_in("published", people)
    url = reverse("review:case", kwargs={"proposal_id": case.proposal_id})
    client.force_login(people.office)
    for number, feasibility in enumerate(("partly", "feasible", "partly")):
        amendments.assessment_correct(
            case=case,
            actor=people.office,
            data=public_data(feasibility=feasibility),
            reason=f"Korrektur {number}",
        )
        with CaptureQueriesContext(connection) as queries:
            content = client.get(url).content.decode()
        if number == 0:
            first = len(queries.captured_queries)
        assert len(queries.captured_queries) == first
    assert all(f"Korrektur {number}" in content for number in range(3))


def test_a_single_publication_stamps_the_assessment_and_the_status(people):
    case = case_in("approved", people)
    (published,) = services.cases_publish(cases=[case], actor=people.office)
    assessment = Assessment.objects.get(proposal=case.proposal)
    assert assessment.published_at is not None
    assert published.proposal.status == ProposalStatus.ACCEPTED
    assert published.state == "published"


def test_followers_hear_of_a_changed_outcome_as_news_and_of_a_rewording_nothing(
    client, people, django_capture_on_commit_callbacks
):
    from foundation import following
    from foundation.models import NewsFrequency

    case = case_in("published", people, title="Elternkurse am Abend")
    follower = ResidentFactory()
    following.follow(user=follower, target=case.proposal)
    following.set_frequencies(user=follower, chosen={"proposals": NewsFrequency.IMMEDIATE})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amendments.assessment_correct(
            case=case,
            actor=people.office,
            data=public_data(public_rationale="Nur umformuliert: Die Region baut Kurse aus."),
            reason="Tippfehler",
        )
    assert [m for m in mail.outbox if m.to == [follower.email]] == []

    with django_capture_on_commit_callbacks(execute=True):
        amendments.assessment_correct(
            case=case, actor=people.office, data=public_data(feasibility="partly"), reason=REASON
        )
    (message,) = [m for m in mail.outbox if m.to == [follower.email]]
    assert (
        f"Die fachliche Einschätzung zu „Elternkurse am Abend“ wurde korrigiert: {REASON}"
        in message.subject + message.body
    )
    path = link_in(message.body)
    assert client.get(path).context["proposal"].pk == case.proposal_id
    # the author is told directly, once, not a second time as a follower
    assert [m.to for m in mail.outbox].count([case.proposal.author.email]) == 1
