from django import template

from ..models import ImplementationStatus

register = template.Library()

_LABELS = dict(ImplementationStatus.choices)


@register.filter
def status_label(code: str) -> str:
    return str(_LABELS.get(code, "")) if code else ""


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def done_share(counts) -> str:
    """Share of implemented measures in per cent, rounded to whole numbers."""
    total = counts.total
    if not total:
        return "0"
    return str(round(counts.counts.get(ImplementationStatus.DONE, 0) / total * 100))
