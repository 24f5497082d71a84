"""Demo steps: the Bedarfsanalyse survey of the demo consultation and an open resident survey.

The Bedarfsanalyse repeats the concept's online survey (demo/data: "survey"): 713 invited
institutions and persons in the seven recipient groups, 154 partial and 110 complete
responses, and the question on the kind of institution (several answers possible) counting
exactly 93/38/29/35/24/16/44. It is closed, anonymous and its results are published. All
names are synthetic, every address ends in .invalid (reserved: mail cannot reach anyone),
every row is marked is_demo.

The resident survey is open (mode "open", answers without an account), so a visitor can
answer it right after `make run`.

Idempotent: the questionnaire is written by codes (write_structure); recipients, responses
and answers are planned in memory from a fixed seed and only written (bulk_create) when
the survey's rows differ from the plan, e.g. on the first run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count

from demo.core import DEMO_MARK, demo_phase_bounds
from demo.steps import DemoContext, register
from foundation.models import PhaseKind
from surveys.models import (
    Answer,
    Condition,
    ConditionOperator,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Recipient,
    RecipientGroup,
    RecipientKind,
    Response,
    ResponseState,
    Survey,
    SurveyMode,
    SurveyPage,
    SurveyStatus,
)
from surveys.tokens import new_token, token_hash

BEDARFSANALYSE_SLUG = "bedarfsanalyse-fortschreibung-2027-demo"
RESIDENT_SURVEY_SLUG = "zusammenleben-in-der-region-demo"
MAIL_DOMAIN = "umfrage.demo.mitreden.invalid"
SEED = 2027
#: Invited recipients who opened the survey without saving a page (not given by the concept).
OPENED_ONLY = 37

# The five Handlungsfelder derived from the Bedarfsanalyse (concept, chapter 6).
FIRST_FIVE = [
    ("partizipation-und-teilhabe", "Partizipation und Teilhabe"),
    ("wirtschaft-und-arbeit", "Wirtschaft und Arbeit"),
    ("bildung-und-sprache", "Bildung und Sprache"),
    ("gesundheit-und-pflege", "Gesundheit und Pflege"),
    ("vernetzung", "Vernetzung"),
]
NEED_SCALE = ["kein Bedarf", "geringer Bedarf", "mittlerer Bedarf", "hoher Bedarf"]


# --- The questionnaire as data -----------------------------------------------------------------
@dataclass
class Q:
    """A question of a demo questionnaire (the shape surveys.structure will take later)."""

    code: str
    kind: str
    text: str
    options: list[str] | list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    scale: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # Handlungsfeld slugs
    help_text: str = ""
    required: bool = False
    allow_other: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    shown_if: tuple[str, list[str]] | None = None  # (source code, option codes): any_of


@dataclass
class P:
    title: str
    intro: str
    questions: list[Q]


def institution_kinds(ctx: DemoContext) -> list[tuple[str, str, int]]:
    """(option code, label, count) of "Art der Einrichtung", from the data file."""
    rows = ctx.data["survey"]["recipient_groups"]
    return [(str(index), row["name"], row["count"]) for index, row in enumerate(rows, start=1)]


def bedarfsanalyse_pages(ctx: DemoContext) -> list[P]:
    kinds = [(code, label) for code, label, _count in institution_kinds(ctx)]
    places = [(slug, m.name) for slug, m in sorted(ctx.municipalities.items())]
    return [
        P(
            "Ihre Einrichtung",
            "Zunächst einige Angaben zu Ihrer Einrichtung oder Ihrer Tätigkeit. Ihre Antworten "
            "werden anonym ausgewertet.",
            [
                Q(
                    "art",
                    QuestionKind.MULTIPLE,
                    "Welcher Art ist Ihre Einrichtung bzw. Ihre Tätigkeit?",
                    kinds,
                    help_text="Mehrfachnennungen sind möglich.",
                    required=True,
                ),
                Q(
                    "kommune",
                    QuestionKind.DROPDOWN,
                    "In welcher Stadt oder Gemeinde sind Sie überwiegend tätig?",
                    [*places, ("region", "In der ganzen Region")],
                    required=True,
                ),
                Q(
                    "zielgruppen",
                    QuestionKind.MULTIPLE,
                    "Mit welchen Menschen arbeiten Sie vor allem?",
                    [
                        "Geflüchtete",
                        "Neu Zugewanderte aus der EU",
                        "Seit Langem hier lebende Menschen mit Migrationsgeschichte",
                        "Kinder und Jugendliche",
                        "Frauen",
                        "Ältere Menschen",
                    ],
                    fields=["gefluechtete", "willkommenskultur"],
                    allow_other=True,
                ),
            ],
        ),
        P(
            "Bedarfe",
            "Wo sehen Sie in Ihrer Arbeit den größten Bedarf? Denken Sie an die Menschen, mit "
            "denen Sie arbeiten.",
            [
                Q(
                    "bedarf",
                    QuestionKind.MATRIX,
                    "Wie groß ist der Bedarf an zusätzlichen Angeboten in diesen Bereichen?",
                    rows=FIRST_FIVE,
                    scale=NEED_SCALE,
                    fields=[slug for slug, _name in FIRST_FIVE],
                    required=True,
                ),
                Q(
                    "zugang_arbeit",
                    QuestionKind.SINGLE,
                    "Wie gut gelingt der Zugang zu Ausbildung und Arbeit für die Menschen, mit "
                    "denen Sie arbeiten?",
                    ["sehr gut", "eher gut", "eher schlecht", "sehr schlecht"],
                    fields=["wirtschaft-und-arbeit"],
                ),
                Q(
                    "huerden_gesundheit",
                    QuestionKind.MULTIPLE,
                    "Wo liegen die größten Hürden im Gesundheitswesen und in der Pflege?",
                    [
                        "Verständigung, fehlende Dolmetschende",
                        "Wissen über das Gesundheitssystem",
                        "Versicherungs- oder Aufenthaltsstatus",
                        "Lange Wartezeiten",
                        "Kultursensible Pflege im Alter",
                    ],
                    fields=["gesundheit-und-pflege"],
                ),
                Q(
                    "vertretung",
                    QuestionKind.YES_NO,
                    "Sind Menschen mit Migrationsgeschichte in den Gremien Ihrer Stadt oder "
                    "Gemeinde ausreichend vertreten?",
                    fields=["partizipation-und-teilhabe"],
                ),
                Q(
                    "bedarf_sprache",
                    QuestionKind.LONG_TEXT,
                    "Welche Angebote zur Sprachförderung und Bildung fehlen aus Ihrer Sicht am "
                    "meisten?",
                    fields=["bildung-und-sprache"],
                    extra={"max_length": 2000},
                ),
            ],
        ),
        P(
            "Bestehende Angebote",
            "Welche Angebote gibt es schon? So entsteht ein Überblick über die "
            "Angebotslandschaft der Region.",
            [
                Q(
                    "angebote",
                    QuestionKind.MULTIPLE,
                    "Welche Angebote machen Sie selbst?",
                    [
                        "Sprachkurse oder Sprachcafés",
                        "Beratung",
                        "Hausaufgabenhilfe und Lernförderung",
                        "Begleitung zu Ämtern und Ärztinnen und Ärzten",
                        "Freizeit, Kultur und Sport",
                        "Unterstützung bei Ausbildung und Arbeitssuche",
                    ],
                    fields=["bildung-und-sprache", "wirtschaft-und-arbeit", "vernetzung"],
                ),
                Q(
                    "reichweite",
                    QuestionKind.NUMBER,
                    "Wie viele Menschen erreichen Ihre Angebote ungefähr im Jahr?",
                    help_text="Eine Schätzung genügt.",
                    extra={
                        "min_value": Decimal(0),
                        "max_value": Decimal(100000),
                        "integer_only": True,
                    },
                ),
                Q(
                    "vernetzung",
                    QuestionKind.SINGLE,
                    "Wie gut sind Sie mit anderen Akteurinnen und Akteuren der Integrationsarbeit "
                    "vernetzt?",
                    ["sehr gut", "eher gut", "eher schlecht", "gar nicht"],
                    fields=["vernetzung"],
                ),
                Q(
                    "austausch",
                    QuestionKind.YES_NO,
                    "Wünschen Sie sich mehr Austausch mit der Region Hannover?",
                    fields=["vernetzung"],
                ),
                Q(
                    "austausch_form",
                    QuestionKind.SHORT_TEXT,
                    "In welcher Form wünschen Sie sich den Austausch?",
                    fields=["vernetzung"],
                    extra={"max_length": 300},
                    shown_if=("austausch", ["Y"]),
                ),
            ],
        ),
        P(
            "Abschluss",
            "Fast geschafft.",
            [
                Q(
                    "prioritaet",
                    QuestionKind.RANKING,
                    "Was sollte die Region zuerst angehen? Bringen Sie die Themen in eine "
                    "Reihenfolge.",
                    FIRST_FIVE,
                    fields=[slug for slug, _name in FIRST_FIVE],
                    help_text="1 = am wichtigsten",
                ),
                Q(
                    "gegruendet",
                    QuestionKind.DATE,
                    "Seit wann gibt es Ihr Angebot?",
                    help_text="Ein ungefähres Datum genügt.",
                ),
                Q("anmerkungen", QuestionKind.LONG_TEXT, "Was möchten Sie uns noch mitteilen?"),
                Q(
                    "dank",
                    QuestionKind.DISPLAY,
                    "Vielen Dank! Mit „Weiter“ sehen Sie Ihre Antworten noch einmal, bevor Sie "
                    "sie absenden.",
                ),
            ],
        ),
    ]


def resident_pages(ctx: DemoContext) -> list[P]:
    places = [(slug, m.name) for slug, m in sorted(ctx.municipalities.items())]
    fields = [(slug, f.name) for slug, f in ctx.handlungsfelder.items()]
    return [
        P(
            "Ihr Alltag",
            "Diese Umfrage ist eine Demonstration der Plattform. Bitte geben Sie keine "
            "persönlichen Daten ein.",
            [
                Q(
                    "wohnort",
                    QuestionKind.DROPDOWN,
                    "In welcher Stadt oder Gemeinde wohnen Sie?",
                    places,
                    required=True,
                ),
                Q(
                    "willkommen",
                    QuestionKind.SINGLE,
                    "Fühlen sich neu Zugezogene in Ihrer Stadt oder Gemeinde willkommen?",
                    ["ja, sehr", "eher ja", "eher nicht", "gar nicht", "weiß nicht"],
                    fields=["willkommenskultur"],
                    required=True,
                ),
                Q(
                    "begegnung",
                    QuestionKind.MATRIX,
                    "Wie oft begegnen Sie Menschen anderer Herkunft …",
                    rows=[
                        ("nachbarschaft", "… in der Nachbarschaft?"),
                        ("verein", "… im Verein oder beim Sport?"),
                        ("arbeit", "… bei der Arbeit oder in der Ausbildung?"),
                        ("kita", "… in Kita oder Schule?"),
                    ],
                    scale=["oft", "manchmal", "selten", "nie"],
                    fields=["partizipation-und-teilhabe"],
                ),
            ],
        ),
        P(
            "Ihre Ideen",
            "Was sollte das fortgeschriebene Integrationskonzept anpacken?",
            [
                Q(
                    "themen",
                    QuestionKind.MULTIPLE,
                    "Welche Themen sind Ihnen am wichtigsten?",
                    fields,
                    fields=[slug for slug, _name in fields],
                    help_text="Mehrfachnennungen sind möglich.",
                    allow_other=True,
                ),
                Q(
                    "angebote_bekannt",
                    QuestionKind.YES_NO,
                    "Kennen Sie Beratungs- oder Begegnungsangebote in Ihrer Nähe?",
                    fields=["vernetzung"],
                ),
                Q(
                    "angebote_welche",
                    QuestionKind.SHORT_TEXT,
                    "Welche Angebote kennen Sie?",
                    extra={"max_length": 300},
                    shown_if=("angebote_bekannt", ["Y"]),
                ),
                Q(
                    "idee",
                    QuestionKind.LONG_TEXT,
                    "Ihre Idee für ein gutes Zusammenleben in der Region",
                    extra={"max_length": 2000},
                ),
            ],
        ),
    ]


# --- Writing the questionnaire (the one place to switch to surveys' structure services) -------
YES_NO = [("Y", "Ja"), ("N", "Nein")]


def _option_rows(question: Q) -> list[tuple[str, str, str]]:
    """(role, code, label) of a question's options, matrix rows and scale points."""
    if question.kind == QuestionKind.YES_NO:
        return [(OptionRole.CHOICE, code, label) for code, label in YES_NO]
    if question.kind == QuestionKind.MATRIX:
        return [(OptionRole.ROW, code, label) for code, label in question.rows] + [
            (OptionRole.SCALE, str(index), label)
            for index, label in enumerate(question.scale, start=1)
        ]
    rows = []
    for index, option in enumerate(question.options, start=1):
        code, label = option if isinstance(option, tuple) else (str(index), option)
        rows.append((OptionRole.CHOICE, code, label))
    return rows


def write_structure(ctx: DemoContext, survey: Survey, pages: list[P]) -> dict[str, Question]:
    """Pages, questions, options, tags and conditions of `survey`, found by position and code.

    Written with the ORM here until surveys offers structure services (engineers A/B); then
    this function calls them instead and nothing else in the step changes. Rows that already
    match are left alone, so a second run costs a few reads.
    """
    existing_pages = {page.position: page for page in survey.pages.all()}
    existing = {question.code: question for question in survey.questions.all()}
    existing_options = {
        (option.question_id, option.role, option.code): option
        for option in Option.objects.filter(question__survey=survey)
    }
    tags = {
        (row["pk"], row["handlungsfelder__slug"])
        for row in survey.questions.values("pk", "handlungsfelder__slug")
    }
    questions: dict[str, Question] = {}
    new_options: list[Option] = []
    changed_options: list[Option] = []
    for page_position, spec in enumerate(pages):
        page = existing_pages.get(page_position)
        if page is None or (page.title, page.intro) != (spec.title, spec.intro):
            page, _created = SurveyPage.objects.update_or_create(
                survey=survey,
                position=page_position,
                defaults={"title": spec.title, "intro": spec.intro},
            )
        for position, item in enumerate(spec.questions):
            values = {
                "page_id": page.pk,
                "position": position,
                "kind": item.kind,
                "text": item.text,
                "help_text": item.help_text,
                "required": item.required,
                "allow_other": item.allow_other,
                **item.extra,
            }
            question = existing.get(item.code)
            if question is None or any(
                getattr(question, name) != value for name, value in values.items()
            ):
                question, _created = Question.objects.update_or_create(
                    survey=survey, code=item.code, defaults=values
                )
            for option_position, (role, code, label) in enumerate(_option_rows(item)):
                option = existing_options.get((question.pk, role, code))
                if option is None:
                    new_options.append(
                        Option(
                            question=question,
                            role=role,
                            code=code,
                            position=option_position,
                            text=label,
                        )
                    )
                elif (option.position, option.text) != (option_position, label):
                    option.position, option.text = option_position, label
                    changed_options.append(option)
            wanted_tags = {slug for slug in item.fields if slug in ctx.handlungsfelder}
            if {slug for pk, slug in tags if pk == question.pk and slug} != wanted_tags:
                question.handlungsfelder.set([ctx.handlungsfelder[slug] for slug in wanted_tags])
            questions[item.code] = question
    Option.objects.bulk_create(new_options)
    Option.objects.bulk_update(changed_options, ["position", "text"])
    for spec in pages:
        for item in spec.questions:
            if item.shown_if is None:
                continue
            source_code, option_codes = item.shown_if
            condition, _created = Condition.objects.get_or_create(
                question=questions[item.code],
                source=questions[source_code],
                operator=ConditionOperator.ANY_OF,
            )
            condition.options.set(
                Option.objects.filter(question=questions[source_code], code__in=option_codes)
            )
    return questions


# --- Recipients and responses of the Bedarfsanalyse --------------------------------------------
FIRST_NAMES = [
    "Anna", "Mehmet", "Olena", "Jonas", "Fatma", "Lukas", "Amira", "Piotr", "Sofia", "Hamid",
    "Lea", "Nguyen", "Marta", "Yusuf", "Clara", "Dimitri", "Aylin", "Tobias", "Rania", "Emil",
]  # fmt: skip
LAST_NAMES = [
    "Schneider", "Yılmaz", "Kowalska", "Meyer", "Haddad", "Becker", "Petrenko", "Hoffmann",
    "Demir", "Wagner", "Rahimi", "Schulz", "Tran", "Koch", "Osei", "Krüger", "Popescu", "Wolf",
]  # fmt: skip
# Per recipient group (same order as the data file): kind and name stems.
GROUP_NAMES: list[tuple[str, list[str]]] = [
    (
        RecipientKind.ORGANISATION,
        [
            "Interkultureller Familienverein",
            "Deutsch-Türkischer Kulturverein",
            "Afrikanischer Elternverein",
            "Polnischer Kulturkreis",
            "Syrisch-Deutscher Nachbarschaftsverein",
            "Internationaler Frauentreff",
            "Vietnamesischer Familienverein",
            "Ukrainischer Hilfeverein",
        ],
    ),
    (RecipientKind.PERSON, []),
    (
        RecipientKind.ORGANISATION,
        ["Volkshochschule", "Grundschule am Park", "Berufsbildende Schule", "Familienzentrum"],
    ),
    (
        RecipientKind.ORGANISATION,
        ["Migrationsberatung", "Jugendmigrationsdienst", "Flüchtlingsberatung", "Frauenberatung"],
    ),
    (RecipientKind.PERSON, []),
    (
        RecipientKind.ORGANISATION,
        ["Moscheegemeinde", "Kirchengemeinde", "Alevitische Gemeinde", "Orthodoxe Gemeinde"],
    ),
    (RecipientKind.PERSON, []),
]
MAIL_PREFIX = ["mso", "kommune", "bildung", "beratung", "beirat", "religion", "lotsen"]
TEXT_ANSWERS = {
    "bedarf_sprache": [
        "Sprachkurse mit Kinderbetreuung am Nachmittag.",
        "Berufsbezogene Sprachkurse ab B2 in unserer Gemeinde.",
        "Alphabetisierungskurse für Erwachsene, die Wartelisten sind lang.",
        "Mehr Plätze in Integrationskursen, auch abends.",
        "Sprachförderung in der Kita, die die Eltern einbezieht.",
    ],
    "austausch_form": [
        "Ein regelmäßiges Netzwerktreffen im Quartal.",
        "Eine gemeinsame Online-Plattform für Termine und Angebote.",
        "Feste Ansprechpersonen in der Regionsverwaltung.",
    ],
    "anmerkungen": [
        "Danke, dass wir gefragt werden.",
        "Die Förderanträge sollten einfacher werden.",
        "Ehrenamtliche brauchen mehr Anerkennung und Fortbildung.",
    ],
}


def _spread(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders; sums exactly)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    result = [int(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - result[i], reverse=True)
    for index in by_remainder[: total - sum(result)]:
        result[index] += 1
    return result


@dataclass
class PlannedResponse:
    recipient: int  # index into the recipients
    state: str
    last_page: int  # pages saved: 0 .. last_page
    kinds: list[str]  # option codes of "art"


@dataclass
class Plan:
    recipients: list[dict[str, Any]]
    responses: list[PlannedResponse]


def plan_bedarfsanalyse(ctx: DemoContext, pages: int) -> Plan:
    """Who was invited and who answered how far: the concept's figures exactly.

    Each respondent ticks the kind of its own recipient group; the difference between the
    table's 279 ticks and the 264 respondents are second ticks of respondents from other
    groups (a Lotsin who is also active in a Verein, ...).
    """
    survey = ctx.data["survey"]
    kinds = institution_kinds(ctx)
    ticks = [count for _code, _label, count in kinds]
    partial, complete = survey["answered_partly"], survey["answered_fully"]
    respondents = partial + complete
    if respondents > sum(ticks) or survey["invited"] < respondents + OPENED_ONLY:
        raise ValueError("demo survey figures do not fit together")
    answering = _spread(respondents, ticks)  # respondents per group, each ≤ its ticks
    seconds = [count - first for count, first in zip(ticks, answering, strict=True)]
    invited = [
        first + rest
        for first, rest in zip(
            answering, _spread(survey["invited"] - respondents, answering), strict=True
        )
    ]
    completes = _spread(complete, answering)
    opened = _spread(OPENED_ONLY, invited)
    rng = random.Random(SEED)
    municipalities = sorted(ctx.municipalities.values(), key=lambda m: m.slug)
    recipients: list[dict[str, Any]] = []
    responses: list[PlannedResponse] = []
    by_group: list[list[int]] = []
    for group_index, count in enumerate(invited):
        kind, stems = GROUP_NAMES[group_index]
        indexes = []
        for number in range(1, count + 1):
            municipality = municipalities[(number - 1) % len(municipalities)]
            if kind == RecipientKind.PERSON:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            else:
                name = f"{stems[(number - 1) % len(stems)]} {municipality.name}"
            recipients.append(
                {
                    "group": group_index,
                    "kind": kind,
                    "name": f"{name} {number} {DEMO_MARK}",
                    "email": f"{MAIL_PREFIX[group_index]}-{number:03d}@{MAIL_DOMAIN}",
                    "municipality": municipality,
                }
            )
            indexes.append(len(recipients) - 1)
        by_group.append(indexes)
    for group_index, indexes in enumerate(by_group):
        chosen = rng.sample(indexes, answering[group_index] + opened[group_index])
        answered, opened_only = chosen[: answering[group_index]], chosen[answering[group_index] :]
        for position, recipient in enumerate(answered):
            if position < completes[group_index]:
                responses.append(
                    PlannedResponse(
                        recipient, ResponseState.COMPLETE, pages - 1, [str(group_index + 1)]
                    )
                )
            else:
                responses.append(
                    PlannedResponse(
                        recipient,
                        ResponseState.PARTIAL,
                        rng.randrange(pages - 1),
                        [str(group_index + 1)],
                    )
                )
        for recipient in opened_only:
            responses.append(PlannedResponse(recipient, ResponseState.OPENED, -1, []))
    answered = [r for r in responses if r.state != ResponseState.OPENED]
    for group_index, count in enumerate(seconds):
        candidates = [
            r for r in answered if len(r.kinds) == 1 and r.kinds[0] != str(group_index + 1)
        ]
        for response in rng.sample(candidates, count):
            response.kinds.append(str(group_index + 1))
    return Plan(recipients, responses)


def _answers_for(
    response: PlannedResponse,
    stored: Response,
    questions: dict[str, Question],
    options: dict[tuple[str, str, str], Option],
    pages: list[P],
    recipient: dict[str, Any],
    rng: random.Random,
) -> list[Answer]:
    def choice(code: str, option_code: str) -> Answer:
        return Answer(
            response=stored,
            question=questions[code],
            option=options[(code, OptionRole.CHOICE, option_code)],
        )

    answers: list[Answer] = []
    for page_index in range(response.last_page + 1):
        for item in pages[page_index].questions:
            code = item.code
            if code == "art":
                answers.extend(choice(code, kind) for kind in response.kinds)
            elif code == "kommune":
                slug = recipient["municipality"].slug
                answers.append(choice(code, "region" if rng.random() < 0.1 else slug))
            elif item.kind == QuestionKind.MATRIX:
                for row_code, _label in item.rows:
                    answers.append(
                        Answer(
                            response=stored,
                            question=questions[code],
                            option=options[(code, OptionRole.ROW, row_code)],
                            scale=options[
                                (
                                    code,
                                    OptionRole.SCALE,
                                    str(rng.choices([1, 2, 3, 4], [1, 3, 4, 5])[0]),
                                )
                            ],
                        )
                    )
            elif item.kind == QuestionKind.MULTIPLE:
                codes = [c for _role, c, _label in _option_rows(item)]
                answers.extend(choice(code, c) for c in rng.sample(codes, rng.randint(1, 3)))
            elif item.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
                if rng.random() < 0.9:
                    codes = [c for _role, c, _label in _option_rows(item)]
                    answers.append(choice(code, rng.choice(codes)))
            elif item.kind == QuestionKind.RANKING:
                codes = [c for _role, c, _label in _option_rows(item)]
                for rank, option_code in enumerate(rng.sample(codes, len(codes)), start=1):
                    answer = choice(code, option_code)
                    answer.rank = rank
                    answers.append(answer)
            elif item.kind == QuestionKind.NUMBER:
                answers.append(
                    Answer(
                        response=stored,
                        question=questions[code],
                        number=Decimal(rng.choice([15, 30, 40, 60, 80, 120, 200, 350, 600])),
                    )
                )
            elif item.kind == QuestionKind.DATE:
                if rng.random() < 0.6:
                    answers.append(
                        Answer(
                            response=stored,
                            question=questions[code],
                            date=stored.started_at.date() - timedelta(days=rng.randint(300, 9000)),
                        )
                    )
            elif item.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
                if code == "austausch_form" and not any(
                    a.question_id == questions["austausch"].pk
                    and a.option_id == options[("austausch", OptionRole.CHOICE, "Y")].pk
                    for a in answers
                ):
                    continue  # its condition: only shown after "Ja"
                if rng.random() < 0.45:
                    answers.append(
                        Answer(
                            response=stored,
                            question=questions[code],
                            text=rng.choice(TEXT_ANSWERS[code]),
                        )
                    )
    return answers


def _matches(survey: Survey, plan: Plan) -> bool:
    """Whether the stored recipients and responses are those of the plan (then keep them)."""
    states = dict(survey.responses.values_list("state").annotate(count=Count("pk")).order_by())
    wanted: dict[str, int] = {}
    for response in plan.responses:
        wanted[response.state] = wanted.get(response.state, 0) + 1
    emails = set(survey.recipients.values_list("email", flat=True))
    return states == wanted and emails == {row["email"] for row in plan.recipients}


def write_bedarfsanalyse_answers(
    ctx: DemoContext, survey: Survey, questions: dict[str, Question], pages: list[P]
) -> None:
    plan = plan_bedarfsanalyse(ctx, len(pages))
    if _matches(survey, plan):
        ctx.log("  Bedarfsanalyse: recipients and responses unchanged")
        return
    survey.responses.all().delete()
    survey.recipients.all().delete()
    groups = []
    for position, (_code, label, _count) in enumerate(institution_kinds(ctx)):
        group, _created = RecipientGroup.objects.update_or_create(
            survey=survey, name=label, defaults={"position": position}
        )
        groups.append(group)
    invited_at = survey.opens_at or ctx.now
    closes_at = survey.closes_at or ctx.now
    complete_ids = {r.recipient for r in plan.responses if r.state == ResponseState.COMPLETE}
    rng = random.Random(SEED + 1)
    recipients = Recipient.objects.bulk_create(
        [
            Recipient(
                survey=survey,
                kind=row["kind"],
                name=row["name"],
                email=row["email"],
                group=groups[row["group"]],
                municipality=row["municipality"],
                language="de",
                token_hash=token_hash(new_token()),
                invited_at=invited_at,
                reminders_sent=0 if index in complete_ids else 2,
                last_reminded_at=None if index in complete_ids else invited_at + timedelta(days=14),
                completed_at=(
                    invited_at + timedelta(days=rng.randint(1, 27))
                    if index in complete_ids
                    else None
                ),
                is_demo=True,
            )
            for index, row in enumerate(plan.recipients)
        ],
        batch_size=1000,
    )
    page_rows = list(survey.pages.order_by("position"))
    stored = Response.objects.bulk_create(
        [
            Response(
                survey=survey,
                # Anonymous survey: completed responses keep no link to the recipient.
                recipient=None
                if planned.state == ResponseState.COMPLETE
                else recipients[planned.recipient],
                group=groups[plan.recipients[planned.recipient]["group"]],
                municipality=plan.recipients[planned.recipient]["municipality"],
                language="de",
                state=planned.state,
                last_page=page_rows[planned.last_page] if planned.last_page >= 0 else None,
                started_at=invited_at
                + timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 900)),
                submitted_at=(
                    min(closes_at, invited_at + timedelta(days=27))
                    if planned.state == ResponseState.COMPLETE
                    else None
                ),
                is_demo=True,
            )
            for planned in plan.responses
        ],
        batch_size=1000,
    )
    options = {
        (option.question.code, option.role, option.code): option
        for option in Option.objects.filter(question__survey=survey).select_related("question")
    }
    answers: list[Answer] = []
    for planned, response in zip(plan.responses, stored, strict=True):
        answers.extend(
            _answers_for(
                planned,
                response,
                questions,
                options,
                pages,
                plan.recipients[planned.recipient],
                rng,
            )
        )
    Answer.objects.bulk_create(answers, batch_size=2000)
    ctx.log(
        f"  Bedarfsanalyse: {len(recipients)} recipients, {len(stored)} responses, "
        f"{len(answers)} answers"
    )


# --- The steps ---------------------------------------------------------------------------------
@register("surveys.bedarfsanalyse")
def load_bedarfsanalyse(ctx: DemoContext) -> None:
    if "survey" not in ctx.data:  # a small extract of the data file (tests)
        return
    opens_at, closes_at = demo_phase_bounds(ctx.today)[PhaseKind.ANALYSIS]
    survey, _created = Survey.objects.update_or_create(
        slug=BEDARFSANALYSE_SLUG,
        defaults={
            "consultation": ctx.demo_consultation,
            "title": f"Bedarfsanalyse: Befragung der Akteurinnen und Akteure der Integrationsarbeit {DEMO_MARK}",
            "intro": (
                "Welche Anliegen haben Menschen mit Migrationsgeschichte in der Region Hannover "
                "aus Sicht der Beratungsstellen, Vereine und Einrichtungen, und wie passen die "
                "bestehenden Angebote dazu? Diese Demo-Befragung wiederholt die Online-Befragung "
                "der Bedarfsanalyse des Integrationskonzepts von 2016 mit synthetischen Daten."
            ),
            "closing_text": "Vielen Dank für Ihre Teilnahme!",
            "language": "de",
            "mode": SurveyMode.INVITATION,
            "allow_anonymous": False,
            "anonymous": True,
            "status": SurveyStatus.CLOSED,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "reminder_days": "7, 14",
            "reminder_cap": 2,
        },
    )
    if survey.results_published_at is None:
        survey.results_published_at = (closes_at or ctx.now) + timedelta(days=2)
        survey.save(update_fields=["results_published_at"])
    pages = bedarfsanalyse_pages(ctx)
    questions = write_structure(ctx, survey, pages)
    write_bedarfsanalyse_answers(ctx, survey, questions, pages)
    ctx.extra["survey:bedarfsanalyse"] = survey


@register("surveys.resident_survey")
def load_resident_survey(ctx: DemoContext) -> None:
    opens_at, closes_at = demo_phase_bounds(ctx.today)[PhaseKind.FORUMS]
    survey, _created = Survey.objects.update_or_create(
        slug=RESIDENT_SURVEY_SLUG,
        defaults={
            "consultation": ctx.demo_consultation,
            "title": f"Zusammenleben in der Region Hannover {DEMO_MARK}",
            "intro": (
                "Wie erleben Sie das Zusammenleben in Ihrer Stadt oder Gemeinde? Ihre Antworten "
                "fließen in die Foren der Fortschreibung ein. Sie können ohne Konto teilnehmen; "
                "die Antworten werden anonym gespeichert."
            ),
            "closing_text": "Vielen Dank! Ihre Antworten sind gespeichert.",
            "language": "de",
            "mode": SurveyMode.OPEN,
            "allow_anonymous": True,
            "anonymous": True,
            "status": SurveyStatus.OPEN,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )
    write_structure(ctx, survey, resident_pages(ctx))
    ctx.extra["survey:residents"] = survey
    ctx.log("  resident survey open for answers")
