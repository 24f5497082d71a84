"""Factories for the results app: people with roles, departments, proposals, the concept."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from consultations.models import Proposal, ProposalKind, Support
from consultations.results import services
from consultations.results.models import (
    ConceptGoal,
    ConceptMeasure,
    ConceptVersion,
    ConceptVersionEntry,
    EntryKind,
    VersionState,
)
from foundation.actors import SYSTEM
from foundation.models import Consultation, Department, DepartmentMembership, Handlungsfeld, User
from foundation.roles import Role, ensure_roles
from tests.foundation.factories import (  # noqa: F401 - re-exported for the tests here
    PASSWORD,
    ConsultationFactory,
    DepartmentFactory,
    HandlungsfeldFactory,
    ResidentFactory,
    user_with_role,
)

# People, fields, departments and consultations come from the foundation's factories;
# this module adds what the review/results tests need on top.
UserFactory = ResidentFactory  # verified e-mail: every person here may take part


def coordination_office_user() -> User:
    return user_with_role(Role.COORDINATION)


def reviewer_of(department: Department) -> User:
    user = UserFactory()
    user.groups.add(ensure_roles()[Role.REVIEWER])
    DepartmentMembership.objects.create(department=department, user=user)
    return user


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    consultation = factory.SubFactory(ConsultationFactory)
    handlungsfeld = factory.SubFactory(HandlungsfeldFactory)
    kind = ProposalKind.MEASURE
    title = factory.Sequence(lambda n: f"Vorschlag {n}")
    body = "<p>Begründung</p>"
    author = factory.SubFactory(UserFactory)


def support(proposal: Proposal, user: User) -> Support:
    return Support.objects.create(proposal=proposal, user=user)


def concept_goal(
    consultation: Consultation, handlungsfeld: Handlungsfeld, title: str = "Ziel"
) -> ConceptGoal:
    return services.goal_create(
        actor=SYSTEM, consultation=consultation, handlungsfeld=handlungsfeld, title=title
    )


def concept_measure(
    goal: ConceptGoal, text: str = "Maßnahme", department: Department | None = None
) -> ConceptMeasure:
    return services.measure_create(actor=SYSTEM, goal=goal, text=text, department=department)


def concept_version(
    consultation: Consultation,
    measures: list[ConceptMeasure],
    *,
    number: int = 1,
    state: str = VersionState.PUBLISHED,
    wording: dict[int, str] | None = None,
    resolution_date: date | None = None,
    resolution_body: str = "Regionsversammlung",
    resolution_reference: str = "",
    title: str = "",
) -> ConceptVersion:
    """A concept version frozen from `measures` (with their goals), built directly with the
    models. `wording` overrides measure texts by measure pk; the entry numbers are the
    measures' numbers. A draft has no resolution; an adopted or published one has."""
    decided = state != VersionState.DRAFT
    version = ConceptVersion.objects.create(
        consultation=consultation,
        number=number,
        title=title or f"Integrationskonzept, Fassung {number}",
        state=state,
        resolution_body=resolution_body if decided else "",
        resolution_date=(resolution_date or date(2016, 12, 13)) if decided else None,
        resolution_reference=resolution_reference,
        adopted_at=timezone.now() if decided else None,
        published_at=timezone.now() if state == VersionState.PUBLISHED else None,
    )
    goal_entries: dict[int, ConceptVersionEntry] = {}
    for position, measure in enumerate(measures, start=1):
        goal = measure.goal
        if goal.pk not in goal_entries:
            goal_entries[goal.pk] = ConceptVersionEntry.objects.create(
                version=version,
                kind=EntryKind.GOAL,
                handlungsfeld_id=goal.handlungsfeld_id,
                goal=goal,
                position=goal.position,
                text=goal.title,
            )
        ConceptVersionEntry.objects.create(
            version=version,
            kind=EntryKind.MEASURE,
            handlungsfeld_id=measure.handlungsfeld_id,
            parent=goal_entries[goal.pk],
            measure=measure,
            position=position,
            number=measure.number,
            text=(wording or {}).get(measure.pk, measure.text),
        )
    return version


def publish_concept_version(
    consultation: Consultation, title: str = "Integrationskonzept", *, on=None
) -> ConceptVersion:
    """Adopt the working copy as a new version (by the Regionsversammlung) and publish it."""
    from datetime import date

    from consultations.results import versions

    draft = versions.draft_of(consultation) or versions.version_start(
        actor=SYSTEM, consultation=consultation, title=title
    )
    versions.version_adopt(
        actor=SYSTEM,
        version=draft,
        body="Regionsversammlung",
        on=on or date(2026, 3, 12),
        reference="Drucksache 1234 (V) 26",
    )
    return versions.version_publish(actor=SYSTEM, version=draft)
