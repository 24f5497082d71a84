"""The forms of the forum and forum event screens in the Wagtail admin."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.rich_text import expand_db_html

from foundation.admin.forms import InlineFormsetsMixin
from foundation.models import User
from foundation.richtext import sanitize_html
from foundation.uploads import check_document

from . import events
from .models import EventFile, EventFileKind, Forum, ForumEvent
from .rules import may_manage_forums

#: The documentation's editor offers what foundation.richtext keeps.
DOCUMENTATION_FEATURES = ["bold", "italic", "ol", "ul", "link"]
_DRAFTAIL_TAGS = re.compile(r"<(/?)(b|i)>")


def documentation_html(editor_html: str) -> str:
    """The editor's HTML as the limited rich text: internal links get their address, <b>/<i>
    become <strong>/<em>, and the sanitiser removes everything else."""
    html = expand_db_html(editor_html or "")
    html = _DRAFTAIL_TAGS.sub(
        lambda tag: f"<{tag.group(1)}{'strong' if tag.group(2) == 'b' else 'em'}>", html
    )
    return sanitize_html(html)


class DocumentationEditor(DraftailRichTextArea):
    """Draftail for the documentation. The editor posts its content as JSON; anything else
    (a script, a form filled without the editor) is taken as text and sanitised by the form
    instead of failing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(features=DOCUMENTATION_FEATURES, **kwargs)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = data.get(name)
        try:
            json.loads(raw)
        except (TypeError, ValueError):
            return raw
        return super().value_from_datadict(data, files, name)


#: A forum names at most this many moderators.
MAX_MODERATORS = 50


class ModeratorsField(forms.CharField):
    """The forum's moderators as e-mail addresses of accounts, one per line (or separated by
    commas): a choice among all accounts would be a list of thousands."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self) -> None:
        super().__init__(
            required=False,
            label=_("Moderators"),
            help_text=_(
                "E-mail addresses of their accounts, one per line. Besides the coordination "
                "office they hide and show posts and threads, lock, pin and move threads and "
                "answer reports in this forum."
            ),
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return "\n".join(user.email if hasattr(user, "email") else str(user) for user in value)
        return value

    def clean(self, value: Any) -> list[Any]:
        text = super().clean(value) or ""
        addresses = list(
            dict.fromkeys(
                part.strip().lower() for part in re.split(r"[\s,;]+", text) if part.strip()
            )
        )
        if len(addresses) > MAX_MODERATORS:
            raise ValidationError(
                _("A forum has at most %(max)s moderators.") % {"max": MAX_MODERATORS}
            )
        matching = Q()
        for address in addresses:
            matching |= Q(email__iexact=address)
        users = (
            {user.email.lower(): user for user in User.objects.filter(matching)}
            if addresses
            else {}
        )
        unknown = [address for address in addresses if address not in users]
        if unknown:
            raise ValidationError(
                ngettext(
                    "No account has the address %(addresses)s.",
                    "No accounts have the addresses %(addresses)s.",
                    len(unknown),
                )
                % {"addresses": ", ".join(unknown)}
            )
        inactive = [
            address
            for address in addresses
            if users[address].is_blocked or not users[address].is_active
        ]
        if inactive:
            raise ValidationError(
                _("These accounts are blocked or deactivated: %(addresses)s.")
                % {"addresses": ", ".join(inactive)}
            )
        return [users[address] for address in addresses]


class ForumForm(WagtailAdminModelForm):
    moderators = ModeratorsField()

    class Meta:
        model = Forum
        fields = ["consultation", "handlungsfeld", "description", "is_open", "moderators"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["moderators"] = "\n".join(
                self.instance.moderators.order_by("email").values_list("email", flat=True)
            )


EVENT_FILE_FIELDS = ["kind", "title", "upload", "sort_order"]


class EventFileForm(forms.ModelForm):
    """One file of the documentation: uploaded here, stored as a Wagtail image (photos) or a
    Wagtail document (everything else), with the checks of each (type, size, content)."""

    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Photos: JPEG, PNG, WebP or GIF. Documents: PDF, Word, ODT, PowerPoint."),
    )

    class Meta:
        model = EventFile
        fields = ["kind", "title", "sort_order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.image or self.instance.document if self.instance.pk else None
        if stored is not None:
            self.fields["upload"].help_text = _(
                "Now: %(name)s. Choose a file only to replace it."
            ) % {"name": stored.filename}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, upload = cleaned.get("kind"), cleaned.get("upload")
        if not kind or cleaned.get("DELETE"):
            return cleaned
        if upload is None:
            if not self.instance.pk:
                self.add_error("upload", _("Please choose the file to upload."))
            elif (kind == EventFileKind.PHOTO) != (self.instance.kind == EventFileKind.PHOTO):
                self.add_error(
                    "upload",
                    _("Photos and documents are stored apart: please upload the file again."),
                )
            return cleaned
        try:
            if kind == EventFileKind.PHOTO:
                # Wagtail's own checks: image type, size, pixels, and that it is an image.
                cleaned["upload"] = WagtailImageField().clean(upload)
            else:
                check_document(upload)
        except ValidationError as error:
            self.add_error("upload", error)
        return cleaned

    def save(self, commit: bool = True) -> EventFile:
        item = super().save(commit=False)
        upload = self.cleaned_data.get("upload")
        if upload:
            if item.kind == EventFileKind.PHOTO:
                image = get_image_model()(title=item.title, file=upload)
                image._set_image_file_metadata()
                image.save()
                item.image, item.document = image, None
            else:
                document = get_document_model()(title=item.title, file=upload)
                document._set_document_file_metadata()
                document.save()
                item.document, item.image = document, None
        if commit:
            item.save()
        return item


EventFileFormSet = inlineformset_factory(
    ForumEvent,
    EventFile,
    form=EventFileForm,
    fields=["kind", "title", "sort_order"],
    extra=2,
    can_delete=True,
)


class ForumEventForm(InlineFormsetsMixin, WagtailAdminModelForm):
    inline_formset_classes = {"files": EventFileFormSet}
    online_url = forms.URLField(
        label=ForumEvent._meta.get_field("online_url").verbose_name,
        help_text=ForumEvent._meta.get_field("online_url").help_text,
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = ForumEvent
        fields = [
            "consultation",
            "number",
            "title",
            "slug",
            "handlungsfeld",
            "starts_at",
            "ends_at",
            "venue",
            "street_address",
            "postal_code",
            "place",
            "municipality",
            "accessibility",
            "online_url",
            "description",
            "registration_open",
            "capacity",
            "has_waiting_list",
            "documentation",
            "participants",
        ]
        widgets = {"documentation": DocumentationEditor}

    def may_edit_inline(self, formset_class: Any) -> bool:
        # The files belong to the event: who may edit the event (the forums' role rule) may
        # edit them.
        user = getattr(self, "for_user", None)
        return user is None or bool(may_manage_forums(user))

    def is_multipart(self) -> bool:
        return True  # the files' uploads

    def clean_documentation(self) -> str:
        return documentation_html(self.cleaned_data.get("documentation") or "")

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        registered = self.instance.registered_count if self.instance.pk else 0
        if capacity is not None and capacity < registered:
            raise forms.ValidationError(
                ngettext(
                    "%(count)s person has registered already; the places cannot be fewer.",
                    "%(count)s people have registered already; the places cannot be fewer.",
                    registered,
                )
                % {"count": registered},
                code="below_registered",
            )
        return capacity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    def save(self, commit: bool = True) -> ForumEvent:
        more_places = self.instance.pk and {"capacity", "has_waiting_list"} & set(self.changed_data)
        created = self.instance.pk is None
        event = super().save(commit=commit)
        if commit and more_places:
            # More places (or no limit any more): the people waiting move up, and are told.
            events.fill_free_places(event=event)
        if commit:
            events.announce(event=event, created=created, changed=set(self.changed_data))
        return event
