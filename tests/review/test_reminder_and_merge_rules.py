"""What the overdue reminder says (consultations.review.services.send_overdue_reminders) and the
merge's refusals and history (proposals_merge), in German as the departments and the
coordination office read them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.review import services
from consultations.review.models import ReviewCase, ReviewEvent
from foundation.models import Notification, OutboxMessage

from .factories import (
    DepartmentFactory,
    ProposalFactory,
    ReviewCaseFactory,
    coordination_office_user,
)
from .test_workflow_rules import People, bring_to

pytestmark = pytest.mark.django_db


def test_the_reminder_lists_a_departments_overdue_cases_by_due_date_in_german(
    django_capture_on_commit_callbacks,
):
    today = date(2026, 3, 10)
    schools = DepartmentFactory(name="Fachbereich Schulen", email="schulen@example.org")
    youth = DepartmentFactory(name="Fachbereich Jugend", email="jugend@example.org")
    later = ReviewCaseFactory(
        lead_department=schools, due_on=date(2026, 3, 9), proposal=ProposalFactory(title="B")
    )
    earlier = ReviewCaseFactory(
        lead_department=schools, due_on=date(2026, 2, 1), proposal=ProposalFactory(title="A")
    )
    ReviewCaseFactory(lead_department=youth, due_on=date(2026, 3, 1))

    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        assert services.send_overdue_reminders(today=today) == 2  # in the site's language

    (to_schools,) = [m for m in mail.outbox if m.to == ["schulen@example.org"]]
    (to_youth,) = [m for m in mail.outbox if m.to == ["jugend@example.org"]]
    assert to_schools.subject == "Erinnerung: 2 überfällige Prüfungen für Fachbereich Schulen"
    assert to_youth.subject == "Erinnerung: 1 überfällige Prüfung für Fachbereich Jugend"

    def url(case):
        return settings.SITE_URL + reverse("review:case", kwargs={"proposal_id": case.proposal_id})

    assert to_schools.body == "\n".join(
        [
            "Die folgenden Prüfungen sind überfällig:",
            "",
            f"- A (fällig am 01.02.2026): {url(earlier)}",
            f"- B (fällig am 09.03.2026): {url(later)}",
        ]
    )


def test_the_reminder_counts_what_is_past_due_on_the_day_it_is_given_and_still_open(
    django_capture_on_commit_callbacks,
):
    today = date(2026, 3, 10)
    schools = DepartmentFactory(name="Fachbereich Schulen", email="schulen@example.org")
    ReviewCaseFactory(
        lead_department=schools, due_on=date(2026, 3, 9), proposal=ProposalFactory(title="Fällig")
    )
    # Due on the day itself, or the day after (both long past by the machine's clock): not yet.
    for day, title in ((10, "Heute fällig"), (11, "Morgen fällig")):
        ReviewCaseFactory(
            lead_department=schools,
            due_on=date(2026, 3, day),
            proposal=ProposalFactory(title=title),
        )
    # A duplicate's case, closed by its merge, keeps its state but is no longer reviewed.
    ReviewCaseFactory(
        lead_department=schools,
        due_on=date(2026, 3, 1),
        closed_at=timezone.now(),
        proposal=ProposalFactory(title="Zusammengeführt"),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_overdue_reminders(today=today) == 1

    (reminder,) = mail.outbox
    assert reminder.subject == "Erinnerung: 1 überfällige Prüfung für Fachbereich Schulen"
    assert "Fällig" in reminder.body
    assert not {"Heute fällig", "Morgen fällig", "Zusammengeführt"} & {
        line.split(" (")[0].removeprefix("- ") for line in reminder.body.splitlines()
    }


def test_the_reminder_of_an_english_site_says_reviews_in_the_plural(
    settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    schools = DepartmentFactory(name="Schools", email="schulen@example.org")
    for _ in range(2):
        ReviewCaseFactory(lead_department=schools, due_on=date(2026, 3, 1))

    with django_capture_on_commit_callbacks(execute=True):
        services.send_overdue_reminders(today=date(2026, 3, 10))

    assert [m.subject for m in mail.outbox] == ["Reminder: 2 overdue reviews for Schools"]


def test_the_reminders_need_as_many_queries_for_five_overdue_cases_as_for_one():
    def reminders_for(count: int) -> int:
        department = DepartmentFactory()
        for _ in range(count):
            ReviewCaseFactory(lead_department=department, due_on=date(2026, 3, 1))
        with CaptureQueriesContext(connection) as run:
            services.send_overdue_reminders(today=date(2026, 3, 10))
        ReviewCase.objects.all().delete()
        return len(run.captured_queries)

    assert reminders_for(5) == reminders_for(1)


def test_a_merge_needs_another_proposal_of_the_same_consultation_without_a_published_result():
    people = People()
    office = coordination_office_user()
    primary = ProposalFactory()
    published = bring_to("published", people)
    published.proposal.consultation = primary.consultation
    published.proposal.save()
    foreign = ProposalFactory()

    with translation.override("de"):
        with pytest.raises(ValidationError) as nothing:
            services.proposals_merge(primary=primary, duplicates=[primary], actor=office)
        with pytest.raises(ValidationError) as elsewhere:
            services.proposals_merge(primary=primary, duplicates=[foreign], actor=office)
        with pytest.raises(ValidationError) as done:
            services.proposals_merge(primary=primary, duplicates=[published.proposal], actor=office)

    assert nothing.value.messages == [
        "Wählen Sie mindestens einen weiteren Vorschlag zum Zusammenführen aus."
    ]
    assert elsewhere.value.messages == [
        "Nur Vorschläge desselben Beteiligungsverfahrens können zusammengeführt werden."
    ]
    assert done.value.messages == [
        f"„{published.proposal.title}“ hat bereits eine veröffentlichte Einschätzung und kann "
        "nicht zusammengeführt werden."
    ]


def test_a_merge_is_written_into_both_histories_and_closes_the_duplicates_case():
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse")
    first = ProposalFactory(consultation=primary.consultation, title="Kurse A")
    second = ProposalFactory(consultation=primary.consultation, title="Kurse B")
    primary_case = ReviewCaseFactory(proposal=primary)
    first_case = ReviewCaseFactory(proposal=first)

    services.proposals_merge(primary=primary, duplicates=[second, first], actor=office)

    into = ReviewEvent.objects.get(case=primary_case)
    merged = ReviewEvent.objects.get(case=first_case)
    assert (into.action, into.comment, into.actor) == ("merge_primary", "Kurse A; Kurse B", office)
    assert (merged.action, merged.comment, merged.actor) == ("merged", "Sprachkurse", office)
    assert ReviewCase.objects.get(pk=first_case.pk).closed_at is not None
    assert ReviewCase.objects.get(pk=primary_case.pk).closed_at is None


def test_the_author_of_a_merged_proposal_is_told_in_german_and_a_deactivated_one_is_not():
    office = coordination_office_user()
    primary = ProposalFactory(title="Sprachkurse")
    told = ProposalFactory(consultation=primary.consultation, title="Kurse A")
    told.author.language = "de"
    told.author.save()
    gone = ProposalFactory(consultation=primary.consultation, title="Kurse B")
    gone.author.is_active = False
    gone.author.save()

    services.proposals_merge(primary=primary, duplicates=[told, gone], actor=office)

    note = Notification.objects.get(recipient=told.author, kind="proposal_merged")
    assert note.title == "Ihr Vorschlag „Kurse A“ wurde zusammengeführt"
    assert note.body == (
        "Ihr Vorschlag „Kurse A“ hat weitgehend denselben Inhalt wie „Sprachkurse“. Die "
        "Koordinierungsstelle hat beide zusammengeführt, damit sie gemeinsam geprüft werden; "
        "Ihre Unterstützungen zählen nun für „Sprachkurse“."
    )
    assert not Notification.objects.filter(recipient=gone.author).exists()
    # The mail goes once per duplicate and author, whoever merges again.
    mails = OutboxMessage.objects.filter(task="foundation.tasks.send_email")
    assert [(m.payload["to"], m.dedupe_key) for m in mails] == [
        ([told.author.email], f"review:merged:{told.pk}:{told.author.pk}")
    ]


def test_the_assignment_is_summed_up_in_the_cases_history():
    office = coordination_office_user()
    lead = DepartmentFactory(name="Fachbereich Schulen")
    helpers = [DepartmentFactory(name="Fachbereich Jugend"), DepartmentFactory(name="Team Sport")]
    due = date.today() + timedelta(days=30)

    with translation.override("de"):
        (case,) = services.cases_assign(
            proposals=[ProposalFactory()],
            lead_department=lead,
            contributing_departments=helpers,
            due_on=due,
            actor=office,
            comment="Bitte bis Monatsende.",
        )

    event = ReviewEvent.objects.filter(case=case, action="assign").get()
    assert event.comment == "\n".join(
        [
            "Federführung: Fachbereich Schulen",
            "Beteiligt: Fachbereich Jugend, Team Sport",
            f"Fällig am {due:%d.%m.%Y}",
            "Bitte bis Monatsende.",
        ]
    )


def test_the_departments_are_told_in_german_which_proposals_and_in_which_role(
    django_capture_on_commit_callbacks,
):
    office = coordination_office_user()
    lead = DepartmentFactory(name="Fachbereich Schulen", email="schulen@example.org")
    helper = DepartmentFactory(name="Fachbereich Jugend", email="jugend@example.org")
    proposals = [ProposalFactory(title="Kurse A"), ProposalFactory(title="Kurse B")]
    untouched = ProposalFactory()

    # The coordination office works in English; the departments' mail is in the site's German.
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        services.cases_assign(
            proposals=proposals,
            lead_department=lead,
            contributing_departments=[helper],
            due_on=None,
            actor=office,
        )

    queue = settings.SITE_URL + reverse("review:queue")
    (to_lead,) = [m for m in mail.outbox if m.to == ["schulen@example.org"]]
    (to_helper,) = [m for m in mail.outbox if m.to == ["jugend@example.org"]]
    subject = "2 Vorschläge wurden {} zur Prüfung zugewiesen"
    assert to_lead.subject == subject.format("Fachbereich Schulen")
    assert to_lead.body.split("\n")[0] == (
        subject.format("Fachbereich Schulen") + " (als federführender Fachbereich)."
    )
    assert to_helper.body.split("\n")[0] == (
        subject.format("Fachbereich Jugend") + " (als beteiligter Fachbereich)."
    )
    assert to_lead.body.split("\n")[2:] == ["- Kurse A", "- Kurse B", "", queue]
    untouched.refresh_from_db()
    assert untouched.status == "published"  # only the assigned proposals enter the review


def test_a_meeting_may_last_one_day_but_never_end_before_it_starts():
    from consultations.review.models import MeetingKind

    office = coordination_office_user()
    day = date(2026, 2, 1)

    one_day = services.meeting_save(
        actor=office,
        kind=MeetingKind.WORKSHOP,
        title=" Workshop ",
        starts_on=day,
        ends_on=day,
        departments=[],
        proposals=[],
        outcome=" Ergebnis ",
    )
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        services.meeting_save(
            actor=office,
            kind=MeetingKind.WORKSHOP,
            title="Workshop",
            starts_on=day,
            ends_on=day - timedelta(days=1),
            departments=[],
            proposals=[],
            outcome="",
        )

    one_day.refresh_from_db()
    assert (one_day.title, one_day.starts_on, one_day.ends_on, one_day.outcome) == (
        "Workshop",
        day,
        day,
        "Ergebnis",
    )
    assert refused.value.message_dict == {
        "ends_on": ["Der letzte Tag darf nicht vor dem ersten Tag liegen."]
    }
