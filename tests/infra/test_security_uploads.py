"""Document uploads in the Wagtail admin: too large, not allowed or mislabelled is refused
with a message; a real file of an allowed type is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model

from tests.foundation.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/documents/add/"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def editor_client(client):
    # Documents are permitted per collection; the superuser may use every one.
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def upload(client, name: str, content: bytes):
    from wagtail.models import Collection

    return client.post(
        ADD,
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def test_a_real_pdf_and_a_real_docx_are_stored(editor_client):
    assert upload(editor_client, "protokoll.pdf", PDF).status_code == 302
    assert upload(editor_client, "bericht.docx", docx_bytes()).status_code == 302
    assert get_document_model().objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("protokoll.pdf", b"MZ\x90\x00\x03 this is a Windows program"),
        ("bericht.docx", PDF),
        ("tabelle.xlsx", docx_bytes()),
        ("liste.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00binary"),
        ("archiv.zip", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused_with_a_message(
    editor_client, name, content
):
    response = upload(editor_client, name, content)
    assert response.status_code == 200
    assert "passt nicht zu ihrem Namen" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_type_that_is_not_allowed_is_refused(editor_client):
    response = upload(editor_client, "seite.html", b"<script>alert(1)</script>")
    assert response.status_code == 200
    assert not get_document_model().objects.exists()


def test_an_oversized_document_is_refused_with_the_limit_named(editor_client, settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 1024
    response = upload(editor_client, "gross.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    assert "höchstens 1,0" in response.content.decode()
    assert not get_document_model().objects.exists()
