"""The variables of a survey's data files, derived from the stable question and option codes.

One row per response; per question:
- single, dropdown, yes/no: one variable (the option code; in SPSS a number with value labels);
- multiple choice: one 0/1 variable per option (`<question>_<option>`), empty if not answered;
- ranking: one variable per option holding its rank;
- matrix: one variable per row holding the scale point's code;
- "other" texts: `<question>_other`; number, date, text: one variable each.

SPSS variable names must start with a letter and hold letters, digits and "_" only; a code
that does not fit ("1a", "wie-oft") is adapted ("v1a", "wie_oft") and the codebook names both.
Option codes that are all whole numbers are SPSS values as they are; otherwise the options
are numbered 1, 2, ... in their order, and the codebook lists the number beside each code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveys.models import Option, OptionRole, Question, QuestionKind

SINGLE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.DROPDOWN, QuestionKind.YES_NO})

#: Kinds of variable: how a value is written into each file format.
CATEGORICAL, FLAG, RANK, NUMBER, DATE, TEXT = (
    "categorical",
    "flag",
    "rank",
    "number",
    "date",
    "text",
)


@dataclass
class Variable:
    name: str  # SPSS-safe, unique
    question: Question
    label: str
    kind: str
    option: Option | None = None  # multiple / ranking / matrix row
    #: option id → (code, SPSS value, label), for categorical variables
    values: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    is_other: bool = False  # the "other" text of a choice question


def _spss_name(raw: str, used: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", raw)
    if not name or not name[0].isalpha():
        name = f"v{name}"
    name = name[:60]
    candidate, counter = name, 2
    while candidate.lower() in used:
        candidate, counter = f"{name}_{counter}", counter + 1
    used.add(candidate.lower())
    return candidate


def _value_map(options: list[Option]) -> dict[int, tuple[str, int, str]]:
    numeric = all(option.code.isdigit() for option in options)
    return {
        option.pk: (option.code, int(option.code) if numeric else position, option.text)
        for position, option in enumerate(options, start=1)
    }


#: Columns before the questions' variables (name, label).
FIXED_COLUMNS = (
    ("response_id", "Response"),
    ("state", "State"),
    ("recipient_group", "Recipient group"),
    ("municipality", "Municipality"),
    ("language", "Language"),
    ("started", "Opened"),
    ("submitted", "Submitted"),
)


def variables_of(questions: list[Question]) -> list[Variable]:
    """The variables of `questions` (their options prefetched), in questionnaire order."""
    used = {name for name, _label in FIXED_COLUMNS}
    variables: list[Variable] = []
    for question in questions:
        if question.kind == QuestionKind.DISPLAY:
            continue
        options = list(question.options.all())
        choices = [option for option in options if option.role == OptionRole.CHOICE]
        text = question.text
        if question.kind in SINGLE_KINDS:
            variables.append(
                Variable(
                    _spss_name(question.code, used),
                    question,
                    text,
                    CATEGORICAL,
                    values=_value_map(choices),
                )
            )
        elif question.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
            kind = FLAG if question.kind == QuestionKind.MULTIPLE else RANK
            for option in choices:
                variables.append(
                    Variable(
                        _spss_name(f"{question.code}_{option.code}", used),
                        question,
                        f"{text}: {option.text}",
                        kind,
                        option=option,
                    )
                )
        elif question.kind == QuestionKind.MATRIX:
            scale = _value_map([o for o in options if o.role == OptionRole.SCALE])
            for row in (o for o in options if o.role == OptionRole.ROW):
                variables.append(
                    Variable(
                        _spss_name(f"{question.code}_{row.code}", used),
                        question,
                        f"{text}: {row.text}",
                        CATEGORICAL,
                        option=row,
                        values=scale,
                    )
                )
        elif question.kind == QuestionKind.NUMBER:
            variables.append(Variable(_spss_name(question.code, used), question, text, NUMBER))
        elif question.kind == QuestionKind.DATE:
            variables.append(Variable(_spss_name(question.code, used), question, text, DATE))
        else:
            variables.append(Variable(_spss_name(question.code, used), question, text, TEXT))
        if question.allow_other and question.kind in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.DROPDOWN,
        ):
            variables.append(
                Variable(
                    _spss_name(f"{question.code}_other", used),
                    question,
                    f"{text}: Other",
                    TEXT,
                    is_other=True,
                )
            )
    return variables


def codebook_rows(variables: list[Variable]) -> list[list[str | int]]:
    """Codebook: variable, question code, question, kind, option code, SPSS value, label.

    One row per variable, then one per value of a categorical variable."""
    rows: list[list[str | int]] = []
    for variable in variables:
        rows.append(
            [
                variable.name,
                variable.question.code,
                variable.label,
                variable.kind,
                variable.option.code if variable.option else "",
                "",
                "",
            ]
        )
        for code, value, label in variable.values.values():
            rows.append([variable.name, variable.question.code, "", "", code, value, label])
    return rows
