"""Forms for comments. The rules live in the services.

The flag form and the moderation reason form are shared with the forums: foundation.forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("At most 5000 characters. Please stay fair and on topic."),
        error_messages={
            "required": _("Please write a comment before sending it."),
            "max_length": _(
                "A comment can have at most %(limit_value)d characters; yours has %(show_value)d."
            ),
        },
    )

    def __init__(
        self, *args: object, label: str | None = None, prefix_id: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"


class ReplyForm(CommentForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Your reply"))
        super().__init__(*args, **kwargs)
