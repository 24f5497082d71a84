from django import template

from ..models import ImplementationStatus
from ..thread_selectors import measure_public_url

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


@register.simple_tag
def measure_url(measure, consultation=None) -> str:
    """The public page of a measure: {% measure_url measure consultation %}.

    The page answers 404 until the measure is part of a published concept version; pass the
    consultation when the template has it, to save a query per measure."""
    return measure_public_url(measure, consultation)


@register.filter
def percent(value) -> str:
    """A progress figure for SVG/CSS attributes: plain digits with a decimal point, 0..100."""
    if value is None:
        return "0"
    number = min(max(float(value), 0.0), 100.0)
    return f"{number:.1f}".rstrip("0").rstrip(".")
