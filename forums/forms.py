"""Forms of the forum pages; the rules themselves live in forums.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from foundation.forms import MarkdownTextarea
from foundation.models import Handlungsfeld, Municipality

from .services import POST_MAX_LENGTH, TITLE_MAX_LENGTH

BODY_ERRORS = {
    "required": _("Please write a text before sending it."),
    "max_length": _(
        "A post can have at most %(limit_value)d characters; yours has %(show_value)d."
    ),
}


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=MarkdownTextarea(attrs={"rows": 6}, quotes=True),
        max_length=POST_MAX_LENGTH,
        strip=False,
        help_text=_(
            "At most 5000 characters. A blank line starts a new paragraph; see “Formatting” for "
            "bold text, lists, links and quotes. Please stay fair and on topic."
        ),
        error_messages=BODY_ERRORS,
    )

    def __init__(self, *args: object, label: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("What is the thread about? At least 5, at most 200 characters."),
        error_messages={
            "required": _("Please enter a title for your thread."),
            "max_length": _(
                "The title can have at most %(limit_value)d characters; yours has %(show_value)d."
            ),
        },
    )
    body = forms.CharField(
        label=_("Your first post"),
        widget=MarkdownTextarea(attrs={"rows": 8}, quotes=True),
        max_length=POST_MAX_LENGTH,
        strip=False,
        help_text=_(
            "At most 5000 characters. A blank line starts a new paragraph; see “Formatting” for "
            "bold text, lists, links and quotes. Please stay fair and on topic."
        ),
        error_messages=BODY_ERRORS,
    )


class EventFilterForm(forms.Form):
    """The filters of the events overview (GET): by Handlungsfeld and by municipality."""

    handlungsfeld = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=Handlungsfeld.objects.order_by("number", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All Handlungsfelder"),
    )
    municipality = forms.ModelChoiceField(
        label=_("Town or municipality"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All towns and municipalities"),
    )
