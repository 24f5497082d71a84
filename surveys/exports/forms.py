"""The export request form; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import SurveyExportFormat


class SurveyExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("File format"),
        choices=SurveyExportFormat.choices,
        initial=SurveyExportFormat.XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a file format.")},
    )
    complete_only = forms.BooleanField(
        label=_("Complete responses only"),
        required=False,
        help_text=_("Without this, partly answered responses are exported as well."),
    )
