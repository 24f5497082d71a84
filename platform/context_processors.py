from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "PRIVACY_NOTICE_URL": settings.PRIVACY_NOTICE_URL,
    }
