"""The columns of the proposal export, and the hook through which higher floors add their own.

The exports sit below the review (docs/architecture.md), so they cannot read review cases
themselves. An app that has more to say about a proposal registers a function for the Wagtail
hook `EXPORT_COLUMNS_HOOK` that returns a `ColumnGroup`: its column headers (with the kind of
value, so that the XLSX gets real dates, numbers and links) and a `rows` function that is
called once per batch of proposals (up to 1,000) and returns the values of its columns per
proposal id. `rows` must load the whole batch with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wagtail import hooks

EXPORT_COLUMNS_HOOK = "proposal_export_columns"


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"
    LINK = "link"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    # Width in the XLSX, in characters.
    width: int = 16


@dataclass(frozen=True)
class ColumnGroup:
    columns: Sequence[Column]
    # rows(proposals) -> {proposal id: values in the order of `columns`}; missing ids get blanks.
    rows: Callable[[Sequence[Any]], dict[int, Sequence[Any]]]


def extra_column_groups() -> list[ColumnGroup]:
    """The column groups registered by higher floors, in hook order."""
    return [hook() for hook in hooks.get_hooks(EXPORT_COLUMNS_HOOK)]
