"""The forms of the forum and forum event screens in the Wagtail admin."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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


class ForumForm(WagtailAdminModelForm):
    class Meta:
        model = Forum
        fields = ["consultation", "handlungsfeld", "description", "is_open"]


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
