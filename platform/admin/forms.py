"""Forms of the admin screens: a parent with its children edited inline; accounts.

Phase and DepartmentMembership point at their parent with plain foreign keys (no
modelcluster ParentalKey), so the children are edited with a Django inline formset that
the parent's admin form carries, validates and saves in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.users.forms import UserCreationForm, UserEditForm

from ..models import Consultation, Department, DepartmentMembership, Phase, PhaseKind, User


class InlineFormsetsMixin:
    """Adds `inline_formset_classes` ({name: formset class}) to a model form.

    A formset is part of the form only for someone who may add, change and delete its rows
    (the child model's permissions); for anyone else the rows stay as they are and the
    panel shows them read-only.
    """

    inline_formset_classes: dict[str, type[BaseInlineFormSet]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound = self.is_bound  # type: ignore[attr-defined]
        self.inline_formsets: dict[str, BaseInlineFormSet] = {}
        for name, formset_class in self.inline_formset_classes.items():
            if not self.may_edit_inline(formset_class):
                continue
            kwargs = self.get_inline_formset_kwargs(name)
            extra = kwargs.pop("extra", None)
            if extra is not None:  # a subclass per form: the shared class stays untouched
                formset_class = type(formset_class.__name__, (formset_class,), {"extra": extra})
            self.inline_formsets[name] = formset_class(
                self.data if bound else None,  # type: ignore[attr-defined]
                self.files if bound else None,  # type: ignore[attr-defined]
                instance=self.instance,  # type: ignore[attr-defined]
                prefix=name,
                **kwargs,
            )

    def may_edit_inline(self, formset_class: type[BaseInlineFormSet]) -> bool:
        user = getattr(self, "for_user", None)  # WagtailAdminModelForm's user
        if user is None:
            return True
        opts = formset_class.model._meta
        return user.has_perms(
            [
                f"{opts.app_label}.{action}_{opts.model_name}"
                for action in ("add", "change", "delete")
            ]
        )

    def get_inline_formset_kwargs(self, name: str) -> dict[str, Any]:
        return {}

    @property
    def media(self) -> forms.Media:
        """The form's media and its formsets' (the phases' date pickers need their script)."""
        media = super().media  # type: ignore[misc]
        for formset in self.inline_formsets.values():
            media += formset.media
        return media

    def is_valid(self) -> bool:
        valid = super().is_valid()  # type: ignore[misc]
        # Validate every formset (no short-circuit), so that all errors show at once.
        results = [formset.is_valid() for formset in self.inline_formsets.values()]
        return valid and all(results)

    def has_changed(self) -> bool:
        return super().has_changed() or any(  # type: ignore[misc]
            formset.has_changed() for formset in self.inline_formsets.values()
        )

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit=commit)  # type: ignore[misc]
        if commit:
            for formset in self.inline_formsets.values():
                formset.instance = instance
                formset.save()
        return instance


class InlineFormsetPanel(Panel):
    """Renders one of the form's inline formsets (see InlineFormsetsMixin)."""

    def __init__(
        self,
        formset_name: str,
        *,
        child_fields: list[str],
        read_only_related: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.formset_name = formset_name
        self.child_fields = child_fields
        self.read_only_related = read_only_related

    def clone_kwargs(self) -> dict[str, Any]:
        kwargs = super().clone_kwargs()
        kwargs.update(
            formset_name=self.formset_name,
            child_fields=self.child_fields,
            read_only_related=self.read_only_related,
        )
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        template_name = "foundation/admin/inline_formset_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            formset = self.form.inline_formsets.get(self.panel.formset_name)
            context["formset"] = formset
            context["child_fields"] = self.panel.child_fields
            context["prefix"] = self.prefix
            if formset is None:
                context["headers"], context["rows"] = self.read_only_rows()
            return context

        def read_only_rows(self) -> tuple[list[str], list[list[str]]]:
            """The rows as they are, for someone who may not edit them."""
            formset_class = self.form.inline_formset_classes[self.panel.formset_name]
            opts = formset_class.model._meta
            headers = [
                capfirst(opts.get_field(name).verbose_name) for name in self.panel.child_fields
            ]
            if not self.instance.pk:
                return headers, []
            children = formset_class.model._default_manager.filter(
                **{formset_class.fk.name: self.instance}
            ).select_related(*self.panel.read_only_related)
            return headers, [
                [_display(child, name) for name in self.panel.child_fields] for child in children
            ]


def _display(obj: Any, name: str) -> str:
    value = getattr(obj, f"get_{name}_display", None)
    value = value() if callable(value) else getattr(obj, name)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, User):
        return value.email
    return "" if value is None else str(value)


# --- Consultation with its phases ---------------------------------------------------------------
PHASE_FIELDS = [
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "allows_proposals",
    "allows_supports",
    "allows_comments",
    "priority_points",
    "description",
]


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = PHASE_FIELDS
        widgets = {
            "starts_at": AdminDateTimeInput,
            "ends_at": AdminDateTimeInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


PhaseFormSet = inlineformset_factory(
    Consultation,
    Phase,
    form=PhaseForm,
    fields=PHASE_FIELDS,
    extra=0,
    max_num=len(PhaseKind.choices),
    validate_max=True,
    can_delete=True,
)


class ConsultationAdminForm(InlineFormsetsMixin, WagtailAdminModelForm):
    inline_formset_classes = {"phases": PhaseFormSet}

    def get_inline_formset_kwargs(self, name: str) -> dict[str, Any]:
        """Offer one empty row for each kind of phase the consultation does not have yet."""
        existing = (
            set(self.instance.phases.values_list("kind", flat=True)) if self.instance.pk else set()
        )
        missing = [(kind, label) for kind, label in PhaseKind.choices if kind not in existing]
        return {
            "extra": len(missing),
            "initial": [{"kind": kind, "title": str(label)} for kind, label in missing],
        }

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "organiser",
            "handlungsfelder",
            "municipalities",
            "is_published",
        ]


# --- Department with its members ----------------------------------------------------------------
class UserByEmailField(forms.ModelChoiceField):
    """Pick an account by typing its e-mail address (a select of every resident is unusable)."""

    default_error_messages = {
        "invalid_choice": _("There is no active account with this e-mail address."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.filter(is_active=True, deleted_at__isnull=True))
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "off"}))
        super().__init__(to_field_name="email", **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if value:
                match = (
                    self.queryset.filter(email__iexact=value)
                    .values_list("email", flat=True)
                    .first()
                )
                value = match or value
        return super().to_python(value)


class MembershipForm(forms.ModelForm):
    user = UserByEmailField(label=_("E-mail address of the account"))

    class Meta:
        model = DepartmentMembership
        fields = ["user", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The field shows e-mail addresses: give it the account, not its id.
            self.initial["user"] = self.instance.user


class MembershipFormSetBase(BaseInlineFormSet):
    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("user")


class MembershipAdminForm(WagtailAdminModelForm):
    """One membership on its own screen (menu "Department members")."""

    user = UserByEmailField(label=_("E-mail address of the account"))

    class Meta:
        model = DepartmentMembership
        fields = ["department", "user", "role"]
        widgets = {"role": forms.RadioSelect}


MembershipFormSet = inlineformset_factory(
    Department,
    DepartmentMembership,
    form=MembershipForm,
    formset=MembershipFormSetBase,
    fields=["user", "role"],
    extra=2,
    can_delete=True,
)


class DepartmentAdminForm(InlineFormsetsMixin, WagtailAdminModelForm):
    inline_formset_classes = {"memberships": MembershipFormSet}

    class Meta:
        model = Department
        fields = [
            "name",
            "slug",
            "kind",
            "parent",
            "email",
            "description",
            "handlungsfelder",
            "is_active",
        ]

    def clean_parent(self) -> Department | None:
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None:
            if self.instance.pk and node.pk == self.instance.pk:
                raise forms.ValidationError(_("A unit cannot be placed below itself."))
            node = node.parent
        return parent


# --- Accounts (Wagtail's user admin) ---------------------------------------------------------------
#: What a person sets in the profile; the admin may correct it.
PROFILE_FIELDS = [
    "display_name",
    "municipality",
    "language",
    "notify_comments_inapp",
    "notify_comments_email",
    "notify_status_inapp",
    "notify_status_email",
]


class AccountFieldsMixin:
    """Residents sign up with an e-mail address only: first and last name stay optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = False  # type: ignore[attr-defined]


class AccountEditForm(AccountFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = [*UserEditForm.Meta.fields, *PROFILE_FIELDS]


class AccountCreationForm(AccountFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = [*UserCreationForm.Meta.fields, *PROFILE_FIELDS]
