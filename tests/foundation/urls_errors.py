"""The project's URLs plus views that fail on purpose (used by test_errors.py only)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config import urls as project_urls


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("tampered")


def boom(request):
    raise RuntimeError("this view fails on purpose")


urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/400/", bad),
    path("test-errors/500/", boom),
    *project_urls.urlpatterns,
]

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
