"""The form of one survey page: a field (or a group of fields) per shown question.

Field names use the stable codes: ``q_<question>``; a matrix row ``q_<question>__<row>``;
a rank ``q_<question>__<option>``; the "other" text ``q_<question>__other``. Option values
are option codes. Every field is optional to Django; `answer_problems` (values.py) decides
what is required or out of range, so the form and the service refuse the same things.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ..conditions import Questionnaire
from ..models import Option, OptionRole, Question, QuestionKind
from .values import AnswerValue, answer_problems, format_number

OTHER = "_other"

CHOICE_ERRORS = {"invalid_choice": gettext_lazy("Please choose one of the answers offered.")}


def field_name(question: Question, part: str | None = None) -> str:
    return f"q_{question.code}" + (f"__{part}" if part else "")


THOUSANDS = {".": re.compile(r"^-?\d{1,3}(\.\d{3})+$"), ",": re.compile(r"^-?\d{1,3}(,\d{3})+$")}


def parse_number(raw: str, language: str | None = None) -> Decimal | None:
    """A number as people write it: '12', '3,5', '3.5', '1.000' and '1.000,5' (German),
    '1,000.5' (English). The active language decides which sign groups thousands; the other
    one is taken as the decimal sign, so '3.5' also works on a German page."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    german = (language or get_language() or "de").startswith("de")
    group, decimal = (".", ",") if german else (",", ".")
    if group in text and decimal in text:
        text = text.replace(group, "").replace(decimal, ".")
    elif group in text:
        text = text.replace(group, "") if THOUSANDS[group].match(text) else text.replace(group, ".")
    else:
        text = text.replace(decimal, ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e13") else None


def parse_date(raw: str) -> datetime.date | None:
    """ISO (the date input sends it) or the German way of writing a date, 31.12.2026."""
    text = raw.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _text(item: Any, name: str = "text") -> str:
    return item.translated(name)


@dataclass
class QuestionBlock:
    """What the template needs to draw one question."""

    question: Question
    kind: str
    fields: list[forms.BoundField]
    errors: list[str]
    anchor_id: str
    help_id: str
    error_id: str
    text: str
    help_text: str
    hint: str = ""
    other: forms.BoundField | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    scale: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[Any] = field(default_factory=list)

    @property
    def describedby(self) -> str:
        ids = []
        if self.help_text or self.hint:
            ids.append(self.help_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def field(self) -> forms.BoundField | None:
        return self.fields[0] if self.fields else None


class PageForm(forms.Form):
    """The questions of one page that the respondent sees (hidden ones get no field)."""

    def __init__(
        self,
        data: Any = None,
        *,
        questionnaire: Questionnaire,
        questions: list[Question],
        values: dict[int, AnswerValue] | None = None,
        draft: dict[str, list[str]] | None = None,
        decide: Callable[[dict[int, AnswerValue]], list[Question]] | None = None,
    ) -> None:
        self.questionnaire = questionnaire
        self.questions = questions
        # Given the page's new answers, which of its questions count (conditions that look
        # at this very page); None: all that are asked.
        self.decide = decide
        self.dropped: list[Question] = []
        initial = self._initial(values or {})
        if draft:
            initial.update(
                {
                    name: (items if len(items) != 1 else items[0])
                    for name, items in draft.items()
                    if name.startswith("q_")
                }
            )
        super().__init__(data, initial=initial)
        for question in questions:
            self._add_fields(question)

    # --- fields ------------------------------------------------------------------------------

    def _options(self, question: Question, role: str = OptionRole.CHOICE) -> list[Option]:
        return [o for o in question.options.all() if o.role == role]

    def _add_fields(self, question: Question) -> None:
        kind = question.kind
        name = field_name(question)
        label = _text(question)
        if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.DROPDOWN):
            choices = [(o.code, _text(o)) for o in self._options(question)]
            if question.allow_other and kind == QuestionKind.SINGLE:
                choices.append((OTHER, _("Other")))
            if kind == QuestionKind.DROPDOWN:
                widget: forms.Widget = forms.Select
                choices = [("", _("Please choose")), *choices]
            else:
                widget = forms.RadioSelect
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=widget,
                error_messages=CHOICE_ERRORS,
            )
        elif kind == QuestionKind.MULTIPLE:
            choices = [(o.code, _text(o)) for o in self._options(question)]
            if question.allow_other:
                choices.append((OTHER, _("Other")))
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={**CHOICE_ERRORS, "invalid_list": CHOICE_ERRORS["invalid_choice"]},
            )
        elif kind == QuestionKind.MATRIX:
            scale = [(o.code, _text(o)) for o in self._options(question, OptionRole.SCALE)]
            for row in self._options(question, OptionRole.ROW):
                self.fields[field_name(question, row.code)] = forms.ChoiceField(
                    label=_text(row),
                    choices=scale,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages=CHOICE_ERRORS,
                )
        elif kind == QuestionKind.RANKING:
            options = self._options(question)
            ranks = [("", _("No rank"))] + [(str(n), str(n)) for n in range(1, len(options) + 1)]
            for option in options:
                self.fields[field_name(question, option.code)] = forms.ChoiceField(
                    label=_text(option),
                    choices=ranks,
                    required=False,
                    error_messages=CHOICE_ERRORS,
                )
        elif kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            long = kind == QuestionKind.LONG_TEXT
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6}) if long else forms.TextInput,
                # No maxlength attribute: a browser would cut pasted text silently; the
                # message below says how much is too much instead.
            )
        elif kind == QuestionKind.NUMBER:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        elif kind == QuestionKind.DATE:
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        if question.allow_other and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            self.fields[field_name(question, "other")] = forms.CharField(
                label=_("Other, namely"), required=False
            )

    def _initial(self, values: dict[int, AnswerValue]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        options = self.questionnaire.options
        for question in self.questions:
            value = values.get(question.pk)
            if value is None:
                continue
            name = field_name(question)
            codes = [options[pk].code for pk in value.option_ids if pk in options]
            kind = question.kind
            if kind == QuestionKind.MULTIPLE:
                initial[name] = codes + ([OTHER] if value.other_text else [])
            elif kind in (QuestionKind.SINGLE, QuestionKind.DROPDOWN, QuestionKind.YES_NO):
                initial[name] = codes[0] if codes else (OTHER if value.other_text else "")
            elif kind == QuestionKind.MATRIX:
                for row, scale in value.matrix.items():
                    if row in options and scale in options:
                        initial[field_name(question, options[row].code)] = options[scale].code
            elif kind == QuestionKind.RANKING:
                for option, rank in value.ranks.items():
                    if option in options:
                        initial[field_name(question, options[option].code)] = str(rank)
            elif kind == QuestionKind.NUMBER and value.number is not None:
                initial[name] = format_number(value.number)
            elif kind == QuestionKind.DATE and value.date is not None:
                initial[name] = value.date.isoformat()
            else:
                initial[name] = value.text
            if value.other_text:
                initial[field_name(question, "other")] = value.other_text
        return initial

    # --- validation --------------------------------------------------------------------------

    def _names(self, question: Question) -> list[str]:
        prefix = field_name(question)
        return [n for n in self.fields if n == prefix or n.startswith(prefix + "__")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.values: dict[int, AnswerValue] = {}
        self.question_errors: dict[int, list[str]] = {}
        parsed: dict[int, tuple[AnswerValue, list[str]]] = {}
        for question in self.questions:
            if not question.takes_answer:
                continue
            names = self._names(question)
            field_errors = [str(e) for n in names for e in self.errors.get(n, [])]
            if field_errors:  # e.g. an unknown choice: the field cleaning said so already
                parsed[question.pk] = (AnswerValue(), list(dict.fromkeys(field_errors)))
            else:
                parsed[question.pk] = self._value(question, cleaned)
        counting = (
            {q.pk for q in self.decide({pk: value for pk, (value, _p) in parsed.items()})}
            if self.decide
            else {q.pk for q in self.questions}
        )
        for question in self.questions:
            if question.pk not in parsed:
                continue
            value, problems = parsed[question.pk]
            names = self._names(question)
            if question.pk not in counting:
                # Hidden by an answer on this page: neither checked nor stored.
                for name in names:
                    self.errors.pop(name, None)
                if not value.is_empty:
                    self.dropped.append(question)
                continue
            if not problems:
                problems = answer_problems(question, value)
            if problems:
                self.question_errors[question.pk] = list(dict.fromkeys(problems))
                if not any(name in self.errors for name in names):
                    self.add_error(names[0], problems)
            else:
                self.values[question.pk] = value
        return cleaned

    def _value(self, question: Question, cleaned: dict[str, Any]) -> tuple[AnswerValue, list[str]]:
        by_code = {o.code: o for o in question.options.all() if o.role == OptionRole.CHOICE}
        name = field_name(question)
        kind = question.kind
        value = AnswerValue()
        problems: list[str] = []
        if kind in (
            QuestionKind.SINGLE,
            QuestionKind.DROPDOWN,
            QuestionKind.YES_NO,
            QuestionKind.MULTIPLE,
        ):
            raw = cleaned.get(name) or ([] if kind == QuestionKind.MULTIPLE else "")
            chosen = raw if isinstance(raw, list) else ([raw] if raw else [])
            other_text = (cleaned.get(field_name(question, "other")) or "").strip()
            value.option_ids = [by_code[code].pk for code in chosen if code in by_code]
            if OTHER in chosen or (other_text and question.allow_other):
                if not other_text:
                    problems.append(_("Please describe “Other” in a few words."))
                elif kind == QuestionKind.SINGLE and value.option_ids:
                    problems.append(
                        _("You chose an answer and also filled in “Other”. Please choose one.")
                    )
                value.other_text = other_text
        elif kind == QuestionKind.MATRIX:
            rows = {o.code: o for o in question.options.all() if o.role == OptionRole.ROW}
            scale = {o.code: o for o in question.options.all() if o.role == OptionRole.SCALE}
            for code, row in rows.items():
                point = cleaned.get(field_name(question, code))
                if point:
                    value.matrix[row.pk] = scale[point].pk
        elif kind == QuestionKind.RANKING:
            for code, option in by_code.items():
                rank = cleaned.get(field_name(question, code))
                if rank:
                    value.ranks[option.pk] = int(rank)
        elif kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            text = cleaned.get(name) or ""
            value.text = text if text.strip() else ""
        elif kind == QuestionKind.NUMBER:
            raw = (cleaned.get(name) or "").strip()
            if raw:
                number = parse_number(raw)
                if number is None:
                    problems.append(_("Please enter a number, e.g. 12 or 3,5."))
                else:
                    value.number = number
        elif kind == QuestionKind.DATE:
            raw = (cleaned.get(name) or "").strip()
            if raw:
                day = parse_date(raw)
                if day is None:
                    problems.append(_("Please enter a date, e.g. 31.12.2026."))
                else:
                    value.date = day
        return value, problems

    # --- rendering ---------------------------------------------------------------------------

    def blocks(self) -> list[QuestionBlock]:
        """The questions of the page with their bound fields, ids and errors, for templates."""
        blocks = []
        for question in self.questions:
            prefix = field_name(question)
            names = [n for n in self.fields if n == prefix or n.startswith(prefix + "__")]
            bound = [self[n] for n in names if not n.endswith("__other")]
            other = (
                self[field_name(question, "other")]
                if field_name(question, "other") in self.fields
                else None
            )
            errors = list(getattr(self, "question_errors", {}).get(question.pk, []))
            block = QuestionBlock(
                question=question,
                kind=question.kind,
                fields=bound,
                errors=errors,
                anchor_id="",
                help_id=f"{prefix}_help",
                error_id=f"{prefix}_error",
                text=_text(question),
                help_text=_text(question, "help_text"),
                other=other,
                hint=self._hint(question),
                conditions=[
                    self.questionnaire.describe(c)
                    for c in self.questionnaire.conditions_of(question)
                ],
            )
            if self.questionnaire.depends_on_own_page(question):
                own = [
                    self.questionnaire.describe(c)
                    for c in self.questionnaire.conditions_of(question)
                    if self.questionnaire.questions[c.source_id].page_id == question.page_id
                ]
                only_if = _("Only to be answered if %(conditions)s.") % {
                    "conditions": _(" and ").join(own)
                }
                block.hint = f"{only_if} {block.hint}".strip()
            block.anchor_id = self._anchor_id(block)
            self._describe(block)
            if question.kind == QuestionKind.MATRIX:
                scale = self._options(question, OptionRole.SCALE)
                block.scale = [
                    {"option": o, "text": _text(o), "id": f"{prefix}__scale_{i}"}
                    for i, o in enumerate(scale)
                ]
                for index, row in enumerate(self._options(question, OptionRole.ROW)):
                    bound_row = self[field_name(question, row.code)]
                    value = bound_row.value()
                    row_error_id = f"{prefix}__{row.code}_error"
                    missing = bool(errors) and question.required and not value
                    block.rows.append(
                        {
                            "option": row,
                            "text": _text(row),
                            "id": f"{prefix}__row_{index}",
                            "name": bound_row.html_name,
                            "missing": missing,
                            "error_id": row_error_id,
                            "describedby": " ".join(
                                filter(None, [block.describedby, row_error_id if missing else ""])
                            ),
                            "cells": [
                                {
                                    "id": f"{bound_row.auto_id}_{i}",
                                    "value": o.code,
                                    "checked": value == o.code,
                                    "labelledby": f"{prefix}__row_{index} {prefix}__scale_{i}",
                                }
                                for i, o in enumerate(scale)
                            ],
                        }
                    )
            blocks.append(block)
        return blocks

    def _hint(self, question: Question) -> str:
        """The rule of the input in words, shown with the help text."""
        kind = question.kind
        if kind == QuestionKind.NUMBER:
            low, high = question.min_value, question.max_value
            whole = question.integer_only
            if low is not None and high is not None:
                text = (
                    _("A whole number from %(min)s to %(max)s.")
                    if whole
                    else _("A number from %(min)s to %(max)s.")
                )
                return text % {"min": format_number(low), "max": format_number(high)}
            if low is not None:
                return _("A number of at least %(min)s.") % {"min": format_number(low)}
            if high is not None:
                return _("A number of at most %(max)s.") % {"max": format_number(high)}
            return _("A whole number.") if whole else ""
        if kind == QuestionKind.DATE:
            return _("For example 31.12.2026.")
        if kind == QuestionKind.RANKING:
            return _("Give each option a rank: 1 for the most important, each rank only once.")
        if kind == QuestionKind.MULTIPLE:
            return _("Several answers are possible.")
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT) and question.max_length:
            return _("At most %(limit)d characters.") % {"limit": question.max_length}
        return ""

    def _anchor_id(self, block: QuestionBlock) -> str:
        if not block.fields:
            return ""
        first = block.fields[0]
        if block.kind in (
            QuestionKind.SINGLE,
            QuestionKind.YES_NO,
            QuestionKind.MULTIPLE,
            QuestionKind.MATRIX,
        ):
            return f"{first.auto_id}_0"
        return first.auto_id

    def _describe(self, block: QuestionBlock) -> None:
        """aria-describedby and aria-invalid on inputs that stand alone (text, number, date,
        dropdown) and on rank selects; groups get them on their fieldset in the template."""
        for bound in block.fields + ([block.other] if block.other else []):
            attrs = bound.field.widget.attrs
            attrs.pop("aria-describedby", None)
            attrs.pop("aria-invalid", None)
            if block.kind in (
                QuestionKind.SHORT_TEXT,
                QuestionKind.LONG_TEXT,
                QuestionKind.NUMBER,
                QuestionKind.DATE,
                QuestionKind.DROPDOWN,
            ):
                if block.describedby:
                    attrs["aria-describedby"] = block.describedby
                if block.errors:
                    attrs["aria-invalid"] = "true"
            if block.kind == QuestionKind.RANKING and block.errors:
                attrs["aria-describedby"] = block.error_id
                attrs["aria-invalid"] = "true"

    def ignored_posted_questions(self) -> list[str]:
        """Codes of questions whose fields were posted but are not on this page as shown
        (hidden by a condition, or from another page): their values are ignored."""
        if not self.is_bound:
            return []
        mine = set(self.fields)
        posted = {
            key[2:].split("__", 1)[0]
            for key in self.data
            if key.startswith("q_") and key not in mine and any(self.data.getlist(key))
        }
        return sorted(posted | {question.code for question in self.dropped})

    def posted_draft(self) -> dict[str, list[str]]:
        """What was typed, to be shown again when the respondent comes back to this page."""
        return {name: self.data.getlist(name) for name in self.fields if name in self.data}
