from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foundation.models import Department, Handlungsfeld

from .models import ImplementationStatus


class AccessibleFormMixin:
    """Ties each field's error list and help text to its input (aria-describedby, aria-invalid)."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, bound in self._bound_items():
            widget = bound.field.widget
            described = []
            if bound.help_text:
                described.append(f"{bound.auto_id}_helptext")
            if name in self.errors:  # type: ignore[attr-defined]
                described.append(f"{bound.auto_id}_error")
                widget.attrs["aria-invalid"] = "true"
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def _bound_items(self) -> list[tuple[str, Any]]:
        return [(name, self[name]) for name in self.fields]  # type: ignore[attr-defined,index]


PROGRESS_RANGE_MESSAGE = _("The progress must be a whole number from 0 to 100 per cent.")
WEIGHT_RANGE_MESSAGE = _("The weight must be a whole number from 1 to 1000.")


class ProgressForm(AccessibleFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Implementation status"), choices=ImplementationStatus.choices
    )
    progress = forms.IntegerField(
        label=_("Progress in per cent"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "invalid": PROGRESS_RANGE_MESSAGE,
            "min_value": PROGRESS_RANGE_MESSAGE,
            "max_value": PROGRESS_RANGE_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        help_text=_("0 to 100. A change of the progress needs a progress note."),
    )
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What happened since the last note? Notes appear in the half-yearly report. A "
            "measure can only be marked as “Implemented” or “Deferred” together with a note."
        ),
    )


class DepartmentForm(AccessibleFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("– none –"),
    )


class WeightForm(AccessibleFormMixin, forms.Form):
    weight = forms.IntegerField(
        label=_("Weight in the roll-up"),
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": WEIGHT_RANGE_MESSAGE,
            "min_value": WEIGHT_RANGE_MESSAGE,
            "max_value": WEIGHT_RANGE_MESSAGE,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        help_text=_(
            "How much this measure counts in the progress of its goal and Handlungsfeld. "
            "Empty counts as 1."
        ),
    )


class IndicatorForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the indicator"), max_length=200)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("For example %, persons, courses"),
    )
    target = forms.DecimalField(
        label=_("Target value"), required=False, max_digits=14, decimal_places=2
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class FieldIndicatorForm(IndicatorForm):
    handlungsfeld = forms.ModelChoiceField(
        label=_("Handlungsfeld"), queryset=Handlungsfeld.objects.none()
    )

    field_order = ["handlungsfeld", "name", "unit", "target", "description"]

    def __init__(self, *args: Any, fields_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handlungsfeld"].queryset = (
            fields_queryset if fields_queryset is not None else Handlungsfeld.objects.all()
        )


class IndicatorValueForm(AccessibleFormMixin, forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Format: YYYY-MM-DD"),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReportRequestForm(AccessibleFormMixin, forms.Form):
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to report everything since the last report."),
    )
    period_end = forms.DateField(
        label=_("Period until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to report up to now."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period must be after its start."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("A report cannot cover a period in the future."))
        return data

    def period(self) -> tuple[datetime | None, datetime | None]:
        """Whole days: from the start of the first to the end of the last day (local time)."""
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        start_at = timezone.make_aware(datetime.combine(start, time.min)) if start else None
        end_at = None
        if end:
            end_at = min(timezone.make_aware(datetime.combine(end, time.max)), timezone.now())
        return start_at, end_at


class ReportNarrativeForm(AccessibleFormMixin, forms.Form):
    """The coordination office's texts for the report: issuer, summary, one text per field."""

    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        required=False,
        help_text=_(
            "The office named on the cover. Leave empty for “Coordination office” and the name "
            "of the site."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Opens the report, before the key figures. Blank lines start a new paragraph."),
    )

    def __init__(self, *args: Any, handlungsfelder: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlungsfelder = list(handlungsfelder)
        for handlungsfeld in self.handlungsfelder:
            self.fields[self.field_name(handlungsfeld)] = forms.CharField(
                label=f"{handlungsfeld.number}. {handlungsfeld.name}",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    @staticmethod
    def field_name(handlungsfeld: Handlungsfeld) -> str:
        return f"field_{handlungsfeld.pk}"

    def field_texts(self) -> dict[int, str]:
        return {
            handlungsfeld.pk: self.cleaned_data.get(self.field_name(handlungsfeld), "")
            for handlungsfeld in self.handlungsfelder
        }


class MeasureFilterForm(forms.Form):
    """GET filters of the measure lists; invalid values are ignored rather than failing the page."""

    handlungsfeld = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=Handlungsfeld.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All Handlungsfelder"),
    )
    status = forms.ChoiceField(
        label=_("Implementation status"),
        choices=[("", _("All statuses")), *ImplementationStatus.choices],
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    q = forms.CharField(label=_("Search in the wording"), required=False, max_length=100)

    def __init__(
        self, *args: Any, fields_queryset: Any = None, departments: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handlungsfeld"].queryset = (
            fields_queryset if fields_queryset is not None else Handlungsfeld.objects.all()
        )
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return self.cleaned_data.get(name)


# --- Concept versions ----------------------------------------------------------------------------
# The rules (title required, one draft, resolution complete and not in the future) live in
# versions.py; these forms only parse, so that the service's message is the one shown.


class VersionStartForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the new version"),
        max_length=200,
        required=False,
        help_text=_("For example “Integrationskonzept der Region Hannover – Fortschreibung 2027”"),
    )
    continues = forms.ModelChoiceField(
        label=_("Continue the adopted concept of another consultation"),
        queryset=None,
        required=False,
        empty_label=_("– no, start from this consultation's working copy –"),
        help_text=_(
            "Only for a first version: the goals and measures of the chosen version become "
            "the working copy of this consultation."
        ),
    )

    def __init__(self, *args: Any, continuable: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if continuable is None:
            del self.fields["continues"]
        else:
            self.fields["continues"].queryset = continuable
            self.fields["continues"].label_from_instance = lambda version: (
                f"{version.consultation.title}: {version.title}"
            )


class VersionAdoptForm(AccessibleFormMixin, forms.Form):
    resolution_body = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        required=False,
        help_text=_("The body that adopted it, for example “Regionsversammlung”"),
    )
    resolution_date = forms.DateField(
        label=_("Date of the resolution"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    resolution_reference = forms.CharField(
        label=_("Reference of the resolution"),
        max_length=200,
        required=False,
        help_text=_(
            "For example “Beschluss der Regionsversammlung vom 12. März 2027, "
            "Drucksache 1234 (V) 27”"
        ),
    )
