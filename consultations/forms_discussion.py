"""Forms for comments, flags and exports. The rules live in the services.

The moderation reason form is shared with the forums: foundation.forms.ModerationReasonForm.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from foundation.models import Consultation

from .discussion import COMMENT_MAX_LENGTH, FLAG_NOTE_MAX_LENGTH
from .models import ExportFormat, FlagReason


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("At most 5000 characters. Please stay fair and on topic."),
        error_messages={
            "required": _("Please write a comment before sending it."),
            "max_length": _("A comment can have at most %(limit_value)d characters; yours has %(show_value)d."),
        },
    )

    def __init__(self, *args: object, label: str | None = None, prefix_id: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"


class ReplyForm(CommentForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Your reply"))
        super().__init__(*args, **kwargs)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    note = forms.CharField(
        label=_("Note for the moderation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FLAG_NOTE_MAX_LENGTH,
        error_messages={"max_length": _("The note can have at most %(limit_value)d characters.")},
    )


class ExportRequestForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_("Consultation"),
        queryset=Consultation.objects.order_by("-created_at"),
        empty_label=None,
        error_messages={"required": _("Please choose a consultation."), "invalid_choice": _("Please choose a consultation.")},
    )
    format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a file format.")},
    )
