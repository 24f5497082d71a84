"""The admin page "LimeSurvey import" and the command `import_lss`, through HTTP and the CLI."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.users.models import UserProfile

from foundation.roles import Role
from surveys.models import Question, Survey
from tests.foundation.factories import ResidentFactory, user_with_role

pytestmark = pytest.mark.django_db

LSS_PATH = Path(__file__).resolve().parent / "files" / "integration_test.lss"
URL = "/admin/surveys/lss-import/"


def upload(data: bytes | None = None, name: str = "befragung.lss") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else LSS_PATH.read_bytes())


@pytest.fixture
def editor_client(client):
    client.force_login(user_with_role(Role.EDITOR))
    return client


def test_the_url_is_the_registered_one():
    assert reverse("surveys_lss_import") == URL


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATION])
def test_staff_see_the_menu_item_and_the_form(client, role):
    client.force_login(user_with_role(role))
    home = client.get("/admin/")
    assert URL in home.content.decode()
    page = client.get(URL)
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()


def test_a_reviewer_or_resident_gets_no_import(client):
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(URL).status_code in (302, 403)
    client.force_login(ResidentFactory())
    assert client.get(URL).status_code in (302, 403)
    assert not Survey.objects.exists()


def test_uploading_imports_and_shows_the_report(editor_client):
    response = editor_client.post(URL, {"file": upload(), "slug": "aus-limesurvey"})
    assert response.status_code == 200
    text = response.content.decode()
    survey = Survey.objects.get(slug="aus-limesurvey")
    assert survey.questions.count() == 14
    assert "Befragung zur Integrationsarbeit (Test)" in text
    assert "Frage Q13" in text and "„K“" in text  # the report (in German), as a table
    assert '<th scope="row">' in text


def test_an_editor_preferring_english_reads_the_report_in_english(client):
    editor = user_with_role(Role.EDITOR)
    UserProfile.get_for_user(editor).__class__.objects.filter(user=editor).update(
        preferred_language="en"
    )
    client.force_login(editor)
    text = client.post(URL, {"file": upload(), "slug": "englisch"}).content.decode()
    assert "Not imported" in text and "question Q13" in text


def test_a_dry_run_stores_nothing(editor_client):
    response = editor_client.post(URL, {"file": upload(), "slug": "probe", "dry_run": "on"})
    assert response.status_code == 200
    assert "Es wurde nichts gespeichert" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_malformed_file_gets_a_message_and_imports_nothing(editor_client):
    response = editor_client.post(
        URL, {"file": upload(b"<document><LimeSurveyDocType>Survey"), "slug": "kaputt"}
    )
    assert response.status_code == 200
    assert "keine gültige LimeSurvey-Strukturdatei" in response.content.decode()
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_an_oversized_upload_is_refused(editor_client, settings):
    settings.SURVEYS_LSS_MAX_BYTES = 1024
    response = editor_client.post(URL, {"file": upload(), "slug": "zu-gross"})
    assert "zu groß" in response.content.decode()
    assert not Survey.objects.exists()


def test_the_command_imports_and_prints_the_report():
    out = StringIO()
    call_command("import_lss", str(LSS_PATH), "--slug", "kommando", stdout=out)
    assert Survey.objects.get(slug="kommando").questions.count() == 14
    printed = out.getvalue()
    assert "14 Fragen" in printed and "Frage Q13" in printed


def test_the_command_refuses_a_broken_file(tmp_path):
    broken = tmp_path / "kaputt.lss"
    broken.write_bytes(LSS_PATH.read_bytes()[:500])
    with pytest.raises(CommandError, match="XML"):
        call_command("import_lss", str(broken), "--slug", "kaputt", stdout=StringIO())
    assert not Survey.objects.exists()
