"""django-rules finds an app's rules in `<app>.rules`: the consultations' live in the sub-packages."""

from .proposals import rules as proposals_rules

__all__ = ["proposals_rules"]
