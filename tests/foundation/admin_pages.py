"""Reading Wagtail admin pages in tests: the messages shown, the text, "denied"."""

from __future__ import annotations

import re
from html import unescape


def shown_messages(response) -> list[str]:
    """The messages at the top of the page the person lands on."""
    html = response.content.decode()
    block = re.search(r'<ul data-w-messages-target="container">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    items = re.findall(r"<li[^>]*>(.*?)</li>", block.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def assert_denied(response, url: str) -> None:
    """Wagtail answers with 403 or sends the person away from the page (to the dashboard)."""
    assert response.status_code in {302, 403}, (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"] != url


def relay_url(messages, next_url: str = "/admin/operations/outbox/") -> str:
    ids = "&".join(f"id={message.pk}" for message in messages)
    return f"/admin/bulk/foundation/outboxmessage/relay/?{ids}&next={next_url}"
