"""Online forum pages: overview, forum, thread; start a thread, reply, edit, delete, report.

Reads go through forums.selectors, writes through forums.services. On any refusal (empty,
too long, closed, rate limit) the form page is shown again with the message and everything
the person typed. Other people's posts answer 404 to edit and delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from foundation.forms import FlagForm
from foundation.moderation_views import flag_page
from foundation.rules import participation_refusal
from foundation.selectors import context_from_hooks
from foundation.service_forms import form_status, submit_form, submit_rate_limited

from . import selectors, services
from .forms import PostForm, ThreadForm
from .text import quote_of, render_post


def _preview(request: HttpRequest, form: Any) -> str | None:
    """None unless the person pressed "Preview". Then nothing is sent, and this is the post as
    it will look, or "" when it could not be sent (the form says why)."""
    if request.method != "POST" or "preview" not in request.POST:
        return None
    if not form.is_valid():
        return ""
    try:
        return render_post(services.clean_body(form.cleaned_data["body"]))
    except ValidationError as error:
        form.add_error(None, error)  # the error names its field
        return ""


def _preview_status(preview_html: str) -> int:
    return 200 if preview_html else 400


def _preview_or_submit(
    request: HttpRequest, form: Any, action: Any, **limit: str
) -> tuple[Any, int, str | None]:
    """(what `action` made or None, the status, the preview or None): "Preview" shows the post
    and sends nothing; otherwise the form goes to `action` within its rate limit."""
    preview_html = _preview(request, form)
    if preview_html is not None:
        return None, _preview_status(preview_html), preview_html
    made, status = submit_rate_limited(request, form, action, **limit)
    return made, status, None


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    consultations = list(selectors.consultations_with_forums())
    if len(consultations) == 1:
        return redirect("forums:forum_list", slug=consultations[0].slug)
    return render(request, "forums/index.html", {"consultations": consultations})


@require_http_methods(["GET", "HEAD"])
def forum_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    forums = selectors.forum_overview(consultation=consultation)
    upcoming, _past = selectors.events_of(consultation=consultation)
    return render(
        request,
        "forums/forum_list.html",
        {"consultation": consultation, "forums": forums, "upcoming_events": upcoming[:3]},
    )


@require_http_methods(["GET", "HEAD"])
def forum_detail(request: HttpRequest, slug: str, field_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    forum = selectors.forum_for(consultation=consultation, field_slug=field_slug)
    page_obj = selectors.threads_page(
        forum=forum, user=request.user, page_number=request.GET.get("page")
    )
    closed = services.forum_closed_reason(forum)
    return render(
        request,
        "forums/forum_detail.html",
        {
            "consultation": consultation,
            "forum": forum,
            "page_obj": page_obj,
            "unread_ids": selectors.unread_thread_ids(
                user=request.user, threads=list(page_obj.object_list)
            ),
            "closed_reason": closed,
            "refusal": closed or participation_refusal(request.user),
        },
    )


def _quote(thread: Any, asked: str | None) -> str:
    """The reply field's start when ?zitat=<post> names a readable post of this thread."""
    if not asked or not asked.isdigit() or len(asked) > 18:
        return ""
    post = (
        thread.posts.filter(pk=int(asked), is_hidden=False, deleted_at__isnull=True)
        .select_related("author")
        .first()
    )
    if post is None:
        return ""
    name = post.author.public_name if post.author else _("Former participant")
    return quote_of(post, name)


def _proposal_link(thread: Any) -> str | None:
    """The proposal form prefilled with the thread's Handlungsfeld and the thread as source."""
    forum = thread.forum
    base = reverse("consultations:proposal_create", args=[forum.consultation.slug])
    return f"{base}?{urlencode({'handlungsfeld': forum.handlungsfeld.slug, 'thread': thread.pk})}"


@require_http_methods(["GET", "HEAD"])
def thread_detail(request: HttpRequest, slug: str, field_slug: str, pk: int) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    forum = selectors.forum_for(consultation=consultation, field_slug=field_slug)
    thread = selectors.thread_for(forum=forum, pk=pk)
    view = selectors.thread_page(
        thread=thread, user=request.user, page_number=request.GET.get("page")
    )
    closed = services.thread_closed_reason(thread)
    services.thread_read(user=request.user, thread=thread)
    return render(
        request,
        "forums/thread_detail.html",
        {
            **context_from_hooks(selectors.THREAD_CONTEXT_HOOK, thread, request),
            "consultation": consultation,
            "forum": forum,
            "thread": thread,
            "view": view,
            "page_obj": view.page_obj,
            "closed_reason": closed,
            "refusal": closed or participation_refusal(request.user),
            "proposal_link": _proposal_link(thread) if not thread.is_hidden else None,
            "form": PostForm(initial={"body": _quote(thread, request.GET.get("zitat"))}),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def thread_create(request: HttpRequest, slug: str, field_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    forum = selectors.forum_for(consultation=consultation, field_slug=field_slug)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    thread, status, preview_html = _preview_or_submit(
        request,
        form,
        lambda data: services.thread_create(
            forum=forum, author=request.user, title=data["title"], body=data["body"]
        ),
        limit="forum_thread",
    )
    if thread is not None:
        messages.success(request, _("Your thread has been published."))
        return redirect(services.thread_url(thread))
    refusal = services.post_refusal(forum=forum, user=request.user)
    return render(
        request,
        "forums/thread_form.html",
        {
            "consultation": consultation,
            "forum": forum,
            "form": form,
            "refusal": refusal,
            "preview_html": preview_html,
            "preview_title": form.cleaned_data.get("title", "") if preview_html else "",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_create(request: HttpRequest, slug: str, field_slug: str, pk: int) -> HttpResponse:
    """Reply; the thread page posts here. Also the page shown again when sending failed."""
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    forum = selectors.forum_for(consultation=consultation, field_slug=field_slug)
    thread = selectors.thread_for(forum=forum, pk=pk)
    form = PostForm(request.POST if request.method == "POST" else None)
    post, status, preview_html = _preview_or_submit(
        request,
        form,
        lambda data: services.post_create(thread=thread, author=request.user, body=data["body"]),
        limit="forum_post",
        limit_field="body",
    )
    if post is not None:
        messages.success(request, _("Your reply has been published."))
        return redirect(services.post_url(post))
    refusal = services.post_refusal(forum=forum, user=request.user, thread=thread)
    return render(
        request,
        "forums/post_form.html",
        {
            "consultation": consultation,
            "forum": forum,
            "thread": thread,
            "form": form,
            "refusal": refusal,
            "thread_url": services.thread_url(thread),
            "preview_html": preview_html,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.own_post(pk=pk, user=request.user)
    thread = post.thread
    form = PostForm(
        request.POST if request.method == "POST" else None,
        initial={"body": post.body},
        label=_("Your corrected post"),
    )
    preview_html = _preview(request, form)
    if preview_html is None and submit_form(
        request,
        form,
        lambda data: services.post_edit(post=post, user=request.user, body=data["body"]),
    ):
        messages.success(request, _("Your post has been changed."))
        return redirect(services.post_url(post))
    if post.deleted_at or post.is_hidden:
        refusal = _("This post can no longer be changed.")
    else:
        refusal = services.post_refusal(forum=thread.forum, user=request.user, thread=thread)
    return render(
        request,
        "forums/post_edit.html",
        {
            "post": post,
            "thread": thread,
            "forum": thread.forum,
            "form": form,
            "refusal": refusal,
            "thread_url": services.thread_url(thread),
            "post_url": services.post_url(post),
            "preview_html": preview_html,
        },
        status=form_status(request) if preview_html is None else _preview_status(preview_html),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.own_post(pk=pk, user=request.user)
    if request.method == "POST":
        services.post_delete(post=post, user=request.user)
        messages.success(
            request, _("Your post has been deleted. A note in its place keeps the thread readable.")
        )
        return redirect(services.post_url(post))
    return render(
        request,
        "forums/post_delete.html",
        {
            "post": post,
            "thread": post.thread,
            "forum": post.thread.forum,
            "thread_url": services.thread_url(post.thread),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_for(pk=pk)
    if post.thread.is_hidden:  # nothing of it is public, so nothing to report
        raise Http404
    return flag_page(
        request,
        form=FlagForm(request.POST if request.method == "POST" else None),
        flagging=services.post_flag,
        target={"post": post},
        already_message=_(
            "You have already reported this post. Thank you — the moderation will look at it."
        ),
        back_url=services.post_url(post),
        template="forums/flag_form.html",
        context={"post": post, "thread": post.thread},
    )
