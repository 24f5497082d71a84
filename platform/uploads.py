"""Limits for uploaded documents: size, allowed types, and a content check per type.

Wagtail checks the extension (WAGTAILDOCS_EXTENSIONS) and, for images, the size and that the
picture is what its name says. For documents it checks neither size nor content, so a
program renamed to "protokoll.pdf" would be served to every visitor. The admin's document
form (settings.WAGTAILDOCS_DOCUMENT_FORM_BASE) refuses a file that is too large or whose
first bytes do not match its extension, with a message that says which.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
#: What an Office Open XML file must contain besides [Content_Types].xml.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_MIMETYPES = {"odt": "application/vnd.oasis.opendocument.text"}
TEXT_SAMPLE_BYTES = 64 * 1024


def _head(upload: IO[bytes], size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_names(upload: IO[bytes]) -> tuple[list[str], zipfile.ZipFile] | None:
    try:
        archive = zipfile.ZipFile(upload)
        return archive.namelist(), archive
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def content_matches(extension: str, upload: IO[bytes]) -> bool:
    """Whether the file's content is of the kind its extension says."""
    head = _head(upload, TEXT_SAMPLE_BYTES)
    if extension == "pdf":
        return head.lstrip(b"\r\n\t \x0c")[:5] == b"%PDF-"
    if extension in {"txt", "csv"}:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # not just a character cut by the sample's end
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    return False
        return True
    if extension in {"zip", *OOXML_PARTS, *ODF_MIMETYPES}:
        if not head.startswith(ZIP_MAGIC):
            return False
        opened = _zip_names(upload)
        if opened is None:
            return False
        names, archive = opened
        if extension in OOXML_PARTS:
            return "[Content_Types].xml" in names and any(
                name.startswith(OOXML_PARTS[extension]) for name in names
            )
        if extension in ODF_MIMETYPES:
            try:
                return archive.read("mimetype").strip() == ODF_MIMETYPES[extension].encode()
            except KeyError:
                return False
        return True
    return False  # an extension without a check is not allowed


def check_document(upload: Any) -> None:
    """Refuse a document upload that is too large, of a type not allowed, or mislabelled."""
    name = getattr(upload, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    limit = settings.DOCUMENT_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(extension)s” cannot be uploaded. Allowed: %(allowed)s.")
            % {"extension": extension, "allowed": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)},
            code="invalid_extension",
        )
    if not content_matches(extension, upload):
        raise ValidationError(
            _(
                "The content of the file does not match its name (.%(extension)s). Please upload the original file."
            )
            % {"extension": extension},
            code="content_mismatch",
        )


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form with the checks of this module."""

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            check_document(upload)
        return upload
