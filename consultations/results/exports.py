"""PDF (weasyprint, from HTML with print CSS) and XLSX (openpyxl) of the concept and the report."""

from __future__ import annotations

import io
import logging
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from foundation.models import Consultation

from .models import ConceptVersion, ImplementationStatus
from .selectors import FieldConcept, ReportData

STATUS_LABELS = dict(ImplementationStatus.choices)

# WeasyPrint reports every layout step at INFO; workers only need its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def concept_html(
    consultation: Consultation, fields: list[FieldConcept], *, version: ConceptVersion | None = None
) -> str:
    """The HTML the concept PDF is printed from (kept separate so that it can be checked)."""
    return render_to_string(
        "results/pdf/concept.html",
        {
            "consultation": consultation,
            "fields": fields,
            "version": version,
            "generated_at": timezone.now(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def concept_pdf(
    consultation: Consultation, fields: list[FieldConcept], *, version: ConceptVersion | None = None
) -> bytes:
    return render_pdf(concept_html(consultation, fields, version=version))


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:31].strip() or "Sheet"
    candidate, counter = title, 2
    while candidate in used:
        suffix = f" ({counter})"
        candidate, counter = title[: 31 - len(suffix)] + suffix, counter + 1
    used.add(candidate)
    return candidate


def _finish_sheet(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def concept_xlsx(
    consultation: Consultation, fields: list[FieldConcept], *, version: ConceptVersion | None = None
) -> bytes:
    """One sheet per Handlungsfeld: goal, number, measure, status, department (one row per measure).

    A last sheet names the version and the resolution that adopted it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    header = [
        _("Revised goals"),
        _("No."),
        _("Revised measures"),
        _("Implementation status"),
        _("Responsible department"),
    ]
    wrap = Alignment(wrap_text=True, vertical="top")
    for entry in fields:
        sheet = workbook.create_sheet(
            _sheet_title(f"{entry.handlungsfeld.number} {entry.handlungsfeld.name}", used)
        )
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for goal_entry in entry.goals:
            if not goal_entry.measures:
                sheet.append([goal_entry.goal.title, None, None, None, None])
            for measure in goal_entry.measures:
                sheet.append(
                    [
                        goal_entry.goal.title,
                        measure.number,
                        measure.text,
                        str(STATUS_LABELS[measure.status]),
                        measure.department.name if measure.department else "",
                    ]
                )
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        _finish_sheet(sheet, [50, 6, 80, 18, 36])
    if not workbook.sheetnames:
        workbook.create_sheet(_("Concept")).append(header)
    if version is not None:
        about = workbook.create_sheet(_sheet_title(_("Resolution"), used))
        about.append([_("Version"), version.title])
        about.append([_("Version number"), version.number])
        about.append([_("Adopted by"), version.resolution_body])
        about.append([_("Date of the resolution"), version.resolution_date])
        about.append([_("Reference of the resolution"), version.resolution_reference])
        about.append([_("Resolution"), version.resolution_line()])
        about["B4"].number_format = "DD.MM.YYYY"
        for row in about.iter_rows(max_col=1):
            row[0].font = Font(bold=True)
        about.column_dimensions["A"].width = 30
        about.column_dimensions["B"].width = 90
        workbook.properties.description = version.resolution_line()
    workbook.properties.title = consultation.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Half-yearly report --------------------------------------------------------------------------


# The PDF is the committee's summary: WeasyPrint lays out about two pages per second, so the
# PDF lists at most this many changed measures (status changes first) and refers to the XLSX,
# which always holds every change. The real concept (144 measures) always fits completely.
PDF_CHANGE_LIMIT = 200


def report_html(data: ReportData, *, change_limit: int = PDF_CHANGE_LIMIT) -> str:
    ranked = sorted(
        data.changes, key=lambda row: row["after"] is None
    )  # stable: keeps field/number order
    shown = sorted(
        ranked[:change_limit],
        key=lambda r: (r["measure"].handlungsfeld.number, r["measure"].number),
    )
    return render_to_string(
        "results/pdf/report.html",
        {
            "data": data,
            "changes": shown,
            "omitted": len(data.changes) - len(shown),
            "generated_at": timezone.now(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def report_pdf(data: ReportData) -> bytes:
    return render_pdf(report_html(data))


def report_xlsx(data: ReportData) -> bytes:
    """Summary sheets (status, department, field) and the full list of changes in the period."""
    workbook = Workbook(write_only=True)
    status_headers = [str(label) for _code, label in data.statuses]
    codes = [code for code, _label in data.statuses]
    bold = Font(bold=True)

    def header_row(sheet, values):
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    summary = workbook.create_sheet(_("Summary"))
    summary.append([data.consultation.title])
    summary.append(
        [
            _("Period"),
            timezone.localtime(data.period_start).replace(tzinfo=None),
            timezone.localtime(data.period_end).replace(tzinfo=None),
        ]
    )
    summary.append([])
    header_row(
        summary,
        [_("Implementation status"), _("Measures"), _("Changed to this status in the period")],
    )
    for code, label in data.statuses:
        summary.append(
            [str(label), data.total.counts.get(code, 0), data.changes_by_status.get(code, 0)]
        )
    summary.append([_("Total"), data.total.total, sum(data.changes_by_status.values())])
    summary.append([_("Measures adopted in the period"), data.new_measures])

    for title, rows in (
        (_("By Handlungsfeld"), data.by_field),
        (_("By department"), data.by_department),
    ):
        sheet = workbook.create_sheet(_sheet_title(title, set()))
        header_row(sheet, [_("Name"), *status_headers, _("Total")])
        for row in rows:
            sheet.append([row.label, *[row.counts.get(code, 0) for code in codes], row.total])

    changes = workbook.create_sheet(_("Changes in the period"))
    header_row(
        changes,
        [
            _("Handlungsfeld"),
            _("No."),
            _("Measure"),
            _("Responsible department"),
            _("Status before"),
            _("Status after"),
            _("Progress notes"),
        ],
    )
    for row in data.changes:
        measure = row["measure"]
        changes.append(
            [
                measure.handlungsfeld.name,
                measure.number,
                measure.text,
                measure.department.name if measure.department else "",
                str(STATUS_LABELS.get(row["before"], "")) if row["before"] else "",
                str(STATUS_LABELS.get(row["after"], "")) if row["after"] else "",
                "\n".join(
                    f"{timezone.localtime(at):%d.%m.%Y}: {text}" for at, text in row["notes"]
                ),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
