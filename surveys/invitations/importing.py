"""Recipients from a CSV or XLSX file: parse, check every row, then import all or nothing.

    upload = import_upload(survey=..., uploaded=file, create_groups=False, actor=user)
    run_import(import_id=upload.pk)       # in the request for small files, else in the worker

A file with an error in any row imports nothing; its report names each row and what is
wrong. Duplicates (the same address twice in the file, or an address the survey already
has) are reported and skipped, never doubled. Unknown recipient groups are errors unless
`create_groups` is set; unknown municipalities are always errors.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from foundation.models import Municipality
from foundation.outbox import enqueue

from ..models import (
    ImportStatus,
    Recipient,
    RecipientGroup,
    RecipientImport,
    RecipientKind,
    Survey,
)
from ..tokens import new_token, token_hash

#: Column names accepted in the header row (lower case, German and English).
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "art", "typ", "type"),
    "name": ("name", "organisation", "organisation oder person", "empfänger", "recipient"),
    "email": ("email", "e-mail", "e-mail-adresse", "mail", "email address", "e-mail address"),
    "group": ("group", "gruppe", "empfängergruppe", "recipient group"),
    "municipality": ("municipality", "kommune", "gemeinde", "stadt", "stadt/gemeinde"),
    "language": ("language", "sprache"),
    "valid_from": ("valid_from", "valid from", "gültig ab"),
    "valid_until": ("valid_until", "valid until", "gültig bis"),
}
KIND_VALUES = {
    "organisation": RecipientKind.ORGANISATION,
    "organization": RecipientKind.ORGANISATION,
    "institution": RecipientKind.ORGANISATION,
    "person": RecipientKind.PERSON,
}
EXTENSIONS = (".csv", ".xlsx")


class ImportRefused(Exception):
    """The file as a whole cannot be read (size, format, encoding, header)."""


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    refusal: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "errors": self.errors,
            "duplicates": self.duplicates,
            "groups_created": self.groups_created,
            "refusal": self.refusal,
        }


# --- Upload ---------------------------------------------------------------------------------------
def upload_refusal(*, name: str, size: int) -> str | None:
    """Whether an uploaded file can be taken at all (before anything is read)."""
    if not name.lower().endswith(EXTENSIONS):
        return _("Upload a CSV file (.csv) or an Excel file (.xlsx).")
    limit = settings.SURVEY_IMPORT_MAX_BYTES
    if size > limit:
        return _(
            "The file is too large (%(size)s MB); at most %(limit)s MB can be imported at once. "
            "Split it into several files."
        ) % {"size": f"{size / 1_000_000:.1f}", "limit": f"{limit / 1_000_000:.0f}"}
    if size == 0:
        return _("The file is empty.")
    return None


@transaction.atomic
def import_upload(
    *, survey: Survey, filename: str, content: bytes, create_groups: bool, actor: Any
) -> RecipientImport:
    """Store the file and start its import: at once for small files, else in the worker."""
    refusal = upload_refusal(name=filename, size=len(content))
    if refusal:
        raise ValidationError(refusal)
    upload = RecipientImport.objects.create(
        survey=survey,
        created_by=actor if getattr(actor, "pk", None) else None,
        filename=filename[:255],
        content=content,
        create_groups=create_groups,
    )
    if len(content) <= settings.SURVEY_IMPORT_INLINE_BYTES:
        run_import(import_id=upload.pk)
        upload.refresh_from_db()
    else:
        enqueue(
            "surveys.invitations.tasks.import_recipients",
            payload={"import_id": upload.pk},
            dedupe_key=f"surveys:import:{upload.pk}",
        )
    return upload


# --- Reading the file --------------------------------------------------------------------------
def read_rows(filename: str, content: bytes) -> list[list[Any]]:
    """All rows of the file (header first) as lists of cell values."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _("The file is not UTF-8 encoded. Save it as “CSV UTF-8” and upload it again.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportRefused(_("The Excel file cannot be read (is it an .xlsx file?).")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _header_map(header: list[Any]) -> dict[str, int]:
    aliases = {alias: key for key, names in COLUMNS.items() for alias in names}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = aliases.get(str(cell or "").strip().lower())
        if key and key not in found:
            found[key] = index
    missing = [name for name in ("name", "email") if name not in found]
    if missing:
        raise ImportRefused(
            _(
                "The first row must name the columns; “name” and “e-mail” are required "
                "(further columns: kind, group, municipality, language, valid from, valid until)."
            )
        )
    return found


# --- Checking and importing ----------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _moment(value: Any, *, end_of_day: bool = False) -> datetime | None:
    """A date or date and time from a cell; a bare date "until" means the whole day."""
    if value in (None, ""):
        return None
    day_time = time(23, 59, 59) if end_of_day else time.min
    if isinstance(value, datetime):
        moment = value
        if end_of_day and moment.time() == time.min:
            moment = datetime.combine(moment.date(), day_time)
    elif isinstance(value, date):
        moment = datetime.combine(value, day_time)
    else:
        text = str(value).strip()
        for fmt in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y", "%Y-%m-%d"):
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
        if end_of_day and ":" not in text:
            moment = datetime.combine(moment.date(), day_time)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_rows(
    *, survey: Survey, rows: list[list[Any]], create_groups: bool, report: Report
) -> tuple[list[Recipient], list[str]]:
    """Turn the rows into unsaved recipients; errors and duplicates go into `report`.

    Returns the recipients and the names of the groups to create."""
    if not rows:
        raise ImportRefused(_("The file is empty."))
    columns = _header_map(rows[0])
    body = rows[1:]
    if len(body) > settings.SURVEY_IMPORT_MAX_ROWS:
        raise ImportRefused(
            _("The file has %(rows)s rows; at most %(limit)s can be imported at once.")
            % {"rows": len(body), "limit": settings.SURVEY_IMPORT_MAX_ROWS}
        )
    languages = {code for code, _name in settings.LANGUAGES}
    groups = {group.name.casefold(): group for group in survey.groups.all()}
    municipalities = {m.name.casefold(): m for m in Municipality.objects.all()}
    existing = {
        email.casefold() for email in survey.recipients.values_list("email", flat=True).iterator()
    }
    seen: dict[str, int] = {}
    new_groups: dict[str, str] = {}
    recipients: list[Recipient] = []

    def cell(row: list[Any], key: str) -> Any:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    for line, row in enumerate(body, start=2):
        if not any(_text(value) for value in row):
            continue  # empty rows (e.g. at the end of a spreadsheet) are not rows
        report.rows += 1
        problems: list[str] = []
        name = _text(cell(row, "name"))
        email = _text(cell(row, "email"))
        if not name:
            problems.append(_("the name is missing"))
        elif len(name) > 200:
            problems.append(_("the name is longer than 200 characters"))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("“%(email)s” is not an e-mail address") % {"email": email}
                if email
                else _("the e-mail address is missing")
            )
        kind_text = _text(cell(row, "kind")).casefold()
        kind = KIND_VALUES.get(kind_text, RecipientKind.ORGANISATION if not kind_text else None)
        if kind is None:
            problems.append(
                _("unknown kind “%(kind)s” (organisation or person)") % {"kind": kind_text}
            )
        group_name = _text(cell(row, "group"))
        group = groups.get(group_name.casefold()) if group_name else None
        if group_name and group is None:
            if create_groups:
                new_groups.setdefault(group_name.casefold(), group_name)
            else:
                problems.append(_("unknown recipient group “%(group)s”") % {"group": group_name})
        municipality_name = _text(cell(row, "municipality"))
        municipality = (
            municipalities.get(municipality_name.casefold()) if municipality_name else None
        )
        if municipality_name and municipality is None:
            problems.append(_("unknown municipality “%(name)s”") % {"name": municipality_name})
        language = _text(cell(row, "language")).lower() or survey.language
        if language not in languages:
            problems.append(_("unknown language “%(code)s”") % {"code": language})
        try:
            valid_from = _moment(cell(row, "valid_from"))
            valid_until = _moment(cell(row, "valid_until"), end_of_day=True)
        except ValueError as exc:
            problems.append(_("“%(value)s” is not a date (DD.MM.YYYY)") % {"value": exc.args[0]})
            valid_from = valid_until = None
        if valid_from and valid_until and valid_until <= valid_from:
            problems.append(_("“valid until” must be after “valid from”"))
        if problems:
            report.errors.append({"line": line, "message": "; ".join(problems)})
            continue
        key = email.casefold()
        if key in seen:
            report.duplicates.append(
                {
                    "line": line,
                    "email": email,
                    "message": _("the same address as in row %(line)s") % {"line": seen[key]},
                }
            )
            continue
        if key in existing:
            report.duplicates.append(
                {"line": line, "email": email, "message": _("already a recipient of this survey")}
            )
            continue
        seen[key] = line
        local, _at, domain = email.rpartition("@")
        recipient = Recipient(
            survey=survey,
            kind=kind,
            name=name,
            email=f"{local}@{domain.lower()}",
            municipality=municipality,
            language=language,
            valid_from=valid_from,
            valid_until=valid_until,
            # Nobody knows this token: the real one is made when the invitation is sent.
            token_hash=token_hash(new_token()),
        )
        recipient.group_name = group_name.casefold() if group_name else ""
        if group is not None:
            recipient.group = group
        recipients.append(recipient)
    return recipients, list(new_groups.values())


def run_import(*, import_id: int) -> RecipientImport:
    """Check and import one uploaded file (safe to run twice: a finished import is left)."""
    with transaction.atomic():
        upload = (
            RecipientImport.objects.select_for_update(of=("self",))
            .select_related("survey")
            .get(pk=import_id)
        )
        if upload.status != ImportStatus.PENDING:
            return upload
        report = Report()
        try:
            rows = read_rows(upload.filename, bytes(upload.content))
            recipients, group_names = check_rows(
                survey=upload.survey,
                rows=rows,
                create_groups=upload.create_groups,
                report=report,
            )
        except ImportRefused as exc:
            report.refusal = str(exc)
            recipients, group_names = [], []
        if report.refusal or report.errors:
            upload.status = ImportStatus.REJECTED
        else:
            try:
                with transaction.atomic():
                    _create(upload.survey, recipients, group_names, report)
            except IntegrityError:
                report.refusal = _(
                    "Some addresses were added to the survey meanwhile. Nothing was imported; "
                    "upload the file again."
                )
                report.created = 0
                report.groups_created = []
                upload.status = ImportStatus.REJECTED
            else:
                upload.status = ImportStatus.DONE
        upload.report = report.as_dict()
        upload.content = b""
        upload.finished_at = timezone.now()
        upload.save(update_fields=["status", "report", "content", "finished_at"])
        return upload


def _create(
    survey: Survey, recipients: list[Recipient], group_names: list[str], report: Report
) -> None:
    if group_names:
        start = survey.groups.count()
        created = RecipientGroup.objects.bulk_create(
            [
                RecipientGroup(survey=survey, name=name, position=start + offset)
                for offset, name in enumerate(group_names, start=1)
            ]
        )
        report.groups_created = [group.name for group in created]
        groups = {group.name.casefold(): group for group in survey.groups.all()}
        for recipient in recipients:
            if recipient.group_name and recipient.group_id is None:
                recipient.group = groups[recipient.group_name]
    Recipient.objects.bulk_create(recipients, batch_size=1000)
    report.created = len(recipients)


def report_summary(upload: RecipientImport) -> str:
    """One sentence on the outcome, for the messages at the top of the admin page."""
    report = upload.report or {}
    if upload.status == ImportStatus.PENDING:
        return _("The file is being imported by the worker; this page shows the report when ready.")
    if report.get("refusal"):
        return report["refusal"]
    if upload.status == ImportStatus.REJECTED:
        count = len(report.get("errors", []))
        return ngettext(
            "Nothing was imported: %(count)s row has an error.",
            "Nothing was imported: %(count)s rows have errors.",
            count,
        ) % {"count": count}
    created = report.get("created", 0)
    skipped = len(report.get("duplicates", []))
    text = ngettext("%(count)s recipient imported.", "%(count)s recipients imported.", created) % {
        "count": created
    }
    if skipped:
        text += " " + ngettext(
            "%(count)s duplicate skipped.", "%(count)s duplicates skipped.", skipped
        ) % {"count": skipped}
    return text
