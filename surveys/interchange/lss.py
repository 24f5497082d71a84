"""Import a questionnaire from a LimeSurvey structure file (.lss).

    report = import_lss(data=uploaded_bytes, slug="bedarfsanalyse-2027")
    report.survey, report.counts, report.not_mapped

An .lss file is an XML dump of LimeSurvey's tables (<surveys>, <groups>, <questions>,
<subquestions>, <answers>, <conditions>, ...; from LimeSurvey 4 on the texts sit in
<group_l10ns>, <question_l10ns> and <answer_l10ns>, before that in the rows themselves, one
row per language). Its numeric ids are only used to link the rows of one file; questions and
options keep LimeSurvey's codes (question "title", answer "code", subquestion "title"), which
become our stable `code`s.

Mapping: groups → pages (description → intro); question types L single, ! dropdown,
M multiple, P multiple (its comments are not imported), F matrix (subquestions → rows,
answers → scale), S short text, T long text, N number, D date, R ranking, Y yes/no,
X display text; mandatory → required, help → help_text, other → allow_other. The base
language goes into the fields, the other supported languages into `translations`.
Conditions: rows of the conditions table with method "==" comparing with one option
become `any_of` (rows of one question are ORed, as in LimeSurvey), and so do relevance
equations of the form `Q1 == "A1"` (optionally `.NAOK`, in parentheses, or several such
comparisons of the same question joined by `or`). Everything else is listed in the report.

All or nothing: the file is parsed and checked before anything is written, and the rows
are written in one transaction; a file that fails the checks raises LssImportError and
leaves the database as it was.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from surveys.models import (
    CHOICE_KINDS,
    Condition,
    ConditionOperator,
    Option,
    OptionRole,
    Question,
    QuestionKind,
    Survey,
    SurveyPage,
    SurveyStatus,
)

#: Largest accepted file (bytes); settings.SURVEYS_LSS_MAX_BYTES overrides it.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

TYPE_KINDS: dict[str, str] = {
    "L": QuestionKind.SINGLE,
    "!": QuestionKind.DROPDOWN,
    "M": QuestionKind.MULTIPLE,
    "P": QuestionKind.MULTIPLE,
    "F": QuestionKind.MATRIX,
    "S": QuestionKind.SHORT_TEXT,
    "T": QuestionKind.LONG_TEXT,
    "N": QuestionKind.NUMBER,
    "D": QuestionKind.DATE,
    "R": QuestionKind.RANKING,
    "Y": QuestionKind.YES_NO,
    "X": QuestionKind.DISPLAY,
}
#: Types whose options are LimeSurvey answers (the answers table, scale 0).
ANSWER_OPTION_TYPES = frozenset({"L", "!", "R"})
#: Types whose options are LimeSurvey subquestions.
SUBQUESTION_OPTION_TYPES = frozenset({"M", "P"})
#: Question attributes that are mapped onto fields; the others are listed in the report.
USED_ATTRIBUTES = {
    "N": {"min_num_value_n", "max_num_value_n", "num_value_int_only"},
    "S": {"maximum_chars"},
    "T": {"maximum_chars"},
}
#: Tables read by the import; rows of any other table are listed as not imported.
KNOWN_TABLES = frozenset(
    {
        "surveys",
        "surveys_languagesettings",
        "groups",
        "group_l10ns",
        "questions",
        "question_l10ns",
        "subquestions",
        "answers",
        "answer_l10ns",
        "conditions",
        "question_attributes",
    }
)

CFIELDNAME = re.compile(r"^(\d+)X(\d+)X(\d+)(.*)$")
COMPARISON = re.compile(
    r"""^\s*([A-Za-z][A-Za-z0-9_]*?)(?:\.NAOK)?\s*==\s*(?:"([^"]*)"|'([^']*)')\s*$"""
)
OR_SPLIT = re.compile(r"\s+or\s+|\s*\|\|\s*", re.IGNORECASE)
BREAKS = re.compile(r"<\s*br\s*/?\s*>|</\s*p\s*>|</\s*div\s*>|</\s*li\s*>", re.IGNORECASE)
TAGS = re.compile(r"<[^>]*>")


class LssImportError(ValidationError):
    """The file cannot be imported; `messages` says why. Nothing was written."""


@dataclass(frozen=True)
class NotMapped:
    """One thing of the file that the import left out, and why."""

    where: str
    reason: str


@dataclass
class ImportReport:
    survey: Survey | None
    dry_run: bool = False
    language: str = ""
    languages: list[str] = field(default_factory=list)
    pages: int = 0
    questions: int = 0
    options: int = 0
    conditions: int = 0
    not_mapped: list[NotMapped] = field(default_factory=list)

    def skip(self, where: str, reason: str) -> None:
        self.not_mapped.append(NotMapped(where, reason))


def max_bytes() -> int:
    return int(getattr(settings, "SURVEYS_LSS_MAX_BYTES", DEFAULT_MAX_BYTES))


def plain_text(value: str | None) -> str:
    """LimeSurvey stores HTML; our texts are plain (line breaks for paragraphs)."""
    if not value:
        return ""
    text = TAGS.sub("", BREAKS.sub("\n", value))
    text = html.unescape(text).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Reading the XML ------------------------------------------------------------------------
def check_size(size: int) -> None:
    """Refuse a file over the limit before it is read (uploads, the command) or parsed."""
    if size > max_bytes():
        raise LssImportError(
            _("The file is too large (%(size)s KB; at most %(limit)s KB are accepted).")
            % {"size": size // 1024, "limit": max_bytes() // 1024}
        )


def read_tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    """The file's tables as lists of rows ({column: text}); raises LssImportError."""
    check_size(len(data))
    if not data.strip():
        raise LssImportError(_("The file is empty."))
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise LssImportError(
            _("The file contains XML declarations that are not accepted (DTD or entities).")
        ) from error
    except SafeElementTree.ParseError as error:
        raise LssImportError(
            _("The file is not a valid LimeSurvey structure file (XML error: %(error)s).")
            % {"error": error}
        ) from error
    doc_type = (root.findtext("LimeSurveyDocType") or "").strip()
    if root.tag != "document" or doc_type != "Survey":
        raise LssImportError(
            _(
                "The file is not a LimeSurvey survey structure (.lss). Export the survey in "
                "LimeSurvey with “Export → Survey structure (.lss)”."
            )
        )
    tables: dict[str, list[dict[str, str]]] = {}
    for table in root:
        rows = table.find("rows")
        if rows is None:
            continue
        tables[table.tag] = [
            {column.tag: (column.text or "").strip() for column in row} for row in rows
        ]
    return tables


def _number(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- The structure of the file, independent of our models -----------------------------------
@dataclass
class LsItem:
    """A group, question, subquestion or answer of the file with its texts per language."""

    id: str
    code: str = ""
    order: int = 0
    texts: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    row: dict[str, str] = field(default_factory=dict)

    def text(self, language: str, name: str) -> str:
        return self.texts.get(language, {}).get(name, "")


@dataclass
class LsStructure:
    language: str
    languages: list[str]
    survey_texts: dict[str, dict[str, str]]
    groups: list[LsItem]
    questions: dict[str, list[LsItem]]  # by gid, in order
    subquestions: dict[str, list[LsItem]]  # by parent qid
    answers: dict[tuple[str, int], list[LsItem]]  # by (qid, scale_id)
    attributes: dict[str, dict[str, str]]  # by qid
    conditions: list[dict[str, str]]
    other_tables: dict[str, int]
    unsupported_languages: list[str]


def _language(code: str) -> str:
    """LimeSurvey's language code as ours ("de-informal" → "de"); "" if not supported."""
    supported = {code for code, _label in settings.LANGUAGES}
    code = (code or "").strip()
    if code in supported:
        return code
    base = code.split("-")[0].lower()
    return base if base in supported else ""


def read_structure(tables: dict[str, list[dict[str, str]]]) -> LsStructure:
    surveys = tables.get("surveys") or []
    if not surveys:
        raise LssImportError(_("The file has no survey row (table “surveys”)."))
    survey_row = surveys[0]
    raw_base = survey_row.get("language", "")
    base = _language(raw_base)
    if not base:
        raise LssImportError(
            _("The survey's base language “%(language)s” is not supported here.")
            % {"language": raw_base or "?"}
        )
    languages = [base]
    unsupported = []
    for raw in (survey_row.get("additional_languages") or "").split():
        code = _language(raw)
        if not code:
            unsupported.append(raw)
        elif code not in languages:
            languages.append(code)

    def lang_of(row: dict[str, str]) -> str:
        return _language(row.get("language", "")) or ""

    survey_texts: dict[str, dict[str, str]] = defaultdict(dict)
    for row in tables.get("surveys_languagesettings", []):
        language = _language(row.get("surveyls_language", ""))
        if language in languages:
            survey_texts[language] = {
                "title": plain_text(row.get("surveyls_title")),
                "intro": plain_text(
                    row.get("surveyls_welcometext") or row.get("surveyls_description")
                ),
                "closing_text": plain_text(row.get("surveyls_endtext")),
            }

    groups: dict[str, LsItem] = {}
    for row in tables.get("groups", []):
        item = groups.setdefault(
            row["gid"], LsItem(id=row["gid"], order=_number(row.get("group_order", "")), row=row)
        )
        if "group_name" in row and lang_of(row) in languages:  # LimeSurvey 3: texts inline
            item.texts[lang_of(row)] = {
                "title": plain_text(row["group_name"]),
                "intro": plain_text(row.get("description")),
            }
    for row in tables.get("group_l10ns", []):
        if row.get("gid") in groups and lang_of(row) in languages:
            groups[row["gid"]].texts[lang_of(row)] = {
                "title": plain_text(row.get("group_name")),
                "intro": plain_text(row.get("description")),
            }

    items: dict[str, LsItem] = {}
    for row in [*tables.get("questions", []), *tables.get("subquestions", [])]:
        item = items.setdefault(
            row["qid"],
            LsItem(
                id=row["qid"],
                code=row.get("title", ""),
                order=_number(row.get("question_order", "")),
                row=row,
            ),
        )
        if "question" in row and lang_of(row) in languages:
            item.texts[lang_of(row)] = {
                "text": plain_text(row["question"]),
                "help_text": plain_text(row.get("help")),
            }
    for row in tables.get("question_l10ns", []):
        if row.get("qid") in items and lang_of(row) in languages:
            items[row["qid"]].texts[lang_of(row)] = {
                "text": plain_text(row.get("question")),
                "help_text": plain_text(row.get("help")),
            }
    questions: dict[str, list[LsItem]] = defaultdict(list)
    subquestions: dict[str, list[LsItem]] = defaultdict(list)
    for item in items.values():
        parent = item.row.get("parent_qid", "0") or "0"
        if parent == "0":
            questions[item.row.get("gid", "")].append(item)
        else:
            subquestions[parent].append(item)
    for collection in (questions, subquestions):
        for values in collection.values():
            values.sort(key=lambda item: (item.order, _number(item.id)))

    answers_by_key: dict[tuple[str, int, str], LsItem] = {}
    answers_by_aid: dict[str, LsItem] = {}
    for row in tables.get("answers", []):
        key = (row.get("qid", ""), _number(row.get("scale_id", "0")), row.get("code", ""))
        item = answers_by_key.setdefault(
            key,
            LsItem(
                id=row.get("aid") or "-".join(map(str, key)),
                code=row.get("code", ""),
                order=_number(row.get("sortorder", "")),
                row=row,
            ),
        )
        if row.get("aid"):
            answers_by_aid[row["aid"]] = item
        if "answer" in row and lang_of(row) in languages:
            item.texts[lang_of(row)] = {"text": plain_text(row["answer"])}
    for row in tables.get("answer_l10ns", []):
        if row.get("aid") in answers_by_aid and lang_of(row) in languages:
            answers_by_aid[row["aid"]].texts[lang_of(row)] = {"text": plain_text(row.get("answer"))}
    answers: dict[tuple[str, int], list[LsItem]] = defaultdict(list)
    for (qid, scale, _code), item in answers_by_key.items():
        answers[(qid, scale)].append(item)
    for values in answers.values():
        values.sort(key=lambda item: (item.order, item.code))

    attributes: dict[str, dict[str, str]] = defaultdict(dict)
    for row in tables.get("question_attributes", []):
        attributes[row.get("qid", "")][row.get("attribute", "")] = row.get("value", "")

    return LsStructure(
        language=base,
        languages=languages,
        survey_texts=survey_texts,
        groups=sorted(groups.values(), key=lambda item: (item.order, _number(item.id))),
        questions=questions,
        subquestions=subquestions,
        answers=answers,
        attributes=attributes,
        conditions=tables.get("conditions", []),
        other_tables={
            name: len(rows) for name, rows in tables.items() if rows and name not in KNOWN_TABLES
        },
        unsupported_languages=unsupported,
    )


# --- Mapping onto our models ----------------------------------------------------------------
@dataclass
class PlannedOption:
    role: str
    code: str
    text: str
    translations: dict[str, dict[str, str]]


@dataclass
class PlannedQuestion:
    ls_id: str
    ls_type: str
    code: str
    kind: str
    page_index: int
    position: int
    fields: dict[str, Any]
    translations: dict[str, dict[str, str]]
    options: list[PlannedOption]
    relevance: str


def _translations(item: LsItem, structure: LsStructure, names: tuple[str, ...]) -> dict:
    result = {}
    for language in structure.languages[1:]:
        values = {name: item.text(language, name) for name in names if item.text(language, name)}
        if values:
            result[language] = values
    return result


def _yes_no_options(structure: LsStructure) -> list[PlannedOption]:
    def label(language: str, yes: bool) -> str:
        with translation.override(language):
            return str(_("Yes") if yes else _("No"))

    return [
        PlannedOption(
            OptionRole.CHOICE,
            code,
            label(structure.language, code == "Y"),
            {
                language: {"text": label(language, code == "Y")}
                for language in structure.languages[1:]
            },
        )
        for code in ("Y", "N")
    ]


def _options(items: list[LsItem], role: str, structure: LsStructure) -> list[PlannedOption]:
    return [
        PlannedOption(
            role,
            item.code,
            item.text(structure.language, "text"),
            _translations(item, structure, ("text",)),
        )
        for item in items
    ]


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value.strip()) if value and value.strip() else None
    except InvalidOperation:
        return None


def plan(structure: LsStructure, report: ImportReport) -> tuple[list, list[PlannedQuestion]]:
    """Pages and questions to write; errors raise LssImportError, gaps go to the report."""
    errors: list[str] = []
    pages = []
    planned: list[PlannedQuestion] = []
    codes: set[str] = set()
    for table, count in sorted(structure.other_tables.items()):
        report.skip(
            _("table “%(table)s”") % {"table": table},
            _("%(count)s rows not imported (no counterpart here)") % {"count": count},
        )
    for language in structure.unsupported_languages:
        report.skip(
            _("language “%(language)s”") % {"language": language},
            _("texts not imported: the platform does not offer this language"),
        )
    unused_attributes: dict[str, set[str]] = defaultdict(set)
    for group in structure.groups:
        title = group.text(structure.language, "title")
        if not title:
            errors.append(
                _("Question group %(id)s has no name in the base language.") % {"id": group.id}
            )
        pages.append(
            {
                "ls_id": group.id,
                "title": title[:200],
                "intro": group.text(structure.language, "intro"),
                "translations": _translations(group, structure, ("title", "intro")),
                "relevance": group.row.get("grelevance", ""),
            }
        )
        position = 0
        for item in structure.questions.get(group.id, []):
            ls_type = item.row.get("type", "")
            where = item.code or item.id
            kind = TYPE_KINDS.get(ls_type)
            if kind is None:
                report.skip(
                    _("question %(code)s") % {"code": where},
                    _("LimeSurvey question type “%(type)s” has no counterpart; not imported")
                    % {"type": ls_type},
                )
                continue
            try:
                validate_slug(item.code)
            except ValidationError:
                errors.append(
                    _("Question code “%(code)s” may only contain letters, digits, - and _.")
                    % {"code": item.code}
                )
                continue
            if len(item.code) > 40:
                errors.append(_("Question code “%(code)s” is too long.") % {"code": item.code})
                continue
            if item.code in codes:
                errors.append(_("Question code “%(code)s” occurs twice.") % {"code": item.code})
                continue
            codes.add(item.code)
            text = item.text(structure.language, "text")
            if not text:
                errors.append(
                    _("Question %(code)s has no text in the base language.") % {"code": item.code}
                )
                continue
            mandatory = item.row.get("mandatory", "N")
            other = item.row.get("other", "N") == "Y"
            fields: dict[str, Any] = {
                "text": text,
                "help_text": item.text(structure.language, "help_text"),
                "required": mandatory == "Y" and kind != QuestionKind.DISPLAY,
                "allow_other": other and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE),
            }
            if mandatory == "S":
                report.skip(
                    _("question %(code)s") % {"code": where},
                    _("“soft mandatory” imported as optional"),
                )
            if other and not fields["allow_other"]:
                report.skip(
                    _("question %(code)s") % {"code": where},
                    _("the “Other” field is only offered for single and multiple choice"),
                )
            attributes = structure.attributes.get(item.id, {})
            for name, value in attributes.items():
                if value and name not in USED_ATTRIBUTES.get(ls_type, set()):
                    unused_attributes[name].add(item.code)
            if ls_type == "N":
                fields["min_value"] = _decimal(attributes.get("min_num_value_n", ""))
                fields["max_value"] = _decimal(attributes.get("max_num_value_n", ""))
                fields["integer_only"] = attributes.get("num_value_int_only", "") == "1"
                low, high = fields["min_value"], fields["max_value"]
                if low is not None and high is not None and high < low:
                    errors.append(
                        _("Question %(code)s: the largest number is below the smallest.")
                        % {"code": item.code}
                    )
            if ls_type in ("S", "T") and attributes.get("maximum_chars", "").strip().isdigit():
                fields["max_length"] = int(attributes["maximum_chars"]) or None
            options: list[PlannedOption] = []
            if ls_type in ANSWER_OPTION_TYPES:
                options = _options(
                    structure.answers.get((item.id, 0), []), OptionRole.CHOICE, structure
                )
            elif ls_type in SUBQUESTION_OPTION_TYPES:
                options = _options(
                    structure.subquestions.get(item.id, []), OptionRole.CHOICE, structure
                )
                if ls_type == "P":
                    report.skip(
                        _("question %(code)s") % {"code": where},
                        _(
                            "multiple choice with comments: imported as multiple choice, "
                            "the comment fields are not imported"
                        ),
                    )
            elif ls_type == "F":
                rows = _options(structure.subquestions.get(item.id, []), OptionRole.ROW, structure)
                scale = _options(
                    structure.answers.get((item.id, 0), []), OptionRole.SCALE, structure
                )
                if not rows or not scale:
                    report.skip(
                        _("question %(code)s") % {"code": where},
                        _("matrix without rows or scale points; not imported"),
                    )
                    codes.discard(item.code)
                    continue
                options = rows + scale
            elif ls_type == "Y":
                options = _yes_no_options(structure)
            if kind in CHOICE_KINDS and not options:
                report.skip(
                    _("question %(code)s") % {"code": where},
                    _("no answer options; not imported"),
                )
                codes.discard(item.code)
                continue
            seen: set[tuple[str, str]] = set()
            for option in options:
                try:
                    validate_slug(option.code)
                except ValidationError:
                    errors.append(
                        _("Question %(code)s: answer code “%(option)s” is not valid.")
                        % {"code": item.code, "option": option.code}
                    )
                if (option.role, option.code) in seen:
                    errors.append(
                        _("Question %(code)s: answer code “%(option)s” occurs twice.")
                        % {"code": item.code, "option": option.code}
                    )
                seen.add((option.role, option.code))
                if not option.text:
                    option.text = option.code
                if len(option.text) > 500:
                    report.skip(
                        _("question %(code)s, option %(option)s")
                        % {"code": item.code, "option": option.code},
                        _("label shortened to 500 characters"),
                    )
                    option.text = option.text[:500]
            planned.append(
                PlannedQuestion(
                    ls_id=item.id,
                    ls_type=ls_type,
                    code=item.code,
                    kind=kind,
                    page_index=len(pages) - 1,
                    position=position,
                    fields=fields,
                    translations=_translations(item, structure, ("text", "help_text")),
                    options=options,
                    relevance=item.row.get("relevance", ""),
                )
            )
            position += 1
    for name, question_codes in sorted(unused_attributes.items()):
        report.skip(
            _("setting “%(name)s”") % {"name": name},
            _("not imported (questions %(codes)s)") % {"codes": ", ".join(sorted(question_codes))},
        )
    if not pages:
        errors.append(_("The file contains no question groups."))
    group_ids = {group.id for group in structure.groups}
    for gid, items in structure.questions.items():
        if gid not in group_ids:
            errors.append(
                _("Questions %(codes)s belong to no question group of the file.")
                % {"codes": ", ".join(item.code or item.id for item in items)}
            )
    if errors:
        raise LssImportError(errors)
    return pages, planned


# --- Conditions -----------------------------------------------------------------------------
@dataclass
class Written:
    question: Question
    planned: PlannedQuestion
    page_index: int
    options: dict[tuple[str, str], Option]


def _parse_relevance(equation: str) -> list[tuple[str, str]] | None:
    """[(variable, value), ...] for `Q1 == "A1"` (or several joined by `or`), else None."""
    text = equation.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    parts = []
    for part in OR_SPLIT.split(text):
        part = part.strip()
        while part.startswith("(") and part.endswith(")") and _balanced(part[1:-1]):
            part = part[1:-1].strip()
        match = COMPARISON.match(part)
        if not match:
            return None
        value = match.group(2) if match.group(2) is not None else match.group(3)
        parts.append((match.group(1), value))
    return parts


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return False
    return depth == 0


def _resolve(
    variable: str, value: str, by_code: dict[str, Written]
) -> tuple[Written, Option] | None:
    """The source question and the option that `variable == value` means, if it maps."""
    if variable in by_code:
        source = by_code[variable]
        if source.question.kind in (
            QuestionKind.SINGLE,
            QuestionKind.DROPDOWN,
            QuestionKind.YES_NO,
        ):
            option = source.options.get((OptionRole.CHOICE, value))
            return (source, option) if option else None
        return None
    code, _sep, sub = variable.rpartition("_")
    source = by_code.get(code)
    if source and source.question.kind == QuestionKind.MULTIPLE and value == "Y":
        option = source.options.get((OptionRole.CHOICE, sub))
        return (source, option) if option else None
    return None


def _comes_before(source: Written, target_page: int, target_position: int | None) -> bool:
    if target_position is None:  # a page condition: the source sits on an earlier page
        return source.page_index < target_page
    return (source.page_index, source.planned.position) < (target_page, target_position)


def _add_any_of(
    *,
    pairs: list[tuple[Written, Option]],
    page: SurveyPage | None,
    question: Question | None,
) -> Condition:
    condition = Condition.objects.create(
        page=page, question=question, source=pairs[0][0].question, operator=ConditionOperator.ANY_OF
    )
    condition.options.set({option.pk for _source, option in pairs})
    return condition


def _map_equation(
    equation: str,
    *,
    where: str,
    by_code: dict[str, Written],
    target_page: int,
    target_position: int | None,
) -> tuple[list[tuple[Written, Option]] | None, str]:
    parts = _parse_relevance(equation)
    if parts is None:
        return None, _("condition “%(equation)s” is not a simple comparison; not imported") % {
            "equation": equation
        }
    resolved = [_resolve(variable, value, by_code) for variable, value in parts]
    if any(pair is None for pair in resolved):
        return None, _(
            "condition “%(equation)s” refers to a question or answer that was not imported "
            "or cannot be compared like this; not imported"
        ) % {"equation": equation}
    pairs = [pair for pair in resolved if pair is not None]
    if len({source.question.pk for source, _option in pairs}) != 1:
        return None, _(
            "condition “%(equation)s” combines several questions with “or”; not imported"
        ) % {"equation": equation}
    if not _comes_before(pairs[0][0], target_page, target_position):
        return None, _(
            "condition “%(equation)s” refers to a question that is not asked earlier; not imported"
        ) % {"equation": equation}
    return pairs, where


def write_conditions(
    structure: LsStructure,
    pages: list[SurveyPage],
    page_rows: list[dict],
    written: list[Written],
    report: ImportReport,
) -> None:
    by_code = {entry.question.code: entry for entry in written}
    by_ls_id = {entry.planned.ls_id: entry for entry in written}
    # Rows of the conditions table: by target question and scenario.
    table: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for row in structure.conditions:
        table[row.get("qid", "")][row.get("scenario", "1") or "1"].append(row)

    for target_id, scenarios in table.items():
        target = by_ls_id.get(target_id)
        if target is None:
            continue  # the question itself was not imported (already listed)
        where = _("question %(code)s") % {"code": target.question.code}
        if len(scenarios) > 1:
            report.skip(
                where,
                _(
                    "conditions in several scenarios (alternatives joined by “or”); "
                    "not imported, the question is always shown"
                ),
            )
            continue
        rows = next(iter(scenarios.values()))
        by_source: dict[str, list[tuple[Written, Option] | None]] = defaultdict(list)
        failed = None
        for row in rows:
            value = row.get("value", "")
            match = CFIELDNAME.match(row.get("cfieldname", ""))
            source = by_ls_id.get(row.get("cqid", ""))
            if (
                row.get("method", "") != "=="
                or not match
                or source is None
                or value.startswith("@")
            ):
                failed = _(
                    "condition on “%(field)s” %(method)s “%(value)s” cannot be expressed here; "
                    "not imported, the question is always shown"
                ) % {
                    "field": source.question.code if source else row.get("cfieldname", ""),
                    "method": row.get("method", ""),
                    "value": value,
                }
                break
            suffix = match.group(4)
            variable = f"{source.question.code}_{suffix}" if suffix else source.question.code
            pair = _resolve(variable, value, by_code)
            if pair is None or not _comes_before(
                pair[0], target.page_index, target.planned.position
            ):
                failed = _(
                    "condition “%(code)s == %(value)s” does not refer to an earlier answer option; "
                    "not imported, the question is always shown"
                ) % {"code": variable, "value": value}
                break
            by_source[row.get("cfieldname", "")].append(pair)
        if failed:
            report.skip(where, failed)
            continue
        for pairs in by_source.values():
            # Options of one multiple-choice question on different fields stay separate
            # conditions (LimeSurvey ANDs different fields), which is what they become here.
            _add_any_of(pairs=[pair for pair in pairs if pair], page=None, question=target.question)
            report.conditions += 1

    # Relevance equations, where the conditions table did not already say it (LimeSurvey
    # writes the equation from the conditions itself).
    for entry in written:
        equation = entry.planned.relevance.strip()
        if entry.planned.ls_id in table or equation in ("", "1"):
            continue
        where = _("question %(code)s") % {"code": entry.question.code}
        pairs, message = _map_equation(
            equation,
            where=where,
            by_code=by_code,
            target_page=entry.page_index,
            target_position=entry.planned.position,
        )
        if pairs is None:
            report.skip(where, message + " " + _("(the question is always shown)"))
            continue
        _add_any_of(pairs=pairs, page=None, question=entry.question)
        report.conditions += 1
    for index, (page, row) in enumerate(zip(pages, page_rows, strict=True)):
        equation = (row["relevance"] or "").strip()
        if equation in ("", "1"):
            continue
        where = _("page “%(title)s”") % {"title": page.title}
        pairs, message = _map_equation(
            equation, where=where, by_code=by_code, target_page=index, target_position=None
        )
        if pairs is None:
            report.skip(where, message + " " + _("(the page is always shown)"))
            continue
        _add_any_of(pairs=pairs, page=page, question=None)
        report.conditions += 1


# --- The service ----------------------------------------------------------------------------
def import_lss(
    *,
    data: bytes,
    slug: str,
    title: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Create a draft survey from the .lss file `data`; returns what was imported and what
    not. Raises LssImportError (nothing written) for a file that cannot be imported.
    With `dry_run` everything is checked and counted, and then rolled back."""
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise LssImportError(
            _("The short name may only contain letters, digits, - and _.")
        ) from error
    tables = read_tables(data)
    try:
        structure = read_structure(tables)
    except KeyError as error:
        raise LssImportError(
            _("The file is incomplete: a row lacks the column “%(column)s”.")
            % {"column": error.args[0]}
        ) from error
    report = ImportReport(
        survey=None, dry_run=dry_run, language=structure.language, languages=structure.languages
    )
    page_rows, planned = plan(structure, report)
    if Survey.objects.filter(slug=slug).exists():
        raise LssImportError(
            _("A survey with the short name “%(slug)s” exists already.") % {"slug": slug}
        )
    try:
        with transaction.atomic():
            report.survey = _write(structure, page_rows, planned, report, slug=slug, title=title)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:  # e.g. the slug taken in the meantime
        raise LssImportError(
            _("The survey could not be saved: %(error)s") % {"error": error}
        ) from error
    return report


def _write(
    structure: LsStructure,
    page_rows: list[dict],
    planned: list[PlannedQuestion],
    report: ImportReport,
    *,
    slug: str,
    title: str,
) -> Survey:
    texts = structure.survey_texts.get(structure.language, {})
    survey_title = (title or texts.get("title") or slug)[:200]
    survey = Survey.objects.create(
        title=survey_title,
        slug=slug,
        intro=texts.get("intro", ""),
        closing_text=texts.get("closing_text", ""),
        language=structure.language,
        status=SurveyStatus.DRAFT,
        translations={
            language: {name: value for name, value in values.items() if value}
            for language, values in structure.survey_texts.items()
            if language != structure.language and any(values.values())
        },
    )
    pages = [
        SurveyPage.objects.create(
            survey=survey,
            position=index,
            title=row["title"],
            intro=row["intro"],
            translations=row["translations"],
        )
        for index, row in enumerate(page_rows)
    ]
    report.pages = len(pages)
    written: list[Written] = []
    for entry in planned:
        question = Question.objects.create(
            survey=survey,
            page=pages[entry.page_index],
            position=entry.position,
            code=entry.code,
            kind=entry.kind,
            translations=entry.translations,
            **entry.fields,
        )
        created = Option.objects.bulk_create(
            [
                Option(
                    question=question,
                    role=option.role,
                    position=position,
                    code=option.code,
                    text=option.text,
                    translations=option.translations,
                )
                for position, option in enumerate(entry.options)
            ]
        )
        report.options += len(created)
        written.append(
            Written(
                question=question,
                planned=entry,
                page_index=entry.page_index,
                options={(option.role, option.code): option for option in created},
            )
        )
    report.questions = len(written)
    write_conditions(structure, pages, page_rows, written, report)
    return survey
