"""Exports of a survey for the coordination office: CSV (ZIP with the codebook), XLSX with a
codebook sheet, SPSS .sav with variable and value labels, and a PDF report with the charts.

The request writes a job and an outbox message in one transaction; the worker builds the
file (`surveys.tasks.build_survey_export`; in embedded mode at once). The file is served only
through a view that checks the role, never from a public media URL. Rows are read in two
streamed queries (responses, answers — both ordered by response), whatever the size.

CSV: UTF-8 with BOM and ";" (German Excel), cells beginning with = + - @ are prefixed with an
apostrophe in CSV and XLSX so that an answer cannot smuggle a formula into a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from foundation.models import User
from foundation.notifications import recipient_language
from foundation.outbox import enqueue
from surveys.models import (
    Answer,
    Response,
    ResponseState,
    Survey,
    SurveyExport,
    SurveyExportFormat,
    SurveyExportStatus,
)
from surveys.results import charts, publication, selectors
from surveys.rules import may_export_survey_results

from .codebook import (
    CATEGORICAL,
    DATE,
    FIXED_COLUMNS,
    FLAG,
    NUMBER,
    RANK,
    TEXT,
    Variable,
    codebook_rows,
    variables_of,
)

EXPORT_TASK = "surveys.tasks.build_survey_export"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    SurveyExportFormat.CSV: "application/zip",
    SurveyExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    SurveyExportFormat.SAV: "application/x-spss-sav",
    SurveyExportFormat.PDF: "application/pdf",
}
EXTENSIONS = {
    SurveyExportFormat.CSV: "zip",
    SurveyExportFormat.XLSX: "xlsx",
    SurveyExportFormat.SAV: "sav",
    SurveyExportFormat.PDF: "pdf",
}


@transaction.atomic
def export_request(
    *, actor: User, survey: Survey, format: str, complete_only: bool = False
) -> SurveyExport:
    """Create the job and hand it to the worker after commit."""
    if not may_export_survey_results(actor):
        raise PermissionDenied(_("Only the coordination office may export survey responses."))
    if format not in SurveyExportFormat.values:
        raise ValueError(f"unknown export format {format!r}")
    job = SurveyExport.objects.create(
        survey=survey, requested_by=actor, format=format, complete_only=complete_only
    )
    enqueue(EXPORT_TASK, payload={"job_id": job.pk}, dedupe_key=f"surveys:export:{job.pk}")
    return job


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# --- Rows ------------------------------------------------------------------------------------


class _Index:
    """Where an answer row goes: variables by question, by (question, option)."""

    def __init__(self, variables: list[Variable]) -> None:
        self.single: dict[int, Variable] = {}
        self.by_option: dict[tuple[int, int], Variable] = {}
        self.other: dict[int, Variable] = {}
        self.flags: dict[int, list[Variable]] = {}
        for variable in variables:
            question_id = variable.question.pk
            if variable.is_other:
                self.other[question_id] = variable
            elif variable.option is not None:
                self.by_option[(question_id, variable.option.pk)] = variable
                if variable.kind == FLAG:
                    self.flags.setdefault(question_id, []).append(variable)
            else:
                self.single[question_id] = variable

    def place(self, values: dict[str, Any], row: tuple) -> None:
        _response_id, question_id, option_id, scale_id, rank, text, number, day = row
        if option_id is not None:
            variable = self.by_option.get((question_id, option_id))
            if variable is None:  # single choice: the option is the value
                variable = self.single.get(question_id)
                if variable is not None and option_id in variable.values:
                    values[variable.name] = variable.values[option_id]
                return
            if variable.kind == FLAG:
                values[variable.name] = 1
            elif variable.kind == RANK:
                values[variable.name] = rank
            elif variable.kind == CATEGORICAL and scale_id in variable.values:
                values[variable.name] = variable.values[scale_id]
            return
        variable = self.other.get(question_id)
        if variable is not None and text:
            values[variable.name] = text
            return
        variable = self.single.get(question_id)
        if variable is None:
            return
        if variable.kind == NUMBER:
            values[variable.name] = number
        elif variable.kind == DATE:
            values[variable.name] = day
        elif variable.kind == TEXT:
            values[variable.name] = text

    def finish(self, values: dict[str, Any], answered: set[int]) -> None:
        """Options not chosen in an answered multiple-choice question are 0, not empty."""
        for question_id in answered:
            for variable in self.flags.get(question_id, ()):
                values.setdefault(variable.name, 0)


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_rows(
    *, survey: Survey, variables: list[Variable], complete_only: bool = False
) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    """Per response: its fixed columns and its values by variable name (categorical values
    as (code, SPSS value, label)). Two streamed queries in all."""
    responses = Response.objects.filter(survey=survey).select_related("group", "municipality")
    answers = Answer.objects.filter(response__survey=survey)
    if complete_only:
        responses = responses.filter(state=ResponseState.COMPLETE)
        answers = answers.filter(response__state=ResponseState.COMPLETE)
    index = _Index(variables)
    states = dict(ResponseState.choices)
    answer_rows = (
        answers.order_by("response_id", "pk")
        .values_list(
            "response_id", "question_id", "option_id", "scale_id", "rank", "text", "number", "date"
        )
        .iterator(chunk_size=5000)
    )
    pending = next(answer_rows, None)
    for response in responses.order_by("pk").iterator(chunk_size=2000):
        values: dict[str, Any] = {}
        answered: set[int] = set()
        while pending is not None and pending[0] < response.pk:
            pending = next(answer_rows, None)  # answers of responses filtered out
        while pending is not None and pending[0] == response.pk:
            answered.add(pending[1])
            index.place(values, pending)
            pending = next(answer_rows, None)
        index.finish(values, answered)
        fixed = [
            response.pk,
            str(states.get(response.state, response.state)),
            response.group.name if response.group else "",
            response.municipality.name if response.municipality else "",
            response.language,
            _local(response.started_at),
            _local(response.submitted_at),
        ]
        yield fixed, values


def _text_value(variable: Variable, value: Any) -> Any:
    """A value for CSV and XLSX: option codes as they are, numbers as numbers, ISO dates."""
    if value is None:
        return ""
    if variable.kind == CATEGORICAL:
        return value[0]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fixed_headers() -> list[str]:
    return [name for name, _label in FIXED_COLUMNS]


def _codebook_header() -> list[str]:
    return [
        _("Variable"),
        _("Question code"),
        _("Question or variable label"),
        _("Type"),
        _("Option code"),
        _("SPSS value"),
        _("Value label"),
    ]


def _codebook_fixed() -> list[list[Any]]:
    return [[name, "", _(label), "", "", "", ""] for name, label in FIXED_COLUMNS]


def _table(survey: Survey, variables: list[Variable], complete_only: bool) -> Iterator[list[Any]]:
    for fixed, values in export_rows(
        survey=survey, variables=variables, complete_only=complete_only
    ):
        yield fixed + [_text_value(variable, values.get(variable.name)) for variable in variables]


# --- Writers ---------------------------------------------------------------------------------


def _write_csv(job: SurveyExport, variables: list[Variable], target: Any) -> int:
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(f"{job.survey.slug}.csv", "w") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            writer = csv.writer(text, delimiter=";")
            writer.writerow(_fixed_headers() + [variable.name for variable in variables])
            for row in _table(job.survey, variables, job.complete_only):
                writer.writerow([safe_cell(value) for value in row])
                count += 1
            text.flush()
            text.detach()
        with archive.open(f"{job.survey.slug}-{_('codebook')}.csv", "w") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            writer = csv.writer(text, delimiter=";")
            writer.writerow(_codebook_header())
            for row in _codebook_fixed() + codebook_rows(variables):
                writer.writerow([safe_cell(value) for value in row])
            text.flush()
            text.detach()
    return count


def _write_xlsx(job: SurveyExport, variables: list[Variable], target: Any) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, titles: list[str]) -> None:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    data = workbook.create_sheet(title=_("Responses")[:31])
    data.freeze_panes = "B2"
    header(data, _fixed_headers() + [variable.name for variable in variables])
    count = 0
    for row in _table(job.survey, variables, job.complete_only):
        data.append([safe_cell(value) for value in row])
        count += 1
    codebook = workbook.create_sheet(title=_("Codebook")[:31])
    codebook.freeze_panes = "A2"
    header(codebook, _codebook_header())
    for row in _codebook_fixed() + codebook_rows(variables):
        codebook.append([safe_cell(value) for value in row])
    workbook.save(target)
    return count


def _sav_value(variable: Variable, value: Any) -> Any:
    if variable.kind == CATEGORICAL:
        return float(value[1]) if value is not None else None
    if variable.kind in (FLAG, RANK, NUMBER):
        return float(value) if value is not None else None
    if variable.kind == DATE:
        return value
    return value or ""


def _write_sav(job: SurveyExport, variables: list[Variable], target: Any) -> int:
    import pandas
    import pyreadstat

    columns: dict[str, list[Any]] = {name: [] for name, _label in FIXED_COLUMNS}
    for variable in variables:
        columns[variable.name] = []
    fixed_names = _fixed_headers()
    count = 0
    for fixed, values in export_rows(
        survey=job.survey, variables=variables, complete_only=job.complete_only
    ):
        for name, value in zip(fixed_names, fixed, strict=True):
            columns[name].append(value)
        for variable in variables:
            columns[variable.name].append(_sav_value(variable, values.get(variable.name)))
        count += 1
    frame = pandas.DataFrame(columns)
    for variable in variables:
        if variable.kind == DATE:
            frame[variable.name] = pandas.to_datetime(frame[variable.name]).dt.date
        elif variable.kind in (CATEGORICAL, FLAG, RANK, NUMBER):
            frame[variable.name] = frame[variable.name].astype("float64")
    labels = [str(_(label)) for _name, label in FIXED_COLUMNS] + [
        variable.label[:250] for variable in variables
    ]
    value_labels: dict[str, dict[float, str]] = {
        variable.name: {
            float(number): label[:120] for _code, number, label in variable.values.values()
        }
        for variable in variables
        if variable.kind == CATEGORICAL and variable.values
    }
    for variable in variables:
        if variable.kind == FLAG:
            value_labels[variable.name] = {0.0: _("not chosen"), 1.0: _("chosen")}
    # pyreadstat writes to a path; the temporary file is copied into the job's file.
    with tempfile.NamedTemporaryFile(suffix=".sav") as handle:
        pyreadstat.write_sav(
            frame,
            handle.name,
            file_label=job.survey.title[:64],
            column_labels=labels,
            variable_value_labels=value_labels,
        )
        handle.seek(0)
        target.write(handle.read())
    return count


def report_html(*, survey: Survey, complete_only: bool = False) -> str:
    """The HTML the PDF report is printed from (kept separate so that it can be checked)."""
    counts = selectors.participation(survey=survey)
    results = selectors.survey_results(survey=survey, complete_only=complete_only)
    return render_to_string(
        "surveys/results/pdf/report.html",
        {
            "survey": survey,
            "participation": counts,
            "overall_rows": [counts.overall],
            "states_chart": charts.states_chart(counts.overall),
            "group_chart": charts.participation_chart(counts.by_group) if counts.by_group else None,
            "items": publication.charted(results),
            "complete_only": complete_only,
            "generated_at": timezone.now(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def _write_pdf(job: SurveyExport, variables: list[Variable], target: Any) -> int:
    from weasyprint import HTML

    html = report_html(survey=job.survey, complete_only=job.complete_only)
    target.write(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
    return selectors.responses_of(survey=job.survey, complete_only=job.complete_only).count()


WRITERS = {
    SurveyExportFormat.CSV: _write_csv,
    SurveyExportFormat.XLSX: _write_xlsx,
    SurveyExportFormat.SAV: _write_sav,
    SurveyExportFormat.PDF: _write_pdf,
}


def export_build(*, job_id: int) -> SurveyExport:
    """Build the file of one job. Safe to run twice: only a pending job is claimed."""
    claimed = SurveyExport.objects.filter(pk=job_id, status=SurveyExportStatus.PENDING).update(
        status=SurveyExportStatus.RUNNING
    )
    job = SurveyExport.objects.select_related("survey", "requested_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        with recipient_language(job.requested_by), tempfile.TemporaryFile() as handle:
            variables = variables_of(list(selectors.questions_of(survey=job.survey)))
            count = WRITERS[job.format](job, variables, handle)
            handle.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            name = f"{job.survey.slug}-{stamp}.{EXTENSIONS[job.format]}"
            job.file.save(name, File(handle), save=False)
    except Exception as exc:
        SurveyExport.objects.filter(pk=job.pk).update(
            status=SurveyExportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        raise
    job.status, job.row_count, job.finished_at = SurveyExportStatus.DONE, count, timezone.now()
    job.save(update_fields=["file", "status", "row_count", "finished_at"])
    return job
