from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import FlagReason, Municipality, User
from .moderation import FLAG_NOTE_MAX_LENGTH, REASON_MAX_LENGTH


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown with your contributions. Leave empty to appear as “Participant”."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    municipality = forms.ModelChoiceField(
        label=pgettext_lazy("one of the Städte und Gemeinden", "Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("— not specified —"),
    )

    privacy_consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed as described there."
        ),
        required=True,
        error_messages={
            "required": _(
                "Please agree to the privacy notice; without it we cannot create an account."
            )
        },
    )

    def signup(self, request: Any, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.municipality = self.cleaned_data.get("municipality")
        user.save(update_fields=["display_name", "municipality"])
        from .services import privacy_consent_record

        privacy_consent_record(user=user)


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves on /profil/."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "municipality",
            "language",
            "notify_comments_inapp",
            "notify_comments_email",
            "notify_status_inapp",
            "notify_status_email",
        ]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
        }
        help_texts = {
            "language": _("Pages and e-mails use this language after you sign in."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].empty_label = _("— not specified —")
        self.fields["language"].choices = [("", _("— as in the browser —")), *settings.LANGUAGES]


class AccountDeleteForm(forms.Form):
    """Deleting the account needs the current password (and a tick, against slips)."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted and cannot be restored."),
        required=True,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct."), code="password_incorrect"
            )
        return password


class ModerationReasonForm(forms.Form):
    """The reason field of every moderation action page (foundation.moderation_views).

    The action decides whether a reason is required and which hint it shows; the service
    checks the reason again (foundation.moderation.clean_reason).
    """

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": _(
                "Please give a reason; it is shown in place of the content or to the person concerned."
            ),
            "max_length": _("The reason can have at most %(limit_value)d characters."),
        },
    )

    def __init__(
        self, *args: object, reason_required: bool = True, help_text: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        if not reason_required:
            field.label = _("Reason (optional)")
        if help_text:
            field.help_text = help_text


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


class MarkdownTextarea(forms.Textarea):
    """A textarea for a resident's Markdown, with the formatting it understands explained
    below it (a <details>, so it costs no room until asked for); `quotes` for forum posts."""

    template_name = "foundation/widgets/markdown_textarea.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, quotes: bool = False) -> None:
        super().__init__(attrs)
        self.quotes = quotes

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["quotes"] = self.quotes
        return context
