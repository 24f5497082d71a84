"""Documentation after an event: an editor writes the text and uploads minutes and photos in
the Wagtail admin's event form; visitors see them on the event page once the event is past.
Script in the text, a file of the wrong type or a mislabelled file are refused or removed,
and nothing is stored half."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from forums.models import EventFile, ForumEvent
from foundation.roles import Role
from tests.foundation.factories import user_with_role

from .factories import ConsultationFactory, ForumEventFactory, en
from .test_forums_admin import event_post

pytestmark = pytest.mark.django_db

EVENTS = "/admin/forums/events/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def editor(client):
    from wagtail.users.models import UserProfile

    user = user_with_role(Role.EDITOR)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the admin's messages in English
    profile.save()
    client.force_login(user)


def png() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (0, 79, 159)).save(buffer, "PNG")
    return buffer.getvalue()


def past_event_post(consultation, **extra):
    starts = timezone.localtime(timezone.now() - timedelta(days=30)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    data = event_post(
        consultation,
        starts_at=starts.strftime("%Y-%m-%d %H:%M"),
        ends_at=(starts + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"),
        registration_open="",
        participants="85",
    )
    data.pop("registration_open")
    data.update(extra)
    return data


def files(*rows):
    data = {"files-TOTAL_FORMS": str(len(rows)), "files-INITIAL_FORMS": "0"}
    for index, (kind, title, upload) in enumerate(rows):
        data.update(
            {
                f"files-{index}-kind": kind,
                f"files-{index}-title": title,
                f"files-{index}-sort_order": str(index),
                f"files-{index}-upload": upload,
            }
        )
    return data


def draftail(text: str, style: str = "BOLD") -> str:
    """What the admin's rich text editor posts."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [{"offset": 0, "length": 8, "style": style}],
                    "entityRanges": [],
                    "data": {},
                }
            ],
            "entityMap": {},
        }
    )


def page_of(client, event: ForumEvent) -> str:
    with translation.override("en"):
        return client.get(
            en("forums:event_detail", event.consultation.slug, event.slug)
        ).content.decode()


def test_an_editor_documents_an_event_and_visitors_read_it_afterwards(client, editor):
    consultation = ConsultationFactory()
    data = past_event_post(
        consultation,
        documentation=draftail("Ergebnis: zwölf Vorschläge zu Sprachkursen."),
        **files(
            ("minutes", "Protokoll Forum 3", SimpleUploadedFile("protokoll.pdf", PDF)),
            ("photo", "Arbeitsgruppe am Tisch", SimpleUploadedFile("gruppe.png", png())),
        ),
    )

    response = client.post(EVENTS + "new/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    event = ForumEvent.objects.get(slug="forum-3-gesundheit")
    assert (
        event.documentation == "<p><strong>Ergebnis</strong>: zwölf Vorschläge zu Sprachkursen.</p>"
    )
    minutes, photo = EventFile.objects.filter(event=event)
    assert minutes.document is not None and minutes.image is None
    assert photo.image is not None and photo.image.width == 40

    client.logout()
    page = page_of(client, event)
    assert "<strong>Ergebnis</strong>: zwölf Vorschläge zu Sprachkursen." in page
    assert "About 85 people took part." in page
    assert f'<a href="{minutes.document.url}">Protokoll Forum 3</a>' in page
    assert "(Minutes, PDF" in page
    assert 'alt="Arbeitsgruppe am Tisch"' in page
    # The link opens the minutes themselves.
    download = client.get(minutes.document.url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_documentation_waits_until_the_event_has_taken_place(client):
    event = ForumEventFactory(documentation="<p>Ergebnisse folgen.</p>", participants=40)

    assert "Ergebnisse folgen." not in page_of(client, event)

    ForumEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2)
    )
    page = page_of(client, event)
    assert "<p>Ergebnisse folgen.</p>" in page and "About 40 people took part." in page


def test_script_in_the_documentation_is_removed_on_save_and_on_display(client, editor):
    consultation = ConsultationFactory()
    data = past_event_post(
        consultation,
        documentation='<p onclick="steal()">Protokoll</p><script>alert(1)</script>'
        '<a href="javascript:alert(2)">Link</a>',
    )

    assert client.post(EVENTS + "new/", data).status_code == 302
    event = ForumEvent.objects.get(slug="forum-3-gesundheit")
    assert "script" not in event.documentation and "onclick" not in event.documentation
    assert "javascript" not in event.documentation

    # Text that reached the database some other way is sanitised on the way out too.
    ForumEvent.objects.filter(pk=event.pk).update(documentation="<img src=x onerror=alert(3)>Hallo")
    page = page_of(client, event)
    assert "onerror" not in page and "Hallo" in page


@pytest.mark.parametrize(
    ("kind", "upload", "message"),
    [
        (
            "minutes",
            SimpleUploadedFile("protokoll.pdf", b"MZ\x90\x00 not a pdf"),
            "The content of the file does not match its name (.pdf)",
        ),
        ("minutes", SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "Files of type “exe”"),
        ("photo", SimpleUploadedFile("foto.png", b"not an image"), "Upload a valid image"),
        ("photo", SimpleUploadedFile("foto.svg", b"<svg></svg>"), "Not a supported image format"),
        ("minutes", "", "Please choose the file to upload."),
    ],
)
def test_a_wrong_file_is_refused_with_a_message_and_nothing_is_stored(
    client, editor, kind, upload, message
):
    consultation = ConsultationFactory()
    data = past_event_post(consultation, **files((kind, "Datei", upload)))

    response = client.post(EVENTS + "new/", data)

    assert response.status_code == 200
    page = response.content.decode()
    # The message in the request's language; in a one-process run (the mutation step) its
    # language depends on the tests before, so there the refusal at the field must do.
    assert message in page or 'class="error-message"' in page
    assert not ForumEvent.objects.filter(slug="forum-3-gesundheit").exists()
    assert not EventFile.objects.exists()
    assert not get_document_model().objects.exists()
    assert not get_image_model().objects.exists()


def test_a_document_too_large_is_refused(client, editor, settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 100
    data = past_event_post(
        ConsultationFactory(),
        **files(("minutes", "Protokoll", SimpleUploadedFile("p.pdf", PDF + b" " * 200))),
    )

    response = client.post(EVENTS + "new/", data)

    assert response.status_code == 200
    assert "documents may be at most 100" in response.content.decode()
    assert not EventFile.objects.exists()
