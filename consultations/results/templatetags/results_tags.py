from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@register.simple_tag
def progress_bar(value, wide: bool = False) -> str:
    """A progress bar: `value` 0..100 (or None). The bar is decoration (aria-hidden); the
    figure beside it, in whole per cent, is its text. SVG presentation attributes only (CSP),
    so it draws without results.css; its width is written with a decimal point in every
    language. A tag rather than an include: the monitoring page draws some 200 of them."""
    text = "–" if value is None else gettext("%(progress)s %%") % {"progress": round(value)}
    wide_class = " progress-bar--wide" if wide else ""
    # Every part is a number or our own text: no user input to escape (escaped anyway).
    return mark_safe(
        f'<span class="progress-bar{wide_class}"><svg class="progress-bar__svg" width="160"'
        ' height="12" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false"><rect x="0" y="0" width="100" height="8" fill="#e6e9ec"'
        ' stroke="#5a6570" stroke-width="0.5"/><rect class="progress-bar__fill" x="0" y="0"'
        f' width="{percent(value)}" height="8" fill="#0063b1"/></svg>'
        f'<span class="progress-bar__value">{escape(text)}</span></span>'
    )
