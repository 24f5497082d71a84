"""Staff pages of the coordination office: moderation queue, actions, log, blocked users, exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from foundation.models import User
from foundation.roles import is_coordination_office

from . import discussion_selectors as selectors
from . import exports, moderation
from .forms_discussion import ExportRequestForm, ModerationReasonForm
from .models import Comment, ExportStatus, Flag, ModerationActionKind, Proposal
from .notifications import comment_url, proposal_url


def coordination_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordination_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# --- Queue, log, blocked users ---------------------------------------------------------------------


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page_obj, groups = selectors.moderation_queue(page_number=request.GET.get("page"))
    return render(
        request, "consultations/moderation/queue.html", {"page_obj": page_obj, "groups": groups}
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_log(request: HttpRequest) -> HttpResponse:
    user_id = request.GET.get("user")
    user_id = int(user_id) if user_id and user_id.isdigit() else None
    action = request.GET.get("action", "")
    if action not in ModerationActionKind.values:
        action = ""
    actions = selectors.moderation_log(target_user_id=user_id, action=action)
    page_obj = Paginator(actions, selectors.MODERATION_LOG_PER_PAGE).get_page(request.GET.get("page"))
    target_user = User.objects.filter(pk=user_id).first() if user_id else None
    return render(
        request,
        "consultations/moderation/log.html",
        {
            "page_obj": page_obj,
            "action_choices": ModerationActionKind.choices,
            "selected_action": action,
            "target_user": target_user,
        },
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_blocked(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.blocked_users(), 50).get_page(request.GET.get("page"))
    return render(request, "consultations/moderation/blocked.html", {"page_obj": page_obj})


# --- Actions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    title: str | Any
    button: str | Any
    reason_required: bool
    run: Callable[..., Any]
    done: str | Any
    help_text: str | Any = ""
    danger: bool = False


HIDE_HELP = gettext_lazy("Shown in place of the content: “Hidden by the moderation: <reason>”.")
BLOCK_HELP = gettext_lazy("Recorded in the log and kept with the account. Please be specific.")

PROPOSAL_ACTIONS: dict[str, ActionSpec] = {
    "hide": ActionSpec(gettext_lazy("Hide proposal"), gettext_lazy("Hide"), True, moderation.proposal_hide,
                       gettext_lazy("The proposal is hidden."), HIDE_HELP, danger=True),
    "unhide": ActionSpec(gettext_lazy("Show proposal again"), gettext_lazy("Show again"), False,
                         moderation.proposal_unhide, gettext_lazy("The proposal is visible again.")),
    "lock": ActionSpec(gettext_lazy("Lock proposal"), gettext_lazy("Lock"), False, moderation.proposal_lock,
                       gettext_lazy("The proposal is locked: no new comments, supports or points."),
                       gettext_lazy("Locking stops new comments, supports and points; everything stays visible.")),
    "unlock": ActionSpec(gettext_lazy("Unlock proposal"), gettext_lazy("Unlock"), False, moderation.proposal_unlock,
                         gettext_lazy("The proposal is unlocked.")),
    "dismiss": ActionSpec(gettext_lazy("Dismiss the reports"), gettext_lazy("Dismiss reports"), False,
                          lambda **kw: moderation.flags_dismiss(actor=kw["actor"], proposal=kw["proposal"],
                                                                reason=kw["reason"]),
                          gettext_lazy("The reports are dismissed; the proposal stays as it is.")),
}
COMMENT_ACTIONS: dict[str, ActionSpec] = {
    "hide": ActionSpec(gettext_lazy("Hide comment"), gettext_lazy("Hide"), True, moderation.comment_hide,
                       gettext_lazy("The comment is hidden."), HIDE_HELP, danger=True),
    "unhide": ActionSpec(gettext_lazy("Show comment again"), gettext_lazy("Show again"), False,
                         moderation.comment_unhide, gettext_lazy("The comment is visible again.")),
    "dismiss": ActionSpec(gettext_lazy("Dismiss the reports"), gettext_lazy("Dismiss reports"), False,
                          lambda **kw: moderation.flags_dismiss(actor=kw["actor"], comment=kw["comment"],
                                                                reason=kw["reason"]),
                          gettext_lazy("The reports are dismissed; the comment stays as it is.")),
}
USER_ACTIONS: dict[str, ActionSpec] = {
    "block": ActionSpec(gettext_lazy("Block user"), gettext_lazy("Block"), True, moderation.user_block,
                        gettext_lazy("The user is blocked and can no longer post."), BLOCK_HELP, danger=True),
    "unblock": ActionSpec(gettext_lazy("Unblock user"), gettext_lazy("Unblock"), False, moderation.user_unblock,
                          gettext_lazy("The user is unblocked.")),
}


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def _run_action(
    request: HttpRequest, *, spec: ActionSpec, target_kwargs: dict[str, Any], context: dict[str, Any]
) -> HttpResponse:
    form = ModerationReasonForm(request.POST or None, reason_required=spec.reason_required, help_text=spec.help_text)
    default_next = reverse("consultations:moderation_queue")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            spec.run(actor=request.user, reason=form.cleaned_data["reason"], **target_kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field_name, errors in error.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            status = 400
        else:
            messages.success(request, str(spec.done))
            return redirect(_next_url(request, default_next))
    elif request.method == "POST":
        status = 400
    context.update({"form": form, "spec": spec, "next": _next_url(request, default_next)})
    return render(request, "consultations/moderation/action.html", context, status=status)


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = PROPOSAL_ACTIONS.get(action)
    if spec is None:
        raise Http404
    proposal = get_object_or_404(Proposal.objects.select_related("author", "consultation"), pk=pk)
    flags = Flag.objects.filter(proposal=proposal, resolved_at__isnull=True).select_related("reporter")
    return _run_action(
        request,
        spec=spec,
        target_kwargs={"proposal": proposal},
        context={"proposal": proposal, "flags": flags, "object_url": proposal_url(proposal)},
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = COMMENT_ACTIONS.get(action)
    if spec is None:
        raise Http404
    comment = get_object_or_404(Comment.objects.select_related("author", "proposal__consultation"), pk=pk)
    flags = Flag.objects.filter(comment=comment, resolved_at__isnull=True).select_related("reporter")
    return _run_action(
        request,
        spec=spec,
        target_kwargs={"comment": comment},
        context={"comment": comment, "proposal": comment.proposal, "flags": flags, "object_url": comment_url(comment)},
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = USER_ACTIONS.get(action)
    if spec is None:
        raise Http404
    target = get_object_or_404(User, pk=pk)
    recent = selectors.moderation_log(target_user_id=target.pk)[:10]
    return _run_action(
        request,
        spec=spec,
        target_kwargs={"user": target},
        context={"target_user": target, "recent_actions": recent},
    )


# --- Exports -----------------------------------------------------------------------------------------


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: HttpRequest) -> HttpResponse:
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = exports.export_request(
            user=request.user, consultation=form.cleaned_data["consultation"], format=form.cleaned_data["format"]
        )
        job.refresh_from_db()
        if job.status == ExportStatus.DONE:
            messages.success(request, _("Your export is ready for download."))
        elif job.status == ExportStatus.FAILED:
            messages.error(request, _("The export could not be built. The error is shown in the list."))
        else:
            messages.success(request, _("Your export is being built. Reload this page in a moment to download it."))
        return redirect("consultations:export_list")
    page_obj = Paginator(selectors.exports_of(user=request.user), 25).get_page(request.GET.get("page"))
    pending = any(job.status in (ExportStatus.PENDING, ExportStatus.RUNNING) for job in page_obj.object_list)
    return render(
        request,
        "consultations/moderation/exports.html",
        {"form": form, "page_obj": page_obj, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(selectors.exports_of(user=request.user), pk=pk)
    if not job.is_ready:
        raise Http404
    content_type = (
        "text/csv; charset=utf-8"
        if job.format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
