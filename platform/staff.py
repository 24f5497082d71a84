"""Apps register links to their staff pages here; the base layout shows the allowed ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class StaffLink:
    title: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100


_links: list[StaffLink] = []


def register_staff_link(link: StaffLink) -> None:
    if link not in _links:
        _links.append(link)


def staff_links_for(user: Any) -> list[dict[str, str]]:
    return [
        {"title": str(link.title), "url": reverse(link.url_name)}
        for link in sorted(_links, key=lambda item: item.order)
        if link.allowed(user)
    ]
