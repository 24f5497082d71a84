from django import template
from django.utils.safestring import SafeString, mark_safe

from forums.text import render_post

register = template.Library()


@register.filter
def post_html(post: object) -> SafeString:
    """A post's text as shown: rendered (and sanitised by nh3) when it was saved, or now for a
    post stored another way (a bulk import)."""
    return mark_safe(post.body_html or render_post(post.body or ""))
