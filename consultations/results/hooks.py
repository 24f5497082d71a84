"""Connection to the review workflow (consultations.review), which may not be installed."""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)


def connect_review_hook() -> bool:
    """Register `services.adopt_published_case` in review.services.on_published (once)."""
    try:
        review_services = importlib.import_module("consultations.review.services")
    except ImportError:
        logger.debug("consultations.review is not installed; adoption runs only through the services")
        return False
    hooks = getattr(review_services, "on_published", None)
    if hooks is None:
        return False
    from .services import adopt_published_case

    if adopt_published_case not in hooks:
        hooks.append(adopt_published_case)
    return True
