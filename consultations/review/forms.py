from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.proposals.models import Proposal
from foundation.models import Department, Handlungsfeld
from foundation.validation import ModelMultipleChoiceField

from .models import Assessment, Feasibility, MeetingKind, Responsibility, ReviewMeeting, ReviewState
from .selectors import CaseFilters


class CaseFilterForm(forms.Form):
    handlungsfeld = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=Handlungsfeld.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *ReviewState.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    q = forms.CharField(label=_("Title contains"), max_length=100, required=False)

    def filters(self) -> CaseFilters:
        if not self.is_valid():
            return CaseFilters()
        data = self.cleaned_data
        return CaseFilters(
            handlungsfeld=data["handlungsfeld"],
            state=data["state"],
            department=data["department"],
            overdue=data["overdue"],
            text=data["q"].strip(),
        )


class AssignForm(forms.Form):
    lead_department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.filter(is_active=True),
        empty_label=_("— choose —"),
        error_messages={"required": _("Choose the lead department.")},
    )
    contributing_departments = ModelMultipleChoiceField(
        label=_("Contributing departments"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Optional. They add statements for the lead department."),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Departments are reminded daily once this date has passed."),
        error_messages={"invalid": _("Enter a valid date, e.g. 2015-03-31.")},
    )
    comment = forms.CharField(
        label=_("Note for the department"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssessmentForm(forms.ModelForm):
    feasibility = forms.ChoiceField(
        label=_("Feasibility (Umsetzbarkeit)"),
        choices=Feasibility.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    responsibility = forms.MultipleChoiceField(
        label=_("Responsibility (Zuständigkeit)"),
        choices=Responsibility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose every level that is responsible."),
    )

    class Meta:
        model = Assessment
        fields = [
            "feasibility",
            "responsibility",
            "cost_estimate",
            "time_frame",
            "public_rationale",
            "internal_note",
            "revised_title",
            "revised_body",
        ]
        widgets = {
            "cost_estimate": forms.Textarea(attrs={"rows": 2}),
            "time_frame": forms.Textarea(attrs={"rows": 2}),
            "public_rationale": forms.Textarea(attrs={"rows": 6}),
            "internal_note": forms.Textarea(attrs={"rows": 4}),
            "revised_body": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "public_rationale": _(
                "Published with the assessment. Required; explain especially why a proposal is not feasible."
            ),
            "internal_note": _("For the administration only. Never published."),
            "revised_title": _(
                "The reworded goal or measure (Überarbeitete Ziele / Maßnahmen). The original stays visible."
            ),
        }


class ContributionForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Department.objects.none(), empty_label=None
    )
    statement = forms.CharField(
        label=_("Statement"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a statement.")},
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the department change?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what the department should change.")},
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    duplicates = ModelMultipleChoiceField(
        label=_("Merge these proposals into this one"),
        queryset=Proposal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one other proposal to merge.")},
    )

    def __init__(self, *args: Any, candidates: list[Proposal] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["duplicates"].queryset = Proposal.objects.filter(
                pk__in=[p.pk for p in candidates]
            )


class ProposalIdsField(forms.CharField):
    """Proposal numbers separated by commas or spaces, e.g. "12, 40 41"."""

    def to_python(self, value: Any) -> list[int]:
        text = super().to_python(value) or ""
        parts = [part for part in re.split(r"[\s,;]+", text) if part]
        numbers = []
        for part in parts:
            if not part.lstrip("#").isdigit():
                raise forms.ValidationError(
                    _("“%(value)s” is not a proposal number."),
                    params={"value": part},
                    code="invalid",
                )
            numbers.append(int(part.lstrip("#")))
        return numbers


class MeetingForm(forms.ModelForm):
    proposal_numbers = ProposalIdsField(
        label=_("Proposals discussed"),
        required=False,
        help_text=_("Proposal numbers separated by commas, e.g. 12, 40, 41."),
    )

    class Meta:
        model = ReviewMeeting
        fields = ["kind", "title", "starts_on", "ends_on", "departments", "outcome"]
        widgets = {
            "kind": forms.RadioSelect(choices=MeetingKind.choices),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "departments": forms.SelectMultiple(attrs={"size": 8}),
            "outcome": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["proposal_numbers"] = ", ".join(
                str(pk)
                for pk in self.instance.proposals.order_by("pk").values_list("pk", flat=True)
            )

    def clean_proposal_numbers(self) -> list[Proposal]:
        numbers = self.cleaned_data["proposal_numbers"]
        found = Proposal.objects.in_bulk(numbers)
        missing = [str(number) for number in numbers if number not in found]
        if missing:
            raise forms.ValidationError(
                _("There is no proposal with the number(s) %(numbers)s."),
                params={"numbers": ", ".join(missing)},
            )
        return [found[number] for number in dict.fromkeys(numbers)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day must not be before the first day."))
        return data


class OfficeEditForm(AssessmentForm):
    """The coordination office edits a submitted assessment before approving it."""

    comment = forms.CharField(
        label=_("Note on the edit (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the history of the review; the department can read it."),
    )


class CorrectionForm(AssessmentForm):
    """The coordination office corrects a published assessment; the reason is published too."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown on the public proposal page with the date of the correction, e.g. "
            "“Zuständigkeit nach Rücksprache mit der Kommune berichtigt”."
        ),
        error_messages={
            "required": _("Give the reason for the correction; it is published with it.")
        },
    )

    class Meta(AssessmentForm.Meta):
        fields = [name for name in AssessmentForm.Meta.fields if name != "internal_note"]
