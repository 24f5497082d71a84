"""Write operations on proposals, supports and priority points.

Every view, admin action, command and task calls these functions. Each one checks who may do
it and whether the phase allows it, then writes; the database constraints are the final guard.
Refusals raise ValidationError (or PermissionDenied) with a message in the user's language.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from foundation import following
from foundation.models import (
    Activity,
    Consultation,
    FollowOrigin,
    Handlungsfeld,
    Municipality,
    PhaseGate,
    User,
)
from foundation.richtext import render_markdown, visible_text
from foundation.rules import participation_refusal

from .models import (
    PriorityAllocation,
    PriorityBudget,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Support,
)
from .rules import is_proposal_author

if TYPE_CHECKING:  # forums may call our services, so we import its models only for typing
    from forums.models import ForumEvent, Thread

# --- Rich text ------------------------------------------------------------------------------

BODY_MAX_LENGTH = 10_000
#: Residents write proposals in Markdown; the page shows the foundation's limited rich text.
render_body = render_markdown


# --- Phase gating ---------------------------------------------------------------------------


# Per activity: the reason when no later phase opens it, and when one does (%(phase)s, %(date)s).
GATE_REASONS = {
    Activity.PROPOSALS: (
        gettext_lazy(
            "Proposals cannot be submitted at the moment: the phase for proposals is over."
        ),
        gettext_lazy(
            "Proposals cannot be submitted at the moment. Submission opens with the phase “%(phase)s” on %(date)s."
        ),
    ),
    Activity.SUPPORTS: (
        gettext_lazy(
            "Proposals cannot be supported at the moment: the phase for supports is over."
        ),
        gettext_lazy(
            "Proposals cannot be supported at the moment. Supporting opens with the phase “%(phase)s” on %(date)s."
        ),
    ),
    Activity.PRIORITY_POINTS: (
        gettext_lazy("Priority points cannot be given in the current phase."),
        gettext_lazy(
            "Priority points cannot be given at the moment. They open with the phase “%(phase)s” on %(date)s."
        ),
    ),
}


def activity_gate(consultation: Consultation, activity: Activity) -> PhaseGate:
    """The consultation's gate for `activity` (Consultation.gate), with the reason worded."""
    gate = consultation.gate(activity)
    if gate.is_open:
        return gate
    closed_text, opens_text = GATE_REASONS[activity]
    if gate.opens_with is None:
        return replace(gate, reason=str(closed_text))
    reason = str(opens_text) % {
        "phase": gate.opens_with.title,
        "date": date_format(timezone.localtime(gate.opens_with.starts_at), "DATETIME_FORMAT"),
    }
    return replace(gate, reason=reason)


def ensure_open(consultation: Consultation, activity: Activity) -> PhaseGate:
    """The open gate of `activity`; a ValidationError with the worded reason if it is closed."""
    gate = activity_gate(consultation, activity)
    if not gate.is_open:
        raise ValidationError(gate.reason)
    return gate


def _ensure_participant(user: User) -> None:
    refusal = participation_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)


# --- Submitting and editing -------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalData:
    """The fields a resident fills in (validated by ProposalForm or the caller); `body` is
    Markdown."""

    kind: str
    title: str
    body: str
    handlungsfeld: Handlungsfeld
    is_region_wide: bool
    municipalities: tuple[Municipality, ...] = ()
    goal: Proposal | None = None
    source_event: ForumEvent | None = None
    source_thread: Thread | None = None

    @property
    def source(self) -> str:
        """The Markdown as stored: line ends unified, no blank lines around it."""
        return self.body.replace("\r\n", "\n").strip()

    def model_fields(self, *, body: str) -> dict[str, object]:
        """The proposal's columns from this data (`body` rendered and sanitised); no
        municipalities."""
        return {
            "kind": self.kind,
            "title": self.title.strip(),
            "body": body,
            "body_source": self.source,
            "handlungsfeld": self.handlungsfeld,
            "is_region_wide": self.is_region_wide,
            "goal": self.goal if self.kind == ProposalKind.MEASURE else None,
            "source_event": self.source_event,
            "source_thread": self.source_thread,
        }


def validate_proposal_data(
    *, consultation: Consultation, data: ProposalData, instance: Proposal | None = None
) -> str:
    """Check the rules that span fields; returns the rendered, sanitised body. Raises
    ValidationError."""
    errors: dict[str, list[str]] = {}
    body = render_body(data.body)
    if not visible_text(body):
        errors.setdefault("body", []).append(_("Please describe your proposal."))
    elif len(data.source) > BODY_MAX_LENGTH:  # what the author typed, not the HTML of it
        errors.setdefault("body", []).append(
            _("The description is too long: at most %(max)d characters are allowed.")
            % {"max": BODY_MAX_LENGTH}
        )
    if data.is_region_wide and data.municipalities:
        errors.setdefault("municipalities", []).append(
            _("Choose either the whole region or individual municipalities, not both.")
        )
    if not data.is_region_wide and not data.municipalities:
        errors.setdefault("municipalities", []).append(_("Choose at least one municipality."))
    if data.goal is not None:
        if data.kind != ProposalKind.MEASURE:
            errors.setdefault("goal", []).append(_("Only a measure can belong to a goal."))
        elif (
            data.goal.consultation_id != consultation.pk
            or data.goal.kind != ProposalKind.GOAL
            or (instance is not None and data.goal.pk == instance.pk)
        ):
            errors.setdefault("goal", []).append(_("Choose a goal of this consultation."))
        elif data.goal.handlungsfeld_id != data.handlungsfeld.pk:
            errors.setdefault("goal", []).append(
                _(
                    "The goal belongs to another Handlungsfeld. Choose a goal of the same Handlungsfeld."
                )
            )
    if data.source_event is not None and data.source_event.consultation_id != consultation.pk:
        errors.setdefault("source_event", []).append(
            _("Choose a forum event of this consultation.")
        )
    if (
        data.source_thread is not None
        and data.source_thread.forum.consultation_id != consultation.pk
    ):
        errors.setdefault("source_thread", []).append(
            _("Choose a forum thread of this consultation.")
        )
    if errors:
        raise ValidationError(errors)
    return body


@transaction.atomic
def proposal_submit(
    *,
    consultation: Consultation,
    author: User,
    data: ProposalData,
    submission_token: uuid.UUID | None = None,
) -> tuple[Proposal, bool]:
    """Publish a new proposal. Returns (proposal, created).

    With a submission token a repeated POST (double click, reload) returns the proposal the
    first POST created instead of a second one; the unique column decides, not a SELECT.
    """
    _ensure_participant(author)
    if submission_token is not None:
        existing = Proposal.objects.filter(submission_token=submission_token, author=author).first()
        if existing is not None:
            return existing, False
    ensure_open(consultation, Activity.PROPOSALS)
    body = validate_proposal_data(consultation=consultation, data=data)
    proposal = Proposal(
        consultation=consultation,
        author=author,
        **data.model_fields(body=body),
        submission_token=submission_token,
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        existing = Proposal.objects.filter(submission_token=submission_token, author=author).first()
        if submission_token is None or existing is None:
            raise
        return existing, False
    if data.municipalities:
        proposal.municipalities.set(data.municipalities)
    following.follow(user=author, target=proposal, origin=FollowOrigin.PARTICIPATED)
    following.record(
        target=consultation,
        verb="consultations.proposal",
        url=proposal.get_absolute_url(),
        actor=author,
        title=proposal.title,
        name=author.public_name,
    )
    return proposal, True


@transaction.atomic
def proposal_update(*, proposal: Proposal, user: User, data: ProposalData) -> Proposal:
    """The author edits while nobody has supported the proposal yet (and the phase is open)."""
    _ensure_participant(user)
    if not is_proposal_author(user, proposal):
        raise PermissionDenied(_("Only the author can edit this proposal."))
    refusal = proposal.edit_refusal()
    if refusal:
        raise ValidationError(refusal)
    ensure_open(proposal.consultation, Activity.PROPOSALS)
    body = validate_proposal_data(consultation=proposal.consultation, data=data, instance=proposal)
    # The condition support_count=0 is checked by the UPDATE itself, so a support that
    # arrives between loading the page and saving wins.
    changed = Proposal.objects.filter(
        pk=proposal.pk, support_count=0, status=ProposalStatus.PUBLISHED
    ).update(
        **data.model_fields(body=body),
        updated_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(
            _("This proposal has already been supported and can no longer be edited.")
        )
    proposal.refresh_from_db()
    proposal.municipalities.set(data.municipalities)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user: User) -> Proposal:
    """The author withdraws at any time; the proposal stays visible, marked as withdrawn."""
    if not is_proposal_author(user, proposal):
        raise PermissionDenied(_("Only the author can withdraw this proposal."))
    if proposal.status == ProposalStatus.WITHDRAWN:
        return proposal
    if proposal.status == ProposalStatus.MERGED:
        raise ValidationError(
            _("This proposal has been merged into another one and cannot be withdrawn.")
        )
    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.WITHDRAWN, withdrawn_at=now, updated_at=now
    )
    proposal.refresh_from_db()
    return proposal


# --- Supports -------------------------------------------------------------------------------


def _ensure_proposal_accepts_supports(proposal: Proposal) -> None:
    refusal = proposal.support_refusal()
    if refusal:
        raise ValidationError(refusal)


#: How often support_add tries again when the support that stood in its way was withdrawn
#: in the meantime (a person adding and withdrawing in parallel requests).
SUPPORT_RACE_ATTEMPTS = 5


def support_add(*, proposal: Proposal, user: User) -> tuple[Support, bool]:
    """Support a proposal once. Returns (support, created); a repeat is not an error.

    The checks only read; the write is one atomic statement on PostgreSQL (no transaction
    round trips needed) and a short transaction elsewhere. When the unique constraint says
    "already supported" but the support is gone by the time it is read (withdrawn by a
    parallel request of the same person), the insert is simply tried again.
    """
    _ensure_participant(user)
    _ensure_proposal_accepts_supports(proposal)
    ensure_open(proposal.consultation, Activity.SUPPORTS)
    for _attempt in range(SUPPORT_RACE_ATTEMPTS):
        support = _insert_support(proposal=proposal, user=user)
        if support is not None:
            following.follow(user=user, target=proposal, origin=FollowOrigin.SUPPORTED)
            return support, True
        existing = Support.objects.filter(proposal=proposal, user=user).first()
        if existing is not None:
            return existing, False
    raise ValidationError(
        _("Your support could not be saved just now. Please try again."), code="race"
    )


def _insert_support(*, proposal: Proposal, user: User) -> Support | None:
    """Insert the support and raise the counter together; None if it already exists."""
    if connection.vendor == "postgresql":
        return _insert_support_and_count(proposal=proposal, user=user)
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, user=user)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:  # the unique constraint is the guard: already supported
        return None
    return support


def _insert_support_and_count(*, proposal: Proposal, user: User) -> Support | None:
    """PostgreSQL: insert the support and raise the counter in ONE statement.

    ON CONFLICT DO NOTHING lets the unique constraint decide (no savepoint round trips);
    the counter UPDATE in the same statement runs only when a row was really inserted
    (a data-modifying CTE always runs to completion). Returns None for a repeat.
    """
    now = timezone.now()
    sql = f"""
        WITH inserted AS (
            INSERT INTO {Support._meta.db_table} (proposal_id, user_id, created_at)
            VALUES (%s, %s, %s)
            ON CONFLICT (proposal_id, user_id) DO NOTHING
            RETURNING id
        ), counted AS (
            UPDATE {Proposal._meta.db_table} SET support_count = support_count + 1
            WHERE id = %s AND EXISTS (SELECT 1 FROM inserted)
        )
        SELECT id FROM inserted
    """  # noqa: S608 - table names come from model metadata, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [proposal.pk, user.pk, now, proposal.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    return Support(id=row[0], proposal=proposal, user=user, created_at=now)


@transaction.atomic
def support_remove(*, proposal: Proposal, user: User) -> bool:
    """Withdraw one's support while supporting is open. Returns whether a support was removed."""
    _ensure_participant(user)
    ensure_open(proposal.consultation, Activity.SUPPORTS)
    deleted, _details = Support.objects.filter(proposal=proposal, user=user).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        following.unfollow(user=user, target=proposal, origin=FollowOrigin.SUPPORTED)
    return bool(deleted)


# --- Priority points ------------------------------------------------------------------------


@transaction.atomic
def priority_points_set(
    *, proposal: Proposal, user: User, points: int
) -> PriorityAllocation | None:
    """Give `points` (0 removes them) to a proposal within the user's budget for its Handlungsfeld.

    The budget row is changed with one conditional UPDATE (spent + delta <= budget); the
    CHECK constraint backs it. The UPDATE also locks that row, so a person's parallel
    requests for one field run one after another while everybody else goes on in parallel.
    """
    _ensure_participant(user)
    if points < 0:
        raise ValidationError(_("Points cannot be negative."))
    gate = ensure_open(proposal.consultation, Activity.PRIORITY_POINTS)
    assert gate.phase is not None
    limit = gate.phase.priority_points
    if points > 0:
        _ensure_proposal_accepts_supports(proposal)
    budget, _created = PriorityBudget.objects.get_or_create(
        user=user,
        consultation_id=proposal.consultation_id,
        handlungsfeld_id=proposal.handlungsfeld_id,
        defaults={"budget": limit},
    )
    # Lock the budget row first: from here on this person's allocations in the field are ours.
    # If the coordination office lowered N below what someone spent already, keep the CHECK
    # valid: they can only take points back until they are within the new limit.
    PriorityBudget.objects.filter(pk=budget.pk).update(budget=Greatest(Value(limit), F("spent")))
    current = PriorityAllocation.objects.filter(user=user, proposal=proposal).first()
    old_points = current.points if current else 0
    delta = points - old_points
    if delta == 0:
        return current
    if delta > 0:
        spent = PriorityBudget.objects.filter(pk=budget.pk, spent__lte=limit - delta).update(
            spent=F("spent") + delta
        )
        if not spent:
            budget.refresh_from_db()
            remaining = max(budget.budget - budget.spent, 0)
            raise ValidationError(
                ngettext(
                    "You do not have enough points left in this Handlungsfeld: %(remaining)d of %(limit)d points is left.",
                    "You do not have enough points left in this Handlungsfeld: %(remaining)d of %(limit)d points are left.",
                    remaining,
                )
                % {"remaining": remaining, "limit": limit}
            )
    else:
        PriorityBudget.objects.filter(pk=budget.pk).update(spent=F("spent") + delta)
    Proposal.objects.filter(pk=proposal.pk).update(points_total=F("points_total") + delta)
    if points == 0:
        PriorityAllocation.objects.filter(pk=current.pk).delete()  # type: ignore[union-attr]
        return None
    if current is None:
        return PriorityAllocation.objects.create(
            user=user, proposal=proposal, handlungsfeld_id=proposal.handlungsfeld_id, points=points
        )
    PriorityAllocation.objects.filter(pk=current.pk).update(points=points)
    current.points = points
    return current
