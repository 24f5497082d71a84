"""A department's queue as a spreadsheet: download the cases to assess, upload the drafts back.

The download holds the cases the reviewer's departments lead that can be assessed now (the
states of `EDITABLE_STATES`), with the draft assessment so far, choice lists (data validation)
for feasibility and responsibility and a sheet that explains the columns.

The upload is checked as a whole before anything is written (like Decidim's answer import):
wrong format, missing columns, unknown or foreign proposal numbers, a number twice, invalid
choices, too long texts and cases that cannot be edited now are each reported with row, column
and message, and then nothing is saved. A good file saves every changed row as a draft through
`services.assessment_save`, the function behind the assessment form, so the same rules,
permissions and revisions of the wording apply; all rows in one transaction.

The worker runs the upload (`import_run`, task `review.tasks.import_assessments`): the request
only stores the file and hands the job over through the outbox.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foundation.models import User
from foundation.notifications import recipient_language
from foundation.outbox import enqueue
from foundation.roles import department_ids, is_reviewer

from . import services
from .models import (
    EDITABLE_STATES,
    Assessment,
    AssessmentImport,
    Feasibility,
    ImportStatus,
    Responsibility,
    ReviewCase,
)
from .permissions import is_lead_reviewer

IMPORT_TASK = "review.tasks.import_assessments"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: Any  # lazy text: the header in the language of the file
    width: int
    # The assessment field this column fills in, with its length limit; None: for reading only.
    max_length: int | None = None

    @property
    def editable(self) -> bool:
        return self.max_length is not None


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("proposal_id", gettext_lazy("Proposal no."), 12),
    SheetColumn("title", gettext_lazy("Proposal"), 40),
    SheetColumn("handlungsfeld", gettext_lazy("Handlungsfeld"), 24),
    SheetColumn("department", gettext_lazy("Lead department"), 24),
    SheetColumn("due_on", gettext_lazy("Due on"), 12),
    SheetColumn("link", gettext_lazy("Link"), 30),
    SheetColumn("original", gettext_lazy("Original text"), 50),
    SheetColumn("feasibility", gettext_lazy("Feasibility (Umsetzbarkeit)"), 22, 20),
    SheetColumn("responsibility", gettext_lazy("Responsibility (Zuständigkeit)"), 24, 200),
    SheetColumn("cost_estimate", gettext_lazy("Cost estimate"), 24, 2000),
    SheetColumn("time_frame", gettext_lazy("Time frame"), 20, 2000),
    SheetColumn("public_rationale", gettext_lazy("Public rationale"), 50, 10000),
    SheetColumn("internal_note", gettext_lazy("Internal note (never published)"), 40, 10000),
    SheetColumn("revised_title", gettext_lazy("Revised title"), 40, 200),
    SheetColumn("revised_body", gettext_lazy("Revised wording"), 50, 10000),
)
EDITABLE = tuple(column for column in COLUMNS if column.editable)
TEXT_FIELDS = tuple(
    column.key for column in EDITABLE if column.key not in ("feasibility", "responsibility")
)


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    saved: int = 0
    unchanged: int = 0


class FileRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


# --- Download ------------------------------------------------------------------------------


def transfer_cases(user: Any) -> list[ReviewCase]:
    """The cases the user's departments lead and can assess now, by due date."""
    return list(
        ReviewCase.objects.filter(
            lead_department_id__in=department_ids(user),
            state__in=EDITABLE_STATES,
            closed_at__isnull=True,
        )
        .select_related("proposal__handlungsfeld", "proposal__consultation", "lead_department")
        .order_by("due_on", "proposal_id")
    )


def _choice_labels(choices: Any) -> list[str]:
    return [str(label) for _value, label in choices.choices]


def _plain(html: str) -> str:
    return normalize_newlines(strip_tags(html.replace("</p>", "</p>\n"))).strip()


def queue_workbook(*, user: Any) -> bytes:
    """The XLSX of the user's cases to assess, with choice lists and an explanation sheet."""
    if not is_reviewer(user):
        raise PermissionDenied(_("Only members of a department may download their queue."))
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cases = transfer_cases(user)
    assessments = {
        assessment.proposal_id: assessment
        for assessment in Assessment.objects.filter(proposal_id__in=[c.proposal_id for c in cases])
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Assessments")[:31]
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    to_fill = PatternFill("solid", fgColor="FFF4CC")
    read_only = PatternFill("solid", fgColor="EEEEEE")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font, cell.alignment = bold, wrap
        cell.fill = to_fill if column.editable else read_only
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    feasibility_labels = dict(Feasibility.choices)
    responsibility_labels = dict(Responsibility.choices)
    for row_number, case in enumerate(cases, start=FIRST_DATA_ROW):
        proposal = case.proposal
        assessment = assessments.get(case.proposal_id)
        url = f"{settings.SITE_URL}{reverse('review:case', kwargs={'proposal_id': proposal.pk})}"
        values: dict[str, Any] = {
            "proposal_id": proposal.pk,
            "title": proposal.title,
            "handlungsfeld": f"{proposal.handlungsfeld.number}. {proposal.handlungsfeld.name}",
            "department": case.lead_department.name,
            "due_on": case.due_on,
            "link": url,
            "original": _plain(proposal.body),
        }
        if assessment is not None:
            values["feasibility"] = str(feasibility_labels.get(assessment.feasibility, ""))
            values["responsibility"] = "; ".join(
                str(responsibility_labels[code])
                for code in assessment.responsibility or []
                if code in responsibility_labels
            )
            for key in TEXT_FIELDS:
                values[key] = getattr(assessment, key)
        for index, column in enumerate(COLUMNS, start=1):
            value = values.get(column.key)
            cell = sheet.cell(row=row_number, column=index, value=value if value != "" else None)
            if isinstance(value, str) and value:
                # Text stays text: a title or rationale that begins with "=" is no formula.
                cell.data_type = "s"
            cell.alignment = wrap
            if column.key == "due_on" and value:
                cell.number_format = "DD.MM.YYYY"
            elif column.key == "link":
                cell.hyperlink = url
                cell.style = "Hyperlink"
    last_row = max(len(cases) + 1, 2)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(cases) + 1}"

    choices = workbook.create_sheet(_("Choices")[:31])
    choices["A1"], choices["B1"] = str(COLUMNS[7].header), str(COLUMNS[8].header)
    choices["A1"].font = choices["B1"].font = bold
    for row, label in enumerate(_choice_labels(Feasibility), start=2):
        choices.cell(row=row, column=1, value=label)
    for row, label in enumerate(_choice_labels(Responsibility), start=2):
        choices.cell(row=row, column=2, value=label)
    choices.column_dimensions["A"].width = choices.column_dimensions["B"].width = 30
    sheet_ref = choices.title.replace("'", "''")
    letter = {column.key: get_column_letter(i) for i, column in enumerate(COLUMNS, start=1)}
    feasibility = DataValidation(
        type="list",
        formula1=f"'{sheet_ref}'!$A$2:$A${1 + len(Feasibility.choices)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Not a choice"),
        error=_("Choose one of the values in the list."),
    )
    responsibility = DataValidation(
        type="list",
        formula1=f"'{sheet_ref}'!$B$2:$B${1 + len(Responsibility.choices)}",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="information",  # several levels, separated by ";", are allowed
        errorTitle=_("Several levels"),
        error=_("Separate several levels with a semicolon, e.g. “Region; Kommune”."),
    )
    feasibility.add(f"{letter['feasibility']}2:{letter['feasibility']}{last_row + 1000}")
    responsibility.add(f"{letter['responsibility']}2:{letter['responsibility']}{last_row + 1000}")
    sheet.add_data_validation(feasibility)
    sheet.add_data_validation(responsibility)
    for column in EDITABLE:
        if column.key in TEXT_FIELDS:
            length = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(column.max_length),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Too long"),
                error=_("At most %(count)d characters.") % {"count": column.max_length},
            )
            length.add(f"{letter[column.key]}2:{letter[column.key]}{last_row + 1000}")
            sheet.add_data_validation(length)

    _explanation_sheet(workbook.create_sheet(_("Explanation")[:31]), bold=bold, wrap=wrap)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _explanation_sheet(sheet: Any, *, bold: Any, wrap: Any) -> None:
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90
    sheet["A1"] = _("How to fill in this file")
    sheet["A1"].font = bold
    intro = [
        _(
            "The sheet “%(sheet)s” lists the proposals your department leads and can assess now "
            "(state “In review”). Fill in the yellow columns, save the file as XLSX and upload it "
            "on the page “Upload assessments” of your queue."
        )
        % {"sheet": _("Assessments")},
        _(
            "Uploading saves drafts only. Submit each assessment to the coordination office on its "
            "case page when it is complete."
        ),
        _(
            "The file is checked as a whole: if one row has an error, nothing is saved and every "
            "error is listed with its row and column."
        ),
        _(
            "Do not change the column “%(column)s” and the column headings. Rows you leave as they "
            "are stay unchanged; an empty cell empties the field."
        )
        % {"column": COLUMNS[0].header},
    ]
    row = 3
    for text in intro:
        sheet.cell(row=row, column=1, value=text).alignment = wrap
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.row_dimensions[row].height = 45
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=_("Column")).font = bold
    sheet.cell(row=row, column=2, value=_("What to enter")).font = bold
    explanations = {
        "feasibility": _("One of: %(choices)s.")
        % {"choices": ", ".join(_choice_labels(Feasibility))},
        "responsibility": _("One or more of: %(choices)s; separate several with a semicolon.")
        % {"choices": ", ".join(_choice_labels(Responsibility))},
        "public_rationale": _(
            "Published with the assessment. Required before submitting; a proposal assessed as "
            "not feasible needs at least %(count)d characters."
        )
        % {"count": services.NOT_FEASIBLE_MIN_RATIONALE},
        "internal_note": _("For the administration only. Never published."),
        "revised_title": _("The reworded goal or measure. The original stays visible."),
    }
    for column in EDITABLE:
        row += 1
        text = str(explanations.get(column.key, ""))
        limit = _("At most %(count)d characters.") % {"count": column.max_length}
        sheet.cell(row=row, column=1, value=str(column.header))
        sheet.cell(row=row, column=2, value=f"{text} {limit}".strip()).alignment = wrap


# --- Upload: request ----------------------------------------------------------------------


@transaction.atomic
def import_request(*, actor: User, upload: UploadedFile) -> AssessmentImport:
    """Store the uploaded file and hand it to the worker after commit."""
    if not is_reviewer(actor):
        raise PermissionDenied(_("Only members of a department may upload assessments."))
    name = upload.name or ""
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            {"file": _("Please upload an Excel workbook (a file ending in .xlsx).")}
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)d MB.")
                % {"size": MAX_UPLOAD_BYTES // 2**20}
            }
        )
    job = AssessmentImport(uploaded_by=actor, original_name=name[-255:])
    job.file.save(name, upload, save=False)
    job.save()
    enqueue(IMPORT_TASK, payload={"job_id": job.pk}, dedupe_key=f"review:import:{job.pk}")
    return job


# --- Upload: check and save ---------------------------------------------------------------


def _headers_by_text() -> dict[str, str]:
    """Every spelling of every column heading (all site languages) -> column key."""
    known: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                known[str(column.header).strip().casefold()] = column.key
    return known


def _choices_by_text(choices: Any) -> dict[str, str]:
    """Value, and label in every site language, -> value."""
    known = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                known[str(label).strip().casefold()] = value
                known[value.casefold()] = value
    return known


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = (
            value.strftime("%d.%m.%Y %H:%M")
            if value.hour or value.minute
            else value.strftime("%d.%m.%Y")
        )
    elif isinstance(value, date):
        value = value.strftime("%d.%m.%Y")
    return normalize_newlines(str(value)).strip()


def _proposal_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    return int(text) if text.isdigit() else None


def read_rows(content: bytes) -> tuple[dict[str, str], list[tuple[int, dict[str, Any]]]]:
    """The column letters by key and the non-empty rows (row number, values by key).

    Raises FileRejected for a file that is not a workbook or lacks columns.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise FileRejected(
            [
                Problem(
                    None,
                    "",
                    _(
                        "The file is not an Excel workbook (XLSX). Please upload the file "
                        "downloaded from your queue, saved as XLSX."
                    ),
                )
            ]
        ) from None
    known = _headers_by_text()
    letters: dict[str, str] = {}
    problems = []
    for index, title in enumerate(header, start=1):
        key = known.get(_text(title).casefold())
        if key is None:
            continue
        if key in letters:
            problems.append(
                Problem(
                    1,
                    get_column_letter(index),
                    _("The column “%(column)s” appears twice.") % {"column": _text(title)},
                )
            )
            continue
        letters[key] = get_column_letter(index)
    for column in (COLUMNS[0], *EDITABLE):
        if column.key not in letters:
            problems.append(
                Problem(
                    1,
                    "",
                    _(
                        "The column “%(column)s” is missing. Please use the file downloaded from "
                        "your queue and keep its column headings."
                    )
                    % {"column": column.header},
                )
            )
    if problems:
        raise FileRejected(problems)
    positions = {key: _column_index(letter) for key, letter in letters.items()}
    data = []
    for number, values in enumerate(rows, start=FIRST_DATA_ROW):
        if not any(_text(value) for value in values or ()):
            continue
        if len(data) == MAX_ROWS:
            raise FileRejected(
                [
                    Problem(
                        number,
                        "",
                        _("The file has more than %(count)d rows. Please split it.")
                        % {"count": MAX_ROWS},
                    )
                ]
            )
        data.append(
            (
                number,
                {
                    key: values[position] if position < len(values) else None
                    for key, position in positions.items()
                },
            )
        )
    return letters, data


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def _check_row(
    *,
    number: int,
    values: dict[str, Any],
    letters: dict[str, str],
    feasibilities: dict[str, str],
    responsibilities: dict[str, str],
) -> tuple[dict[str, Any], list[Problem]]:
    """The assessment data of one row, and what is wrong with it."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    feasibility = _text(values.get("feasibility"))
    if feasibility and feasibility.casefold() not in feasibilities:
        problems.append(
            Problem(
                number,
                letters["feasibility"],
                _("“%(value)s” is not a choice. Choose one of: %(choices)s.")
                % {"value": feasibility, "choices": ", ".join(_choice_labels(Feasibility))},
            )
        )
    data["feasibility"] = feasibilities.get(feasibility.casefold(), "")
    codes: list[str] = []
    for part in _text(values.get("responsibility")).replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code = responsibilities.get(part.casefold())
        if code is None:
            problems.append(
                Problem(
                    number,
                    letters["responsibility"],
                    _("“%(value)s” is not a choice. Choose one or more of: %(choices)s.")
                    % {"value": part, "choices": ", ".join(_choice_labels(Responsibility))},
                )
            )
        elif code not in codes:
            codes.append(code)
    data["responsibility"] = [choice.value for choice in Responsibility if choice.value in codes]
    for column in EDITABLE:
        if column.key not in TEXT_FIELDS:
            continue
        text = _text(values.get(column.key))
        if column.max_length is not None and len(text) > column.max_length:
            problems.append(
                Problem(
                    number,
                    letters[column.key],
                    _("The text has %(length)d characters; at most %(count)d are allowed.")
                    % {"length": len(text), "count": column.max_length},
                )
            )
        data[column.key] = text
    return data, problems


def _unchanged(assessment: Assessment | None, data: dict[str, Any]) -> bool:
    if assessment is None:
        return not any(data.values())
    return all(
        (
            list(getattr(assessment, key) or [])
            if key == "responsibility"
            else getattr(assessment, key)
        )
        == value
        for key, value in data.items()
    )


def check_and_save(*, actor: User, content: bytes) -> ImportResult:
    """Check the whole file, then save every changed row as a draft; all or nothing."""
    result = ImportResult()
    try:
        letters, rows = read_rows(content)
    except FileRejected as rejected:
        result.problems = rejected.problems
        return result
    result.rows = len(rows)
    id_column = letters["proposal_id"]
    numbers = {number: _proposal_number(values.get("proposal_id")) for number, values in rows}
    cases = {
        case.proposal_id: case
        for case in ReviewCase.objects.filter(
            proposal_id__in=[value for value in numbers.values() if value is not None]
        ).select_related("proposal", "lead_department")
    }
    assessments = {
        assessment.proposal_id: assessment
        for assessment in Assessment.objects.filter(proposal_id__in=list(cases))
    }
    feasibilities = _choices_by_text(Feasibility)
    responsibilities = _choices_by_text(Responsibility)
    first_row: dict[int, int] = {}
    changes: list[tuple[int, ReviewCase, dict[str, Any]]] = []
    for number, values in rows:
        proposal_id = numbers[number]
        case = cases.get(proposal_id) if proposal_id is not None else None
        problem = None
        if proposal_id is None:
            problem = _("Enter the proposal number as a whole number, as in the downloaded file.")
        elif proposal_id in first_row:
            problem = _(
                "Proposal %(number)d appears more than once in the file (first in row %(row)d)."
            ) % {"number": proposal_id, "row": first_row[proposal_id]}
        elif case is None or case.closed_at is not None:
            problem = _("There is no review case for proposal %(number)d.") % {
                "number": proposal_id
            }
        elif not is_lead_reviewer(actor, case):
            problem = _("Proposal %(number)d is not led by your department.") % {
                "number": proposal_id
            }
        else:
            problem = case.assessment_edit_refusal()
        if proposal_id is not None:
            first_row.setdefault(proposal_id, number)
        if problem:
            result.problems.append(Problem(number, id_column, problem))
        data, problems = _check_row(
            number=number,
            values=values,
            letters=letters,
            feasibilities=feasibilities,
            responsibilities=responsibilities,
        )
        result.problems.extend(problems)
        if problem or problems:
            continue
        if _unchanged(assessments.get(proposal_id), data):
            result.unchanged += 1
        else:
            changes.append((number, case, data))
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for number, case, data in changes:
                try:
                    services.assessment_save(case=case, actor=actor, data=data, submit=False)
                except (ValidationError, PermissionDenied) as error:
                    messages = getattr(error, "messages", None) or [str(error)]
                    raise FileRejected(
                        [Problem(number, id_column, message) for message in messages]
                    ) from error
    except FileRejected as rejected:
        result.problems = rejected.problems
        result.unchanged = 0
        return result
    result.saved = len(changes)
    return result


def import_run(*, job_id: int) -> AssessmentImport:
    """Check and save one uploaded file. Safe to run twice: only a waiting job is claimed."""
    claimed = AssessmentImport.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job = AssessmentImport.objects.select_related("uploaded_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        with recipient_language(job.uploaded_by):
            with job.file.open("rb") as handle:
                content = handle.read()
            result = check_and_save(actor=job.uploaded_by, content=content)
    except Exception as exc:
        AssessmentImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            errors=[Problem(None, "", f"{type(exc).__name__}: {exc}"[:2000]).as_dict()],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        raise
    job.status = ImportStatus.REJECTED if result.problems else ImportStatus.DONE
    job.errors = [problem.as_dict() for problem in result.problems]
    job.row_count, job.saved_count, job.unchanged_count = (
        result.rows,
        result.saved,
        result.unchanged,
    )
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "errors",
            "row_count",
            "saved_count",
            "unchanged_count",
            "finished_at",
        ]
    )
    return job


def imports_of(user: Any, limit: int = 10) -> Sequence[AssessmentImport]:
    return list(AssessmentImport.objects.filter(uploaded_by=user)[:limit])
