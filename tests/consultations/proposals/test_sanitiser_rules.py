"""Rich text never keeps script: no on* handler and no javascript: link survives, on any tag.

Two ways in: editors' HTML (event documentation) goes through the sanitiser alone; residents'
Markdown (proposals, forum posts) is rendered and then sanitised, and raw HTML in it stays
text. The tags that may come out are written out here (as the formatting help promises them),
not read from the code, so that widening the allow-list in the code cannot widen this test
with it.
"""

from __future__ import annotations

import uuid
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consultations.models import Proposal
from consultations.proposals.services import ProposalData, proposal_submit
from foundation.richtext import render_markdown, sanitize_html
from tests.consultations.factories import HandlungsfeldFactory, ResidentFactory, open_consultation

# What the form's help text promises: paragraphs, line breaks, <strong>, <em>, <ul>, <ol>,
# <li> and <a href="…">. Each with the markup it needs to be valid on its own.
ALLOWED_TAGS = {
    "p": "<p {attrs}>Absatz</p>",
    "br": "<p>Zeile<br {attrs}>Zeile</p>",
    "strong": "<p><strong {attrs}>wichtig</strong></p>",
    "em": "<p><em {attrs}>betont</em></p>",
    "ul": "<ul {attrs}><li>Punkt</li></ul>",
    "ol": "<ol {attrs}><li>Schritt</li></ol>",
    "li": "<ul><li {attrs}>Punkt</li></ul>",
    "a": '<p><a href="https://example.org/kurse" {attrs}>Kurse</a></p>',
}

EVENT_HANDLERS = [
    "onclick",
    "onerror",
    "onload",
    "onmouseover",
    "onmouseenter",
    "onfocus",
    "onblur",
    "onkeydown",
    "onpointerdown",
    "onanimationstart",
    "ontoggle",
    "OnClick",  # HTML attribute names are case-insensitive
]

JAVASCRIPT_URLS = [
    "javascript:steal()",
    "JaVaScRiPt:steal()",
    " javascript:steal()",
    "java&#x09;script:steal()",
    "&#106;avascript:steal()",
    "javascript&colon;steal()",
    "vbscript:steal()",
    "data:text/html;base64,PHNjcmlwdD5zdGVhbCgpPC9zY3JpcHQ+",
]


class Markup(HTMLParser):
    """Every start tag with its attributes, as a browser would read them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name.lower(): value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def assert_no_script(html: str) -> None:
    for tag, attrs in Markup(html).tags:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"<{tag}> kept {handlers}: {html}"
        for name, value in attrs.items():
            scheme = "".join(unescape(value).split()).lower().partition(":")[0]
            assert scheme not in {"javascript", "vbscript", "data"}, f"<{tag} {name}={value!r}>"
    assert "steal" not in html, html


def assert_no_script_markup(html: str) -> None:
    """Rendered Markdown: what was typed as HTML may show as text, but is never markup."""
    for tag, attrs in Markup(html).tags:
        assert tag in ALLOWED_TAGS or tag == "blockquote", f"<{tag}> came through: {html}"
        assert not [name for name in attrs if name.startswith("on")], html
        for name, value in attrs.items():
            assert "steal" not in value, f"<{tag} {name}={value!r}>"


def tag_names(html: str) -> set[str]:
    return {tag for tag, _attrs in Markup(html).tags}


@pytest.mark.parametrize("tag", list(ALLOWED_TAGS))
@pytest.mark.parametrize("handler", EVENT_HANDLERS)
def test_no_event_handler_survives_on_an_allowed_tag(tag, handler):
    html = sanitize_html(ALLOWED_TAGS[tag].format(attrs=f'{handler}="steal()"'))

    assert_no_script(html)
    assert tag in tag_names(html)  # the tag itself is allowed and stays


@pytest.mark.parametrize("tag", list(ALLOWED_TAGS))
def test_all_handlers_at_once_and_a_style_go_from_every_allowed_tag(tag):
    attrs = " ".join(f'{handler}="steal()"' for handler in EVENT_HANDLERS)
    html = sanitize_html(ALLOWED_TAGS[tag].format(attrs=f'{attrs} style="color:red"'))

    assert_no_script(html)
    assert "style=" not in html
    assert tag in tag_names(html)


@pytest.mark.parametrize("url", JAVASCRIPT_URLS)
@pytest.mark.parametrize("attribute", ["href", "src", "action", "formaction", "xlink:href"])
def test_no_script_url_survives_on_a_link(url, attribute):
    html = sanitize_html(f'<p><a {attribute}="{url}">Kurse</a></p>')

    assert_no_script(html)
    assert "Kurse" in html


@pytest.mark.parametrize("tag", [t for t in ALLOWED_TAGS if t != "a"])
def test_no_other_tag_takes_a_link(tag):
    html = sanitize_html(ALLOWED_TAGS[tag].format(attrs='href="https://example.org" src="x"'))

    assert "example.org" not in html and "src=" not in html


def test_a_plain_https_link_stays_with_nofollow():
    html = sanitize_html('<p><a href="https://example.org/kurse" target="_blank">Kurse</a></p>')

    assert html == '<p><a href="https://example.org/kurse" rel="nofollow">Kurse</a></p>'


HOSTILE = "".join(
    ALLOWED_TAGS[tag].format(attrs=f'{handler}="steal()"')
    for tag in ALLOWED_TAGS
    for handler in ("onclick", "onerror", "onmouseover", "onload")
) + "".join(f'<p><a href="{url}">Link</a></p>' for url in JAVASCRIPT_URLS)

# Every formatting the help offers, then the same text as raw HTML with handlers, then links to
# every script URL in Markdown's own syntax.
EVERYTHING = (
    "Absatz mit **wichtig** und *betont*\nZeile\n\n- Punkt\n- Punkt\n\n1. Schritt\n\n"
    "[Kurse](https://example.org/kurse)\n\n"
    + HOSTILE
    + "\n\n"
    + "\n\n".join(f"[Link]({url})" for url in JAVASCRIPT_URLS)
    + "\n\n<script>steal()</script>"
)


@pytest.mark.parametrize("quotes", [False, True])
def test_rendered_markdown_keeps_the_formatting_and_no_script(quotes):
    html = render_markdown(EVERYTHING, quotes=quotes)

    assert_no_script_markup(html)
    assert set(ALLOWED_TAGS) <= tag_names(html)
    # The raw HTML stayed text that a reader sees, escaped.
    assert "&lt;script&gt;steal()&lt;/script&gt;" in html


@pytest.mark.parametrize("url", JAVASCRIPT_URLS)
def test_no_script_url_survives_as_a_markdown_link(url):
    html = render_markdown(f"[Kurse]({url}) und <{url}>")

    assert_no_script_markup(html)
    assert "Kurse" in html


def test_quotes_only_in_forum_posts():
    assert render_markdown("> zitiert", quotes=True) == "<blockquote><p>zitiert</p></blockquote>"
    assert render_markdown("> zitiert") == "<p>&gt; zitiert</p>"


@pytest.mark.parametrize(
    "typed",
    [
        "# Überschrift",
        "    eingerückt",
        "```\ncode\n```",
        "---",
        "`code`",
        "<b>fett</b>",
    ],
)
def test_markdown_beyond_the_help_stays_text(typed):
    html = render_markdown(typed)

    assert tag_names(html) <= {"p", "br"}, html


def test_an_image_becomes_a_link_to_it_not_an_image():
    html = render_markdown("![Plakat](https://example.org/plakat.png)")

    assert tag_names(html) == {"p", "a"}
    assert 'href="https://example.org/plakat.png"' in html


@pytest.mark.parametrize("url", ["kurse.html", "/admin/", "//example.org/x", "www.example.org"])
def test_a_markdown_link_must_be_absolute(url):
    html = render_markdown(f"[Kurse]({url})")

    assert "href" not in html and "Kurse" in html


@pytest.mark.django_db
def test_the_submit_service_stores_the_text_without_script():
    proposal, _created = proposal_submit(
        consultation=open_consultation(),
        author=ResidentFactory(),
        data=ProposalData(
            kind="measure",
            title="Sprachkurse mit Kinderbetreuung",
            body=EVERYTHING,
            handlungsfeld=HandlungsfeldFactory(),
            is_region_wide=True,
        ),
    )

    stored = Proposal.objects.get(pk=proposal.pk)
    assert_no_script_markup(stored.body)
    assert set(ALLOWED_TAGS) <= tag_names(stored.body)
    assert stored.body_source == EVERYTHING  # what the author wrote, for editing


@pytest.mark.django_db
@pytest.mark.parametrize("button", ["preview", "publish"])
def test_the_proposal_form_shows_and_stores_no_script(client, button):
    consultation = open_consultation()
    client.force_login(ResidentFactory())
    data = {
        "kind": "measure",
        "title": "Sprachkurse mit Kinderbetreuung",
        "body": EVERYTHING,
        "handlungsfeld": HandlungsfeldFactory().pk,
        "scope": "region",
        "submission_token": str(uuid.uuid4()),
        button: "1",
    }

    response = client.post(
        reverse("consultations:proposal_create", args=[consultation.slug]), data, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    # The form echoes what was typed (escaped) in its textarea; the rendered text is elsewhere.
    rendered = page.replace(page[page.find("<textarea") : page.find("</textarea>")], "")
    for tag, attrs in Markup(rendered).tags:  # typed as HTML, shown as text, never markup
        assert not [name for name in attrs if name.startswith("on")], tag
        assert not [value for value in attrs.values() if "steal" in value], tag
    assert "<script>steal" not in rendered
    assert "Absatz mit <strong>wichtig</strong>" in rendered
    if button == "publish":
        assert_no_script_markup(Proposal.objects.get().body)


@pytest.mark.django_db
def test_one_allowed_tag_does_not_cost_a_proposal_its_paragraphs(client):
    """Typed as a person types: blank lines between paragraphs, one word in bold."""
    consultation = open_consultation()
    client.force_login(ResidentFactory())
    data = {
        "kind": "measure",
        "title": "Sprachkurse mit Kinderbetreuung",
        "body": "Viele Eltern können nicht teilnehmen.\n\nDeshalb **immer** mit"
        "\nKinderbetreuung.\n\nUnd a < b bleibt Text.",
        "handlungsfeld": HandlungsfeldFactory().pk,
        "scope": "region",
        "submission_token": str(uuid.uuid4()),
        "publish": "1",
    }
    client.post(reverse("consultations:proposal_create", args=[consultation.slug]), data)
    body = Proposal.objects.get().body
    assert body == (
        "<p>Viele Eltern können nicht teilnehmen.</p>"
        "<p>Deshalb <strong>immer</strong> mit<br>Kinderbetreuung.</p>"
        "<p>Und a &lt; b bleibt Text.</p>"
    )
    # Editors' HTML that lays out its own paragraphs keeps them as they are.
    assert sanitize_html("<p>eins</p><ul><li>zwei</li></ul>") == "<p>eins</p><ul><li>zwei</li></ul>"
