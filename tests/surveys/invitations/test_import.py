"""Recipient import through the admin: CSV and XLSX, a row-by-row report, all or nothing."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from foundation.models import OutboxMessage
from foundation.roles import Role
from surveys.invitations import importing
from surveys.models import ImportStatus, Recipient, RecipientGroup, RecipientImport
from tests.foundation.admin_pages import shown_messages, text_of
from tests.foundation.factories import MunicipalityFactory, user_with_role
from tests.surveys.factories import RecipientFactory, RecipientGroupFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordination(client):
    user = user_with_role(Role.COORDINATION)
    client.force_login(user)
    return user


@pytest.fixture
def survey():
    survey = SurveyFactory()
    RecipientGroupFactory(survey=survey, name="Beratungsstellen")
    RecipientGroupFactory(survey=survey, name="Bildungseinrichtungen")
    MunicipalityFactory(name="Garbsen", slug="garbsen")
    MunicipalityFactory(name="Laatzen", slug="laatzen")
    return survey


def upload(client, survey, name, content, **extra):
    return client.post(
        f"/admin/survey-recipients/{survey.pk}/import/",
        {"file": SimpleUploadedFile(name, content), **extra},
        follow=True,
    )


GOOD_CSV = (
    "Name;E-Mail;Art;Gruppe;Kommune;Sprache;Gültig bis\n"
    "Beratung Garbsen e. V.;info@beratung-garbsen.example;Organisation;Beratungsstellen;Garbsen;de;31.12.2027\n"
    "Ayşe Yılmaz;ayse@example.org;Person;Bildungseinrichtungen;Laatzen;en;\n"
)


def test_a_semicolon_csv_with_bom_imports_every_row(client, coordination, survey):
    response = upload(client, survey, "empfaenger.csv", ("\ufeff" + GOOD_CSV).encode())
    assert response.status_code == 200
    assert "2 Einträge importiert." in shown_messages(response)
    beratung = Recipient.objects.get(email="info@beratung-garbsen.example")
    assert beratung.group.name == "Beratungsstellen"
    assert beratung.municipality.name == "Garbsen"
    # A date "until" means the whole day, in the region's time zone.
    assert timezone.localtime(beratung.valid_until).isoformat() == "2027-12-31T23:59:59+01:00"
    ayse = Recipient.objects.get(name="Ayşe Yılmaz")
    assert (ayse.kind, ayse.language, ayse.municipality.name) == ("person", "en", "Laatzen")
    assert len(ayse.token_hash) == 64  # only a hash; no mail (and no token) yet
    assert ayse.invited_at is None


def test_a_comma_csv_without_bom(client, coordination, survey):
    content = "name,email\nVerein A,a@example.org\nVerein B,b@example.org\n"
    response = upload(client, survey, "liste.csv", content.encode())
    assert "2 Einträge importiert." in shown_messages(response)
    assert survey.recipients.count() == 2


def test_a_bad_file_imports_nothing_and_names_each_row(client, coordination, survey):
    content = (
        "Name;E-Mail;Gruppe;Kommune\n"
        "Verein A;a@example.org;Beratungsstellen;Garbsen\n"
        ";b@example.org;;\n"
        "Verein C;keine-adresse;;\n"
        "Verein D;d@example.org;Sportvereine;Atlantis\n"
    )
    response = upload(client, survey, "fehler.csv", content.encode())
    assert shown_messages(response)[0].startswith(
        "Nichts wurde importiert: 3 Zeilen enthalten Fehler."
    )
    text = text_of(response)
    assert "3 der Name fehlt" in text
    assert "4 „keine-adresse“ ist keine E-Mail-Adresse" in text
    assert "5 unbekannte Empfängergruppe „Sportvereine“; unbekannte Kommune „Atlantis“" in text
    assert not survey.recipients.exists()
    assert RecipientImport.objects.get().status == ImportStatus.REJECTED
    assert RecipientImport.objects.get().content == b""  # the file is not kept


def test_duplicates_are_reported_not_doubled(client, coordination, survey):
    RecipientFactory(survey=survey, email="alt@example.org")
    content = (
        "Name;E-Mail\n"
        "Verein A;a@example.org\n"
        "Verein A (doppelt);A@Example.org\n"
        "Verein Alt;alt@example.org\n"
    )
    response = upload(client, survey, "doppelt.csv", content.encode())
    assert "1 Eintrag importiert. 2 Dubletten übersprungen." in shown_messages(response)
    text = text_of(response)
    assert "3 A@Example.org dieselbe Adresse wie in Zeile 2" in text
    assert "4 alt@example.org bereits in der Empfängerliste dieser Umfrage" in text
    assert survey.recipients.count() == 2


def test_unknown_groups_are_created_only_when_asked(client, coordination, survey):
    content = "Name;E-Mail;Gruppe\nLotsin;lotsin@example.org;Integrationslotsinnen und -lotsen\n"
    upload(client, survey, "lotsen.csv", content.encode())
    assert not survey.recipients.exists()
    response = upload(client, survey, "lotsen.csv", content.encode(), create_groups="on")
    assert "1 Eintrag importiert." in shown_messages(response)
    assert "Integrationslotsinnen und -lotsen" in text_of(response)  # listed as created
    group = RecipientGroup.objects.get(survey=survey, name="Integrationslotsinnen und -lotsen")
    assert survey.recipients.get().group == group


def test_an_xlsx_file(client, coordination, survey):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "E-Mail", "Gruppe", "gültig ab"])
    sheet.append(["Schule am See", "schule@example.org", "Bildungseinrichtungen", None])
    import datetime

    sheet.append(["Moschee", "moschee@example.org", None, datetime.datetime(2027, 3, 1)])
    sheet.append([None, None, None, None])  # trailing empty row
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, survey, "liste.xlsx", buffer.getvalue())
    assert "2 Einträge importiert." in shown_messages(response)
    moschee = survey.recipients.get(email="moschee@example.org")
    assert timezone.localtime(moschee.valid_from).isoformat() == "2027-03-01T00:00:00+01:00"


def test_files_that_cannot_be_read(client, coordination, survey, settings):
    response = upload(client, survey, "liste.txt", b"Name;E-Mail\n")
    assert "Laden Sie eine CSV-Datei (.csv) oder eine Excel-Datei (.xlsx) hoch." in text_of(
        response
    )
    response = upload(
        client, survey, "latin1.csv", "Name;E-Mail\nMüller;m@example.org\n".encode("latin-1")
    )
    assert "nicht in UTF-8" in " ".join(shown_messages(response))
    response = upload(client, survey, "kaputt.xlsx", b"PK not really a workbook")
    assert "Die Excel-Datei kann nicht gelesen werden" in " ".join(shown_messages(response))
    response = upload(client, survey, "ohne-kopf.csv", b"Verein A;a@example.org\n")
    assert "Die erste Zeile muss die Spalten benennen" in " ".join(shown_messages(response))
    settings.SURVEY_IMPORT_MAX_BYTES = 100
    response = upload(client, survey, "gross.csv", GOOD_CSV.encode() * 3)
    assert "Die Datei ist zu groß" in text_of(response)
    assert not survey.recipients.exists()


def test_large_files_go_to_the_worker_and_the_report_waits(client, coordination, survey, settings):
    settings.SURVEY_IMPORT_INLINE_BYTES = 10
    from config.celery import app

    app.conf.task_always_eager = False  # as in production: the worker takes it later
    try:
        response = upload(client, survey, "gross.csv", GOOD_CSV.encode())
    finally:
        app.conf.task_always_eager = True
    assert "Die Datei wird vom Worker importiert" in " ".join(shown_messages(response))
    assert '<meta http-equiv="refresh"' in response.content.decode()
    message = OutboxMessage.objects.get(task="surveys.invitations.tasks.import_recipients")
    assert not survey.recipients.exists()
    # The worker runs the task (here: in this process) and the report page shows the result.
    from surveys.invitations.tasks import import_recipients

    import_recipients(**message.payload)
    report = client.get(response.redirect_chain[-1][0])
    assert "2 Einträge importiert." in text_of(report)
    assert survey.recipients.count() == 2


def test_ten_thousand_recipients_import_well_within_the_limit(survey, coordination):
    rows = ["Name;E-Mail;Gruppe;Kommune"] + [
        f"Einrichtung {n};kontakt{n}@example.org;Beratungsstellen;Garbsen" for n in range(10_000)
    ]
    started = time.perf_counter()
    result = importing.import_upload(
        survey=survey,
        filename="alle.csv",
        content="\n".join(rows).encode(),
        create_groups=False,
        actor=coordination,
    )
    importing.run_import(import_id=result.pk)
    elapsed = time.perf_counter() - started
    assert survey.recipients.count() == 10_000
    assert elapsed < 30, elapsed
    assert len(set(survey.recipients.values_list("token_hash", flat=True))) == 10_000
