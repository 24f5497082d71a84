"""PDF (weasyprint, from HTML with print CSS) and XLSX (openpyxl) of the concept and the report."""

from __future__ import annotations

import io
import logging
import re
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
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


# The PDF is the committee's document: WeasyPrint lays out about two pages per second, so the
# PDF lists at most this many changed measures (status changes first), as many measures
# decided in the period and as many indicators of single measures (a field's own indicators
# always), and refers to the XLSX, which always holds every one. The real
# concept (144 measures) fits completely in a half-year with a normal amount of change.
PDF_CHANGE_LIMIT = 100


def period_days(data: ReportData) -> tuple[date, date]:
    """The first and the last day the period covers (an end at midnight ends the day before)."""
    first = timezone.localtime(data.period_start).date()
    last = (timezone.localtime(data.period_end) - timedelta(microseconds=1)).date()
    return first, max(first, last)


def report_issuer(data: ReportData) -> str:
    return data.issuer or _("Coordination office") + " · " + settings.WAGTAIL_SITE_NAME


def _field_key(row: dict[str, Any]) -> tuple[int, int]:
    return (row["measure"].handlungsfeld.number, row["measure"].number)


def report_html(
    data: ReportData, *, change_limit: int = PDF_CHANGE_LIMIT, issued_on: date | None = None
) -> str:
    ranked = sorted(data.changes, key=lambda row: row["after"] is None)  # stable: field order
    shown_changes = {id(row) for row in ranked[:change_limit]}
    shown_decided = {id(row) for row in data.decided_in_period[:change_limit]}
    # A field's own indicators always; those of single measures up to the limit.
    measure_trends = [trend for trend in data.indicators if trend.indicator.measure_id]
    shown_trends = {id(trend) for trend in data.indicators if not trend.indicator.measure_id}
    shown_trends |= {id(trend) for trend in measure_trends[:change_limit]}
    sections = [
        {
            "report": report,
            "changes": [row for row in report.changes if id(row) in shown_changes],
            "decided": [row for row in report.decided_in_period if id(row) in shown_decided],
            "indicators": [trend for trend in report.indicators if id(trend) in shown_trends],
        }
        for report in data.fields
    ]
    first_day, last_day = period_days(data)
    return render_to_string(
        "results/pdf/report.html",
        {
            "data": data,
            "totals": data.totals,
            "sections": sections,
            "omitted": len(data.changes) - len(shown_changes),
            "omitted_decided": len(data.decided_in_period) - len(shown_decided),
            "omitted_indicators": len(data.indicators) - len(shown_trends),
            "first_day": first_day,
            "last_day": last_day,
            "issued_on": issued_on or timezone.localdate(),
            "issuer": report_issuer(data),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def report_pdf(data: ReportData) -> bytes:
    return render_pdf(report_html(data))


DATE_FORMAT = "DD.MM.YYYY"
PERCENT_FORMAT = "0.0%"


def _cell(sheet: Any, value: Any, *, bold: bool = False, number_format: str = "") -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


class _Table:
    """A write-only sheet with a bold, frozen header row and a filter over all its rows."""

    def __init__(self, workbook: Workbook, title: str, header: list[Any], widths: list[int]):
        self.sheet = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.columns, self.rows = len(header), 1
        self.sheet.append([_cell(self.sheet, str(value), bold=True) for value in header])

    def cell(self, value: Any, **options: Any) -> Any:
        return _cell(self.sheet, value, **options)

    def row(self, values: list[Any]) -> None:
        """Plain values go in as they are (openpyxl reuses one cell for them); dates get a
        cell of their own with the German date format."""
        self.sheet.append([self.cell(v) if isinstance(v, date) else v for v in values])
        self.rows += 1

    def close(self) -> None:
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{max(self.rows, 2)}"


def _local_date(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


def report_xlsx(data: ReportData, *, issued_on: date | None = None) -> bytes:
    """The report's figures as tables: summary, Handlungsfelder, departments, every measure,
    the changes in the period and the indicators. Dates are dates and counts are numbers; each
    sheet has a frozen header row and a filter."""
    workbook = Workbook(write_only=True)
    totals = data.totals
    assert totals is not None
    codes = [code for code, _label in data.statuses]
    status_headers = [str(label) for _code, label in data.statuses]
    first_day, last_day = period_days(data)

    summary = _Table(workbook, _("Summary"), [_("Item"), _("Value")], [44, 90])
    wrap = Alignment(wrap_text=True, vertical="top")
    for label, value in (
        (pgettext("report document", "Report"), _("Half-yearly report")),
        (_("Consultation"), data.consultation.title),
        (_("Period from"), first_day),
        (_("Period until"), last_day),
        (_("Date of issue"), issued_on or timezone.localdate()),
        (_("Issued by"), report_issuer(data)),
        (_("Summary"), data.summary),
        (_("Measures"), totals.total),
        (_("Adopted measures"), totals.decided),
        (_("Measures not adopted yet"), totals.not_decided),
        (_("Measures adopted in the period"), len(data.decided_in_period)),
        *[(str(label), totals.counts.counts.get(code, 0)) for code, label in data.statuses],
        (_("Share implemented"), _share(totals.done_share)),
        (_("Status changes in the period"), totals.status_changes),
        (_("Progress notes in the period"), totals.notes),
        (_("Indicators"), len(data.indicators)),
    ):
        value_cell = summary.cell(
            value, number_format=PERCENT_FORMAT if isinstance(value, float) else ""
        )
        if isinstance(value, str):
            value_cell.alignment = wrap
        summary.row([str(label), value_cell])
    summary.close()

    fields = _Table(
        workbook,
        _sheet_title(_("By Handlungsfeld"), set()),
        [
            _("No."),
            _("Handlungsfeld"),
            _("Measures"),
            _("Adopted measures"),
            _("Measures not adopted yet"),
            *status_headers,
            _("Share implemented"),
            _("Measures adopted in the period"),
            _("Status changes in the period"),
            _("Progress notes in the period"),
            _("Text of the coordination office"),
        ],
        [6, 36, 10, 12, 12, *[12] * len(codes), 12, 14, 14, 14, 80],
    )
    for report in [*data.fields, totals]:
        field_ = report.handlungsfeld
        fields.row(
            [
                field_.number if field_ else None,
                field_.name if field_ else _("All Handlungsfelder"),
                report.total,
                report.decided,
                report.not_decided,
                *[report.counts.counts.get(code, 0) for code in codes],
                fields.cell(_share(report.done_share), number_format=PERCENT_FORMAT),
                len(report.decided_in_period),
                report.status_changes,
                report.notes,
                report.narrative if field_ else data.summary,
            ],
        )
    fields.close()

    departments = _Table(
        workbook,
        _sheet_title(_("By department"), set()),
        [_("Name"), *status_headers, _("Total")],
        [40, *[12] * len(codes), 10],
    )
    for row in data.by_department:
        departments.row([row.label, *[row.counts.get(code, 0) for code in codes], row.total])
    departments.close()

    decided_in_period = {row["measure"].pk for row in data.decided_in_period}
    measures = _Table(
        workbook,
        _("Measures"),
        [
            _("Handlungsfeld"),
            _("No."),
            _("Goal"),
            _("Measure"),
            _("Responsible department"),
            _("Implementation status"),
            _("Status changed"),
            _("Adopted on"),
            _("Adopted by"),
            _("Reference of the resolution"),
            _("Concept version"),
            _("Adopted in the period"),
        ],
        [30, 6, 40, 70, 30, 16, 14, 14, 26, 22, 26, 12],
    )
    yes, no = _("yes"), _("no")
    for pk, _field_id, field_name, number, goal, text, department, status, changed in data.measures:
        decision = data.decisions.get(pk)
        measures.row(
            [
                field_name,
                number,
                goal,
                text,
                department or "",
                str(STATUS_LABELS.get(status, status)),
                _local_date(changed),
                decision.date if decision else None,
                decision.body if decision else "",
                decision.reference if decision else "",
                decision.version if decision else "",
                yes if pk in decided_in_period else no,
            ],
        )
    measures.close()

    changes = _Table(
        workbook,
        _("Changes in the period"),
        [
            _("Handlungsfeld"),
            _("No."),
            _("Measure"),
            _("Responsible department"),
            _("Status before"),
            _("Status after"),
            _("Progress notes"),
            _("Date of the last note"),
            _("Adopted on"),
        ],
        [30, 6, 70, 30, 16, 16, 80, 14, 14],
    )
    for row in data.changes:
        measure = row["measure"]
        decision = row["decision"]
        changes.row(
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
                _local_date(row["notes"][-1][0]) if row["notes"] else None,
                decision.date if decision else None,
            ],
        )
    changes.close()

    indicators = _Table(
        workbook,
        _("Indicators"),
        [
            _("Handlungsfeld"),
            _("Measure"),
            _("Indicator"),
            _("Unit"),
            _("Previous value"),
            _("Date of the previous value"),
            _("Latest value"),
            _("Date of the latest value"),
            pgettext("difference of two values", "Change"),
            _("Target value"),
            _("Target reached"),
        ],
        [30, 8, 44, 12, 14, 14, 14, 14, 12, 12, 12],
    )
    for trend in data.indicators:
        indicator = trend.indicator
        field_ = indicator.handlungsfeld or (
            indicator.measure.handlungsfeld if indicator.measure else None
        )
        reached = trend.target_reached
        indicators.row(
            [
                field_.name if field_ else "",
                indicator.measure.number if indicator.measure else None,
                indicator.name,
                indicator.unit,
                trend.previous.value if trend.previous else None,
                trend.previous.date if trend.previous else None,
                trend.latest.value if trend.latest else None,
                trend.latest.date if trend.latest else None,
                trend.change,
                indicator.target,
                "" if reached is None else yes if reached else no,
            ],
        )
    indicators.close()

    workbook.properties.title = f"{_('Half-yearly report')} – {data.consultation.title}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _share(percent: float) -> float:
    """A percentage as the fraction a spreadsheet's % format expects."""
    return round(percent / 100, 4)
