"""The moderation building blocks the apps share (foundation.moderation, .moderation_views,
.service_forms, .validation), tested on their own; the apps' pages test them through HTTP."""

from __future__ import annotations

from unittest import mock

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from forums.models import Post, PostFlag, Thread
from foundation.moderation import (
    REASON_MAX_LENGTH,
    clean_reason,
    mark_hidden,
    mark_locked,
    mark_visible,
    resolve_open_flags,
    start_action,
)
from foundation.moderation_views import (
    ActionSpec,
    action_spec,
    dismiss_action,
    hide_action,
    next_url,
    run_action,
    selected_action,
    unhide_action,
)
from foundation.roles import Role
from foundation.service_forms import add_service_errors, form_status, submit_form
from foundation.validation import checked_text
from tests.forums.factories import PostFactory, ThreadFactory

from .factories import ResidentFactory, user_with_role

rf = RequestFactory()


# --- foundation.validation -----------------------------------------------------------------------


def test_checked_text_passes_text_within_the_limit_unchanged():
    assert checked_text("abc", field="body", max_length=3, too_long="%(max)d") == "abc"
    assert checked_text("", field="note", max_length=3, too_long="%(max)d") == ""  # empty allowed


def test_checked_text_refuses_empty_text_only_where_a_message_is_given():
    with pytest.raises(ValidationError) as caught:
        checked_text("", field="body", max_length=3, too_long="x", empty="Please write something.")
    assert caught.value.message_dict == {"body": ["Please write something."]}


def test_checked_text_names_limit_and_length_when_too_long():
    with pytest.raises(ValidationError) as caught:
        checked_text(
            "abcde", field="body", max_length=3, too_long="at most %(max)d, yours %(length)d"
        )
    assert caught.value.message_dict == {"body": ["at most 3, yours 5"]}


# --- foundation.moderation -----------------------------------------------------------------------


def test_clean_reason_trims_and_is_optional_unless_required():
    assert clean_reason("  spam \n", required=True) == "spam"
    assert clean_reason(None, required=False) == ""
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_reason("   ", required=True)
    assert caught.value.message_dict["reason"][0].startswith("Please give a reason")


def test_clean_reason_allows_exactly_the_maximum_length():
    assert len(clean_reason("x" * REASON_MAX_LENGTH, required=True)) == REASON_MAX_LENGTH
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        clean_reason("x" * (REASON_MAX_LENGTH + 1), required=False)
    assert caught.value.message_dict == {
        "reason": [f"The reason can have at most {REASON_MAX_LENGTH} characters."]
    }


@pytest.mark.django_db
def test_start_action_refuses_non_moderators_before_looking_at_the_reason():
    with pytest.raises(PermissionDenied):
        start_action(ResidentFactory(), "", reason_required=True)  # not a ValidationError
    moderator = user_with_role(Role.COORDINATION)
    assert start_action(moderator, " ok ", reason_required=True) == "ok"
    with pytest.raises(ValidationError):
        start_action(moderator, "", reason_required=True)


@pytest.mark.django_db
def test_resolve_open_flags_closes_only_the_open_ones_and_counts_them():
    moderator = user_with_role(Role.COORDINATION)
    post = PostFactory()
    other = PostFactory()
    for _ in range(2):
        PostFlag.objects.create(post=post, reporter=ResidentFactory(), reason="spam")
    earlier = PostFlag.objects.create(
        post=post, reporter=ResidentFactory(), reason="spam", resolution="dismissed"
    )
    PostFlag.objects.filter(pk=earlier.pk).update(resolved_at="2020-01-01T00:00:00Z")
    untouched = PostFlag.objects.create(post=other, reporter=ResidentFactory(), reason="spam")

    closed = resolve_open_flags(
        PostFlag.objects.filter(post=post), actor=moderator, resolution="hidden"
    )

    assert closed == 2
    assert set(PostFlag.objects.filter(post=post).values_list("resolution", flat=True)) == {
        "hidden",
        "dismissed",
    }
    assert (
        PostFlag.objects.filter(post=post, resolution="hidden", resolved_by=moderator).count() == 2
    )
    untouched.refresh_from_db()
    assert untouched.resolved_at is None


@pytest.mark.django_db
def test_mark_hidden_says_once_that_it_hid_and_then_only_replaces_the_reason():
    post = PostFactory()
    stale_copy = Post.objects.get(pk=post.pk)

    assert mark_hidden(post, "first") is True
    assert (post.is_hidden, post.hidden_reason) == (True, "first")
    assert mark_hidden(stale_copy, "second") is False  # somebody else hid it meanwhile
    assert Post.objects.values_list("is_hidden", "hidden_reason").get(pk=post.pk) == (
        True,
        "second",
    )


@pytest.mark.django_db
def test_mark_visible_says_once_that_it_showed():
    post = PostFactory(is_hidden=True, hidden_reason="spam")
    assert mark_visible(post) is True
    assert (post.is_hidden, post.hidden_reason) == (False, "")
    assert mark_visible(post) is False
    assert Post.objects.values_list("is_hidden", "hidden_reason").get(pk=post.pk) == (False, "")


@pytest.mark.django_db
def test_mark_locked_sets_row_and_object():
    thread = ThreadFactory()
    mark_locked(thread, True)
    assert thread.is_locked and Thread.objects.get(pk=thread.pk).is_locked
    mark_locked(thread, False)
    assert not thread.is_locked and not Thread.objects.get(pk=thread.pk).is_locked


# --- foundation.service_forms --------------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField()


def test_add_service_errors_puts_keyed_errors_on_their_field_and_the_rest_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "taken", "elsewhere": "closed"}))
    assert form.errors["name"] == ["taken"]
    assert form.non_field_errors() == ["closed"]

    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_errors(form, ValidationError("not now"))
    assert form.non_field_errors() == ["not now"]


def test_submit_form_runs_the_service_only_for_a_valid_post():
    calls = []

    def service(data):
        calls.append(data)

    get = rf.get("/")
    assert submit_form(get, NameForm(None), service) is False
    assert form_status(get) == 200

    post = rf.post("/", {"name": ""})
    assert submit_form(post, NameForm(post.POST), service) is False
    assert form_status(post) == 400
    assert calls == []

    post = rf.post("/", {"name": "Ada"})
    assert submit_form(post, NameForm(post.POST), service) is True
    assert calls == [{"name": "Ada"}]


def test_submit_form_shows_a_refusal_of_the_service_on_the_form():
    def service(data):
        raise ValidationError({"name": "refused"})

    post = rf.post("/", {"name": "Ada"})
    form = NameForm(post.POST)
    assert submit_form(post, form, service) is False
    assert form.errors["name"] == ["refused"]


# --- foundation.moderation_views -----------------------------------------------------------------


def test_next_url_stays_on_this_site():
    assert next_url(rf.post("/", {"next": "/de/foren/"}), "/default/") == "/de/foren/"
    assert next_url(rf.get("/", {"next": "/en/x/"}), "/default/") == "/en/x/"
    assert next_url(rf.post("/", {"next": "https://evil.example/"}), "/default/") == "/default/"
    assert next_url(rf.post("/", {"next": "//evil.example/"}), "/default/") == "/default/"
    assert next_url(rf.get("/"), "/default/") == "/default/"


def test_action_spec_is_404_for_an_action_the_object_does_not_have():
    spec = unhide_action("Show again", lambda **kw: None, "done")
    assert action_spec({"unhide": spec}, "unhide") is spec
    with pytest.raises(Http404):
        action_spec({"unhide": spec}, "lock")


def test_hiding_needs_a_reason_and_is_marked_as_dangerous_other_actions_do_not():
    hide = hide_action("Hide post", lambda **kw: None, "done")
    dismiss = dismiss_action(lambda **kw: None, "done")
    assert hide.reason_required and hide.danger and hide.help_text
    assert not dismiss.reason_required and not dismiss.danger
    assert hide.reason_form(None).fields["reason"].required
    with translation.override("en"):
        assert str(dismiss.reason_form(None).fields["reason"].label) == "Reason (optional)"


class Kind(models.TextChoices):
    HIDE = "hide", "hidden"


def test_selected_action_ignores_unknown_actions():
    assert selected_action(rf.get("/", {"action": "hide"}), Kind) == "hide"
    assert selected_action(rf.get("/", {"action": "drop table"}), Kind) == ""
    assert selected_action(rf.get("/"), Kind) == ""


def _request(method, data, user):
    request = getattr(rf, method)("/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_run_action_redirects_after_success_and_shows_refusals_with_400():
    received = []

    def service(*, actor, reason, post):
        if reason == "no":
            raise ValidationError("Refused by the service.")
        received.append((actor, reason, post))

    spec = ActionSpec("Title", "Go", False, service, "Done.")
    user = object()

    request = _request("post", {"reason": "fine", "next": "/back/"}, user)
    response = run_action(
        request,
        spec=spec,
        form=spec.reason_form(request.POST),
        target={"post": "p"},
        context={},
        template="foundation/moderation/action.html",
        default_next="/queue/",
    )
    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert received == [(user, "fine", "p")]
    assert [str(m) for m in request._messages] == ["Done."]

    request = _request("post", {"reason": "no"}, user)
    with mock.patch("foundation.moderation_views.render", return_value=HttpResponse()) as render:
        run_action(
            request,
            spec=spec,
            form=spec.reason_form(request.POST),
            target={"post": "p"},
            context={"post": "p"},
            template="app/action.html",
            default_next="/queue/",
        )
    (_request_arg, template, context), kwargs = render.call_args
    assert (template, kwargs) == ("app/action.html", {"status": 400})
    assert context["form"].non_field_errors() == ["Refused by the service."]
    assert (context["spec"], context["next"], context["post"]) == (spec, "/queue/", "p")
    assert received == [(user, "fine", "p")]
