"""Demo step: the review of the demo consultation (Fortschreibung 2027) in full swing.

The example proposals of `demo.proposals` go through the review services exactly as staff
would move them: triage by the coordination office, start, statements of contributing
departments, assessment, return, approval and publication. The result is one or more cases
in every state (new = not yet triaged, assigned, in review, assessed, returned, approved,
published) across five departments, one overdue case whose department was reminded, and
two review meetings (marked "(Demo)") that discussed some of them.

The people acting are example staff marked "(Demo)" who cannot sign in (unusable
passwords); the demo logins of `demo.logins` (Fachbereich Soziales, Fachbereich Schulen)
see these cases in their queues. Only the demo consultation is touched: the 2016 concept,
its meetings and its measures stay as printed.

Idempotent: a proposal that already has a case is left as it is (whatever happened to it
since), and a meeting is found by its kind and title; running the loader again changes and
duplicates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from consultations.models import Proposal
from consultations.review import services
from consultations.review.models import (
    Feasibility,
    MeetingKind,
    ReviewCase,
    ReviewMeeting,
    ReviewState,
)
from demo.core import DEMO_MARK
from demo.steps import DemoContext, register
from foundation.models import Department, DepartmentMembership, User
from foundation.roles import Role, ensure_roles

SCHOOLS = "fachbereich-schulen"
SOCIAL = "fachbereich-soziales"
YOUTH = "fachbereich-jugend"
ECONOMY = "fachbereich-wirtschafts-und-beschaeftigungsfoerderung"
HEALTH = "fachbereich-gesundheit"
COMMUNICATION = "team-kommunikation"

# Example staff who act in the demo review; nobody can sign in as them.
OFFICE = ("koordinierung-beispiel@demo.mitreden.invalid", "Jana Koordination (Demo)")
REVIEWERS = {
    SCHOOLS: ("schulen-beispiel@demo.mitreden.invalid", "Tobias Schulamt (Demo)"),
    SOCIAL: ("soziales-beispiel@demo.mitreden.invalid", "Leyla Soziales (Demo)"),
    YOUTH: ("jugend-beispiel@demo.mitreden.invalid", "Marta Jugend (Demo)"),
    ECONOMY: ("wirtschaft-beispiel@demo.mitreden.invalid", "Ole Wirtschaft (Demo)"),
    HEALTH: ("gesundheit-beispiel@demo.mitreden.invalid", "Dr. Anna Gesundheit (Demo)"),
    COMMUNICATION: ("kommunikation-beispiel@demo.mitreden.invalid", "Kai Kommunikation (Demo)"),
}

# Days from today until the due date of each assignment (never in the past when assigned).
DUE_IN_DAYS = 28
# The overdue case: assigned with a due date, then moved back as if assigned weeks ago.
OVERDUE_BY_DAYS = 5


@dataclass(frozen=True)
class PlannedCase:
    title: str  # of the demo proposal, without the demo mark
    lead: str
    state: str
    contributors: tuple[str, ...] = ()
    statements: dict[str, str] = field(default_factory=dict)
    assessment: dict[str, Any] = field(default_factory=dict)
    comment: str = ""  # of the return or the approval
    overdue: bool = False


ASSESSMENTS = {
    "family": {
        "feasibility": Feasibility.FEASIBLE,
        "responsibility": ["region", "municipality"],
        "cost_estimate": "ca. 120.000 € pro Jahr für Kursangebote und Kinderbetreuung",
        "time_frame": "ab dem Schuljahr 2027/28",
        "public_rationale": (
            "Familienbezogene Sprachförderung ist ein Schwerpunkt der Region. Wir bauen die "
            "bestehenden Eltern-Kind-Kurse gemeinsam mit den Volkshochschulen und den Kommunen "
            "aus und richten die Zeiten nach Arbeit und Kita."
        ),
        "internal_note": "Haushaltsanmeldung 2027 über Team Zentrale Aufgaben abstimmen.",
        "revised_title": "Sprachförderung für Familien wohnortnah ausbauen",
        "revised_body": (
            "Die Region baut gemeinsam mit den Volkshochschulen, Familienzentren und den Städten "
            "und Gemeinden wohnortnahe Sprachkurse für Eltern und Kinder aus."
        ),
    },
    "recognition": {
        "feasibility": Feasibility.PARTLY,
        "responsibility": ["region", "state"],
        "cost_estimate": "zwei Stellen Beratung, rund 150.000 € pro Jahr",
        "time_frame": "2027 bis 2029",
        "public_rationale": (
            "Für die Anerkennung ist in vielen Berufen das Land zuständig. Die Region kann eine "
            "gemeinsame Erstberatung mit den Kammern und dem Jobcenter einrichten, die das "
            "Verfahren begleitet, aber nicht selbst über die Anerkennung entscheiden."
        ),
        "internal_note": "Gespräch mit IQ-Netzwerk Niedersachsen vereinbaren.",
    },
    "matching": {
        "feasibility": Feasibility.FEASIBLE,
        "responsibility": ["region", "third_party"],
        "public_rationale": (
            "Matching-Tage lassen sich mit der Wirtschaftsförderung und den Kammern ausrichten."
        ),
    },
    "welcome": {
        "feasibility": Feasibility.FEASIBLE,
        "responsibility": ["municipality"],
        "cost_estimate": "Übersetzung und Druck rund 15.000 € einmalig",
        "time_frame": "2027",
        "public_rationale": (
            "Ein mehrsprachiger Willkommensbrief mit persönlichen Ansprechpersonen wird gemeinsam "
            "mit den Städten und Gemeinden erstellt; die Region stellt Vorlage und Übersetzungen."
        ),
        "internal_note": "Vorlage mit Team Kommunikation abgestimmt.",
    },
    "health": {
        "feasibility": Feasibility.FEASIBLE,
        "responsibility": ["region"],
        "public_rationale": "Entwurf: Das Projekt MiMi lässt sich auf weitere Kommunen ausweiten.",
    },
}

PLAN = [
    PlannedCase(
        "Sprachförderung für Familien ausbauen",
        SCHOOLS,
        ReviewState.APPROVED,
        contributors=(YOUTH,),
        statements={YOUTH: "Die Familienzentren der Jugendhilfe bieten Räume und Betreuung an."},
        assessment=ASSESSMENTS["family"],
        comment="Freigegeben in der Rücksprache mit dem Fachbereich Schulen.",
    ),
    PlannedCase(
        "Abendsprachkurse mit Kinderbetreuung",
        SCHOOLS,
        ReviewState.IN_REVIEW,
        contributors=(SOCIAL,),
        statements={
            SOCIAL: "Kinderbetreuung während der Kurse kann über das Bildungs- und Teilhabepaket "
            "teilweise finanziert werden."
        },
    ),
    PlannedCase("Lernpatenschaften an Grundschulen", SCHOOLS, ReviewState.ASSIGNED),
    PlannedCase(
        "Eine Anlaufstelle für die Anerkennung von Abschlüssen",
        ECONOMY,
        ReviewState.ASSESSED,
        contributors=(SOCIAL,),
        assessment=ASSESSMENTS["recognition"],
    ),
    PlannedCase(
        "Matching-Tage mit Betrieben im Umland",
        ECONOMY,
        ReviewState.RETURNED,
        assessment=ASSESSMENTS["matching"],
        comment="Bitte ergänzen Sie Kosten und Zeitrahmen, bevor wir freigeben.",
    ),
    PlannedCase(
        "Mehrsprachiger Willkommensbrief mit Ansprechpersonen",
        SOCIAL,
        ReviewState.PUBLISHED,
        contributors=(COMMUNICATION,),
        statements={COMMUNICATION: "Wir übernehmen Gestaltung und Übersetzungen."},
        assessment=ASSESSMENTS["welcome"],
    ),
    PlannedCase(
        "Gesundheitslotsinnen und -lotsen in allen Kommunen",
        HEALTH,
        ReviewState.IN_REVIEW,
        contributors=(SOCIAL,),
        assessment=ASSESSMENTS["health"],
        overdue=True,
    ),
    PlannedCase("Integrationsbeirat auf Regionsebene", SOCIAL, ReviewState.ASSIGNED),
    # "Digitale Angebotslandkarte der Region" and "Dolmetscherpool für die Regionsverwaltung"
    # stay new: the coordination office has not triaged them yet.
]

# Meetings of the demo review: (kind, title, days from today, departments, proposal titles).
MEETINGS = [
    (
        MeetingKind.EXPERT_TALK,
        f"Fachgespräch Bildung und Sprache {DEMO_MARK}",
        -3,
        (SCHOOLS, YOUTH, SOCIAL),
        (
            "Sprachförderung für Familien ausbauen",
            "Abendsprachkurse mit Kinderbetreuung",
            "Lernpatenschaften an Grundschulen",
        ),
        "Sprachförderung für Familien und Abendkurse werden gemeinsam geplant; die "
        "Lernpatenschaften prüft der Fachbereich Schulen mit den Grundschulen.",
    ),
    (
        MeetingKind.CONSULTATION,
        f"Rücksprache Gesundheit und Anerkennung {DEMO_MARK}",
        -1,
        (HEALTH, ECONOMY, SOCIAL),
        (
            "Gesundheitslotsinnen und -lotsen in allen Kommunen",
            "Eine Anlaufstelle für die Anerkennung von Abschlüssen",
        ),
        "Die Gesundheitslotsen sollen an das Projekt MiMi anknüpfen; für die Anerkennung "
        "sucht die Wirtschaftsförderung das Gespräch mit den Kammern.",
    ),
]


def _staff(email: str, name: str, *, group: Role) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"username": email, "display_name": name}
    )
    if user.has_usable_password():
        user.set_unusable_password()  # example staff only: nobody can sign in as them
        user.save(update_fields=["password"])
    user.groups.add(ensure_roles()[group])
    return user


def _reviewer(department: Department) -> User:
    email, name = REVIEWERS[department.slug]
    user = _staff(email, name, group=Role.REVIEWER)
    DepartmentMembership.objects.get_or_create(department=department, user=user)
    return user


def _run_plan(
    plan: PlannedCase,
    proposal: Proposal,
    departments: dict[str, Department],
    office: User,
    ctx: DemoContext,
) -> ReviewCase:
    lead_department = departments[plan.lead]
    contributors = [departments[slug] for slug in plan.contributors]
    (case,) = services.cases_assign(
        proposals=[proposal],
        lead_department=lead_department,
        contributing_departments=contributors,
        due_on=ctx.today + timedelta(days=DUE_IN_DAYS),
        actor=office,
        comment="Zuweisung nach dem Handlungsfeld.",
    )
    for slug, statement in plan.statements.items():
        services.contribution_add(
            case=case,
            actor=_reviewer(departments[slug]),
            department=departments[slug],
            statement=statement,
        )
    if plan.state == ReviewState.ASSIGNED:
        return case
    lead = _reviewer(lead_department)
    services.review_start(case=case, actor=lead)
    submit = plan.state != ReviewState.IN_REVIEW
    if plan.assessment:
        services.assessment_save(case=case, actor=lead, data=plan.assessment, submit=submit)
    if plan.state == ReviewState.RETURNED:
        services.case_return(case=case, actor=office, comment=plan.comment)
    elif plan.state in (ReviewState.APPROVED, ReviewState.PUBLISHED):
        services.case_approve(case=case, actor=office, comment=plan.comment)
        if plan.state == ReviewState.PUBLISHED:
            services.cases_publish(cases=[case], actor=office)
    return case


@register("review.demo_cases")
def load_demo_review(ctx: DemoContext) -> None:
    consultation = ctx.demo_consultation
    slugs = {plan.lead for plan in PLAN} | {slug for plan in PLAN for slug in plan.contributors}
    departments = {slug: ctx.departments[slug] for slug in slugs if slug in ctx.departments}
    proposals = {
        proposal.title: proposal
        for proposal in Proposal.objects.filter(consultation=consultation).select_related(
            "consultation", "author"
        )
    }
    office = _staff(*OFFICE, group=Role.COORDINATION)
    created = 0
    overdue_created = []
    for plan in PLAN:
        proposal = proposals.get(f"{plan.title} {DEMO_MARK}")
        needed = {plan.lead, *plan.contributors}
        if proposal is None or not needed <= set(departments):
            continue  # a small extract of the data file (tests)
        if ReviewCase.objects.filter(proposal=proposal).exists():
            continue  # loaded before: leave the case as it is now
        case = _run_plan(plan, proposal, departments, office, ctx)
        created += 1
        if plan.overdue:
            # As if assigned weeks ago: the due date has passed (cases_assign refuses a past
            # date, so the date moves after the assignment, the one write outside a service).
            ReviewCase.objects.filter(pk=case.pk).update(
                due_on=ctx.today - timedelta(days=OVERDUE_BY_DAYS)
            )
            overdue_created.append(case)
    if overdue_created:
        services.send_overdue_reminders(today=ctx.today)
    meetings = _load_meetings(ctx, departments, proposals, office)
    ctx.log(f"  {created} review cases in the demo consultation, {meetings} demo meetings")


def _load_meetings(
    ctx: DemoContext,
    departments: dict[str, Department],
    proposals: dict[str, Proposal],
    office: User,
) -> int:
    count = 0
    for kind, title, days, slugs, titles, outcome in MEETINGS:
        if ReviewMeeting.objects.filter(kind=kind, title=title).exists():
            count += 1
            continue  # recorded before: its date stays where it was
        discussed = [
            proposals[f"{name} {DEMO_MARK}"]
            for name in titles
            if f"{name} {DEMO_MARK}" in proposals
        ]
        if not discussed:
            continue
        services.meeting_save(
            actor=office,
            kind=kind,
            title=title,
            starts_on=ctx.today + timedelta(days=days),
            ends_on=None,
            departments=[departments[slug] for slug in slugs if slug in departments],
            proposals=discussed,
            outcome=outcome,
        )
        count += 1
    return count
