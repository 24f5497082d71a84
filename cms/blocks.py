"""StreamField blocks of the public pages.

The Handlungsfeld blocks mirror the sections of the concept's chapters 7–14:
"Was bedeutet … für uns?" (MeaningBlock), "Worauf bauen wir auf?" (BuildsOnBlock),
"Wo wollen wir hin?" (GoalsBlock) and the "Wir wollen …" vision (QuoteBlock).
Every block with a heading gets an anchor so that the table of contents can link to it.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


def anchor_for(heading: str) -> str:
    """A stable, readable fragment id for a heading ("Wo wollen wir hin?" → "wo-wollen-wir-hin")."""
    return slugify(heading) or "section"


class HeadingMixin:
    """Blocks whose value has a "heading" take part in the table of contents."""

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)  # type: ignore[misc]
        heading = value.get("heading") if hasattr(value, "get") else ""
        context["anchor"] = anchor_for(heading) if heading else ""
        return context


class SectionBlock(HeadingMixin, blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    body = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Section with heading")
        template = "cms/blocks/section.html"


class MeaningBlock(HeadingMixin, blocks.StructBlock):
    """ "Was bedeutet … für uns?": a lead sentence and the list of what it means."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    lead = blocks.TextBlock(label=_("Lead sentence"), required=False)
    points = blocks.ListBlock(blocks.TextBlock(label=_("Point")), label=_("Points"))
    closing = blocks.TextBlock(label=_("Closing sentence"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("What it means for us")
        template = "cms/blocks/meaning.html"


class ExampleProjectBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("Description"), features=RICH_TEXT_FEATURES)


class BuildsOnBlock(HeadingMixin, blocks.StructBlock):
    """ "Worauf bauen wir auf?": what already exists, with example projects."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    label = blocks.CharBlock(
        label=_("Label above the examples"),
        max_length=200,
        required=False,
        help_text=_("For example “Beispielhaft Maßnahmen und Projekte”."),
    )
    body = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, required=False)
    projects = blocks.ListBlock(ExampleProjectBlock(), label=_("Example projects"), required=False)

    class Meta:
        icon = "folder-open-inverse"
        label = _("What we build on")
        template = "cms/blocks/builds_on.html"


class GoalBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Goal"), max_length=500)
    measures = blocks.ListBlock(
        blocks.TextBlock(label=_("Measure")), label=_("Measures"), required=False
    )


class GoalsBlock(HeadingMixin, blocks.StructBlock):
    """ "Wo wollen wir hin?": goals, each with its measures."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    intro = blocks.RichTextBlock(
        label=_("Introduction"), features=RICH_TEXT_FEATURES, required=False
    )
    goals = blocks.ListBlock(GoalBlock(), label=_("Goals"))

    class Meta:
        icon = "tick-inverse"
        label = _("Where we want to go (goals and measures)")
        template = "cms/blocks/goals.html"


class QuoteBlock(blocks.StructBlock):
    """The "Wir wollen …" vision of a field, or any other highlighted quotation."""

    quote = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Source"), max_length=200, required=False)

    class Meta:
        icon = "openquote"
        label = _("Quotation or vision")
        template = "cms/blocks/quote.html"


class InfoBoxBlock(HeadingMixin, blocks.StructBlock):
    """A highlighted box of facts, e.g. "Geflüchtete in der Region – Aktuelle Zahlen"."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    subtitle = blocks.CharBlock(label=_("Subtitle"), max_length=300, required=False)
    items = blocks.ListBlock(blocks.TextBlock(label=_("Fact")), label=_("Facts"))
    source = blocks.CharBlock(label=_("Source"), max_length=300, required=False)

    class Meta:
        icon = "info-circle"
        label = _("Fact box")
        template = "cms/blocks/info_box.html"


class TableOfContentsBlock(blocks.StaticBlock):
    """Lists the headed sections of the page with links to their anchors."""

    class Meta:
        icon = "list-ol"
        label = _("Table of contents")
        admin_text = _(
            "Lists the sections of this page with links. Place it above the first section."
        )
        template = "cms/blocks/table_of_contents.html"


class BodyStreamBlock(blocks.StreamBlock):
    """Body of standard pages (Impressum, Datenschutz, Barrierefreiheitserklärung)."""

    table_of_contents = TableOfContentsBlock()
    section = SectionBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    info_box = InfoBoxBlock()


class HandlungsfeldStreamBlock(blocks.StreamBlock):
    """Body of a Handlungsfeld page: the concept's sections in the order the editor chooses."""

    table_of_contents = TableOfContentsBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    meaning = MeaningBlock()
    vision = QuoteBlock(label=_("Vision (“Wir wollen …”)"))
    builds_on = BuildsOnBlock()
    where_to = GoalsBlock()
    info_box = InfoBoxBlock()
    section = SectionBlock()
    quote = QuoteBlock()


def table_of_contents(stream: Any) -> list[dict[str, str]]:
    """The headed blocks of a StreamField value as [{"anchor", "heading"}], in page order."""
    entries = []
    for child in stream:
        value = child.value
        heading = value.get("heading") if hasattr(value, "get") else None
        if heading:
            entries.append({"anchor": anchor_for(heading), "heading": heading})
    return entries
