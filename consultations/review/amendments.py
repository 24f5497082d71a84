"""What the coordination office changes in a department's assessment, and who hears of it.

Two kinds of change, both kept as an `AssessmentChange` (who, when, why, before and after,
whether the outcome changed) and as an event in the case's history:

- an edit while the case is "assessed", before the office approves it (`assessment_edit_by_office`);
- a correction of a published assessment, with a required reason (`assessment_correct`). The
  public proposal page shows the current text and "corrected on … (reason)"; when the outcome
  changed, the author and the supporters are told once per correction (`notify_correction`,
  run by the worker from the outbox).

The outcome is the feasibility (Umsetzbarkeit) and the responsibility (Zuständigkeit): a reworded
rationale, cost estimate or time frame alone tells nobody.

Other apps hear of a correction through the Wagtail hook `ASSESSMENT_CORRECTED_HOOK`,
`(change, *, actor) -> None`, called inside the correcting transaction after the assessment and
the proposal's status changed (side effects of hooks must go through foundation.outbox).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail import hooks

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation import following
from foundation.models import User
from foundation.notifications import Message, notify, recipient_language
from foundation.outbox import enqueue

from .models import (
    Assessment,
    AssessmentChange,
    AssessmentChangeKind,
    Feasibility,
    Responsibility,
    ReviewCase,
    ReviewState,
)
from .permissions import ensure_coordination_office
from .services import (
    ASSESSMENT_FIELDS,
    PUBLISHED_STATUS,
    _apply_assessment_data,
    _locked_case,
    _record,
    validate_assessment_complete,
)

# What a correction may change: everything the public sees (never the internal note).
CORRECTABLE_FIELDS = (
    "feasibility",
    "responsibility",
    "cost_estimate",
    "time_frame",
    "public_rationale",
    "revised_title",
    "revised_body",
)
OUTCOME_FIELDS = ("feasibility", "responsibility")
CORRECTION_TASK = "review.tasks.notify_correction"
ASSESSMENT_CORRECTED_HOOK = "review_assessment_corrected"
# The news followers of the proposal get (texts: wagtail_hooks.review_news).
CORRECTED_VERB = "review.assessment_corrected"


def _normalised(name: str, value: Any) -> Any:
    if name == "responsibility":
        chosen = set(value or [])
        return [choice.value for choice in Responsibility if choice.value in chosen]
    return (value or "").strip() if isinstance(value, str) or value is None else value


def _snapshot(assessment: Assessment, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _normalised(name, getattr(assessment, name)) for name in fields}


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def outcome_changed(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether the feasibility or the responsibility differs (the order of levels does not count)."""
    return before.get("feasibility") != after.get("feasibility") or set(
        before.get("responsibility") or []
    ) != set(after.get("responsibility") or [])


def correction_refusal(case: ReviewCase | None, assessment: Assessment | None) -> str | None:
    """Why the published assessment of this case cannot be corrected, or None if it can."""
    if (
        case is None
        or assessment is None
        or case.state != ReviewState.PUBLISHED
        or assessment.published_at is None
    ):
        return _("Only a published assessment can be corrected.")
    return None


def office_edit_refusal(case: ReviewCase | None) -> str | None:
    """Why the coordination office may not edit the assessment now, or None if it may."""
    if case is not None and case.state == ReviewState.ASSESSED:
        return None
    label = ReviewState(case.state).label if case is not None else ReviewState.NEW.label
    return _(
        "The coordination office can only edit an assessment after the department has submitted "
        "it and before it is approved (now: “%(state)s”)."
    ) % {"state": label}


def _apply(
    *, case: ReviewCase, actor: User, data: dict[str, Any], fields: tuple[str, ...]
) -> tuple[Assessment, dict[str, Any], dict[str, Any]]:
    """Apply `data` to the case's assessment; the values before and after, or a refusal."""
    assessment = Assessment.objects.select_for_update().get(proposal_id=case.proposal_id)
    before = _snapshot(assessment, fields)
    wanted = {name: _normalised(name, data[name]) for name in fields if name in data}
    if not _changed_fields(before, {**before, **wanted}):
        raise ValidationError(
            _("Nothing was changed. Change at least one field or cancel."), code="unchanged"
        )
    _apply_assessment_data(assessment=assessment, data=wanted, actor=actor)
    validate_assessment_complete(assessment)
    return assessment, before, _snapshot(assessment, fields)


def _field_labels(names: list[str]) -> str:
    return ", ".join(str(Assessment._meta.get_field(name).verbose_name) for name in names)


@transaction.atomic
def assessment_edit_by_office(
    *, case: ReviewCase, actor: User, data: dict[str, Any], comment: str = ""
) -> AssessmentChange:
    """The coordination office edits a submitted assessment before approving it (recorded)."""
    ensure_coordination_office(actor)
    case = _locked_case(case)
    refusal = office_edit_refusal(case)
    if refusal:
        raise ValidationError(refusal, code="not_editable")
    assessment, before, after = _apply(case=case, actor=actor, data=data, fields=ASSESSMENT_FIELDS)
    change = AssessmentChange.objects.create(
        assessment=assessment,
        kind=AssessmentChangeKind.OFFICE_EDIT,
        changed_by=actor,
        reason=comment.strip(),
        before=before,
        after=after,
        outcome_changed=outcome_changed(before, after),
    )
    summary = _("Changed: %(fields)s") % {"fields": _field_labels(_changed_fields(before, after))}
    _record(
        case=case,
        actor=actor,
        action="edited_by_office",
        from_state=case.state,
        comment="\n".join(part for part in (summary, change.reason) if part),
    )
    return change


@transaction.atomic
def assessment_correct(
    *, case: ReviewCase, actor: User, data: dict[str, Any], reason: str
) -> AssessmentChange:
    """Correct a published assessment with a reason; tell the people behind the proposal once,
    and only when the outcome changed."""
    ensure_coordination_office(actor)
    case = _locked_case(case)
    refusal = correction_refusal(
        case, Assessment.objects.filter(proposal_id=case.proposal_id).first()
    )
    if refusal:
        raise ValidationError(refusal, code="not_published")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the correction; it is published with it.")},
            code="no_reason",
        )
    assessment, before, after = _apply(case=case, actor=actor, data=data, fields=CORRECTABLE_FIELDS)
    changed_outcome = outcome_changed(before, after)
    change = AssessmentChange.objects.create(
        assessment=assessment,
        kind=AssessmentChangeKind.CORRECTION,
        changed_by=actor,
        reason=reason,
        before=before,
        after=after,
        outcome_changed=changed_outcome,
    )
    if before["feasibility"] != after["feasibility"]:
        Proposal.objects.filter(pk=case.proposal_id).update(
            status=PUBLISHED_STATUS[assessment.feasibility]
        )
    summary = _("Changed: %(fields)s") % {"fields": _field_labels(_changed_fields(before, after))}
    _record(
        case=case,
        actor=actor,
        action="corrected",
        from_state=case.state,
        comment=f"{summary}\n{reason}",
    )
    for hook in hooks.get_hooks(ASSESSMENT_CORRECTED_HOOK):
        hook(change, actor=actor)
    if changed_outcome:
        _announce(change=change, case=case, actor=actor)
    return change


def _announce(*, change: AssessmentChange, case: ReviewCase, actor: User) -> None:
    """Queue the notice to author and supporters; followers hear of it as news."""
    proposal = Proposal.objects.select_related("consultation").filter(pk=case.proposal_id).first()
    told = set(proposal.supports.values_list("user_id", flat=True))
    if proposal.author_id:
        told.add(proposal.author_id)
    following.record(
        target=proposal,
        verb=CORRECTED_VERB,
        url=proposal_url(proposal),
        actor=actor,
        skip=told,
        reason=change.reason,
    )
    enqueue(
        CORRECTION_TASK,
        payload={"change_id": change.pk},
        dedupe_key=f"review-correction:{change.pk}",
    )


# --- Telling authors and supporters (the worker) -----------------------------------------------


def _people_to_notify(proposal: Proposal) -> list[User]:
    """The author and the supporters, each person once, active accounts only."""
    ids = set(proposal.supports.values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _value_label(name: str, value: Any) -> str:
    if name == "feasibility":
        return str(Feasibility(value).label) if value else "–"
    labels = dict(Responsibility.choices)
    return ", ".join(str(labels[code]) for code in value) or "–"


def correction_message(change: AssessmentChange, proposal: Proposal, user: User) -> Message:
    """The notice of a correction, in the active language."""
    if proposal.author_id == user.pk:
        title = _("The assessment of your proposal “%(title)s” has been corrected")
    else:
        title = _("The assessment of the proposal “%(title)s” you support has been corrected")
    lines = []
    for name, label in (
        ("feasibility", _("Feasibility: %(before)s → %(after)s")),
        ("responsibility", _("Responsibility: %(before)s → %(after)s")),
    ):
        before, after = change.before.get(name), change.after.get(name)
        if _normalised(name, before) != _normalised(name, after):
            lines.append(
                label % {"before": _value_label(name, before), "after": _value_label(name, after)}
            )
    lines.append(_("Reason for the correction: %(reason)s") % {"reason": change.reason})
    return Message(
        kind="assessment_corrected",
        title=title % {"title": proposal.title},
        body="\n".join(lines),
        url=proposal_url(proposal),
    )


def notify_correction(*, change_id: int) -> int:
    """Tell the author and every supporter of a corrected proposal, once per correction.

    Safe to run twice: the in-app notification and the e-mail carry a key per correction and
    person, so a second run stores and sends nothing. Returns how many people it addressed.
    """
    change = (
        AssessmentChange.objects.select_related("assessment__proposal__consultation")
        .filter(pk=change_id, kind=AssessmentChangeKind.CORRECTION, outcome_changed=True)
        .first()
    )
    if change is None:
        return 0
    proposal = change.assessment.proposal
    people = _people_to_notify(proposal)
    for user in people:
        with recipient_language(user):
            message = correction_message(change, proposal, user)
        notify(
            recipient=user,
            message=message,
            inapp=user.notify_status_inapp,
            email=user.notify_status_email,
            dedupe_key=f"review:corrected:{change.pk}",
            unsubscribe="status",
        )
    return len(people)
