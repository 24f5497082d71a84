"""Demo step: example proposals with supports and comments in the open demo consultation.

So that the proposal list, a detail page with its discussion and the review queue are not
empty in a fresh demo. Everything is marked "(Demo)" and written by example residents who
cannot sign in. Idempotent: proposals are found by (consultation, title), supports by the
unique (proposal, user) pair, comments by (proposal, author, body); the counter columns are
recomputed from the rows at the end.
"""

from __future__ import annotations

from consultations.models import Comment, Proposal, ProposalKind, Support
from consultations.proposals.services import render_body
from demo.core import DEMO_MARK
from demo.steps import DemoContext, register
from foundation.models import User

RESIDENTS = [
    ("beispiel-1@demo.mitreden.invalid", "Miriam (Demo)", "garbsen"),
    ("beispiel-2@demo.mitreden.invalid", "Hüseyin (Demo)", "laatzen"),
    ("beispiel-3@demo.mitreden.invalid", "Olena (Demo)", "hannover"),
    ("beispiel-4@demo.mitreden.invalid", "Peter (Demo)", "wunstorf"),
    ("beispiel-5@demo.mitreden.invalid", "Samira (Demo)", "lehrte"),
    ("beispiel-6@demo.mitreden.invalid", "Klaus (Demo)", "springe"),
]

# (field slug, kind, title, body, author index, municipality slugs or [] for the region,
#  supporter indexes, goal title or None)
PROPOSALS = [
    (
        "bildung-und-sprache",
        ProposalKind.GOAL,
        "Sprachförderung für Familien ausbauen",
        "Eltern und Kinder sollen gemeinsam Deutsch lernen können – wohnortnah und zu Zeiten, die zu "
        "Arbeit und Kita passen.",
        0,
        [],
        [1, 2, 3, 4],
        None,
    ),
    (
        "bildung-und-sprache",
        ProposalKind.MEASURE,
        "Abendsprachkurse mit Kinderbetreuung",
        "Volkshochschulen und Familienzentren bieten Sprachkurse am Abend an; die Kinder werden im selben "
        "Gebäude betreut.",
        1,
        ["garbsen", "laatzen"],
        [0, 2, 3, 4, 5],
        "Sprachförderung für Familien ausbauen",
    ),
    (
        "bildung-und-sprache",
        ProposalKind.MEASURE,
        "Lernpatenschaften an Grundschulen",
        "Ehrenamtliche Lernpatinnen und -paten begleiten Kinder, die neu in Deutschland sind, im ersten "
        "Schuljahr.",
        2,
        [],
        [0, 5],
        "Sprachförderung für Familien ausbauen",
    ),
    (
        "wirtschaft-und-arbeit",
        ProposalKind.MEASURE,
        "Eine Anlaufstelle für die Anerkennung von Abschlüssen",
        "Eine regionsweite Beratungsstelle bündelt die Zuständigkeiten für die Anerkennung ausländischer "
        "Berufs- und Studienabschlüsse und begleitet das Verfahren bis zum Bescheid.",
        3,
        [],
        [0, 1, 2, 4, 5],
        None,
    ),
    (
        "wirtschaft-und-arbeit",
        ProposalKind.MEASURE,
        "Matching-Tage mit Betrieben im Umland",
        "Arbeitssuchende mit Migrationsgeschichte und Betriebe aus dem Umland lernen sich an einem Tag im "
        "Jahr kennen – mit Dolmetschenden vor Ort.",
        4,
        ["lehrte", "wunstorf"],
        [3],
        None,
    ),
    (
        "willkommenskultur",
        ProposalKind.MEASURE,
        "Mehrsprachiger Willkommensbrief mit Ansprechpersonen",
        "Neu Zugezogene erhalten einen Brief in ihrer Sprache mit den wichtigsten Stellen in ihrer "
        "Gemeinde und einer persönlichen Ansprechperson.",
        5,
        [],
        [0, 1, 2],
        None,
    ),
    (
        "gesundheit-und-pflege",
        ProposalKind.MEASURE,
        "Gesundheitslotsinnen und -lotsen in allen Kommunen",
        "Geschulte Lotsinnen und Lotsen begleiten zu Arztbesuchen und erklären das Gesundheitssystem in "
        "mehreren Sprachen.",
        2,
        [],
        [1, 3, 4, 5],
        None,
    ),
    (
        "vernetzung",
        ProposalKind.MEASURE,
        "Digitale Angebotslandkarte der Region",
        "Eine leicht bedienbare Karte zeigt alle Integrationsangebote der 21 Städte und Gemeinden – "
        "gepflegt von den Anbietern selbst.",
        0,
        [],
        [2, 3],
        None,
    ),
    (
        "partizipation-und-teilhabe",
        ProposalKind.MEASURE,
        "Integrationsbeirat auf Regionsebene",
        "Ein gewählter Integrationsbeirat berät die Regionsversammlung in allen Fragen der Integration.",
        1,
        [],
        [0, 4, 5],
        None,
    ),
    (
        "interkulturelle-oeffnung",
        ProposalKind.MEASURE,
        "Dolmetscherpool für die Regionsverwaltung",
        "Sprachkenntnisse der Mitarbeitenden werden erfasst und in einem internen Dolmetscherpool allen "
        "Fachbereichen zugänglich gemacht.",
        3,
        [],
        [0, 1],
        None,
    ),
]

COMMENTS = [
    (
        "Abendsprachkurse mit Kinderbetreuung",
        2,
        "In Laatzen hat das bei der VHS gut funktioniert – "
        "wichtig war, dass die Betreuung kostenlos war.",
        None,
    ),
    (
        "Abendsprachkurse mit Kinderbetreuung",
        0,
        "Danke! Weißt du, wie die Betreuung finanziert wurde?",
        "In Laatzen hat das bei der VHS gut funktioniert – wichtig war, dass die Betreuung kostenlos war.",
    ),
    (
        "Eine Anlaufstelle für die Anerkennung von Abschlüssen",
        4,
        "Sehr wichtig: Ich habe 14 Monate auf die Anerkennung meines Pflegeexamens gewartet.",
        None,
    ),
]


def _resident(ctx: DemoContext, email: str, name: str, municipality: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            "display_name": name,
            "municipality": ctx.municipalities.get(municipality),
        },
    )
    if user.has_usable_password():
        user.set_unusable_password()  # example authors only: nobody can sign in as them
        user.save(update_fields=["password"])
    return user


@register("consultations.proposals")
def load_demo_proposals(ctx: DemoContext) -> None:
    consultation = ctx.demo_consultation
    people = [_resident(ctx, *entry) for entry in RESIDENTS]
    by_title: dict[str, Proposal] = {}
    for field, kind, title, body, author, towns, supporters, goal in PROPOSALS:
        if field not in ctx.handlungsfelder:  # a small extract of the data file (tests)
            continue
        proposal, _created = Proposal.objects.update_or_create(
            consultation=consultation,
            title=f"{title} {DEMO_MARK}",
            defaults={
                "handlungsfeld": ctx.handlungsfelder[field],
                "kind": kind,
                "goal": by_title.get(goal) if goal else None,
                "body": render_body(body),
                "body_source": body,
                "author": people[author],
                "is_region_wide": not towns,
            },
        )
        proposal.municipalities.set(
            [ctx.municipalities[slug] for slug in towns if slug in ctx.municipalities]
        )
        for index in supporters:
            Support.objects.get_or_create(proposal=proposal, user=people[index])
        by_title[title] = proposal
    for title, author, body, parent_body in COMMENTS:
        proposal = by_title.get(title)
        if proposal is None:
            continue
        parent = (
            Comment.objects.filter(proposal=proposal, body=parent_body).first()
            if parent_body
            else None
        )
        Comment.objects.get_or_create(
            proposal=proposal, author=people[author], body=body, defaults={"parent": parent}
        )
    # Counters from the rows (each relation counted on its own), so a second run stays exact.
    for proposal in by_title.values():
        Proposal.objects.filter(pk=proposal.pk).update(
            support_count=Support.objects.filter(proposal=proposal).count(),
            comment_count=Comment.objects.filter(
                proposal=proposal, deleted_at__isnull=True, is_hidden=False
            ).count(),
        )
    ctx.log(f"  {len(by_title)} example proposals with supports and comments")
