"""Limited rich text, shared by every app that stores it (proposals, event documentation).

The allowed tags stay, everything else (scripts, styles, event handlers, other URL schemes)
goes; nh3 does the parsing. Text without block tags becomes paragraphs.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
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
