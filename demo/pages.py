"""The demo's Wagtail page tree.

Home (site root, replacing Wagtail's "Welcome" page)
├── Integrationskonzept – Fortschreibung 2027 (Demo)   ConsultationPage, featured
├── Integrationskonzept der Region Hannover            ConsultationPage (historic)
├── Handlungsfelder                                    HandlungsfelderIndexPage
│   └── 8 × HandlungsfeldPage, texts from the data file
├── Impressum, Datenschutz, Barrierefreiheit           StandardPage (footer)

Pages are found by slug under their parent and only saved (with a published revision)
when their content differs, so a second run creates neither pages nor revisions.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from cms.models import (
    ConsultationPage,
    HandlungsfelderIndexPage,
    HandlungsfeldPage,
    HomePage,
    StandardPage,
)
from demo import texts
from demo.steps import PAGES, DemoContext, register

HOME_SLUG = "start"
VISION_SOURCE = "Integrationskonzept der Region Hannover, 2016"


def _strip_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_strip_ids(item) for item in value]
    return value


def _comparable(page: Page, name: str, value: Any) -> tuple[Any, Any]:
    """(current, wanted) in a form that compares equal when nothing would change."""
    field = page._meta.get_field(name)
    current = getattr(page, name)
    if isinstance(field, StreamField):
        wanted = field.stream_block.get_prep_value(field.stream_block.to_python(value))
        return _strip_ids(current.get_prep_value()), _strip_ids(wanted)
    if isinstance(field, models.ForeignKey):
        return getattr(page, field.attname), (value.pk if value is not None else None)
    return current, value


def upsert_page(parent: Page, model: type[Page], *, slug: str, **fields: Any) -> Page:
    """The child of `parent` with `slug`, created or updated to `fields` and published."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    page = existing.specific
    if not isinstance(page, model):
        raise TypeError(
            f"The page {page.url_path} is a {type(page).__name__}, expected {model.__name__}."
        )
    update_page(page, **fields)
    return page


def update_page(page: Page, **fields: Any) -> None:
    """Set `fields` and publish a revision, but only if something differs."""
    changed = False
    for name, value in fields.items():
        current, wanted = _comparable(page, name, value)
        if current != wanted:
            setattr(page, name, value)
            changed = True
    if changed or not page.live:
        page.save_revision().publish()


def ensure_home_page() -> HomePage:
    """Our HomePage as the default site's root; Wagtail's untouched welcome page is removed."""
    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(title=texts.HOME_TITLE, slug=HOME_SLUG, intro=texts.HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=texts.HOME_TITLE,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    welcome_type = ContentType.objects.get_for_model(Page)
    for welcome in root.get_children().filter(content_type=welcome_type, numchild=0):
        if not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()
    return home


def _paragraphs_html(items: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in items if text.strip())


def handlungsfeld_body(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The concept's sections of one field as StreamField data (empty sections are left out)."""
    body: list[dict[str, Any]] = [texts.TOC]
    meaning = row.get("meaning") or {}
    if meaning.get("points"):
        body.append(
            {
                "type": "meaning",
                "value": {
                    "heading": meaning["heading"],
                    "lead": meaning.get("lead") or "",
                    "points": list(meaning["points"]),
                    "closing": meaning.get("closing") or "",
                },
            }
        )
    if row.get("vision"):
        body.append(
            {"type": "vision", "value": {"quote": row["vision"], "attribution": VISION_SOURCE}}
        )
    info = row.get("info_box")
    if info:
        body.append(
            {
                "type": "info_box",
                "value": {
                    "heading": info["title"],
                    "subtitle": info.get("subtitle") or "",
                    "items": list(info.get("items", [])),
                    "source": info.get("source") or "",
                },
            }
        )
    builds_on = row.get("builds_on") or {}
    if builds_on.get("paragraphs"):
        body.append(
            {
                "type": "builds_on",
                "value": {
                    "heading": builds_on.get("heading") or "Worauf bauen wir auf?",
                    "label": (builds_on.get("label") or "").capitalize(),
                    "body": "",
                    "projects": [
                        {"title": "", "text": f"<p>{escape(text)}</p>"}
                        for text in builds_on["paragraphs"]
                    ],
                },
            }
        )
    where_to = row.get("where_to") or {}
    if where_to.get("goals"):
        body.append(
            {
                "type": "where_to",
                "value": {
                    "heading": where_to.get("heading") or "Wo wollen wir hin?",
                    "intro": "",
                    "goals": [
                        {"title": goal["title"], "measures": list(goal.get("measures", []))}
                        for goal in where_to["goals"]
                    ],
                },
            }
        )
    return body


@register("pages", stage=PAGES)
def load_pages(ctx: DemoContext) -> None:
    home = ensure_home_page()
    ctx.pages["home"] = home
    demo = upsert_page(
        home,
        ConsultationPage,
        slug="fortschreibung-2027",
        title=ctx.demo_consultation.title,
        consultation=ctx.demo_consultation,
        show_in_menus=True,
        search_description="Demo-Beteiligung: Vorschläge einreichen, unterstützen und kommentieren.",
    )
    historic = upsert_page(
        home,
        ConsultationPage,
        slug="integrationskonzept-2016",
        title=ctx.historic_consultation.title,
        consultation=ctx.historic_consultation,
        show_in_menus=True,
        search_description=ctx.data["source"]["title"],
    )
    ctx.pages["consultation:demo"] = demo
    ctx.pages["consultation:historic"] = historic

    intro = ctx.data.get("handlungsfelder_intro") or {}
    next_steps = intro.get("next_steps") or {}
    index = upsert_page(
        home,
        HandlungsfelderIndexPage,
        slug="handlungsfelder",
        title=intro.get("heading") or "Handlungsfelder",
        intro=_paragraphs_html(intro.get("paragraphs", [])),
        body=(
            [
                texts.section(
                    next_steps["heading"], _paragraphs_html(next_steps.get("paragraphs", []))
                )
            ]
            if next_steps.get("paragraphs")
            else []
        ),
        show_in_menus=True,
    )
    ctx.pages["handlungsfelder"] = index
    for row in sorted(ctx.data["handlungsfelder"], key=lambda item: item["number"]):
        field = ctx.handlungsfelder[row["slug"]]
        ctx.pages[f"handlungsfeld:{row['slug']}"] = upsert_page(
            index,
            HandlungsfeldPage,
            slug=row["slug"],
            title=row["name"],
            handlungsfeld=field,
            consultation=ctx.demo_consultation,
            intro=_paragraphs_html(row.get("intro", [])),
            body=handlungsfeld_body(row),
            search_description=row.get("vision") or "",
        )

    legal = [
        ("impressum", "Impressum", texts.IMPRESSUM_INTRO, texts.IMPRESSUM_BODY),
        ("datenschutz", "Datenschutzerklärung", texts.DATENSCHUTZ_INTRO, texts.DATENSCHUTZ_BODY),
        (
            "barrierefreiheit",
            "Erklärung zur Barrierefreiheit",
            texts.BARRIEREFREIHEIT_INTRO,
            texts.BARRIEREFREIHEIT_BODY,
        ),
    ]
    for slug, title, page_intro, body in legal:
        ctx.pages[slug] = upsert_page(
            home,
            StandardPage,
            slug=slug,
            title=title,
            intro=page_intro,
            body=body,
            show_in_menus=False,
        )

    update_page(home, title=texts.HOME_TITLE, intro=texts.HOME_INTRO, featured_consultation=demo)
    ctx.log(f"{len(ctx.pages)} pages")
