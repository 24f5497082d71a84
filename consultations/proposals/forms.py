from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forums.models import ForumEvent, Thread
from foundation.forms import MarkdownTextarea
from foundation.models import Consultation, Municipality
from foundation.richtext import markdown_of
from foundation.validation import ModelMultipleChoiceField

from .models import Proposal, ProposalKind
from .selectors import goal_choices, handlungsfelder_of
from .services import BODY_MAX_LENGTH, ProposalData, validate_proposal_data

SCOPE_REGION = "region"
SCOPE_MUNICIPALITIES = "municipalities"


class DescribedErrorsMixin:
    """Ties each field's error list and help text to its input (aria-describedby)."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            described = []
            if bound.errors:
                described.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if field.help_text:
                described.append(f"{bound.auto_id}_helptext")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Proposal) -> str:
        return f"{obj.handlungsfeld.name}: {obj.title}"


class ProposalForm(DescribedErrorsMixin, forms.Form):
    """Submit or edit a proposal; the same form renders the preview."""

    kind = forms.ChoiceField(
        label=_("Kind of proposal"),
        choices=ProposalKind.choices,
        widget=forms.RadioSelect,
        initial=ProposalKind.MEASURE,
        help_text=_(
            "A goal describes what should be achieved; a measure describes a concrete step towards it."
        ),
        error_messages={"required": _("Please choose whether you propose a goal or a measure.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        min_length=5,
        help_text=_("A short, telling title (5 to 200 characters)."),
        error_messages={
            "required": _("Please enter a title."),
            "min_length": _(
                "The title is too short: please use at least %(limit_value)d characters."
            ),
            "max_length": _(
                "The title is too long: at most %(limit_value)d characters are allowed (you entered %(show_value)d)."
            ),
        },
    )
    body = forms.CharField(
        label=_("Description"),
        max_length=BODY_MAX_LENGTH,
        widget=MarkdownTextarea(attrs={"rows": 10}),
        help_text=_(
            "Describe your proposal. A blank line starts a new paragraph. You can format the text "
            "as explained under “Formatting”; check it with “Preview” before you publish."
        ),
        error_messages={
            "required": _("Please describe your proposal."),
            "max_length": _(
                "The description is too long: at most %(limit_value)d characters are allowed (you entered %(show_value)d)."
            ),
        },
    )
    handlungsfeld = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=None,
        empty_label=_("Please choose"),
        error_messages={
            "required": _("Please choose the Handlungsfeld your proposal belongs to."),
            "invalid_choice": _("Please choose one of the listed Handlungsfelder."),
        },
    )
    goal = GoalChoiceField(
        label=_("Belongs to goal (optional, measures only)"),
        queryset=None,
        required=False,
        empty_label=_("No goal"),
        help_text=_("A measure can belong to a goal of the same Handlungsfeld."),
        error_messages={"invalid_choice": _("Please choose one of the listed goals.")},
    )
    scope = forms.ChoiceField(
        label=_("Where should the proposal apply?"),
        choices=[
            (SCOPE_REGION, _("In the whole region")),
            (SCOPE_MUNICIPALITIES, _("In selected municipalities")),
        ],
        widget=forms.RadioSelect,
        initial=SCOPE_REGION,
        error_messages={"required": _("Please choose where the proposal should apply.")},
    )
    municipalities = ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only if the proposal applies to selected municipalities."),
        error_messages={"invalid_choice": _("Please choose only listed municipalities.")},
    )
    source_event = forms.ModelChoiceField(
        label=_("Comes from forum event (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Please choose one of the listed forum events.")},
    )
    source_thread = forms.ModelChoiceField(
        label=_("Comes from forum thread (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Please choose one of the listed forum threads.")},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        consultation: Consultation,
        instance: Proposal | None = None,
        **kwargs: Any,
    ) -> None:
        self.consultation = consultation
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": instance.kind,
                "title": instance.title,
                "body": instance.body_source or markdown_of(instance.body),
                "handlungsfeld": instance.handlungsfeld_id,
                "goal": instance.goal_id,
                "scope": SCOPE_REGION if instance.is_region_wide else SCOPE_MUNICIPALITIES,
                "municipalities": [m.pk for m in instance.municipalities.all()],
                "source_event": instance.source_event_id,
                "source_thread": instance.source_thread_id,
            }
        super().__init__(*args, **kwargs)
        if instance is None and not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        if instance is not None:
            del self.fields["submission_token"]
        self.fields["handlungsfeld"].queryset = handlungsfelder_of(consultation)
        goals = goal_choices(consultation=consultation)
        if instance is not None:
            goals = goals.exclude(pk=instance.pk)
        self.fields["goal"].queryset = goals
        municipalities = Municipality.objects.filter(consultations=consultation)
        self.fields["municipalities"].queryset = (
            municipalities if municipalities.exists() else Municipality.objects.all()
        )
        self.fields["source_event"].queryset = ForumEvent.objects.filter(
            consultation=consultation
        ).order_by("starts_at")
        self.fields["source_thread"].queryset = (
            Thread.objects.filter(forum__consultation=consultation, is_hidden=False)
            .select_related("forum")
            .order_by("title")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.rendered_body = validate_proposal_data(
                consultation=self.consultation, data=self.proposal_data(), instance=self.instance
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def proposal_data(self) -> ProposalData:
        data = self.cleaned_data
        region = data.get("scope") == SCOPE_REGION
        return ProposalData(
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            handlungsfeld=data["handlungsfeld"],
            is_region_wide=region,
            municipalities=tuple(data.get("municipalities") or ()),
            goal=data.get("goal"),
            source_event=data.get("source_event"),
            source_thread=data.get("source_thread"),
        )


class PriorityPointsForm(forms.Form):
    points = forms.IntegerField(
        label=_("Your points for this proposal"),
        min_value=0,
        error_messages={
            "required": _("Please enter a number of points (0 removes your points)."),
            "invalid": _("Please enter a whole number of points."),
            "min_value": _("Points cannot be negative."),
        },
    )

    def __init__(self, *args: Any, maximum: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if maximum is not None:
            self.fields["points"].widget.attrs["max"] = maximum
