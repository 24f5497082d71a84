"""Comment, reply, edit, delete and flag pages.

The proposal page carries the inline forms (consultations/includes/discussion.html). They post
here; on success we redirect back to the comment's anchor, on any refusal (empty, too long,
closed, rate limit) we render a form page of our own with the message and the typed text.
Other people's comments answer 404 to edit and delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation.forms import FlagForm
from foundation.ratelimits import limit_exceeded, rate_limit_message
from foundation.rules import participation_refusal
from foundation.service_forms import add_service_errors, form_status, submit_form

from . import services as discussion
from .forms import CommentForm, ReplyForm
from .models import Comment, Flag
from .notifications import comment_url


def _proposal(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("consultation", "author"), pk=pk)


def _own_comment(request: HttpRequest, pk: int) -> Comment:
    """The signed-in person's own comment; anybody else's answers 404."""
    return get_object_or_404(
        Comment.objects.select_related("proposal__consultation", "proposal__author", "parent"),
        pk=pk,
        author=request.user,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_create(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    """Write a comment or (with `parent`) a reply; also the page shown when sending failed."""
    proposal = _proposal(proposal_pk)
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    parent = None
    if parent_id:
        if not str(parent_id).isdigit():
            parent_id = "0"
        parent = get_object_or_404(
            Comment.objects.select_related("author", "parent"), pk=int(parent_id), proposal=proposal
        )
    form_class = ReplyForm if parent is not None else CommentForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if limit_exceeded(request, "comment"):
            form.add_error("body", rate_limit_message("comment"))
            status = 429
        else:
            try:
                comment = discussion.comment_create(
                    proposal=proposal, author=request.user, body=form.cleaned_data["body"], parent=parent
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Your comment has been published."))
                return redirect(comment_url(comment))
    elif request.method == "POST":
        status = 400
    context = {
        "proposal": proposal,
        "proposal_url": proposal_url(proposal),
        "parent": parent,
        "form": form,
        "refusal": discussion.comment_refusal(proposal=proposal, user=request.user),
    }
    return render(request, "consultations/discussion/comment_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body}, label=_("Your corrected comment"))
    if submit_form(request, form, lambda data: discussion.comment_edit(comment=comment, user=request.user, body=data["body"])):
        messages.success(request, _("Your comment has been changed."))
        return redirect(comment_url(comment))
    if comment.deleted_at or comment.is_hidden:
        refusal = _("This comment can no longer be changed.")
    else:
        refusal = discussion.comment_refusal(proposal=comment.proposal, user=request.user)
    context = {"comment": comment, "proposal": comment.proposal, "form": form, "refusal": refusal,
               "proposal_url": proposal_url(comment.proposal)}
    return render(request, "consultations/discussion/comment_edit.html", context, status=form_status(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        discussion.comment_delete(comment=comment, user=request.user)
        messages.success(request, _("Your comment has been deleted. A note in its place keeps the thread readable."))
        return redirect(comment_url(comment))
    context = {"comment": comment, "proposal": comment.proposal, "proposal_url": proposal_url(comment.proposal)}
    return render(request, "consultations/discussion/comment_delete.html", context)


def _flag_page(
    request: HttpRequest,
    *,
    target_label: str,
    back_url: str,
    already: bool,
    report: Any,
    template_context: dict[str, Any],
) -> HttpResponse:
    """The shared flow of reporting a proposal or a comment."""
    if already:
        messages.info(request, _("You have already reported this. Thank you — the moderation will look at it."))
        return redirect(back_url)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if limit_exceeded(request, "flag"):
            form.add_error(None, rate_limit_message("flag"))
            status = 429
        else:
            try:
                _flag, created = report(reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            else:
                if created:
                    messages.success(request, _("Thank you for your report. The moderation will look at it soon."))
                else:
                    messages.info(
                        request, _("You have already reported this. Thank you — the moderation will look at it.")
                    )
                return redirect(back_url)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "target_label": target_label, "back_url": back_url,
               "refusal": participation_refusal(request.user), **template_context}
    return render(request, "consultations/discussion/flag_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("proposal__consultation", "author"), pk=pk)
    return _flag_page(
        request,
        target_label=_("Report a comment"),
        back_url=comment_url(comment),
        already=Flag.objects.filter(reporter=request.user, comment=comment).exists(),
        report=lambda **data: discussion.flag_comment(comment=comment, reporter=request.user, **data),
        template_context={"comment": comment, "proposal": comment.proposal},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_flag(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    proposal = _proposal(proposal_pk)
    return _flag_page(
        request,
        target_label=_("Report a proposal"),
        back_url=proposal_url(proposal),
        already=Flag.objects.filter(reporter=request.user, proposal=proposal).exists(),
        report=lambda **data: discussion.flag_proposal(proposal=proposal, reporter=request.user, **data),
        template_context={"proposal": proposal},
    )
