"""Thin views: check who may see the object (404 otherwise), call a service, show the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultations.proposals.models import Proposal
from foundation.models import Department
from foundation.roles import department_ids, is_coordination_office, is_reviewer, role_required
from foundation.service_forms import add_service_errors

from . import amendments, selectors, services
from .forms import (
    ApproveForm,
    AssessmentForm,
    AssignForm,
    CaseFilterForm,
    ContributionForm,
    CorrectionForm,
    MeetingForm,
    MergeForm,
    OfficeEditForm,
    ReturnForm,
)
from .models import Assessment, ReviewCase, ReviewMeeting, ReviewState
from .permissions import (
    can_view_meeting,
    is_lead_reviewer,
    may_perform,
    may_see_meetings,
    may_use_review_pages,
    user_contributing_department_ids,
)
from .workflow import Action, allowed_actions

PAGE_SIZE = 50


coordination_view = role_required(is_coordination_office)
reviewer_view = role_required(is_reviewer)
case_view = role_required(may_use_review_pages)
meetings_view = role_required(may_see_meetings)


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if is_coordination_office(request.user):
        return redirect("review:triage")
    if is_reviewer(request.user):
        return redirect("review:queue")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


# --- Triage (coordination office) -------------------------------------------------------------


@coordination_view
@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest) -> HttpResponse:
    filter_form = CaseFilterForm(request.GET or None)
    assign_form = AssignForm(
        request.POST if request.POST.get("action") == "assign" else None, prefix="assign"
    )
    selected = request.POST.getlist("proposal")
    status = 200
    if request.method == "POST":
        proposals = list(
            selectors.reviewable_proposals()
            .filter(pk__in=[pk for pk in selected if pk.isdigit()])
            .order_by("pk")
        )
        action = request.POST.get("action")
        try:
            if not proposals:
                raise ValidationError(_("Select at least one proposal."))
            if action == "assign":
                if assign_form.is_valid():
                    data = assign_form.cleaned_data
                    cases = services.cases_assign(
                        proposals=proposals,
                        lead_department=data["lead_department"],
                        contributing_departments=data["contributing_departments"],
                        due_on=data["due_on"],
                        comment=data["comment"],
                        actor=request.user,
                    )
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d proposal assigned to %(department)s.",
                            "%(count)d proposals assigned to %(department)s.",
                            len(cases),
                        )
                        % {"count": len(cases), "department": data["lead_department"].name},
                    )
                    return redirect(f"{reverse('review:triage')}?{request.GET.urlencode()}")
            elif action == "publish":
                outcome = services.proposals_publish(proposals=proposals, actor=request.user)
                if outcome.published:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d assessment published.",
                            "%(count)d assessments published.",
                            len(outcome.published),
                        )
                        % {"count": len(outcome.published)},
                    )
                for proposal, reason in outcome.refused:
                    messages.error(
                        request,
                        _("“%(title)s” (no. %(number)d) was not published: %(reason)s")
                        % {"title": proposal.title, "number": proposal.pk, "reason": reason},
                    )
                if outcome.published:
                    return redirect(f"{reverse('review:triage')}?{request.GET.urlencode()}")
            else:
                raise ValidationError(_("Choose what to do with the selected proposals."))
        except ValidationError as error:
            if action == "assign":
                add_service_errors(assign_form, error)
            else:
                for message in _error_messages(error):
                    messages.error(request, message)
        status = 400

    proposals_qs = selectors.triage_proposals(filter_form.filters())
    page = Paginator(proposals_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    suggestions = selectors.suggested_departments({proposal.handlungsfeld_id for proposal in rows})
    items = []
    for proposal in rows:
        case = getattr(proposal, "review_case", None)
        items.append(
            {
                "proposal": proposal,
                "case": case,
                "suggested": suggestions.get(proposal.handlungsfeld_id, []),
                "selected": str(proposal.pk) in selected,
            }
        )
    return render(
        request,
        "review/triage.html",
        {
            "filter_form": filter_form,
            "assign_form": assign_form,
            "page_obj": page,
            "items": items,
            "result_count": page.paginator.count,
        },
        status=status,
    )


# --- Department queue -------------------------------------------------------------------------


@reviewer_view
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    filter_form = CaseFilterForm(request.GET or None)
    cases = selectors.department_queue(request.user, filter_form.filters())
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    own = department_ids(request.user)
    departments = Department.objects.filter(pk__in=own)
    return render(
        request,
        "review/queue.html",
        {
            "filter_form": filter_form,
            "page_obj": page,
            "cases": page.object_list,
            "own_department_ids": own,
            "departments": departments,
            "result_count": page.paginator.count,
        },
    )


# --- Dashboard --------------------------------------------------------------------------------


@coordination_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard()
    return render(
        request,
        "review/dashboard.html",
        {
            "dashboard": data,
            "states": list(ReviewState),
            "state_counts": [(state, data.by_state[state.value]) for state in ReviewState],
        },
    )


# --- One proposal's case ---------------------------------------------------------------------


def _case_context(
    request: HttpRequest, proposal: Proposal, case: ReviewCase | None, **forms: Any
) -> dict[str, Any]:
    user = request.user
    coordination = is_coordination_office(user)
    state = case.state if case else ReviewState.NEW
    actions = allowed_actions(state)
    lead = case is not None and is_lead_reviewer(user, case)
    contributor_ids = user_contributing_department_ids(user, case) if case else set()
    assessment = selectors.assessment_for(proposal) if case else None
    reviewable = proposal.review_refusal() is None
    context: dict[str, Any] = {
        "proposal": proposal,
        "case": case,
        "state": state,
        "assessment": assessment,
        "is_coordination": coordination,
        "is_lead": lead,
        "timeline": selectors.case_timeline(case) if case else [],
        "contributions": selectors.case_contributions(case) if case else [],
        "can_start": case is not None
        and lead
        and (Action.START in actions or Action.RESUME in actions),
        "can_edit": lead and case is not None and case.assessment_edit_refusal() is None,
        "can_assign": coordination and (case is None or Action.ASSIGN in actions) and reviewable,
        "can_approve": coordination and Action.APPROVE in actions,
        "can_publish": coordination and Action.PUBLISH in actions,
        "can_office_edit": coordination and amendments.office_edit_refusal(case) is None,
        "can_correct": coordination and amendments.correction_refusal(case, assessment) is None,
        "changes": selectors.assessment_changes(assessment) if assessment else [],
        "is_overdue": bool(case and case.is_overdue()),
        "meetings": [
            {"meeting": meeting, "can_view": can_view_meeting(user, meeting)}
            for meeting in selectors.case_meetings(proposal)
        ],
    }
    if context["can_assign"]:
        initial = {}
        if case and case.lead_department_id:
            initial = {
                "lead_department": case.lead_department_id,
                "contributing_departments": [d.pk for d in case.contributing_departments.all()],
                "due_on": case.due_on,
            }
        else:
            suggested = selectors.suggested_departments({proposal.handlungsfeld_id}).get(
                proposal.handlungsfeld_id, []
            )
            context["suggested"] = suggested
            if suggested:
                initial = {"lead_department": suggested[0].pk}
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            prefix="assign", initial=initial
        )
    if case is not None and contributor_ids and case.contribution_refusal() is None:
        context["contribution_form"] = forms.get("contribution_form") or ContributionForm(
            departments=Department.objects.filter(pk__in=contributor_ids)
        )
    if context["can_approve"]:
        context["approve_form"] = forms.get("approve_form") or ApproveForm(prefix="approve")
        context["return_form"] = forms.get("return_form") or ReturnForm(prefix="return")
    if coordination and reviewable and state != ReviewState.PUBLISHED:
        candidates = selectors.duplicate_candidates(proposal)
        context["duplicates"] = candidates
        if candidates:
            context["merge_form"] = forms.get("merge_form") or MergeForm(
                candidates=[candidate.proposal for candidate in candidates]
            )
            context["merge_selected"] = (
                context["merge_form"].data.getlist("duplicates")
                if context["merge_form"].is_bound
                else []
            )
    return context


@case_view
@require_GET
def case_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal, case = selectors.case_page_data(request.user, proposal_id)
    return render(request, "review/case_detail.html", _case_context(request, proposal, case))


def _rerender(request: HttpRequest, proposal_id: int, **forms: Any) -> HttpResponse:
    proposal, case = selectors.case_page_data(request.user, proposal_id)
    return render(
        request,
        "review/case_detail.html",
        _case_context(request, proposal, case, **forms),
        status=400,
    )


def _back(proposal_id: int) -> HttpResponse:
    return redirect("review:case", proposal_id=proposal_id)


@case_view
@require_POST
def case_assign(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal, _case = selectors.case_page_data(request.user, proposal_id)
    if not is_coordination_office(request.user):
        raise PermissionDenied
    form = AssignForm(request.POST, prefix="assign")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.cases_assign(
                proposals=[proposal],
                lead_department=data["lead_department"],
                contributing_departments=data["contributing_departments"],
                due_on=data["due_on"],
                comment=data["comment"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The proposal was assigned to %(name)s.")
                % {"name": data["lead_department"].name},
            )
            return _back(proposal_id)
    return _rerender(request, proposal_id, assign_form=form)


def _simple_action(
    request: HttpRequest, proposal_id: int, run: Callable[[ReviewCase], Any], success: str
) -> HttpResponse:
    case = selectors.case_for_action(request.user, proposal_id)
    try:
        run(case)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _back(proposal_id)


@case_view
@require_POST
def case_start(request: HttpRequest, proposal_id: int) -> HttpResponse:
    case = selectors.case_for_action(request.user, proposal_id)
    try:
        services.review_start(case=case, actor=request.user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return _back(proposal_id)
    messages.success(request, _("The review has started."))
    return redirect("review:assessment", proposal_id=proposal_id)


@case_view
@require_POST
def case_approve(request: HttpRequest, proposal_id: int) -> HttpResponse:
    form = ApproveForm(request.POST, prefix="approve")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""

    def run(case: ReviewCase) -> None:
        services.case_approve(case=case, actor=request.user, comment=comment)

    return _simple_action(request, proposal_id, run, _("The assessment was approved."))


@case_view
@require_POST
def case_return(request: HttpRequest, proposal_id: int) -> HttpResponse:
    case = selectors.case_for_action(request.user, proposal_id)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.case_return(
                case=case, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The assessment was returned to the department."))
            return _back(proposal_id)
    elif not may_perform(request.user, case, Action.RETURN):
        raise PermissionDenied
    return _rerender(request, proposal_id, return_form=form)


@case_view
@require_POST
def case_publish(request: HttpRequest, proposal_id: int) -> HttpResponse:
    def run(case: ReviewCase) -> None:
        services.cases_publish(cases=[case], actor=request.user)

    return _simple_action(request, proposal_id, run, _("The assessment was published."))


@case_view
@require_POST
def contribution_add(request: HttpRequest, proposal_id: int) -> HttpResponse:
    case = selectors.case_for_action(request.user, proposal_id)
    contributor_ids = user_contributing_department_ids(request.user, case)
    if not contributor_ids:
        raise PermissionDenied
    form = ContributionForm(
        request.POST, departments=Department.objects.filter(pk__in=contributor_ids)
    )
    if form.is_valid():
        try:
            services.contribution_add(
                case=case,
                actor=request.user,
                department=form.cleaned_data["department"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your statement was added."))
            return _back(proposal_id)
    return _rerender(request, proposal_id, contribution_form=form)


@case_view
@require_POST
def merge(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal, _case = selectors.case_page_data(request.user, proposal_id)
    if not is_coordination_office(request.user):
        raise PermissionDenied
    candidates = [candidate.proposal for candidate in selectors.duplicate_candidates(proposal)]
    form = MergeForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.proposals_merge(
                primary=proposal,
                duplicates=list(form.cleaned_data["duplicates"]),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The proposals were merged. Their authors have been told."))
            return _back(proposal_id)
    return _rerender(request, proposal_id, merge_form=form)


@case_view
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal, case = selectors.case_page_data(request.user, proposal_id)
    if case is None:
        raise Http404
    if not is_lead_reviewer(request.user, case):
        raise PermissionDenied
    refusal = case.assessment_edit_refusal()
    if refusal:
        messages.error(request, refusal)
        return _back(proposal_id)
    assessment = Assessment.objects.filter(proposal=proposal).first() or Assessment(
        proposal=proposal, department=case.lead_department
    )
    form = AssessmentForm(request.POST or None, instance=assessment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                with transaction.atomic():
                    services.assessment_save(
                        case=case, actor=request.user, data=form.cleaned_data, submit=submit
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submit:
                    messages.success(
                        request, _("The assessment was submitted to the coordination office.")
                    )
                    return _back(proposal_id)
                messages.success(request, _("Your draft was saved."))
                return redirect("review:assessment", proposal_id=proposal_id)
        status = 400
    return render(
        request,
        "review/assessment_form.html",
        {
            "proposal": proposal,
            "case": case,
            "form": form,
            "assessment": selectors.assessment_for(proposal),
            "contributions": selectors.case_contributions(case),
            "timeline": selectors.case_timeline(case),
        },
        status=status,
    )


# --- The coordination office edits (before approval) and corrects (after publication) --------


def _amend(request: HttpRequest, proposal_id: int, *, correction: bool) -> HttpResponse:
    proposal, case = selectors.case_page_data(request.user, proposal_id)
    if not is_coordination_office(request.user):
        raise PermissionDenied
    assessment = Assessment.objects.filter(proposal=proposal).first()
    refusal = (
        amendments.correction_refusal(case, assessment)
        if correction
        else amendments.office_edit_refusal(case)
    )
    if refusal:
        messages.error(request, refusal)
        return _back(proposal_id)
    form_class = CorrectionForm if correction else OfficeEditForm
    form = form_class(request.POST or None, instance=assessment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if correction:
                    change = amendments.assessment_correct(
                        case=case, actor=request.user, data=data, reason=data["reason"]
                    )
                else:
                    change = amendments.assessment_edit_by_office(
                        case=case, actor=request.user, data=data, comment=data["comment"]
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if not correction:
                    success = _("Your changes to the assessment were saved and recorded.")
                elif change.outcome_changed:
                    success = _(
                        "The correction was published. The author and the supporters are told "
                        "because the outcome changed."
                    )
                else:
                    success = _(
                        "The correction was published. Nobody is notified because feasibility "
                        "and responsibility stayed the same."
                    )
                messages.success(request, success)
                return _back(proposal_id)
        status = 400
    return render(
        request,
        "review/assessment_amend.html",
        {
            "proposal": proposal,
            "case": case,
            "form": form,
            "correction": correction,
            "assessment": selectors.assessment_for(proposal),
            "contributions": selectors.case_contributions(case),
        },
        status=status,
    )


@case_view
@require_http_methods(["GET", "POST"])
def assessment_office_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _amend(request, proposal_id, correction=False)


@case_view
@require_http_methods(["GET", "POST"])
def assessment_correct(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _amend(request, proposal_id, correction=True)


# --- Review meetings ------------------------------------------------------------------------


@meetings_view
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings(request.user)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/meeting_list.html",
        {
            "page_obj": page,
            "meetings": page.object_list,
            "may_record": is_coordination_office(request.user),
        },
    )


@meetings_view
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for(request.user, pk)
    return render(
        request,
        "review/meeting_detail.html",
        {
            "meeting": meeting,
            "cases": selectors.meeting_cases(request.user, meeting),
            "may_record": is_coordination_office(request.user),
        },
    )


@coordination_view
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    meeting = get_object_or_404(ReviewMeeting, pk=pk) if pk else None
    form = MeetingForm(request.POST or None, instance=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.meeting_save(
                    actor=request.user,
                    meeting=meeting,
                    kind=data["kind"],
                    title=data["title"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    departments=data["departments"],
                    proposals=data["proposal_numbers"],
                    outcome=data["outcome"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The meeting “%(title)s” was saved.") % {"title": saved.title}
                )
                return redirect("review:meeting", pk=saved.pk)
        status = 400
    return render(
        request, "review/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )
