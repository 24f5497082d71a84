"""Forum posts are plain text: blank lines separate paragraphs, lines that begin with ">"
quote an earlier post. Rendered here (escaped) and written here when somebody quotes."""

from __future__ import annotations

from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

QUOTE_MARK = ">"
#: A quote keeps this many characters of the quoted post (the rest is "…").
QUOTE_MAX_LENGTH = 600


def _paragraphs(lines: list[str]) -> SafeString:
    text = "\n".join(lines).strip("\n")
    blocks = [block for block in text.split("\n\n") if block.strip()]
    return format_html_join(
        "",
        "<p>{}</p>",
        ((mark_safe("<br>".join(escape(line) for line in block.split("\n"))),) for block in blocks),
    )


def render_post(body: str) -> SafeString:
    """Paragraphs and line breaks; each run of quoted lines a <blockquote>."""
    parts: list[str] = []
    run: list[str] = []
    quoting = False
    for line in body.replace("\r\n", "\n").split("\n"):
        is_quote = line.startswith(QUOTE_MARK)
        if is_quote != quoting and run:
            parts.append(_block(run, quoting))
            run = []
        quoting = is_quote
        run.append(line[len(QUOTE_MARK) :].removeprefix(" ") if is_quote else line)
    if run:
        parts.append(_block(run, quoting))
    return mark_safe("".join(parts))


def _block(lines: list[str], quoting: bool) -> str:
    inner = _paragraphs(lines)
    if not inner:
        return ""
    return f"<blockquote>{inner}</blockquote>" if quoting else inner


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
