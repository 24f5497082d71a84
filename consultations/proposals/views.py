"""Proposal pages: list, submit (with preview), detail, edit, withdraw, support, priority points.

Views stay thin: they read through selectors, write through services and turn refusals into
messages. Every page works without JavaScript; with htmx the list and the support box update
in place (request.htmx from django-htmx).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from foundation.models import Activity, Handlungsfeld, Phase
from foundation.ratelimits import limit_exceeded, rate_limit_message, ratelimit_post
from foundation.rules import participation_refusal
from foundation.selectors import consultation_for

from . import selectors, services
from .filters import ProposalFilterSet
from .forms import PriorityPointsForm, ProposalForm
from .models import Proposal
from .rules import may_edit_proposal, may_see_hidden_proposals
from .similar import similar_proposals


def _detail_url(proposal: Proposal) -> str:
    return reverse("consultations:proposal_detail", args=[proposal.consultation.slug, proposal.pk])


def _refusal_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do this.")


# --- List -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def proposal_list(request: HttpRequest, slug: str, field_slug: str | None = None) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    fields = selectors.handlungsfelder_of(consultation)
    field: Handlungsfeld | None = None
    proposals_qs = selectors.visible_proposals(consultation=consultation, user=request.user)
    if field_slug is not None:
        field = fields.filter(slug=field_slug).first()
        if field is None:
            raise Http404
        proposals_qs = proposals_qs.filter(handlungsfeld=field)
    filterset = ProposalFilterSet(
        request.GET, queryset=proposals_qs, handlungsfelder=fields, request=request
    )
    if field is not None:  # the page is the field: no field filter in its form
        del filterset.filters["handlungsfeld"]
    queryset = selectors.with_list_relations(filterset.qs)
    paginator = Paginator(queryset, selectors.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    proposals = list(page.object_list)
    context = {
        "consultation": consultation,
        "field": field,
        "filterset": filterset,
        "page_obj": page,
        "proposals": proposals,
        "result_count": paginator.count,
        "supported_ids": selectors.supported_ids(
            user=request.user, proposal_ids=[p.pk for p in proposals]
        ),
        "submit_gate": services.activity_gate(consultation, Activity.PROPOSALS),
    }
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, "consultations/includes/proposal_results.html", context)
    return render(request, "consultations/proposal_list.html", context)


# --- Submit -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    refusal = participation_refusal(request.user)
    gate = services.activity_gate(consultation, Activity.PROPOSALS)
    if refusal or not gate.is_open:
        return render(
            request,
            "consultations/proposal_closed.html",
            {"consultation": consultation, "reason": refusal or gate.reason},
            status=403 if refusal else 200,
        )
    preview_html = ""
    similar: list = []
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, consultation=consultation)
        if form.is_valid():
            if "publish" in request.POST and limit_exceeded(request, "proposal"):
                form.add_error(None, rate_limit_message("proposal"))
                status = 429
            elif "publish" in request.POST:
                try:
                    proposal, created = services.proposal_submit(
                        consultation=consultation,
                        author=request.user,
                        data=form.proposal_data(),
                        submission_token=form.cleaned_data.get("submission_token"),
                    )
                except (ValidationError, PermissionDenied) as error:
                    form.add_error(None, _refusal_text(error))
                else:
                    if created:
                        messages.success(request, _("Thank you! Your proposal has been published."))
                    else:
                        messages.info(
                            request, _("Your proposal had already been published; here it is.")
                        )
                    return redirect(_detail_url(proposal))
            else:
                preview_html = form.rendered_body
                similar = similar_proposals(
                    consultation_id=consultation.pk,
                    handlungsfeld_id=form.cleaned_data["handlungsfeld"].pk,
                    title=form.cleaned_data["title"],
                )
    else:
        form = ProposalForm(consultation=consultation, initial=_initial_from_query(request))
    return render(
        request,
        "consultations/proposal_form.html",
        {
            "consultation": consultation,
            "form": form,
            "preview_html": preview_html,
            "similar": similar,
            "proposal": None,
        },
        status=status,
    )


def _initial_from_query(request: HttpRequest) -> dict[str, Any]:
    """Links like ?handlungsfeld=<slug>&goal=<id> prefill the form (e.g. "add a measure")."""
    initial: dict[str, Any] = {}
    field_slug = request.GET.get("handlungsfeld")
    if field_slug:
        field = Handlungsfeld.objects.filter(slug=field_slug).only("pk").first()
        if field:
            initial["handlungsfeld"] = field.pk
    goal = request.GET.get("goal")
    if goal and goal.isdigit():
        initial["goal"] = int(goal)
        initial["kind"] = "measure"
    # "Turn this into a proposal" from a forum thread or a forum event (the form's querysets
    # only offer this consultation's threads and events, so a foreign id selects nothing).
    thread = request.GET.get("thread")
    if thread and thread.isdigit():
        initial["source_thread"] = int(thread)
    event = request.GET.get("event")
    if event and event.isdigit():
        initial["source_event"] = int(event)
    return initial


# --- Detail -------------------------------------------------------------------------------------


def proposal_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    proposal = selectors.proposal_for_detail(consultation=consultation, pk=pk)
    return render(request, "consultations/proposal_detail.html", _detail_context(request, proposal))


def _detail_context(request: HttpRequest, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    user = request.user
    phase = proposal.consultation.phase_at()
    points = selectors.points_state(proposal=proposal, user=user, phase=phase)
    context: dict[str, Any] = {
        "consultation": proposal.consultation,
        "proposal": proposal,
        "phase": phase,
        "is_moderator": may_see_hidden_proposals(user),
        "is_author": user.is_authenticated and proposal.author_id == user.pk,
        "can_edit": may_edit_proposal(user, proposal)
        and bool(phase and phase.allows(Activity.PROPOSALS)),
        **_support_state(user, proposal, phase),
        "measures": selectors.measures_of(goal=proposal, user=user),
        "points": points,
        "points_form": PriorityPointsForm(
            initial={"points": points.given}, maximum=points.max_for_this
        )
        if points and user.is_authenticated
        else None,
    }
    context.update(selectors.detail_extra_context(proposal, request))
    context.update(extra)
    return context


# --- Edit and withdraw ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    proposal = selectors.proposal_for_detail(consultation=consultation, pk=pk)
    if proposal.author_id != request.user.pk:
        raise Http404
    if not may_edit_proposal(request.user, proposal):
        messages.error(
            request,
            _("This proposal has already been supported or assessed and can no longer be edited."),
        )
        return redirect(_detail_url(proposal))
    gate = services.activity_gate(consultation, Activity.PROPOSALS)
    if not gate.is_open:
        messages.error(request, gate.reason)
        return redirect(_detail_url(proposal))
    preview_html = ""
    if request.method == "POST":
        form = ProposalForm(request.POST, consultation=consultation, instance=proposal)
        if form.is_valid():
            if "publish" in request.POST:
                try:
                    services.proposal_update(
                        proposal=proposal, user=request.user, data=form.proposal_data()
                    )
                except (ValidationError, PermissionDenied) as error:
                    form.add_error(None, _refusal_text(error))
                else:
                    messages.success(request, _("Your changes have been saved."))
                    return redirect(_detail_url(proposal))
            else:
                preview_html = form.rendered_body
    else:
        form = ProposalForm(consultation=consultation, instance=proposal)
    return render(
        request,
        "consultations/proposal_form.html",
        {
            "consultation": consultation,
            "form": form,
            "preview_html": preview_html,
            "proposal": proposal,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    proposal = selectors.proposal_for_detail(consultation=consultation, pk=pk)
    if proposal.author_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            services.proposal_withdraw(proposal=proposal, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal_text(error))
        else:
            messages.success(
                request,
                _("Your proposal has been withdrawn. It stays visible, marked as withdrawn."),
            )
        return redirect(_detail_url(proposal))
    return render(
        request,
        "consultations/proposal_withdraw.html",
        {"consultation": consultation, "proposal": proposal},
    )


# --- Supports and points ---------------------------------------------------------------------------


def _after_action(request: HttpRequest, proposal: Proposal, anchor: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        if anchor == "support":
            return render(
                request,
                "consultations/includes/support_box.html",
                _support_box_context(request, proposal),
            )
        proposal = selectors.proposal_for_detail(consultation=proposal.consultation, pk=proposal.pk)
        return render(
            request, "consultations/includes/points_box.html", _detail_context(request, proposal)
        )
    return redirect(f"{_detail_url(proposal)}#{anchor}")


def _support_box_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """What the support box shows after a support POST (htmx): the new count and state.

    Only the box is swapped, so only its data is read: the fresh counter and state of the
    proposal and whether this person supports it now (two small queries), not the whole
    detail page's context.
    """
    proposal.refresh_from_db(fields=["support_count", "status", "is_hidden", "is_locked"])
    phase = proposal.consultation.phase_at()
    return {
        "consultation": proposal.consultation,
        "proposal": proposal,
        "phase": phase,
        **_support_state(request.user, proposal, phase),
    }


def _support_state(user: Any, proposal: Proposal, phase: Phase | None) -> dict[str, bool]:
    """Whether the support button is offered, and whether this person supports the proposal."""
    return {
        # `phase` is the running one (Consultation.phase_at), so this is the gate's rule.
        "supports_open": bool(phase and phase.allows(Activity.SUPPORTS))
        and proposal.accepts_supports,
        "has_supported": bool(selectors.supported_ids(user=user, proposal_ids=[proposal.pk])),
    }


@login_required
@ratelimit_post("support")
@require_POST
def proposal_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = selectors.proposal_for_action(slug=slug, pk=pk, user=request.user)
    if proposal.is_hidden and not may_see_hidden_proposals(request.user):
        raise Http404
    try:
        if request.POST.get("action") == "remove":
            if services.support_remove(proposal=proposal, user=request.user):
                messages.success(request, _("You no longer support this proposal."))
        else:
            _support, created = services.support_add(proposal=proposal, user=request.user)
            if created:
                messages.success(request, _("Thank you for your support."))
            else:
                messages.info(request, _("You already support this proposal."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _refusal_text(error))
    return _after_action(request, proposal, "support")


@login_required
@ratelimit_post("support")
@require_POST
def proposal_points(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    proposal = selectors.proposal_for_detail(consultation=consultation, pk=pk)
    if proposal.is_hidden and not may_see_hidden_proposals(request.user):
        raise Http404
    form = PriorityPointsForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, proposal, points_form=form)
        template = (
            "consultations/includes/points_box.html"
            if getattr(request, "htmx", False)
            else "consultations/proposal_detail.html"
        )
        return render(request, template, context, status=400)
    try:
        services.priority_points_set(
            proposal=proposal, user=request.user, points=form.cleaned_data["points"]
        )
    except (ValidationError, PermissionDenied) as error:
        form.add_error("points", _refusal_text(error))
        context = _detail_context(request, proposal, points_form=form)
        template = (
            "consultations/includes/points_box.html"
            if getattr(request, "htmx", False)
            else "consultations/proposal_detail.html"
        )
        return render(request, template, context, status=400)
    messages.success(request, _("Your priority points have been saved."))
    return _after_action(request, proposal, "points")
