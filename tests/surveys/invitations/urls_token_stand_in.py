"""The project's URLs with a stand-in for surveys:token (the answering package's page)."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import LocalePrefixPattern, include, path

from config import urls as root
from surveys import urls as survey_urls


def stand_in(request, token):
    return HttpResponse("stand-in for surveys:token")


survey_patterns = [path("t/<str:token>/", stand_in, name="token"), *survey_urls.urlpatterns]

urlpatterns: list = []
for entry in root.urlpatterns:
    if isinstance(getattr(entry, "pattern", None), LocalePrefixPattern):
        inner = [
            path("umfragen/", include((survey_patterns, "surveys")))
            if getattr(item, "namespace", None) == "surveys"
            else item
            for item in entry.url_patterns
        ]
        urlpatterns += i18n_patterns(*inner, prefix_default_language=False)
    else:
        urlpatterns.append(entry)
