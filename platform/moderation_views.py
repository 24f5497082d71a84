"""The pages of the moderation, as far as every app shares them: where a resident reports
something (flag_page), and the coordination office's queue, log and action pages.

consultations and forums each list their actions as tables of ActionSpec (built mostly with
the helpers below, so that "hide" looks and asks the same everywhere), configure the views
below with their templates, selectors and objects, and have templates that extend
foundation/moderation/*.html. What is the same for every app lives here: who may open the
pages, the reason form, where to go afterwards, how a refusal of the service is shown, and
the log filter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet, TextChoices
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .forms import FlagForm, ModerationReasonForm
from .moderation import Flagging
from .roles import is_coordination_office, role_required
from .rules import participation_refusal
from .service_forms import form_status, submit_form, submit_rate_limited

# Sign-in required; signed-in people outside the coordination office get 403.
coordination_required = role_required(is_coordination_office)


# --- Reports by residents --------------------------------------------------------------------------


def flag_page(
    request: HttpRequest,
    *,
    form: FlagForm,
    flagging: Flagging[Any],
    target: dict[str, Model],
    already_message: str | Promise,
    back_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The page where a resident reports something: the flag form, and on a valid POST the
    app's report service `flagging` for the object in `target` ({"post": post}); back to
    `back_url` with thanks once it went through, or right away for something this person
    reported already (`already_message`).

    `form` comes bound by the app, as in run_action. A refusal (the rate limit, the service)
    is shown on the form; `context` gets form, back_url and the person's refusal.
    """
    if flagging.filed_by(request.user, **target):
        messages.info(request, already_message)
        return redirect(back_url)
    filed, status = submit_rate_limited(
        request,
        form,
        lambda data: flagging(
            reporter=request.user, reason=data["reason"], note=data["note"], **target
        ),
        limit="flag",
    )
    if filed is not None:
        _flag, created = filed
        if created:
            messages.success(
                request, _("Thank you for your report. The moderation will look at it soon.")
            )
        else:
            messages.info(request, already_message)
        return redirect(back_url)
    context.update(
        {"form": form, "back_url": back_url, "refusal": participation_refusal(request.user)}
    )
    return render(request, template, context, status=status)


# --- Actions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    """One action as its page shows it; `run(actor=, reason=, **target)` is the app's service."""

    title: Any
    button: Any
    reason_required: bool
    run: Callable[..., Any]
    done: Any
    help_text: Any = ""
    danger: bool = False

    def reason_form(self, data: QueryDict | None) -> ModerationReasonForm:
        return ModerationReasonForm(
            data, reason_required=self.reason_required, help_text=self.help_text
        )


HIDE_HELP = gettext_lazy("Shown in place of the content: “Hidden by the moderation: <reason>”.")


def hide_action(title: Any, run: Callable[..., Any], done: Any) -> ActionSpec:
    """Hiding needs a reason: it is shown in place of the content."""
    return ActionSpec(title, gettext_lazy("Hide"), True, run, done, HIDE_HELP, danger=True)


def unhide_action(title: Any, run: Callable[..., Any], done: Any) -> ActionSpec:
    return ActionSpec(title, gettext_lazy("Show again"), False, run, done)


def lock_action(title: Any, run: Callable[..., Any], done: Any, help_text: Any) -> ActionSpec:
    return ActionSpec(title, gettext_lazy("Lock"), False, run, done, help_text)


def unlock_action(title: Any, run: Callable[..., Any], done: Any) -> ActionSpec:
    return ActionSpec(title, gettext_lazy("Unlock"), False, run, done)


def dismiss_action(run: Callable[..., Any], done: Any) -> ActionSpec:
    """The reports were unfounded: they are closed, the content stays as it is."""
    return ActionSpec(
        gettext_lazy("Dismiss the reports"), gettext_lazy("Dismiss reports"), False, run, done
    )


def action_spec(actions: dict[str, ActionSpec], action: str) -> ActionSpec:
    """The spec of the action named in the URL; an action the object does not have is 404."""
    spec = actions.get(action)
    if spec is None:
        raise Http404
    return spec


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after the action: the `next` the page came with if it is on this site
    (the queue, a proposal, a thread…), else `default`; never to another host."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def run_action(
    request: HttpRequest,
    *,
    spec: ActionSpec,
    form: ModerationReasonForm,
    target: dict[str, Any],
    context: dict[str, Any],
    template: str,
    default_next: str,
) -> HttpResponse:
    """The page of one action: the reason form, and on a valid POST the service.

    `form` comes bound by the app (spec.reason_form(...)), because the apps bind forms
    differently: consultations leaves the form unbound for a POST without any data,
    forums binds every POST. A refusal of the service (ValidationError) is shown on the
    form with status 400; success shows `spec.done` and goes to next_url.
    """

    def act(data: dict[str, Any]) -> object:
        return spec.run(actor=request.user, reason=data["reason"], **target)

    if submit_form(request, form, act):
        messages.success(request, str(spec.done))
        return redirect(next_url(request, default_next))
    context.update({"form": form, "spec": spec, "next": next_url(request, default_next)})
    return render(request, template, context, status=form_status(request))


# --- Log -----------------------------------------------------------------------------------------


def selected_action(request: HttpRequest, kinds: type[TextChoices]) -> str:
    """The log filter: the `action` query parameter if it is one of `kinds`, else "" (all)."""
    action = request.GET.get("action", "")
    return action if action in kinds.values else ""


def render_log(
    request: HttpRequest,
    template: str,
    *,
    entries: QuerySet[Any],
    per_page: int,
    kinds: type[TextChoices],
    selected: str,
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """One page of a moderation log with its action filter (foundation/moderation/log.html)."""
    page_obj = Paginator(entries, per_page).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "action_choices": kinds.choices, "selected_action": selected}
    return render(request, template, {**context, **(extra_context or {})})


# --- The pages as views ----------------------------------------------------------------------------
# An app's moderation pages are these views, given its templates, selectors and services in
# as_view(...), or subclassed where a page loads or shows more (the objects of the actions).


class ModerationView(View):
    """A page of the moderation (sign-in required, 403 for anybody else): by default the
    coordination office's; an app with moderators of its own sets `allowed` (a role check;
    what one object allows is the services' check)."""

    http_method_names = ["get", "head"]
    template_name = ""
    allowed: Callable[[Any], bool] = staticmethod(is_coordination_office)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        view = role_required(self.allowed)(super().dispatch)
        return view(request, *args, **kwargs)


class QueueView(ModerationView):
    """The queue of reported objects: `queue(page_number=, **queue_filters())` returns
    (page, FlagGroups)."""

    queue: Callable[..., tuple[Any, list[Any]]] | None = None

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.queue is None:
            raise ImproperlyConfigured("QueueView.as_view() needs queue=")
        page_obj, groups = self.queue(page_number=request.GET.get("page"), **self.queue_filters())
        return render(request, self.template_name, {"page_obj": page_obj, "groups": groups})

    def queue_filters(self) -> dict[str, Any]:
        return {}


class LogView(ModerationView):
    """A moderation log, filtered by the action `kinds`: `log(action=, **log_filters())`
    returns the entries, `per_page` of them a page."""

    kinds: type[TextChoices] | None = None
    per_page = 50
    log: Callable[..., QuerySet[Any]] | None = None

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.kinds is None or self.log is None:
            raise ImproperlyConfigured("LogView.as_view() needs kinds= and log=")
        action = selected_action(request, self.kinds)
        return render_log(
            request,
            self.template_name,
            entries=self.log(action=action, **self.log_filters()),
            per_page=self.per_page,
            kinds=self.kinds,
            selected=action,
            extra_context=self.extra_context(),
        )

    def log_filters(self) -> dict[str, Any]:
        return {}

    def extra_context(self) -> dict[str, Any]:
        return {}


class ActionView(ModerationView):
    """The page of one action on one object (run_action). A subclass names the object's
    `actions` (ActionSpecs by URL name), loads the object as the services take it
    (get_target: {"post": post}) and says what its page shows (get_context). Afterwards the
    page goes back to the `next` it came with, else to the queue (`queue_url`, a URL name)."""

    http_method_names = ["get", "head", "post"]
    queue_url = ""
    actions: dict[str, ActionSpec] = {}

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        spec = action_spec(self.actions, action)
        target = self.get_target(pk)
        return run_action(
            request,
            spec=spec,
            form=spec.reason_form(self.form_data(request)),
            target=target,
            context=self.get_context(**target),
            template=self.template_name,
            default_next=reverse(self.queue_url),
        )

    post = get

    def form_data(self, request: HttpRequest) -> QueryDict | None:
        """The data the reason form is bound to: every POST's."""
        return request.POST if request.method == "POST" else None

    def get_target(self, pk: int) -> dict[str, Any]:
        raise NotImplementedError

    def get_context(self, **target: Any) -> dict[str, Any]:
        return dict(target)
