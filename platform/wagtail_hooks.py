"""Registers the foundation's screens with the Wagtail admin (see admin/)."""

from __future__ import annotations

from wagtail import hooks

from .admin.viewsets import PlatformViewSetGroup


@hooks.register("register_admin_viewset")
def register_platform_viewsets() -> PlatformViewSetGroup:
    return PlatformViewSetGroup()
