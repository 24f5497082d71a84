from django import template
from django.utils.safestring import SafeString

from forums.text import render_post

register = template.Library()


@register.filter
def post_body(body: str) -> SafeString:
    """A post's text as paragraphs, with quoted lines as blockquotes (escaped)."""
    return render_post(body or "")
