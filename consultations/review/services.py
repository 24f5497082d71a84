"""Every write of the review queue: validate, change, record a ReviewEvent, notify via the outbox.

Other apps extend publication through the Wagtail hook `CASE_PUBLISHED_HOOK`,
`(case, *, actor) -> None`, called inside the publishing transaction, right after the case became
"published" and the proposal got its status, with the person who published it (side effects of
hooks must go through foundation.outbox).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from consultations.proposals.models import Proposal, ProposalStatus, Support
from consultations.proposals.notifications import notify_status_change, proposal_url
from foundation import following
from foundation.actors import System
from foundation.models import Department, User
from foundation.notifications import Message, notify, recipient_language
from foundation.outbox import enqueue

from .models import (
    Assessment,
    AssessmentRevision,
    Feasibility,
    Responsibility,
    ReviewCase,
    ReviewContribution,
    ReviewEvent,
    ReviewMeeting,
    ReviewState,
)
from .permissions import (
    ensure_coordination_office,
    ensure_may_contribute_for,
    ensure_may_perform,
    ensure_may_record_meetings,
)
from .workflow import Action, target_state

CASE_PUBLISHED_HOOK = "review_case_published"

PUBLISHED_STATUS = {
    Feasibility.FEASIBLE: ProposalStatus.ACCEPTED,
    Feasibility.PARTLY: ProposalStatus.PARTLY_ACCEPTED,
    Feasibility.NOT_FEASIBLE: ProposalStatus.NOT_ACCEPTED,
    Feasibility.ALREADY_DONE: ProposalStatus.ALREADY_DONE,
}
# A "not feasible" answer must explain itself (Decidim's lesson): a few words are not enough.
NOT_FEASIBLE_MIN_RATIONALE = 40
ASSESSMENT_FIELDS = (
    "feasibility",
    "responsibility",
    "cost_estimate",
    "time_frame",
    "public_rationale",
    "internal_note",
    "revised_title",
    "revised_body",
)


def _record(
    *, case: ReviewCase, actor: User | None, action: str, from_state: str, comment: str = ""
) -> ReviewEvent:
    return ReviewEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=case.state,
        comment=comment,
    )


def _transition(*, case: ReviewCase, action: Action, actor: User, comment: str = "") -> ReviewCase:
    ensure_may_perform(actor, case, action)
    from_state = case.state
    case.state = target_state(from_state, action)
    case.save(update_fields=["state", "updated_at"])
    _record(case=case, actor=actor, action=action, from_state=from_state, comment=comment)
    return case


def _locked_case(case: ReviewCase) -> ReviewCase:
    """Reload the case under a row lock so that two clicks cannot both pass the state check."""
    locked = (
        ReviewCase.objects.select_for_update(of=("self",))
        .select_related("lead_department")
        .get(pk=case.pk)
    )
    locked.proposal = case.proposal
    return locked


def _ensure_reviewable(proposal: Proposal) -> None:
    refusal = proposal.review_refusal()
    if refusal:
        raise ValidationError(refusal, code="not_reviewable")


# --- Triage -------------------------------------------------------------------------------


@transaction.atomic
def cases_assign(
    *,
    proposals: Sequence[Proposal],
    lead_department: Department,
    contributing_departments: Iterable[Department] = (),
    due_on: date | None,
    actor: User,
    comment: str = "",
) -> list[ReviewCase]:
    """Assign proposals to a lead department (and contributors); all of them or none."""
    ensure_coordination_office(actor)
    if not proposals:
        raise ValidationError(_("Select at least one proposal."))
    if not lead_department.is_active:
        raise ValidationError(
            _("The department “%(name)s” is no longer active.") % {"name": lead_department.name}
        )
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date must not be in the past.")})
    contributors = [
        department for department in contributing_departments if department.pk != lead_department.pk
    ]
    cases = []
    refused = []
    for proposal in proposals:
        _ensure_reviewable(proposal)
        case, created = ReviewCase.objects.get_or_create(proposal=proposal)
        if created:
            _record(case=case, actor=actor, action="created", from_state="")
        case = _locked_case(case)
        try:
            target_state(case.state, Action.ASSIGN)
        except ValidationError:
            refused.append(proposal.title)
            continue
        cases.append(case)
    if refused:
        raise ValidationError(
            ngettext(
                "This proposal can no longer be assigned because its review has started: %(titles)s",
                "These proposals can no longer be assigned because their review has started: %(titles)s",
                len(refused),
            )
            % {"titles": "; ".join(refused)}
        )
    last_event_id = 0
    for case in cases:
        from_state = case.state
        case.state = target_state(from_state, Action.ASSIGN)
        case.lead_department = lead_department
        case.due_on = due_on
        case.save(update_fields=["state", "lead_department", "due_on", "updated_at"])
        case.contributing_departments.set(contributors)
        event = _record(
            case=case,
            actor=actor,
            action=Action.ASSIGN,
            from_state=from_state,
            comment=_assignment_summary(lead_department, contributors, due_on, comment),
        )
        last_event_id = event.pk
    _proposals_enter_review([case.proposal_id for case in cases])
    for department in [lead_department, *contributors]:
        # The newest event id identifies this assignment batch: one e-mail per batch and department.
        _notify_department_assigned(
            department=department,
            cases=cases,
            lead=department == lead_department,
            batch_key=last_event_id,
        )
    return cases


def _proposals_enter_review(proposal_ids: list[int]) -> None:
    """Submitted proposals become "in review" at their first assignment; their authors are told.

    Re-assignments find the status already changed and tell nobody again. The case rows are
    locked by the caller, so two assignments of one proposal cannot both see "submitted".
    """
    entering = list(
        Proposal.objects.select_related("consultation", "author").filter(
            pk__in=proposal_ids, status=ProposalStatus.PUBLISHED
        )
    )
    Proposal.objects.filter(
        pk__in=[proposal.pk for proposal in entering], status=ProposalStatus.PUBLISHED
    ).update(status=ProposalStatus.IN_REVIEW)
    for proposal in entering:
        notify_status_change(
            proposal=proposal,
            old_status=ProposalStatus.PUBLISHED,
            new_status=ProposalStatus.IN_REVIEW,
        )


def _assignment_summary(
    lead: Department, contributors: list[Department], due_on: date | None, comment: str
) -> str:
    parts = [_("Lead: %(name)s") % {"name": lead.name}]
    if contributors:
        parts.append(
            _("Contributing: %(names)s") % {"names": ", ".join(d.name for d in contributors)}
        )
    if due_on:
        parts.append(_("Due on %(date)s") % {"date": due_on.strftime("%d.%m.%Y")})
    if comment:
        parts.append(comment)
    return "\n".join(parts)


def department_recipients(department: Department) -> list[User | str]:
    """The functional mailbox if the department has one, otherwise its members."""
    if department.email:
        return [department.email]
    return list(User.objects.filter(department_memberships__department=department, is_active=True))


def _send_to_department(
    *, department: Department, subject: str, body: str, dedupe_key: str
) -> bool:
    """Queue the mail for the department; True if at least one message was queued now (a
    dedupe key used before queues nothing)."""
    queued = False
    for recipient in department_recipients(department):
        if isinstance(recipient, str):
            message = enqueue(
                "foundation.tasks.send_email",
                payload={"to": [recipient], "subject": subject, "body": body},
                dedupe_key=f"{dedupe_key}:mailbox",
            )
        elif recipient.email:
            message = enqueue(
                "foundation.tasks.send_email",
                payload={"to": [recipient.email], "subject": subject, "body": body},
                dedupe_key=f"{dedupe_key}:{recipient.pk}",
            )
        else:
            continue
        if message is not None:
            queued = True
    return queued


def _notify_department_assigned(
    *, department: Department, cases: list[ReviewCase], lead: bool, batch_key: int
) -> None:
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        queue_url = f"{settings.SITE_URL}{reverse('review:queue')}"
        subject = ngettext(
            "%(count)d proposal has been assigned to %(department)s for review",
            "%(count)d proposals have been assigned to %(department)s for review",
            len(cases),
        ) % {"count": len(cases), "department": department.name}
        role = _("as lead department") if lead else _("as contributing department")
        lines = [f"- {case.proposal.title}" for case in cases]
        body = "\n".join([subject + f" ({role}).", "", *lines, "", queue_url])
    _send_to_department(
        department=department,
        subject=subject,
        body=body,
        dedupe_key=f"review:assigned:{department.pk}:{batch_key}",
    )


# --- Department review --------------------------------------------------------------------


@transaction.atomic
def review_start(*, case: ReviewCase, actor: User) -> ReviewCase:
    """The lead department starts (assigned) or resumes (returned) its review."""
    case = _locked_case(case)
    action = Action.RESUME if case.state == ReviewState.RETURNED else Action.START
    case = _transition(case=case, action=action, actor=actor)
    Assessment.objects.get_or_create(
        proposal_id=case.proposal_id, defaults={"department": case.lead_department}
    )
    return case


def _apply_assessment_data(*, assessment: Assessment, data: dict[str, Any], actor: User) -> None:
    old_wording = (assessment.revised_title, assessment.revised_body)
    for name in ASSESSMENT_FIELDS:
        if name in data:
            value = data[name]
            if name == "responsibility":
                valid = {choice.value for choice in Responsibility}
                value = [code for code in (value or []) if code in valid]
            setattr(assessment, name, value if value is not None else "")
    new_wording = (assessment.revised_title, assessment.revised_body)
    assessment.save()
    if new_wording != old_wording and any(new_wording):
        AssessmentRevision.objects.create(
            assessment=assessment,
            revised_title=assessment.revised_title,
            revised_body=assessment.revised_body,
            author=actor,
        )


def validate_assessment_complete(assessment: Assessment) -> None:
    """What a submitted assessment must contain; errors are keyed by form field."""
    errors: dict[str, str] = {}
    if not assessment.feasibility:
        errors["feasibility"] = _("Choose how feasible the proposal is.")
    if not assessment.responsibility:
        errors["responsibility"] = _("Choose at least one level of responsibility.")
    rationale = assessment.public_rationale.strip()
    if not rationale:
        errors["public_rationale"] = _("Explain the assessment to the public.")
    elif (
        assessment.feasibility == Feasibility.NOT_FEASIBLE
        and len(rationale) < NOT_FEASIBLE_MIN_RATIONALE
    ):
        errors["public_rationale"] = _(
            "A proposal assessed as not feasible needs a public rationale of at least %(count)d characters "
            "that explains why."
        ) % {"count": NOT_FEASIBLE_MIN_RATIONALE}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assessment_save(
    *, case: ReviewCase, actor: User, data: dict[str, Any], submit: bool = False
) -> Assessment:
    """Save the lead department's draft; with `submit` validate it and move the case to assessed."""
    case = _locked_case(case)
    ensure_may_perform(actor, case, Action.SUBMIT)
    refusal = case.assessment_edit_refusal()
    if refusal:
        raise ValidationError(refusal, code="not_editable")
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        proposal_id=case.proposal_id, defaults={"department": case.lead_department}
    )
    assessment.department = case.lead_department
    _apply_assessment_data(assessment=assessment, data=data, actor=actor)
    if submit:
        validate_assessment_complete(assessment)
        assessment.assessed_by = actor
        assessment.assessed_at = timezone.now()
        assessment.save(update_fields=["assessed_by", "assessed_at", "updated_at"])
        _transition(case=case, action=Action.SUBMIT, actor=actor)
    return assessment


@transaction.atomic
def contribution_add(
    *, case: ReviewCase, actor: User, department: Department, statement: str
) -> ReviewContribution:
    """A contributing department's statement for the lead department."""
    statement = statement.strip()
    ensure_may_contribute_for(actor, case, department.pk)
    refusal = case.contribution_refusal()
    if refusal:
        raise ValidationError(refusal, code="closed")
    if not statement:
        raise ValidationError({"statement": _("Write a statement.")})
    contribution = ReviewContribution.objects.create(
        case=case, department=department, author=actor, statement=statement
    )
    _record(
        case=case,
        actor=actor,
        action="contribution",
        from_state=case.state,
        comment=department.name,
    )
    return contribution


# --- Coordination office: approve, return, publish ------------------------------------------


@transaction.atomic
def case_approve(*, case: ReviewCase, actor: User, comment: str = "") -> ReviewCase:
    case = _locked_case(case)
    case = _transition(case=case, action=Action.APPROVE, actor=actor, comment=comment.strip())
    Assessment.objects.filter(proposal_id=case.proposal_id).update(
        approved_by=actor, approved_at=timezone.now()
    )
    return case


@transaction.atomic
def case_return(*, case: ReviewCase, actor: User, comment: str) -> ReviewCase:
    comment = comment.strip()
    case = _locked_case(case)
    ensure_may_perform(actor, case, Action.RETURN)
    target_state(case.state, Action.RETURN)
    if not comment:
        raise ValidationError({"comment": _("Say what the department should change.")})
    return _transition(case=case, action=Action.RETURN, actor=actor, comment=comment)


def _publish(*, case: ReviewCase, actor: User, now: Any) -> ReviewCase:
    case = _locked_case(case)
    case = _transition(case=case, action=Action.PUBLISH, actor=actor)
    assessment = Assessment.objects.select_for_update().get(proposal_id=case.proposal_id)
    assessment.published_at = now
    assessment.save(update_fields=["published_at", "updated_at"])
    Proposal.objects.filter(pk=case.proposal_id).update(
        status=PUBLISHED_STATUS[assessment.feasibility]
    )
    case.proposal.status = PUBLISHED_STATUS[assessment.feasibility]
    for hook in hooks.get_hooks(CASE_PUBLISHED_HOOK):
        hook(case, actor=actor)
    return case


@transaction.atomic
def cases_publish(*, cases: Sequence[ReviewCase], actor: User) -> list[ReviewCase]:
    """Publish approved assessments (one or many); all of them or none."""
    ensure_coordination_office(actor)
    if not cases:
        raise ValidationError(_("Select at least one approved proposal."))
    now = timezone.now()
    return [_publish(case=case, actor=actor, now=now) for case in cases]


@dataclass
class Publication:
    """The outcome of publishing a selection: what was published, and each refusal."""

    published: list[ReviewCase] = field(default_factory=list)
    refused: list[tuple[Proposal, str]] = field(default_factory=list)


def publication_refusal(case: ReviewCase | None) -> str | None:
    """Why this proposal's assessment cannot be published now, or None if it can."""
    if case is None:
        return _("Its review has not started yet; only an approved assessment can be published.")
    if case.state != ReviewState.APPROVED:
        return _("Only an approved assessment can be published (now: “%(state)s”).") % {
            "state": ReviewState(case.state).label
        }
    return None


@transaction.atomic
def proposals_publish(*, proposals: Sequence[Proposal], actor: User) -> Publication:
    """Publish the approved assessments of a selection; every other proposal is named with the
    reason it was left out, and does not stop the rest."""
    ensure_coordination_office(actor)
    if not proposals:
        raise ValidationError(_("Select at least one approved proposal."))
    cases = {
        case.proposal_id: case
        for case in ReviewCase.objects.filter(
            proposal_id__in=[proposal.pk for proposal in proposals]
        ).select_related("proposal__consultation")
    }
    now = timezone.now()
    outcome = Publication()
    for proposal in proposals:
        case = cases.get(proposal.pk)
        refusal = publication_refusal(case)
        if refusal is None:
            try:
                with transaction.atomic():  # a savepoint: a refusal leaves the others published
                    outcome.published.append(_publish(case=case, actor=actor, now=now))
                continue
            except ValidationError as error:
                refusal = " ".join(error.messages)
        outcome.refused.append((proposal, refusal))
    return outcome


# --- Merging duplicates ---------------------------------------------------------------------


@transaction.atomic
def proposals_merge(*, primary: Proposal, duplicates: Sequence[Proposal], actor: User) -> Proposal:
    """Merge duplicates into `primary`: they point to it, supports are combined without double
    counting (the unique constraint guards the insert), authors are told once."""
    ensure_coordination_office(actor)
    primary = Proposal.objects.select_for_update().get(pk=primary.pk)
    _ensure_reviewable(primary)
    duplicate_ids = sorted({proposal.pk for proposal in duplicates} - {primary.pk})
    if not duplicate_ids:
        raise ValidationError(_("Select at least one other proposal to merge."))
    locked = list(Proposal.objects.select_for_update().filter(pk__in=duplicate_ids).order_by("pk"))
    for duplicate in locked:
        _ensure_reviewable(duplicate)
        if duplicate.consultation_id != primary.consultation_id:
            raise ValidationError(_("Only proposals of the same consultation can be merged."))
        case = ReviewCase.objects.filter(proposal=duplicate).first()
        if case is not None and case.state == ReviewState.PUBLISHED:
            raise ValidationError(
                _("“%(title)s” already has a published assessment and cannot be merged.")
                % {"title": duplicate.title}
            )
    supporter_ids = (
        Support.objects.filter(proposal_id__in=duplicate_ids)
        .exclude(user_id__in=Support.objects.filter(proposal=primary).values("user_id"))
        .values_list("user_id", flat=True)
        .distinct()
    )
    Support.objects.bulk_create(
        [Support(proposal=primary, user_id=user_id) for user_id in supporter_ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    primary.support_count = Support.objects.filter(proposal=primary).count()
    primary.save(update_fields=["support_count", "updated_at"])
    Proposal.objects.filter(pk__in=duplicate_ids).update(
        merged_into=primary, status=ProposalStatus.MERGED
    )

    # The primary's history says what was merged into it, even before its review began: a
    # proposal without a case gets one ("new", not yet assigned) to carry that history.
    primary_case, created = ReviewCase.objects.get_or_create(proposal=primary)
    if created:
        _record(case=primary_case, actor=actor, action="created", from_state="")
    titles = "; ".join(duplicate.title for duplicate in locked)
    _record(
        case=primary_case,
        actor=actor,
        action="merge_primary",
        from_state=primary_case.state,
        comment=titles,
    )
    for case in ReviewCase.objects.filter(proposal_id__in=duplicate_ids):
        _record(
            case=case, actor=actor, action="merged", from_state=case.state, comment=primary.title
        )
    ReviewCase.objects.filter(proposal_id__in=duplicate_ids).update(closed_at=timezone.now())
    for duplicate in locked:
        _notify_author_merged(duplicate=duplicate, primary=primary)
    return primary


def _notify_author_merged(*, duplicate: Proposal, primary: Proposal) -> None:
    author = duplicate.author
    following.record(
        target=duplicate,
        verb="proposals.merged",
        url=proposal_url(primary),
        skip=[author.pk] if author is not None else [],
        primary=primary.title,
    )
    if author is None or not author.is_active:
        return
    with recipient_language(author):
        message = Message(
            kind="proposal_merged",
            title=_("Your proposal “%(title)s” was merged") % {"title": duplicate.title},
            body=_(
                "Your proposal “%(title)s” says much the same as “%(primary)s”. The coordination office "
                "has merged them so that they are reviewed together; your supporters now count for "
                "“%(primary)s”."
            )
            % {"title": duplicate.title, "primary": primary.title},
            url=proposal_url(primary),
        )
    notify(
        recipient=author,
        message=message,
        inapp=author.notify_status_inapp,
        email=author.notify_status_email,
        dedupe_key=f"review:merged:{duplicate.pk}",
        unsubscribe="status",
    )


# --- Reminders ------------------------------------------------------------------------------


def send_overdue_reminders(*, today: date | None = None) -> int:
    """One reminder per department and day listing its overdue cases. Returns departments reminded.

    The outbox's dedupe key (department + date) makes a second run on the same day a no-op.
    Each case of a reminder that was queued gets a "reminded" event in its history.
    """
    from django.conf import settings

    today = today or timezone.localdate()
    overdue = (
        ReviewCase.objects.overdue(today)
        .select_related("proposal", "lead_department")
        .order_by("lead_department_id", "due_on", "pk")
    )
    by_department: dict[int, list[ReviewCase]] = {}
    for case in overdue:
        by_department.setdefault(case.lead_department_id, []).append(case)
    base = settings.SITE_URL
    for cases in by_department.values():
        department = cases[0].lead_department
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            subject = ngettext(
                "Reminder: %(count)d overdue review for %(department)s",
                "Reminder: %(count)d overdue reviews for %(department)s",
                len(cases),
            ) % {"count": len(cases), "department": department.name}
            lines = [
                _("- %(title)s (due on %(date)s): %(url)s")
                % {
                    "title": case.proposal.title,
                    "date": case.due_on.strftime("%d.%m.%Y"),
                    "url": base + reverse("review:case", kwargs={"proposal_id": case.proposal_id}),
                }
                for case in cases
            ]
            body = "\n".join([_("The following reviews are past their due date:"), "", *lines])
            queued = _send_to_department(
                department=department,
                subject=subject,
                body=body,
                dedupe_key=f"review:reminder:{department.pk}:{today.isoformat()}",
            )
            if queued:  # the history says so once per reminder actually sent
                for case in cases:
                    _record(
                        case=case,
                        actor=None,
                        action="reminded",
                        from_state=case.state,
                        comment=_("Reminder to %(department)s: due on %(date)s.")
                        % {"department": department.name, "date": case.due_on.strftime("%d.%m.%Y")},
                    )
    return len(by_department)


# --- Review meetings ------------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *,
    actor: User | System,
    meeting: ReviewMeeting | None = None,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date | None,
    departments: Iterable[Department],
    proposals: Iterable[Proposal],
    outcome: str,
) -> ReviewMeeting:
    ensure_may_record_meetings(actor)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day must not be before the first day.")})
    meeting = meeting or ReviewMeeting()
    meeting.kind = kind
    meeting.title = title.strip()
    meeting.starts_on = starts_on
    meeting.ends_on = ends_on
    meeting.outcome = outcome.strip()
    meeting.save()
    meeting.departments.set(list(departments))
    meeting.proposals.set(list(proposals))
    return meeting
