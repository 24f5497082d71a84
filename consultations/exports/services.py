"""Exports of all proposals of a consultation for the coordination office, as CSV or XLSX.

The file is built by a Celery task (consultations.exports.tasks.build_export) that the request hands
over through the outbox after commit; in embedded mode it runs at once, on a real worker in the
background. The download goes through a view that checks the role — never a public media URL.

CSV choice: UTF-8 with a byte order mark and ";" as separator. German Excel uses the comma as
decimal separator and therefore expects ";" in CSV files; the BOM makes Excel read UTF-8
(umlauts) correctly. LibreOffice and Python's csv module read it as well.

The XLSX holds real numbers and dates (local wall-clock time, spreadsheets know no time zones),
clickable links to the proposal pages (built from settings.SITE_URL), a frozen header row with an
autofilter and column widths per column. Higher floors add columns through the Wagtail hook
`consultations.exports.columns.EXPORT_COLUMNS_HOOK` (the review adds its columns that way).

Cells that begin with = + - @ (or a tab/CR) are prefixed with an apostrophe in both formats,
so that a proposal title cannot smuggle a formula into the coordination office's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation.models import Consultation, Municipality, User
from foundation.notifications import recipient_language
from foundation.outbox import enqueue
from foundation.roles import is_coordination_office

from .columns import Column, ColumnGroup, Kind, extra_column_groups
from .models import ExportFormat, ExportJob, ExportStatus

EXPORT_TASK = "consultations.tasks.build_export"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_BATCH_SIZE = 1000


@transaction.atomic
def export_request(*, user: User, consultation: Consultation, format: str) -> ExportJob:
    """Create the job and hand it to the worker after commit."""
    if not is_coordination_office(user):
        raise PermissionDenied(_("Only the coordination office may export proposals."))
    if format not in ExportFormat.values:
        raise ValueError(f"unknown export format {format!r}")
    job = ExportJob.objects.create(requested_by=user, consultation=consultation, format=format)
    enqueue(EXPORT_TASK, payload={"job_id": job.pk}, dedupe_key=f"consultations:export:{job.pk}")
    return job


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def base_columns() -> list[Column]:
    return [
        Column(_("ID"), Kind.NUMBER, 8),
        Column(_("Title"), Kind.TEXT, 50),
        Column(_("Kind"), Kind.TEXT, 12),
        Column(_("Belongs to goal"), Kind.TEXT, 40),
        Column(_("Handlungsfeld"), Kind.TEXT, 30),
        Column(_("Status"), Kind.TEXT, 20),
        Column(_("Scope"), Kind.TEXT, 24),
        Column(_("Supports"), Kind.NUMBER, 12),
        Column(_("Comments"), Kind.NUMBER, 12),
        Column(_("Priority points"), Kind.NUMBER, 12),
        Column(_("Author"), Kind.TEXT, 20),
        Column(_("Created"), Kind.DATETIME, 17),
        Column(_("Hidden by the moderation"), Kind.TEXT, 12),
        Column(_("Locked"), Kind.TEXT, 12),
        Column(_("Link"), Kind.LINK, 45),
    ]


def export_columns(groups: Sequence[ColumnGroup] | None = None) -> list[Column]:
    """The proposal's own columns, then those of every registered group (review, …)."""
    groups = extra_column_groups() if groups is None else groups
    return base_columns() + [column for group in groups for column in group.columns]


def export_headers() -> list[str]:
    return [column.header for column in export_columns()]


def _base_values(proposal: Proposal, *, consultation: Consultation) -> list[Any]:
    proposal.consultation = consultation  # for the link, without a query per row
    municipalities = [municipality.name for municipality in proposal.municipalities.all()]
    scope = (
        _("Whole region")
        if proposal.is_region_wide or not municipalities
        else ", ".join(municipalities)
    )
    handlungsfeld = proposal.handlungsfeld
    return [
        proposal.pk,
        proposal.title,
        str(proposal.get_kind_display()),
        proposal.goal.title if proposal.goal_id else "",
        f"{handlungsfeld.number}. {handlungsfeld.name}",
        str(proposal.get_status_display()),
        scope,
        proposal.support_count,
        proposal.comment_count,
        proposal.points_total,
        proposal.author.public_name if proposal.author_id else "",
        # Spreadsheets know no time zones: the local wall-clock time, as a real date.
        timezone.localtime(proposal.created_at, timezone.get_default_timezone()).replace(
            tzinfo=None
        ),
        _("yes") if proposal.is_hidden else _("no"),
        _("yes") if proposal.is_locked else _("no"),
        f"{settings.SITE_URL}{proposal_url(proposal)}",
    ]


def _batches(queryset: Any, size: int) -> Iterator[list[Proposal]]:
    batch: list[Proposal] = []
    for item in queryset.iterator(chunk_size=size):
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def export_rows(
    *, consultation: Consultation, groups: Sequence[ColumnGroup] | None = None
) -> Iterator[list[Any]]:
    """One row per proposal, oldest first; per 1000 proposals three queries and what each
    registered column group needs for the batch."""
    groups = extra_column_groups() if groups is None else groups
    proposals = (
        Proposal.objects.filter(consultation=consultation)
        .select_related("handlungsfeld", "author", "goal")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .order_by("created_at", "pk")
    )
    for batch in _batches(proposals, EXPORT_BATCH_SIZE):
        extra = [(group.rows(batch), [""] * len(group.columns)) for group in groups]
        for proposal in batch:
            row = _base_values(proposal, consultation=consultation)
            for values, blanks in extra:
                row.extend(values.get(proposal.pk, blanks))
            yield row


def csv_value(value: Any) -> Any:
    """Dates in ISO form (locale-independent), empty cells for missing values."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def _write_csv(*, consultation: Consultation, target: Any) -> int:
    groups = extra_column_groups()
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([column.header for column in export_columns(groups)])
    count = 0
    for row in export_rows(consultation=consultation, groups=groups):
        writer.writerow([csv_value(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    return count


NUMBER_FORMATS = {Kind.DATE: "DD.MM.YYYY", Kind.DATETIME: "DD.MM.YYYY HH:MM", Kind.NUMBER: "0"}


def _write_xlsx(*, consultation: Consultation, target: Any) -> int:
    """A workbook made for filtering: real numbers and dates, a header row that stays in view
    and carries the autofilter, links that open the proposal page."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    groups = extra_column_groups()
    columns = export_columns(groups)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Proposals")[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        cell.alignment = wrap
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in export_rows(consultation=consultation, groups=groups):
        cells = []
        for column, value in zip(columns, row, strict=True):
            blank = value is None or value == ""
            cell = WriteOnlyCell(sheet, value=None if blank else safe_cell(value))
            if not blank:
                if column.kind == Kind.LINK:
                    cell.hyperlink = value
                    cell.style = "Hyperlink"
                elif column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(target)
    return count


def export_build(*, job_id: int) -> ExportJob:
    """Build the file of one job. Safe to run twice: only a pending job is claimed."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("consultation", "requested_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        with recipient_language(job.requested_by), tempfile.TemporaryFile() as handle:
            writer = _write_csv if job.format == ExportFormat.CSV else _write_xlsx
            count = writer(consultation=job.consultation, target=handle)
            handle.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            name = f"{_('proposals')}-{job.consultation.slug}-{stamp}.{job.format}"
            job.file.save(name, File(handle), save=False)
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        raise
    job.status, job.row_count, job.finished_at = ExportStatus.DONE, count, timezone.now()
    job.save(update_fields=["file", "status", "row_count", "finished_at"])
    return job
