"""The two view guards of the foundation, applied to a page of our own: `role_required` (staff
pages) and `ratelimit_post` (writing actions).

The apps decorate their views when they are imported; these tests decorate a page here, so
that what the guards decide is checked on its own: who is sent to sign in, who gets 403, and
that only POST requests use up a limit.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from foundation.ratelimits import LIMITS, ratelimit_post
from foundation.roles import Role, ensure_roles, is_coordination_office, role_required
from tests.foundation.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def staff_page(request, number):
    return HttpResponse(f"page {number} for {request.user.pk}")


def request_for(user, method="get", path="/staff/report/?year=2027"):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    return request


def test_a_visitor_is_sent_to_sign_in_and_comes_back_to_the_same_page():
    guarded = role_required(is_coordination_office)(staff_page)

    response = guarded(request_for(AnonymousUser()), number=3)

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert "next=/staff/report/%3Fyear%3D2027" in response["Location"]


def test_a_resident_without_the_role_is_refused_with_403():
    guarded = role_required(is_coordination_office)(staff_page)

    with pytest.raises(PermissionDenied):
        guarded(request_for(ResidentFactory()), number=3)


def test_the_coordination_office_gets_the_page_with_its_arguments():
    office = ResidentFactory()
    office.groups.add(ensure_roles()[Role.COORDINATION])
    guarded = role_required(is_coordination_office)(staff_page)

    response = guarded(request_for(office), number=3)

    assert response.status_code == 200
    assert response.content.decode() == f"page 3 for {office.pk}"
    assert guarded.__name__ == "staff_page"


@pytest.fixture
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


def test_posting_past_the_limit_answers_429_and_reading_is_never_counted(limits_on):
    def thread_page(request):
        return HttpResponse("thread")

    guarded = ratelimit_post("forum_thread")(thread_page)
    resident = ResidentFactory()
    allowed = LIMITS["forum_thread"].count

    for _ in range(3 * allowed):
        assert guarded(request_for(resident, "get", "/forum/")).status_code == 200
    for _ in range(allowed):
        assert guarded(request_for(resident, "post", "/forum/")).content == b"thread"

    refused = guarded(request_for(resident, "post", "/forum/"))
    assert refused.status_code == 429
    assert LIMITS["forum_thread"].text() in refused.content.decode()
    # Reading stays possible while writing is held back.
    assert guarded(request_for(resident, "get", "/forum/")).status_code == 200
