"""Limited rich text, shared by every app that stores it (proposals, forum posts, event
documentation).

Residents write Markdown (a small part of it: paragraphs, **bold**, *italic*, lists, links and,
in forum posts, > quotes); markdown-it-py turns it into HTML, nh3 keeps only the allowed tags.
Editors' HTML (event documentation) goes through nh3 alone. Either way the allowed tags stay and
everything else (scripts, styles, event handlers, other URL schemes) goes.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdownify import markdownify

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
#: A numbered list may start elsewhere than 1 ("3. Schritt" stays 3).
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
#: Forum posts may quote (a "> " line), nothing else more.
QUOTE_TAGS = {"blockquote"}
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
#: Tags that lay out blocks themselves: text that has one keeps its own paragraphs.
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(p|ul|ol|li)\b", re.IGNORECASE)


def sanitize_html(raw: str) -> str:
    """Limited rich text: the allowed tags stay, everything else (scripts, styles, on*) goes.

    Text without block tags (<p>, lists) becomes paragraphs: blank lines separate paragraphs,
    single line breaks become <br>; in plain text (no tags at all) every character is text,
    while inline tags (<strong>, <a>, ...) stay inside their paragraph. Links get
    rel="nofollow".
    """
    text = (raw or "").replace("\r\n", "\n").strip()
    if not _BLOCK_TAG_RE.search(text):
        as_text = not _TAG_RE.search(text)
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
        text = "".join(
            f"<p>{(escape(part) if as_text else part).replace(chr(10), '<br>')}</p>"
            for part in paragraphs
        )
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow",
        strip_comments=True,
    ).strip()


def visible_text(html: str) -> str:
    """The text a reader sees (for "is it empty?" checks)."""
    return nh3.clean(html or "", tags=set()).strip()


# The Markdown that residents may write: everything else of CommonMark (headings, code, images,
# tables, raw HTML, rules) is switched off, so "# 1" or "<b>" stay as typed. A single line
# break stays a line break (breaks): people do not know Markdown's two trailing spaces.
# A bare address ("https://…", "www.…") becomes a link (linkify), as people expect of a forum.
_OFF = ["code", "fence", "hr", "html_block", "heading", "lheading", "backticks", "image"]
_OPTIONS = {"html": False, "breaks": True, "linkify": True}
_MARKDOWN = (
    MarkdownIt("commonmark", _OPTIONS)
    .enable("linkify")
    .disable([*_OFF, "blockquote", "html_inline"])
)
_MARKDOWN_QUOTES = (
    MarkdownIt("commonmark", _OPTIONS).enable("linkify").disable([*_OFF, "html_inline"])
)
for _md in (_MARKDOWN, _MARKDOWN_QUOTES):  # only addresses a link may have (ALLOWED_URL_SCHEMES)
    _md.linkify.add("ftp:", None).add("//", None)


def render_markdown(source: str, *, quotes: bool = False) -> str:
    """The limited rich text of a resident's Markdown: paragraphs, line breaks, bold, italic,
    lists and links (rel="nofollow"); with `quotes`, also "> " quotes. Raw HTML in the source is
    shown as text, never interpreted."""
    html = (_MARKDOWN_QUOTES if quotes else _MARKDOWN).render((source or "").replace("\r\n", "\n"))
    return (
        nh3.clean(
            html,
            tags=ALLOWED_TAGS | QUOTE_TAGS if quotes else ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            attribute_filter=_absolute_links,
            link_rel="nofollow",
            strip_comments=True,
        )
        .replace(">\n", ">")
        .strip()
    )  # markdown-it's line ends after tags carry no meaning


def _absolute_links(tag: str, attribute: str, value: str) -> str | None:
    """A resident's link goes to a full address (https://…, mailto:…): a relative one would
    point into this site, where it means nothing or the admin."""
    if attribute == "href" and value.partition(":")[0].lower() not in ALLOWED_URL_SCHEMES:
        return None
    return value


def markdown_of(html: str) -> str:
    """Markdown that renders to (nearly) the same limited rich text: for texts stored as HTML
    before residents wrote Markdown, so that editing them shows no tags."""
    # markdownify's defaults give ** and * and leave other punctuation alone (the tests hold it).
    text = markdownify(html or "", bullets="-")
    # markdownify marks a <br> with two trailing spaces; render_markdown breaks lines anyway.
    return re.sub(r" {2,}\n", "\n", text).strip()
