"""The site's URLs plus two bare views, so both run through the same middleware in one process."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as site_urls
from consultations.models import Support


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def bare_insert(request: HttpRequest) -> HttpResponse:
    """Inserts one row (a support), nothing else: no permission, phase or counter work."""
    try:
        with transaction.atomic():
            Support.objects.create(proposal_id=int(request.POST["proposal"]), user_id=int(request.POST["user"]))
    except IntegrityError:
        pass
    return HttpResponse("ok")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/insert/", bare_insert),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler500 = site_urls.handler500
