"""The site's URLs plus two bare views, so both run through the same middleware in one process."""

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path

from config import urls as site_urls
from consultations.models import Support


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def bare_insert(request: HttpRequest) -> HttpResponse:
    """Inserts one row (a support), nothing else: no permission, phase or counter work."""
    try:
        with transaction.atomic():
            Support.objects.create(
                proposal_id=int(request.POST["proposal"]), user_id=int(request.POST["user"])
            )
    except IntegrityError:
        pass
    return HttpResponse("ok")


@login_required
def bare_signed_in(request: HttpRequest) -> HttpResponse:
    """What every signed-in POST pays before any work: session, user, then a redirect."""
    return redirect("/bench/bare/")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/signed-in/", bare_signed_in),
    path("bench/insert/", bare_insert),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500
