"""Reads of the invitation mode: recipients with their state, counts per state."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from ..models import Recipient, ResponseState, Survey

#: The state of a recipient, as shown in the admin (and counted by the results dashboard).
STATES = {
    "not_invited": _("not invited yet"),
    "invited": _("invited"),
    ResponseState.OPENED: _("opened"),
    ResponseState.PARTIAL: _("partly answered"),
    ResponseState.COMPLETE: _("complete"),
    "opted_out": _("opted out"),
}


def recipient_state() -> Case:
    """One recipient's state from its own columns and its response (one join, no count)."""
    return Case(
        When(opted_out_at__isnull=False, then=Value("opted_out")),
        When(completed_at__isnull=False, then=Value(ResponseState.COMPLETE)),
        When(response__state=ResponseState.COMPLETE, then=Value(ResponseState.COMPLETE)),
        When(response__state=ResponseState.PARTIAL, then=Value(ResponseState.PARTIAL)),
        When(response__state=ResponseState.OPENED, then=Value(ResponseState.OPENED)),
        When(invited_at__isnull=False, then=Value("invited")),
        default=Value("not_invited"),
        output_field=CharField(),
    )


def recipients_with_state(
    survey: Survey,
    *,
    group_id: int | None = None,
    municipality_id: int | None = None,
    state: str | None = None,
    search: str = "",
) -> QuerySet[Recipient]:
    recipients = (
        survey.recipients.select_related("group", "municipality")
        .annotate(state=recipient_state())
        .order_by("name", "pk")
    )
    if group_id:
        recipients = recipients.filter(group_id=group_id)
    if municipality_id:
        recipients = recipients.filter(municipality_id=municipality_id)
    if state in STATES:
        recipients = recipients.filter(state=state)
    if search:
        recipients = recipients.filter(name__icontains=search) | recipients.filter(
            email__icontains=search
        )
    return recipients


def state_counts(survey: Survey) -> dict[str, int]:
    rows = (
        survey.recipients.annotate(state=recipient_state())
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
    )
    counts = {row["state"]: row["n"] for row in rows}
    return {state: counts.get(state, 0) for state in STATES}
