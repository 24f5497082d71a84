from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from foundation import views as foundation_views

urlpatterns = [
    path("healthz", foundation_views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("profil/", include("foundation.urls")),
    path("beteiligung/pruefung/", include("consultations.review.urls", namespace="review")),
    path("beteiligung/ergebnis/", include("consultations.results.urls", namespace="results")),
    path("beteiligung/", include("consultations.urls")),
    path("foren/", include("forums.urls")),
    path("veranstaltungen/", include("forums.urls_events")),
    path("umfragen/", include("surveys.urls")),
    path("suche/", cms_views.search, name="search"),
    path("", wagtail_views.serve, {"path": ""}, name="home"),
    path("", include("wagtail.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler400 = "foundation.views.error_400"
handler403 = "foundation.views.error_403"
handler404 = "foundation.views.error_404"
handler500 = "foundation.views.error_500"
