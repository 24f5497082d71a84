"""Demo step of the results app: the concept's annex as the adopted concept, and its page.

Loads handlungsfelder[].annex ({goal, measures: [{number, text}]}) of the data file as the
ConceptGoals/ConceptMeasures of the historic consultation, with the numbers exactly as
printed, and a ConceptPage under the historic consultation's page. Idempotent (goals are
matched by position, measures by number; see results.services.concept_import_annex).
Implementation statuses stay "planned": the data file records none, and the demo does not
invent progress for a real concept.

The imported annex becomes version 1 of the historic consultation, adopted and published
(the concept text names no resolution date: the date and the reference below are demo
values and say so). The Fortschreibung demo consultation gets version 2 as an open draft that
continues version 1: its working copy starts as a copy of the 2016 concept.
"""

from __future__ import annotations

from datetime import date

from django.utils.html import escape

from cms.concept_pages import ConceptPage
from consultations.results import versions
from consultations.results.models import ConceptGoal, ConceptVersion
from consultations.results.services import concept_import_annex
from demo.pages import upsert_page
from demo.steps import DemoContext, register
from foundation.actors import SYSTEM


@register("results.concept")
def load_concept(ctx: DemoContext) -> None:
    consultation = ctx.historic_consultation
    fields = [row for row in ctx.data.get("handlungsfelder", []) if row.get("annex")]
    goals, measures = concept_import_annex(actor=SYSTEM, consultation=consultation, fields=fields)
    ctx.log(f"  {goals} goals, {measures} measures")
    first = _first_version(consultation)
    _fortschreibung_draft(ctx, first)
    parent = ctx.pages.get("consultation:historic")
    if parent is None:
        return
    intro = "".join(
        f"<p>{escape(paragraph)}</p>" for paragraph in ctx.data.get("annex_intro") or []
    )
    ctx.pages["concept:historic"] = upsert_page(
        parent,
        ConceptPage,
        slug="konzept",
        title=ctx.data.get("annex_heading") or "Ziele und Maßnahmen",
        consultation=consultation,
        intro=intro,
        show_in_menus=True,
    )


FIRST_VERSION_TITLE = "Integrationskonzept der Region Hannover 2016"
# The concept text gives no date of the resolution; a Tuesday after its last data (27.09.2016).
FIRST_RESOLUTION_DATE = date(2016, 12, 13)
FIRST_RESOLUTION_REFERENCE = "Demo-Wert: Datum und Drucksache sind nicht im Konzepttext belegt"
DRAFT_TITLE = "Integrationskonzept der Region Hannover – Fortschreibung 2027 (Entwurf, Demo)"


def _first_version(consultation) -> ConceptVersion:
    """Version 1: the annex as printed, adopted by the Regionsversammlung, published."""
    version = ConceptVersion.objects.filter(consultation=consultation, number=1).first()
    if version is None:
        version = versions.version_start(
            actor=SYSTEM, consultation=consultation, title=FIRST_VERSION_TITLE
        )
    if version.state == "draft":
        version = versions.version_adopt(
            actor=SYSTEM,
            version=version,
            body="Regionsversammlung",
            on=FIRST_RESOLUTION_DATE,
            reference=FIRST_RESOLUTION_REFERENCE,
        )
    if version.state == "adopted":
        version = versions.version_publish(actor=SYSTEM, version=version)
    return version


def _fortschreibung_draft(ctx: DemoContext, first: ConceptVersion) -> None:
    """Version 2 in draft in the demo consultation, continuing the 2016 concept."""
    demo = ctx.consultations.get("demo")
    if demo is None or ConceptVersion.objects.filter(consultation=demo).exists():
        return
    continues = None if ConceptGoal.objects.filter(consultation=demo).exists() else first
    draft = versions.version_start(
        actor=SYSTEM, consultation=demo, title=DRAFT_TITLE, continues=continues
    )
    ctx.log(f"  version {draft.number} of {demo.slug} in draft")
    if continues is None:
        return
    # Two edits of the draft, marked as demo, so that the editor shows a history and the
    # adopted Fortschreibung would show a change; the 2016 version itself stays as printed.
    goal = (
        ConceptGoal.objects.filter(consultation=demo)
        .order_by("handlungsfeld__number", "position")
        .first()
    )
    measure = goal.measures.order_by("number").first() if goal else None
    if measure is not None:
        versions.measure_reword(
            actor=SYSTEM, measure=measure, text=f"{measure.text} (Fortschreibung 2027, Demo)"
        )
        versions.measure_add(
            actor=SYSTEM,
            goal=goal,
            text="Digitale Sprechstunden der Integrationsbeiräte einrichten (Demo)",
        )
