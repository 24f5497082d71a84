"""django-allauth adapter: blocked accounts, the user's language, our site name in mails."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .i18n import apply_user_language


class _Site:
    """What allauth's mail templates read as `current_site`: our name, the request's host."""

    def __init__(self, name: str, domain: str) -> None:
        self.name = name
        self.domain = domain

    @classmethod
    def for_request(cls, request: HttpRequest | None) -> _Site:
        domain = (
            request.get_host() if request is not None else settings.SITE_URL.split("://", 1)[-1]
        )
        return cls(settings.WAGTAIL_SITE_NAME, domain)


def blocked_message() -> str:
    return _(
        "Your account has been blocked. You cannot sign in. If you think this is a mistake, "
        "please contact the coordination office."
    )


class AccountAdapter(DefaultAccountAdapter):
    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        """A correct password of a blocked account gets a clear message on the form."""
        user = super().authenticate(request, **credentials)
        if user is not None and getattr(user, "is_blocked", False):
            raise ValidationError(blocked_message(), code="blocked")
        return user

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address as every other limit counts it (foundation.client_ip)."""
        from .client_ip import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        # Every other way in (confirmation link, password reset) ends here too.
        if getattr(user, "is_blocked", False):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, blocked_message())
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (in the request's language), send after commit through the outbox.

        A mail server that is down must not break sign-up or password reset; the outbox
        keeps the message until the relay hands it over.
        """
        from allauth.core import context as allauth_context

        from .outbox import enqueue

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": _Site.for_request(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        enqueue(
            "foundation.tasks.send_email",
            payload={
                "to": list(message.to),
                "subject": message.subject,
                "body": message.body,
                "html": html,
            },
        )

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        return apply_user_language(response, user=user)
