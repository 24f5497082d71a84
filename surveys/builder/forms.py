"""Forms of the builder: survey settings, pages, questions with their options and conditions.

Texts in further languages are extra fields ("Question (English)") that fill the model's
`translations`. The structure-lock rule is asked, never re-implemented: surveys.structure.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from foundation.models import Handlungsfeld

from .. import structure
from ..models import (
    Condition,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Survey,
    SurveyMode,
    SurveyPage,
)

TEXTAREA_FIELDS = {"intro", "closing_text", "text", "help_text"}


class TranslationFieldsMixin:
    """Adds a field per text and further language: `tr_<language>_<field>`."""

    translated_fields: tuple[str, ...] = ()

    def setup_translations(self, survey_language: str | None) -> None:
        form: Any = self
        survey_language = survey_language or settings.LANGUAGE_CODE
        self.translation_languages = [
            (code, name) for code, name in settings.LANGUAGES if code != survey_language
        ]
        stored = form.instance.translations or {}
        for code, name in self.translation_languages:
            for field_name in self.translated_fields:
                model_field = form._meta.model._meta.get_field(field_name)
                key = f"tr_{code}_{field_name}"
                textarea = field_name in TEXTAREA_FIELDS and form._meta.model is not Option
                form.fields[key] = forms.CharField(
                    label=f"{capfirst(model_field.verbose_name)} ({name})",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}) if textarea else forms.TextInput,
                    max_length=getattr(model_field, "max_length", None),
                )
                form.initial.setdefault(key, stored.get(code, {}).get(field_name, ""))

    @property
    def translation_field_names(self) -> list[str]:
        return [
            f"tr_{code}_{name}"
            for code, _label in getattr(self, "translation_languages", [])
            for name in self.translated_fields
        ]

    def apply_translations(self) -> None:
        form: Any = self
        translations = {
            code: dict(values) for code, values in (form.instance.translations or {}).items()
        }
        for code, _name in getattr(self, "translation_languages", []):
            values = translations.setdefault(code, {})
            for field_name in self.translated_fields:
                value = (form.cleaned_data.get(f"tr_{code}_{field_name}") or "").strip()
                if value:
                    values[field_name] = value
                else:
                    values.pop(field_name, None)
        form.instance.translations = {
            code: values for code, values in translations.items() if values
        }


# --- Survey settings ------------------------------------------------------------------------
SURVEY_FIELDS = [
    "title",
    "slug",
    "consultation",
    "language",
    "intro",
    "closing_text",
    "mode",
    "allow_anonymous",
    "anonymous",
    "status",
    "opens_at",
    "closes_at",
    "reminder_days",
    "reminder_cap",
    "retention_days",
    "retention_action",
]


class SurveySettingsForm(TranslationFieldsMixin, WagtailAdminModelForm):
    translated_fields = ("title", "intro", "closing_text")

    class Meta:
        model = Survey
        fields = SURVEY_FIELDS
        widgets = {
            "opens_at": AdminDateTimeInput,
            "closes_at": AdminDateTimeInput,
            "intro": forms.Textarea(attrs={"rows": 4}),
            "closing_text": forms.Textarea(attrs={"rows": 3}),
            "mode": forms.RadioSelect,
            "status": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_translations(self.instance.language if self.instance.pk else None)

    def clean_reminder_days(self) -> str:
        value = self.cleaned_data.get("reminder_days", "")
        parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if any(not part.isdigit() or int(part) == 0 for part in parts):
            raise forms.ValidationError(
                _("Enter days as whole numbers above zero, separated by commas, e.g. “7, 14”.")
            )
        return ", ".join(str(day) for day in sorted({int(part) for part in parts}))

    def clean_reminder_cap(self) -> int:
        cap = self.cleaned_data.get("reminder_cap") or 0
        if cap > 10:
            raise forms.ValidationError(_("At most 10 reminders per recipient."))
        return cap

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The end must be after the start."))
        if cleaned.get("mode") == SurveyMode.INVITATION and cleaned.get("allow_anonymous"):
            self.add_error(
                "allow_anonymous",
                _(
                    "Surveys by invitation are answered with the invitation link; no account needed."
                ),
            )
        if cleaned.get("status") == "open" and self.instance.pk is not None:
            if not self.instance.questions.exclude(kind=QuestionKind.DISPLAY).exists():
                self.add_error("status", _("Add at least one question before opening the survey."))
        elif cleaned.get("status") == "open":
            self.add_error("status", _("Add at least one question before opening the survey."))
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        self.apply_translations()


# --- Pages ----------------------------------------------------------------------------------
class PageForm(TranslationFieldsMixin, forms.ModelForm):
    translated_fields = ("title", "intro")

    class Meta:
        model = SurveyPage
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.setup_translations(survey.language)

    def _post_clean(self) -> None:
        super()._post_clean()
        self.apply_translations()


# --- Questions ------------------------------------------------------------------------------
QUESTION_FIELDS = [
    "page",
    "kind",
    "code",
    "text",
    "help_text",
    "required",
    "allow_other",
    "min_value",
    "max_value",
    "integer_only",
    "max_length",
    "handlungsfelder",
]


class QuestionForm(TranslationFieldsMixin, forms.ModelForm):
    translated_fields = ("text", "help_text")

    class Meta:
        model = Question
        fields = QUESTION_FIELDS
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "handlungsfelder": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.instance.survey = survey
        self.original = Question.objects.get(pk=self.instance.pk) if self.instance.pk else None
        self.fields["page"].queryset = survey.pages.all()
        self.fields["handlungsfelder"].queryset = Handlungsfeld.objects.all()
        self.fields["code"].required = False
        self.fields["code"].help_text = _(
            "Stable short name used in exports, e.g. “Q1” or “angebote”; empty gives the next "
            "free “q<number>”."
        )
        self.lock_reason = structure.lock_reason(survey)
        if self.lock_reason:
            for name in ("kind", "code"):
                self.fields[name].help_text = (
                    f"{self.fields[name].help_text} "
                    + gettext("Cannot be changed now: %(reason)s") % {"reason": self.lock_reason}
                ).strip()
        self.setup_translations(survey.language)

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if not code:
            if self.original is not None:
                return self.original.code
            code = structure.next_question_code(self.survey)
        taken = self.survey.questions.filter(code=code)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another question of this survey has this code."))
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if cleaned.get("allow_other") and kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            self.add_error("allow_other", _("“Other” is available for single and multiple choice."))
        if kind != QuestionKind.NUMBER:
            for name in ("min_value", "max_value"):
                if cleaned.get(name) is not None:
                    self.add_error(name, _("Only number questions have a range."))
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and high < low:
            self.add_error("max_value", _("The largest number must not be below the smallest."))
        if kind == QuestionKind.DISPLAY and cleaned.get("required"):
            self.add_error("required", _("A text without answer cannot be required."))
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        self.apply_translations()
        if not self.errors:
            refusal = structure.question_change_refusal(
                self.instance, original=self.original, survey=self.survey
            )
            if refusal:
                self.add_error(None, refusal)


class OptionForm(TranslationFieldsMixin, forms.ModelForm):
    translated_fields = ("text",)

    class Meta:
        model = Option
        fields = ["role", "code", "text"]

    def __init__(self, *args: Any, survey_language: str = "de", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.original = Option.objects.get(pk=self.instance.pk) if self.instance.pk else None
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Empty gives the next number")
        self.setup_translations(survey_language)

    def has_changed(self) -> bool:
        # An extra row whose only value is the preselected role is an empty row.
        if self.instance.pk is None:
            return any(
                name != "role" and self[name].value() not in (None, "")
                for name in self.fields
                if name not in ("DELETE", "id", "question")
            )
        return super().has_changed()

    def _post_clean(self) -> None:
        super()._post_clean()
        self.apply_translations()


class OptionFormSetBase(BaseInlineFormSet):
    def __init__(self, *args: Any, survey_language: str = "de", **kwargs: Any) -> None:
        self.survey_language = survey_language
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "survey_language": self.survey_language}

    def clean(self) -> None:
        super().clean()
        taken: dict[str, set[str]] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            role, code = form.cleaned_data.get("role"), form.cleaned_data.get("code")
            if code and not self._should_delete_form(form):
                taken.setdefault(role, set()).add(code)
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self._should_delete_form(form):
                if form.original is not None:
                    refusal = structure.option_delete_refusal(form.original)
                    if refusal:
                        form.add_error(None, refusal)
                continue
            role = form.cleaned_data.get("role") or OptionRole.CHOICE
            if not form.cleaned_data.get("code"):
                if form.original is not None:
                    code = form.original.code
                else:
                    codes = taken.setdefault(role, set())
                    code = structure.next_option_code(self.instance, role, taken=codes)
                    codes.add(code)
                form.cleaned_data["code"] = code
                form.instance.code = code
            if form.original is not None:
                refusal = structure.option_change_refusal(form.instance, original=form.original)
                if refusal:
                    form.add_error(None, refusal)

    def kept(self) -> list[tuple[str, str]]:
        """(role, code) of the options that stay after saving."""
        options = []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            options.append((form.cleaned_data.get("role"), form.cleaned_data.get("code")))
        return options


OptionFormSet = inlineformset_factory(
    Question,
    Option,
    form=OptionForm,
    formset=OptionFormSetBase,
    fields=["role", "code", "text"],
    extra=4,
    can_delete=True,
)


# --- Conditions -----------------------------------------------------------------------------
class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.code}: {obj.text[:80]}"


class OptionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Option) -> str:
        return f"{obj.question.code} = {obj.code} ({obj.text[:60]})"


class ConditionForm(forms.ModelForm):
    source = SourceChoiceField(queryset=Question.objects.none(), label=_("earlier question"))
    options = OptionsChoiceField(
        queryset=Option.objects.none(),
        required=False,
        label=_("options"),
        help_text=_("For “is one of” and “is none of”"),
    )

    class Meta:
        model = Condition
        fields = ("source", "operator", "options", "value")

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            survey.questions.exclude(kind=QuestionKind.DISPLAY)
            .select_related("page")
            .order_by("page__position", "page_id", "position", "pk")
        )
        self.fields["options"].queryset = (
            Option.objects.filter(question__survey=survey, role=OptionRole.CHOICE)
            .select_related("question")
            .order_by("question__page__position", "question__position", "position")
        )
        self.fields["value"].help_text = _("For “equals”, “is greater than” and “is less than”")


class ConditionFormSetBase(BaseInlineFormSet):
    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        self.survey = survey
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "survey": self.survey}

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("source").prefetch_related("options")


CONDITION_FIELDS = ("source", "operator", "options", "value")

PageConditionFormSet = inlineformset_factory(
    SurveyPage,
    Condition,
    form=ConditionForm,
    formset=ConditionFormSetBase,
    fk_name="page",
    fields=list(CONDITION_FIELDS),  # a copy: the formset appends its foreign key to it
    extra=1,
    can_delete=True,
)
QuestionConditionFormSet = inlineformset_factory(
    Question,
    Condition,
    form=ConditionForm,
    formset=ConditionFormSetBase,
    fk_name="question",
    fields=list(CONDITION_FIELDS),
    extra=1,
    can_delete=True,
)
