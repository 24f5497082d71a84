"""Merging duplicates keeps support counts exact and tells authors once; reminders once a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.models import Proposal, ProposalStatus, Support
from consultations.review import services
from consultations.review.models import ReviewCase, ReviewEvent, ReviewState
from consultations.review.selectors import duplicate_candidates
from foundation.models import Notification

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ReviewCaseFactory,
    UserFactory,
    coordination_office_user,
    reviewer_of,
    support,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return coordination_office_user()


def test_similar_titles_are_suggested_as_duplicates():
    primary = ProposalFactory(title="Sprachkurse für Eltern mit Kinderbetreuung")
    twin = ProposalFactory(
        title="Sprachkurse für Eltern mit Kinderbetreuung anbieten",
        consultation=primary.consultation,
        handlungsfeld=primary.handlungsfeld,
    )
    ProposalFactory(
        title="Radwege ausbauen",
        consultation=primary.consultation,
        handlungsfeld=primary.handlungsfeld,
    )
    found = [candidate.proposal for candidate in duplicate_candidates(primary)]
    assert found == [twin]


def test_merge_combines_supports_without_counting_anyone_twice(
    office, django_capture_on_commit_callbacks
):
    primary = ProposalFactory()
    first = ProposalFactory(consultation=primary.consultation, handlungsfeld=primary.handlungsfeld)
    second = ProposalFactory(consultation=primary.consultation, handlungsfeld=primary.handlungsfeld)
    both, only_primary, only_first, first_and_second = (UserFactory() for _ in range(4))
    for user in (both, only_primary):
        support(primary, user)
    for user in (both, only_first, first_and_second):
        support(first, user)
    support(second, first_and_second)

    with django_capture_on_commit_callbacks(execute=True):
        services.proposals_merge(primary=primary, duplicates=[first, second], actor=office)

    primary.refresh_from_db()
    assert primary.support_count == 4 == Support.objects.filter(proposal=primary).count()
    assert set(Support.objects.filter(proposal=primary).values_list("user_id", flat=True)) == {
        both.pk,
        only_primary.pk,
        only_first.pk,
        first_and_second.pk,
    }
    for duplicate in (first, second):
        duplicate.refresh_from_db()
        assert duplicate.merged_into == primary and duplicate.status == ProposalStatus.MERGED

    # Each author of a merged proposal is told exactly once, in the app and by e-mail.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.author.email, second.author.email]
    )
    assert Notification.objects.filter(kind="proposal_merged").count() == 2

    # Merging again is refused and sends nothing more.
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.proposals_merge(primary=primary, duplicates=[first], actor=office)
    assert len(mail.outbox) == 2


def test_merge_through_the_page_and_merged_proposals_leave_the_inbox(
    client, office, django_capture_on_commit_callbacks
):
    primary = ProposalFactory(title="Interkulturelle Schulungen für Verwaltung")
    twin = ProposalFactory(
        title="Interkulturelle Schulungen für die Verwaltung",
        consultation=primary.consultation,
        handlungsfeld=primary.handlungsfeld,
    )
    ReviewCaseFactory(proposal=twin)
    client.force_login(office)
    page = client.get(reverse("review:case", kwargs={"proposal_id": primary.pk})).content.decode()
    assert twin.title in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:merge", kwargs={"proposal_id": primary.pk}), {"duplicates": [twin.pk]}
        )
    assert response.status_code == 302
    assert ReviewEvent.objects.filter(case__proposal=twin, action="merged").exists()
    inbox = client.get(reverse("review:triage")).content.decode()
    assert twin.title not in inbox and primary.title in inbox


def test_merge_without_selection_keeps_the_page_and_says_why(client, office):
    primary = ProposalFactory(title="Beratung für Geflüchtete ausbauen")
    ProposalFactory(
        title="Beratung für Geflüchtete ausbauen!",
        consultation=primary.consultation,
        handlungsfeld=primary.handlungsfeld,
    )
    client.force_login(office)
    response = client.post(reverse("review:merge", kwargs={"proposal_id": primary.pk}), {})
    assert response.status_code == 400
    assert (
        "Wählen Sie" in response.content.decode()
        or "Select at least one" in response.content.decode()
    )


def test_overdue_reminders_go_to_the_department_once_per_day(django_capture_on_commit_callbacks):
    mailbox_department = DepartmentFactory(email="fb-soziales@example.org")
    member_department = DepartmentFactory()
    member = reviewer_of(member_department)
    yesterday = date.today() - timedelta(days=1)
    ReviewCaseFactory(lead_department=mailbox_department, due_on=yesterday)
    ReviewCaseFactory(
        lead_department=mailbox_department, due_on=yesterday, state=ReviewState.IN_REVIEW
    )
    ReviewCaseFactory(
        lead_department=member_department, due_on=yesterday, state=ReviewState.RETURNED
    )
    ReviewCaseFactory(
        lead_department=member_department, due_on=date.today() + timedelta(days=3)
    )  # not yet due
    ReviewCaseFactory(
        lead_department=DepartmentFactory(email="x@example.org"),
        due_on=yesterday,
        state=ReviewState.ASSESSED,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_overdue_reminders() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.send_overdue_reminders()  # the beat may fire twice: nothing more is sent
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["fb-soziales@example.org", member.email]
    )
    mailbox_mail = next(
        message for message in mail.outbox if message.to == ["fb-soziales@example.org"]
    )
    assert "2" in mailbox_mail.subject

    with django_capture_on_commit_callbacks(execute=True):
        services.send_overdue_reminders(today=date.today() + timedelta(days=1))
    assert len(mail.outbox) == 4  # the next day: one more each


def test_reminder_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["review-overdue-reminders"]
    assert entry["task"] == "review.tasks.send_overdue_reminders"
    assert entry["schedule"].hour == {settings.REVIEW_REMINDER_HOUR}
    from consultations.review.tasks import send_overdue_reminders

    assert send_overdue_reminders.run() == 0


def test_assignment_tells_the_department_once(office, django_capture_on_commit_callbacks):
    department = DepartmentFactory(email="fb-jugend@example.org")
    proposals = [ProposalFactory(), ProposalFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        services.cases_assign(
            proposals=proposals, lead_department=department, due_on=None, actor=office
        )
    to_department = [message for message in mail.outbox if message.to == ["fb-jugend@example.org"]]
    assert len(to_department) == 1
    assert all(proposal.title in to_department[0].body for proposal in proposals)
    # Besides, each author is told once that the proposal is now in review.
    assert sorted(
        message.to[0] for message in mail.outbox if message not in to_department
    ) == sorted(proposal.author.email for proposal in proposals)
    assert Proposal.objects.filter(status=ProposalStatus.IN_REVIEW).count() == 2
    assert ReviewCase.objects.filter(state=ReviewState.ASSIGNED).count() == 2


def test_each_sent_reminder_is_recorded_once_in_the_case_history(
    django_capture_on_commit_callbacks,
):
    from consultations.review.models import ReviewEvent

    department = DepartmentFactory(name="Fachbereich Gesundheit", email="fb-g@example.org")
    silent = DepartmentFactory(name="Team ohne Postfach")  # no mailbox, no members
    memberless_email = DepartmentFactory(name="Team ohne Adresse")
    reviewer_of(memberless_email, email="")
    due = date.today() - timedelta(days=2)
    case = ReviewCaseFactory(lead_department=department, due_on=due, state=ReviewState.IN_REVIEW)
    unsent = ReviewCaseFactory(lead_department=silent, due_on=due)
    no_address = ReviewCaseFactory(lead_department=memberless_email, due_on=due)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_overdue_reminders()
        services.send_overdue_reminders()  # the same day: no second mail, no second event
    (event,) = ReviewEvent.objects.filter(case=case)
    assert event.action == "reminded" and event.action_label == "Erinnerung gesendet"
    assert event.actor is None
    assert (event.from_state, event.to_state) == (ReviewState.IN_REVIEW, ReviewState.IN_REVIEW)
    assert event.comment == (
        f"Erinnerung an Fachbereich Gesundheit: fällig am {due.strftime('%d.%m.%Y')}."
    )
    assert not ReviewEvent.objects.filter(case__in=[unsent, no_address]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_overdue_reminders(today=date.today() + timedelta(days=1))
    assert ReviewEvent.objects.filter(case=case, action="reminded").count() == 2


def test_the_reminder_event_reads_in_english_too():
    from django.utils import translation

    from consultations.review.models import ACTION_LABELS

    with translation.override("en"):
        assert str(ACTION_LABELS["reminded"]) == "Reminder sent"


def test_a_member_without_an_address_does_not_stop_the_reminder_to_the_others(
    django_capture_on_commit_callbacks,
):
    from consultations.review.models import ReviewEvent

    department = DepartmentFactory(name="Team Kultur")
    reviewer_of(department, email="")  # first member: no address, skipped
    reachable = reviewer_of(department, email="kultur@example.org")
    case = ReviewCaseFactory(lead_department=department, due_on=date.today() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_overdue_reminders() == 1
    assert [message.to for message in mail.outbox] == [[reachable.email]]
    assert ReviewEvent.objects.filter(case=case, action="reminded").count() == 1
