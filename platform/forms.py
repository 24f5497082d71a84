from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Municipality, User


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown with your contributions. Leave empty to appear as “Participant”."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("— not specified —"),
    )

    def signup(self, request: Any, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.municipality = self.cleaned_data.get("municipality")
        user.save(update_fields=["display_name", "municipality"])


class ProfileForm(forms.ModelForm):
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
