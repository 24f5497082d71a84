"""Following (/profil/folgen/): follow and unfollow, how often per kind, and the one-click
unsubscribe that every switchable e-mail links to (no sign-in needed: the token is signed)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import following
from .models import Follow, NewsFrequency, NewsKind
from .notifications import channel_from_token

FOLLOWS_PER_PAGE = 30


class FrequencyForm(forms.Form):
    """One choice per kind of news: never, at once, daily or weekly digest."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in NewsKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=NewsFrequency.choices,
                widget=forms.RadioSelect,
                required=False,  # a kind left out keeps its frequency
            )


FREQUENCY_HELP = gettext_lazy(
    "“At once” means a notification here and an e-mail for each piece of news; a digest "
    "collects everything in one e-mail per day or per week."
)


def _next_url(request: HttpRequest, fallback: str) -> str:
    """The page the button was on: a path of this site, or else the followed thing's page."""
    target = request.POST.get("next") or ""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return fallback


@never_cache
@login_required
def following_page(request: HttpRequest) -> HttpResponse:
    form = FrequencyForm(request.POST or None, initial=following.frequencies(request.user))
    if request.method == "POST" and form.is_valid():
        chosen = {kind: value for kind, value in form.cleaned_data.items() if value}
        following.set_frequencies(user=request.user, chosen=chosen)
        messages.success(request, _("Your settings for news have been saved."))
        return redirect("foundation:following")
    follows = Follow.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(follows, FOLLOWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "foundation/following.html",
        {
            "form": form,
            "help": FREQUENCY_HELP,
            "page_obj": page,
            "followed": following.followed_things(page.object_list),
        },
    )


@login_required
@require_POST
def follow_toggle(request: HttpRequest) -> HttpResponse:
    """Follow or stop following the thing a follow button names (signed, see target_token)."""
    target = following.target_from_token(request.POST.get("target", ""))
    if target is None:
        raise Http404
    fallback = target.get_absolute_url()
    refusal = following.follow_refusal(user=request.user, target=target)
    if refusal and request.POST.get("action") != "unfollow":  # stopping is always possible
        messages.error(request, refusal)
        return HttpResponseRedirect(reverse("foundation:following"))
    if request.POST.get("action") == "unfollow":
        following.unfollow(user=request.user, target=target)
        messages.success(request, _("You no longer follow “%(title)s”.") % {"title": target})
    else:
        following.follow(user=request.user, target=target)
        messages.success(
            request,
            _("You now follow “%(title)s”. How often you hear of it: see “Following”.")
            % {"title": target},
        )
    return HttpResponseRedirect(_next_url(request, fallback))


@never_cache
@csrf_exempt  # the signed token is the authority; mail programs POST without a form (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners must not unsubscribe anybody); POST stops the e-mails."""
    found = channel_from_token(token)
    if found is None:
        return render(request, "foundation/unsubscribe.html", {"invalid": True}, status=404)
    user, channel = found
    label = following.channel_label(channel)
    if request.method == "POST":
        following.unsubscribe(user=user, channel=channel)
        return render(request, "foundation/unsubscribe.html", {"done": True, "label": label})
    return render(request, "foundation/unsubscribe.html", {"label": label, "token": token})
