"""Profile, own data, account deletion and notifications (/profil/)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from . import selectors, services
from .forms import AccountDeleteForm, ProfileForm
from .i18n import apply_user_language
from .models import Notification


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.language or translation.get_language()):
            messages.success(request, _("Your profile has been saved."))
        return apply_user_language(redirect("foundation:profile"), user=user)
    return render(request, "foundation/profile.html", {"form": form})


@never_cache
@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    data = selectors.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = selectors.export_filename(user=request.user)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            _("Your account has been deleted. Your contributions remain as “Deleted account”."),
        )
        return redirect("home")
    return render(request, "foundation/account_delete.html", {"form": form})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notifications_mark_all_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("foundation:notifications")
    items = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    unread = selectors.unread_notification_count(user=request.user)
    return render(
        request, "foundation/notifications.html", {"page_obj": page, "unread_count": unread}
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and follows its link (another's: 404)."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("foundation:notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("The notification is marked as read."))
    return redirect("foundation:notifications")
