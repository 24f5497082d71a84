"""Core demo steps: municipalities, Handlungsfelder, departments, consultations, events, forums.

The historic consultation keeps the concept's real dates. A second consultation, clearly
marked as a demo, has its forums phase open around today so visitors can try everything.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from demo.steps import (
    CORE,
    DEMO_CONSULTATION_SLUG,
    HISTORIC_CONSULTATION_SLUG,
    DemoContext,
    register,
)
from forums.models import Forum, ForumEvent
from foundation.models import (
    Consultation,
    Department,
    Handlungsfeld,
    Municipality,
    Phase,
    PhaseKind,
)

MUNICIPALITY_KINDS = {
    "landeshauptstadt": Municipality.Kind.CAPITAL,
    "stadt": Municipality.Kind.TOWN,
    "gemeinde": Municipality.Kind.COMMUNITY,
}

# What participants may do in each kind of phase (both consultations use the same rules).
PHASE_SWITCHES: dict[str, dict[str, Any]] = {
    PhaseKind.ANALYSIS: {
        "allows_proposals": False,
        "allows_supports": False,
        "allows_comments": False,
    },
    PhaseKind.FORUMS: {"allows_proposals": True, "allows_supports": True, "allows_comments": True},
    PhaseKind.ASSESSMENT: {
        "allows_proposals": False,
        "allows_supports": False,
        "allows_comments": True,
    },
    PhaseKind.RESULT: {
        "allows_proposals": False,
        "allows_supports": False,
        "allows_comments": False,
    },
    PhaseKind.MONITORING: {
        "allows_proposals": False,
        "allows_supports": False,
        "allows_comments": False,
    },
}

DEMO_MARK = "(Demo)"

DEMO_PHASE_DESCRIPTIONS = {
    PhaseKind.ANALYSIS: "Bedarfsanalyse der Fortschreibung: Einrichtungen, Vereine und Einwohnerinnen und "
    "Einwohner wurden befragt, was sich seit 2016 verändert hat.",
    PhaseKind.FORUMS: "Reichen Sie Ziele und Maßnahmen für die acht Handlungsfelder ein, unterstützen und "
    "kommentieren Sie Vorschläge – online und in den Foren vor Ort.",
    PhaseKind.ASSESSMENT: "Die zuständigen Fachbereiche prüfen jeden Vorschlag auf Umsetzbarkeit und "
    "Zuständigkeit. Kommentieren bleibt möglich.",
    PhaseKind.RESULT: "Die Koordinierungsstelle veröffentlicht die überarbeiteten Ziele mit ihren "
    "nummerierten Maßnahmen.",
    PhaseKind.MONITORING: "Der Umsetzungsstand jeder beschlossenen Maßnahme wird halbjährlich berichtet.",
}


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@register("municipalities", stage=CORE)
def load_municipalities(ctx: DemoContext) -> None:
    for row in ctx.data["municipalities"]:
        municipality, _created = Municipality.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": MUNICIPALITY_KINDS[row["kind"].lower()],
                "official_key": row.get("ags") or "",
            },
        )
        ctx.municipalities[municipality.slug] = municipality
    ctx.log(f"{len(ctx.municipalities)} municipalities")


@register("handlungsfelder", stage=CORE)
def load_handlungsfelder(ctx: DemoContext) -> None:
    for row in ctx.data["handlungsfelder"]:
        field, _created = Handlungsfeld.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "number": row["number"],
                "name": row["name"],
                "summary": row.get("vision") or "",
            },
        )
        ctx.handlungsfelder[field.slug] = field
    ctx.log(f"{len(ctx.handlungsfelder)} Handlungsfelder")


@register("departments", stage=CORE)
def load_departments(ctx: DemoContext) -> None:
    rows = ctx.data["departments"]
    for row in rows:
        department, _created = Department.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                # .invalid never resolves: reminder mails of the demo cannot reach anyone.
                "email": f"{row['slug']}@demo.mitreden.invalid",
                "is_active": True,
            },
        )
        ctx.departments[department.slug] = department
    for row in rows:  # second pass: parents may come later in the file
        department = ctx.departments[row["slug"]]
        parent = ctx.departments[row["parent"]] if row.get("parent") else None
        if department.parent_id != (parent.pk if parent else None):
            department.parent = parent
            department.save(update_fields=["parent"])
        department.handlungsfelder.set(
            [ctx.handlungsfelder[slug] for slug in row.get("handlungsfelder", [])]
        )
    ctx.log(f"{len(ctx.departments)} departments")


def historic_phase_bounds(phases: list[dict[str, Any]]) -> list[tuple[datetime, datetime | None]]:
    """Start and exclusive end of each phase from the file's days.

    An end day counts in full (the phase ends at the following midnight). A phase without
    an end day ends where the next phase starts, or after its own day when the next one
    starts the same day (the result of 27.09.2016, followed by monitoring the same day);
    the last phase (monitoring) stays open.
    """
    starts = [_parse_day(row["starts_on"]) for row in phases]
    bounds: list[tuple[datetime, datetime | None]] = []
    for index, row in enumerate(phases):
        start = starts[index]
        assert start is not None, f"phase {row['kind']} has no start day"
        end_day = _parse_day(row.get("ends_on"))
        if end_day is not None:
            end: date | None = end_day + timedelta(days=1)
        elif index + 1 < len(phases):
            following = starts[index + 1]
            end = following if following and following > start else start + timedelta(days=1)
        else:
            end = None
        bounds.append((local_midnight(start), local_midnight(end) if end else None))
    return bounds


def demo_phase_bounds(today: date) -> dict[str, tuple[datetime, datetime | None]]:
    """The demo consultation's phases around today: the forums phase is open for six weeks."""
    days = {
        PhaseKind.ANALYSIS: (-42, -14),
        PhaseKind.FORUMS: (-14, 42),
        PhaseKind.ASSESSMENT: (42, 98),
        PhaseKind.RESULT: (98, 126),
        PhaseKind.MONITORING: (126, None),
    }
    return {
        kind: (
            local_midnight(today + timedelta(days=start)),
            local_midnight(today + timedelta(days=end)) if end is not None else None,
        )
        for kind, (start, end) in days.items()
    }


def _save_phases(
    consultation: Consultation,
    rows: list[dict[str, Any]],
    bounds: dict[str, tuple[datetime, datetime | None]],
) -> None:
    for row in rows:
        starts_at, ends_at = bounds[row["kind"]]
        Phase.objects.update_or_create(
            consultation=consultation,
            kind=row["kind"],
            defaults={
                "title": row["title"],
                "description": row.get("description") or "",
                "starts_at": starts_at,
                "ends_at": ends_at,
                **PHASE_SWITCHES[row["kind"]],
                "priority_points": 0,
            },
        )


@register("consultations", stage=CORE)
def load_consultations(ctx: DemoContext) -> None:
    source = ctx.data["consultation"]
    publisher = ctx.data["source"]["publisher"]
    historic, _created = Consultation.objects.update_or_create(
        slug=source.get("slug") or HISTORIC_CONSULTATION_SLUG,
        defaults={
            "title": source["title"],
            "summary": source["summary"],
            "description": "\n\n".join(source["description"]),
            "organiser": publisher,
            "is_published": True,
        },
    )
    phase_rows = source["phases"]
    _save_phases(
        historic,
        phase_rows,
        {
            row["kind"]: bounds
            for row, bounds in zip(phase_rows, historic_phase_bounds(phase_rows), strict=True)
        },
    )
    historic.handlungsfelder.set(ctx.handlungsfelder.values())
    ctx.consultations["historic"] = historic

    demo, _created = Consultation.objects.update_or_create(
        slug=DEMO_CONSULTATION_SLUG,
        defaults={
            "title": f"Integrationskonzept – Fortschreibung 2027 {DEMO_MARK}",
            "summary": (
                "Demo-Beteiligung: Wie soll das Integrationskonzept der Region Hannover "
                "fortgeschrieben werden? Reichen Sie Ziele und Maßnahmen für die acht "
                "Handlungsfelder ein, unterstützen und kommentieren Sie Vorschläge. "
                "Dieses Verfahren ist eine Demonstration der Plattform und keine "
                "Beteiligung der Region Hannover."
            ),
            "description": "\n\n".join(
                [
                    "Diese Beteiligung ist ein Beispiel, mit dem Sie die Plattform ausprobieren "
                    "können. Sie folgt dem Ablauf des Integrationskonzepts von 2016 – "
                    "Bedarfsanalyse, Foren, fachliche Einschätzung, Ergebnis und Monitoring –, "
                    "ihre Termine liegen aber um den heutigen Tag herum, damit die Forenphase "
                    "gerade läuft.",
                    "Alle Beiträge in dieser Demo sind öffentlich sichtbar und können jederzeit "
                    "gelöscht werden. Bitte geben Sie keine persönlichen Daten ein.",
                ]
            ),
            "organiser": f"{publisher} {DEMO_MARK}",
            "is_published": True,
        },
    )
    demo_rows = [{**row, "description": DEMO_PHASE_DESCRIPTIONS[row["kind"]]} for row in phase_rows]
    _save_phases(demo, demo_rows, demo_phase_bounds(ctx.today))
    demo.handlungsfelder.set(ctx.handlungsfelder.values())
    ctx.consultations["demo"] = demo
    ctx.log("2 consultations (historic and demo) with their phases")


# The concept on its forums (chapter 6, "Der Weg zum Konzept"), quoted in their documentation.
FORUMS_IN_THE_CONCEPT = (
    "Im Rahmen eines partizipativen Prozesses wurden alle relevanten Mitwirkenden, Fachleute "
    "und interessierte Einwohnerinnen und Einwohner der Region Hannover zu den verschiedenen "
    "Handlungsfeldern in fünf thematischen Foren zusammengebracht. So konnten sich die "
    "Akteurinnen und Akteure untereinander vernetzen und ihre unterschiedlichen Perspektiven in "
    "den Prozess einbringen."
)
OUTCOME_IN_THE_CONCEPT = (
    "Aus dem partizipativen Prozess wurden konkrete Ziel- und Maßnahmenvorschläge gewonnen "
    "sowie die ursprüngliche Anzahl der Handlungsfelder auf acht erweitert."
)
PARTICIPATION_IN_THE_CONCEPT = (
    "1 Auftaktveranstaltung und 5 Diskussionsforen mit über 600 Beteiligten wurden durchgeführt."
)


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts if text)


def historic_documentation(row: dict[str, Any], field: dict[str, Any] | None) -> str:
    """The documentation of a historic event, from the concept: what it says about the event,
    and for a forum the goals its Handlungsfeld has in the published concept (annex)."""
    if row["number"] == 0:
        return _paragraphs(
            row.get("source") or "",
            "Danach wurde das Konzept in drei Schritten erarbeitet: Bedarfsanalyse, "
            "partizipativer Prozess in fünf thematischen Foren und fachliche Einschätzung "
            "durch die Fachbereiche der Verwaltung.",
            PARTICIPATION_IN_THE_CONCEPT,
        )
    day = date.fromisoformat(row["date"]).strftime("%d.%m.%Y")
    html = _paragraphs(
        f"{row['title']} fand am {row.get('weekday', '')} {day} in {row.get('place') or ''} statt.",
        FORUMS_IN_THE_CONCEPT,
        OUTCOME_IN_THE_CONCEPT,
        PARTICIPATION_IN_THE_CONCEPT,
    )
    goals = [entry["goal"] for entry in (field or {}).get("annex", [])]
    if goals:
        html += _paragraphs(
            f"Die Ziele im Handlungsfeld „{field['name']}“, wie das Konzept sie nach der "
            "fachlichen Einschätzung veröffentlicht (Anhang, überarbeitete Ziele):"
        )
        html += "<ul>" + "".join(f"<li>{escape(goal)}</li>" for goal in goals) + "</ul>"
    return html


def _event_slug(row: dict[str, Any]) -> str:
    return slugify(row["title"]) or f"veranstaltung-{row['number']}"


@register("forum_events", stage=CORE)
def load_forum_events(ctx: DemoContext) -> None:
    historic = ctx.historic_consultation
    fields_data = {entry["slug"]: entry for entry in ctx.data.get("handlungsfelder", [])}
    for row in ctx.data["events"]:
        field = ctx.handlungsfelder.get(row["handlungsfeld"]) if row.get("handlungsfeld") else None
        municipality = (
            ctx.municipalities.get(row["municipality"]) if row.get("municipality") else None
        )
        if row["number"] == 0:
            description = row.get("source") or ""
        else:
            description = (
                f"Thematisches Forum zum Handlungsfeld „{field.name}“ im partizipativen Prozess "
                "des Integrationskonzepts."
                if field
                else ""
            )
        ForumEvent.objects.update_or_create(
            consultation=historic,
            slug=_event_slug(row),
            defaults={
                "number": row["number"],
                "title": row["title"],
                "handlungsfeld": field,
                "starts_at": local_midnight(date.fromisoformat(row["date"])),
                "ends_at": None,
                "place": row.get("place") or "",
                "municipality": municipality,
                "description": description,
                "documentation": historic_documentation(
                    row, fields_data.get(row.get("handlungsfeld") or "")
                ),
                "participants": row.get("participants_approx"),
                "registration_open": False,
            },
        )
    demo = ctx.demo_consultation
    upcoming = [
        (1, "bildung-und-sprache", "hannover", "Hannover", 7),
        (2, "wirtschaft-und-arbeit", "garbsen", "Garbsen", 21),
    ]
    venues = {
        1: ("Haus der Region, Saal 1 (Demo)", "Hildesheimer Straße 18", "30169"),
        2: ("Rathaus Garbsen, Ratssaal (Demo)", "Rathausplatz 1", "30823"),
    }
    accessibility = (
        "Stufenloser Zugang und Aufzug, barrierefreies WC, Induktionsschleife im Saal. "
        "Gebärdensprach- oder Sprachmittlung bitte bis eine Woche vorher bei der "
        "Koordinierungsstelle anfragen; Kinderbetreuung vor Ort."
    )
    online = {1: "https://konferenz.example.org/demo-forum-bildung"}
    for number, field_slug, municipality_slug, place, in_days in upcoming:
        field = ctx.handlungsfelder.get(field_slug)
        if field is None:
            continue
        ForumEvent.objects.update_or_create(
            consultation=demo,
            slug=f"demo-forum-{number}-{field_slug}",
            defaults={
                "number": number,
                "title": f"Forum {number}: {field.name} {DEMO_MARK}",
                "handlungsfeld": field,
                "starts_at": local_midnight(ctx.today + timedelta(days=in_days))
                + timedelta(hours=10),
                "ends_at": local_midnight(ctx.today + timedelta(days=in_days))
                + timedelta(hours=15),
                "venue": venues[number][0],
                "street_address": venues[number][1],
                "postal_code": venues[number][2],
                "place": place,
                "accessibility": accessibility,
                "municipality": ctx.municipalities.get(municipality_slug),
                "description": "Beispielveranstaltung der Demo: Diskutieren Sie Ziele und Maßnahmen vor Ort.",
                "participants": None,
                "online_url": online.get(number, ""),
                "capacity": 80,
                "has_waiting_list": True,
                "registration_open": True,
            },
        )
    ctx.log("forum events: 6 historic, 2 upcoming demo events")


@register("forums", stage=CORE)
def load_forums(ctx: DemoContext) -> None:
    for key, consultation in ctx.consultations.items():
        for field in ctx.handlungsfelder.values():
            Forum.objects.update_or_create(
                consultation=consultation,
                handlungsfeld=field,
                defaults={"description": field.summary, "is_open": key == "demo"},
            )
    ctx.log(f"{len(ctx.consultations) * len(ctx.handlungsfelder)} forums")
