"""Exports of all proposals of a consultation for the coordination office, as CSV or XLSX.

The file is built by a Celery task (consultations.exports.tasks.build_export) that the request hands
over through the outbox after commit; in embedded mode it runs at once, on a real worker in the
background. The download goes through a view that checks the role — never a public media URL.

CSV choice: UTF-8 with a byte order mark and ";" as separator. German Excel uses the comma as
decimal separator and therefore expects ";" in CSV files; the BOM makes Excel read UTF-8
(umlauts) correctly. LibreOffice and Python's csv module read it as well.

Cells that begin with = + - @ (or a tab/CR) are prefixed with an apostrophe in both formats,
so that a proposal title cannot smuggle a formula into the coordination office's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
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

from .models import ExportFormat, ExportJob, ExportStatus

EXPORT_TASK = "consultations.tasks.build_export"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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


def export_headers() -> list[str]:
    return [
        _("ID"),
        _("Title"),
        _("Kind"),
        _("Belongs to goal"),
        _("Handlungsfeld"),
        _("Status"),
        _("Scope"),
        _("Supports"),
        _("Comments"),
        _("Priority points"),
        _("Author"),
        _("Created"),
        _("Hidden by the moderation"),
        _("Locked"),
        _("Link"),
    ]


def export_rows(*, consultation: Consultation) -> Iterator[list[Any]]:
    """One row per proposal, oldest first; three queries per 1000 proposals."""
    proposals = (
        Proposal.objects.filter(consultation=consultation)
        .select_related("handlungsfeld", "author", "goal")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
        )
        .order_by("created_at", "pk")
    )
    whole_region = _("Whole region")
    yes, no = _("yes"), _("no")
    tz = timezone.get_default_timezone()
    for proposal in proposals.iterator(chunk_size=1000):
        proposal.consultation = consultation  # for the link, without a query per row
        municipalities = [municipality.name for municipality in proposal.municipalities.all()]
        scope = (
            whole_region
            if proposal.is_region_wide or not municipalities
            else ", ".join(municipalities)
        )
        handlungsfeld = proposal.handlungsfeld
        yield [
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
            timezone.localtime(proposal.created_at, tz).strftime("%Y-%m-%d %H:%M"),
            yes if proposal.is_hidden else no,
            yes if proposal.is_locked else no,
            f"{settings.SITE_URL}{proposal_url(proposal)}",
        ]


def _write_csv(*, consultation: Consultation, target: Any) -> int:
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(export_headers())
    count = 0
    for row in export_rows(consultation=consultation):
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    return count


def _write_xlsx(*, consultation: Consultation, target: Any) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Proposals")[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in export_headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in export_rows(consultation=consultation):
        sheet.append([safe_cell(value) for value in row])
        count += 1
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
