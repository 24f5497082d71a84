"""Forum moderation pages of the coordination office: reports queue, actions, log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from consultations.forms_discussion import ModerationReasonForm
from foundation.roles import is_coordination_office

from . import moderation, selectors, services
from .models import ForumModerationActionKind, PostFlag, Thread


def coordination_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordination_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_queue(request: HttpRequest) -> HttpResponse:
    page_obj, items = selectors.moderation_queue(page_number=request.GET.get("page"))
    return render(request, "forums/moderation/queue.html", {"page_obj": page_obj, "items": items})


@coordination_required
@require_http_methods(["GET", "HEAD"])
def moderation_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    if action not in ForumModerationActionKind.values:
        action = ""
    page_obj = Paginator(selectors.moderation_log(action=action), selectors.LOG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "forums/moderation/log.html",
        {"page_obj": page_obj, "action_choices": ForumModerationActionKind.choices, "selected_action": action},
    )


@dataclass(frozen=True)
class ActionSpec:
    title: Any
    button: Any
    reason_required: bool
    run: Callable[..., Any]
    done: Any
    help_text: Any = ""
    danger: bool = False


HIDE_HELP = gettext_lazy("Shown in place of the content: “Hidden by the moderation: <reason>”.")

POST_ACTIONS: dict[str, ActionSpec] = {
    "hide": ActionSpec(gettext_lazy("Hide post"), gettext_lazy("Hide"), True, moderation.post_hide,
                       gettext_lazy("The post is hidden."), HIDE_HELP, danger=True),
    "unhide": ActionSpec(gettext_lazy("Show post again"), gettext_lazy("Show again"), False, moderation.post_unhide,
                         gettext_lazy("The post is visible again.")),
    "dismiss": ActionSpec(gettext_lazy("Dismiss the reports"), gettext_lazy("Dismiss reports"), False,
                          moderation.flags_dismiss, gettext_lazy("The reports are dismissed; the post stays as it is.")),
}
THREAD_ACTIONS: dict[str, ActionSpec] = {
    "hide": ActionSpec(gettext_lazy("Hide thread"), gettext_lazy("Hide"), True, moderation.thread_hide,
                       gettext_lazy("The thread is hidden."), HIDE_HELP, danger=True),
    "unhide": ActionSpec(gettext_lazy("Show thread again"), gettext_lazy("Show again"), False,
                         moderation.thread_unhide, gettext_lazy("The thread is visible again.")),
    "lock": ActionSpec(gettext_lazy("Lock thread"), gettext_lazy("Lock"), False, moderation.thread_lock,
                       gettext_lazy("The thread is locked: no new posts."),
                       gettext_lazy("Locking stops new posts and edits; everything stays readable.")),
    "unlock": ActionSpec(gettext_lazy("Unlock thread"), gettext_lazy("Unlock"), False, moderation.thread_unlock,
                         gettext_lazy("The thread is unlocked.")),
}


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def _run_action(request: HttpRequest, *, spec: ActionSpec, target: dict[str, Any], context: dict[str, Any]) -> HttpResponse:
    form = ModerationReasonForm(request.POST if request.method == "POST" else None, reason_required=spec.reason_required, help_text=spec.help_text)
    default_next = reverse("forums:moderation_queue")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            spec.run(actor=request.user, reason=form.cleaned_data["reason"], **target)
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
    return render(request, "forums/moderation/action.html", context, status=status)


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = POST_ACTIONS.get(action)
    if spec is None:
        raise Http404
    post = selectors.post_for(pk=pk)
    flags = PostFlag.objects.filter(post=post, resolved_at__isnull=True).order_by("created_at")
    return _run_action(
        request, spec=spec, target={"post": post},
        context={"post": post, "thread": post.thread, "flags": flags, "object_url": services.post_url(post)},
    )


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = THREAD_ACTIONS.get(action)
    if spec is None:
        raise Http404
    thread = get_object_or_404(
        Thread.objects.select_related("author", "forum__consultation", "forum__handlungsfeld"), pk=pk
    )
    return _run_action(
        request, spec=spec, target={"thread": thread},
        context={"thread": thread, "object_url": services.thread_url(thread)},
    )

