from django.urls import path, re_path

from . import thread_views, version_views, views

app_name = "results"

urlpatterns = [
    path("verwaltung/", views.staff_index, name="staff_index"),
    path("verwaltung/<slug:slug>/massnahmen/", views.staff_measures, name="staff_measures"),
    path(
        "verwaltung/<slug:slug>/indikatoren/",
        views.staff_field_indicators,
        name="staff_field_indicators",
    ),
    path("verwaltung/<slug:slug>/berichte/", views.staff_reports, name="staff_reports"),
    path("verwaltung/<slug:slug>/fassungen/", version_views.staff_versions, name="staff_versions"),
    path("verwaltung/<slug:slug>/entwurf/", version_views.staff_draft, name="staff_draft"),
    path(
        "verwaltung/entwurf/ziel/<int:pk>/entfernen/",
        version_views.staff_draft_remove,
        {"kind": "ziel"},
        name="staff_draft_remove_goal",
    ),
    path(
        "verwaltung/entwurf/massnahme/<int:pk>/entfernen/",
        version_views.staff_draft_remove,
        {"kind": "massnahme"},
        name="staff_draft_remove_measure",
    ),
    path(
        "verwaltung/fassung/<int:pk>/beschliessen/",
        version_views.staff_version_adopt,
        name="staff_version_adopt",
    ),
    path(
        "verwaltung/fassung/<int:pk>/veroeffentlichen/",
        version_views.staff_version_publish,
        name="staff_version_publish",
    ),
    path("verwaltung/massnahme/<int:pk>/", views.staff_measure, name="staff_measure"),
    path(
        "verwaltung/massnahme/<int:pk>/entfernen/",
        views.staff_measure_remove,
        name="staff_measure_remove",
    ),
    path("verwaltung/indikator/<int:pk>/", views.staff_indicator, name="staff_indicator"),
    path(
        "verwaltung/bericht/<int:pk>/wiederholen/",
        views.staff_report_retry,
        name="staff_report_retry",
    ),
    re_path(
        r"^verwaltung/bericht/(?P<pk>[0-9]+)/(?P<fmt>pdf|xlsx)/$",
        views.report_download,
        name="report_download",
    ),
    path("<slug:slug>/", views.concept_view, name="concept"),
    path("<slug:slug>/konzept.pdf", views.concept_pdf, name="concept_pdf"),
    path("<slug:slug>/konzept.xlsx", views.concept_xlsx, name="concept_xlsx"),
    path("<slug:slug>/monitoring/", views.monitoring_view, name="monitoring"),
    path("<slug:slug>/massnahmen/<int:pk>/", thread_views.measure_detail, name="measure_detail"),
    path("<slug:slug>/fassungen/", version_views.versions_view, name="versions"),
    path(
        "<slug:slug>/fassungen/<int:number>/aenderungen/",
        version_views.version_changes_view,
        name="version_changes",
    ),
]
