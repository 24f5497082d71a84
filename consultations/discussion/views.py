"""Comment, reply, edit, delete and flag pages.

The proposal page carries the inline forms (consultations/includes/discussion.html). They post
here; on success we redirect back to the comment's anchor, on any refusal (empty, too long,
closed, rate limit) we render a form page of our own with the message and the typed text.
Other people's comments answer 404 to edit and delete.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from consultations.proposals.models import Proposal
from consultations.proposals.notifications import proposal_url
from foundation.forms import FlagForm
from foundation.moderation_views import flag_page
from foundation.service_forms import form_status, submit_form, submit_rate_limited

from . import services as discussion
from .forms import CommentForm, ReplyForm
from .models import Comment
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
    comment, status = submit_rate_limited(
        request,
        form,
        lambda data: discussion.comment_create(
            proposal=proposal, author=request.user, body=data["body"], parent=parent
        ),
        limit="comment",
        limit_field="body",
    )
    if comment is not None:
        messages.success(request, _("Your comment has been published."))
        return redirect(comment_url(comment))
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
    form = CommentForm(
        request.POST or None, initial={"body": comment.body}, label=_("Your corrected comment")
    )
    if submit_form(
        request,
        form,
        lambda data: discussion.comment_edit(comment=comment, user=request.user, body=data["body"]),
    ):
        messages.success(request, _("Your comment has been changed."))
        return redirect(comment_url(comment))
    if comment.deleted_at or comment.is_hidden:
        refusal = _("This comment can no longer be changed.")
    else:
        refusal = discussion.comment_refusal(proposal=comment.proposal, user=request.user)
    context = {
        "comment": comment,
        "proposal": comment.proposal,
        "form": form,
        "refusal": refusal,
        "proposal_url": proposal_url(comment.proposal),
    }
    return render(
        request, "consultations/discussion/comment_edit.html", context, status=form_status(request)
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    if request.method == "POST":
        discussion.comment_delete(comment=comment, user=request.user)
        messages.success(
            request,
            _("Your comment has been deleted. A note in its place keeps the thread readable."),
        )
        return redirect(comment_url(comment))
    context = {
        "comment": comment,
        "proposal": comment.proposal,
        "proposal_url": proposal_url(comment.proposal),
    }
    return render(request, "consultations/discussion/comment_delete.html", context)


ALREADY_FLAGGED = gettext_lazy(
    "You have already reported this. Thank you — the moderation will look at it."
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("proposal__consultation", "author"), pk=pk
    )
    return flag_page(
        request,
        form=FlagForm(request.POST or None),
        flagging=discussion.flag_comment,
        target={"comment": comment},
        already_message=ALREADY_FLAGGED,
        back_url=comment_url(comment),
        template="consultations/discussion/flag_form.html",
        context={
            "target_label": _("Report a comment"),
            "comment": comment,
            "proposal": comment.proposal,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_flag(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    proposal = _proposal(proposal_pk)
    return flag_page(
        request,
        form=FlagForm(request.POST or None),
        flagging=discussion.flag_proposal,
        target={"proposal": proposal},
        already_message=ALREADY_FLAGGED,
        back_url=proposal_url(proposal),
        template="consultations/discussion/flag_form.html",
        context={"target_label": _("Report a proposal"), "proposal": proposal},
    )
