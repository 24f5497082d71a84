"""Forum posts are Markdown (foundation.richtext): blank lines separate paragraphs, lines that
begin with ">" quote an earlier post. Rendered here and written here when somebody quotes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from foundation.richtext import render_markdown

QUOTE_MARK = ">"
#: A quote keeps this many characters of the quoted post (the rest is "…").
QUOTE_MAX_LENGTH = 600


def render_post(body: str) -> str:
    """A post's limited rich text (foundation.richtext's Markdown, with "> " quotes).

    A quote ends where its ">" lines end: Markdown would carry on the quote into a line typed
    right below it, so that line starts a paragraph of its own here."""
    lines = body.replace("\r\n", "\n").split("\n")
    separated: list[str] = []
    for line in lines:
        if (
            separated
            and separated[-1].startswith(QUOTE_MARK)
            and line.strip()
            and not line.startswith(QUOTE_MARK)
        ):
            separated.append("")
        separated.append(line)
    return render_markdown("\n".join(separated), quotes=True)


def quote_of(post: object, name: str) -> str:
    """What the reply field starts with when somebody quotes `post` (its own quotes left
    out, so quotes do not nest)."""
    own = [
        line
        for line in post.body.replace("\r\n", "\n").split("\n")
        if not line.startswith(QUOTE_MARK)
    ]
    text = "\n".join(own).strip()
    if len(text) > QUOTE_MAX_LENGTH:
        text = text[:QUOTE_MAX_LENGTH].rstrip() + " …"
    lines = [_("%(name)s wrote:") % {"name": name}, *text.split("\n")]
    return "\n".join(f"{QUOTE_MARK} {line}".rstrip() for line in lines) + "\n\n"
