"""Demo step of the results app: the concept's annex as the adopted concept, and its page.

Loads handlungsfelder[].annex ({goal, measures: [{number, text}]}) of the data file as the
ConceptGoals/ConceptMeasures of the historic consultation, with the numbers exactly as
printed, and a ConceptPage under the historic consultation's page. Idempotent (goals are
matched by position, measures by number; see results.services.concept_import_annex).
Implementation statuses stay "planned": the data file records none, and the demo does not
invent progress for a real concept.
"""

from __future__ import annotations

from django.utils.html import escape

from cms.concept_pages import ConceptPage
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
