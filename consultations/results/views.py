"""Thin views: check permission, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from foundation.models import Consultation, Department
from foundation.roles import department_ids, is_coordination_office
from foundation.selectors import consultation_for
from foundation.service_forms import add_service_errors

from . import charts, exports, permissions, selectors, services, thread_selectors
from .forms import (
    DepartmentForm,
    FieldIndicatorForm,
    IndicatorForm,
    IndicatorValueForm,
    MeasureFilterForm,
    ProgressForm,
    ReportNarrativeForm,
    ReportRequestForm,
    WeightForm,
)
from .models import ConceptMeasure, Indicator, ReportRun, ReportStatus


def _public_consultation(request: HttpRequest, slug: str) -> Consultation:
    """Published consultations; staff (coordination office, editors) also see unpublished ones."""
    return consultation_for(slug=slug, user=request.user)


# --- Public: concept and downloads ---------------------------------------------------------------


def concept_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The concept outside Wagtail (the ConceptPage shows the same include)."""
    consultation = _public_consultation(request, slug)
    filter_form = MeasureFilterForm(
        request.GET or None, fields_queryset=selectors.consultation_fields(consultation)
    )
    handlungsfeld = filter_form.value("handlungsfeld") if request.GET else None
    version = selectors.published_version(consultation)
    return render(
        request,
        "results/concept.html",
        {
            "consultation": consultation,
            "version": version,
            "fields": selectors.concept_of_version(version, handlungsfeld),
            "field_filter": filter_form,
            "selected_field": handlungsfeld,
        },
    )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _published(consultation: Consultation) -> tuple[Any, list[selectors.FieldConcept]]:
    """The downloads exist only for a published version."""
    version = selectors.published_version(consultation)
    if version is None:
        raise Http404
    return version, selectors.concept_of_version(version)


def concept_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public_consultation(request, slug)
    version, fields = _published(consultation)
    with services.translation_default():
        content = exports.concept_pdf(consultation, fields, version=version)
    return _download(content, f"konzept-{slugify(consultation.slug)}.pdf", "application/pdf")


def concept_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public_consultation(request, slug)
    version, fields = _published(consultation)
    with services.translation_default():
        content = exports.concept_xlsx(consultation, fields, version=version)
    return _download(
        content,
        f"konzept-{slugify(consultation.slug)}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- Public: monitoring ---------------------------------------------------------------------------


def monitoring_view(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _public_consultation(request, slug)
    by_field = selectors.status_counts_by_field(consultation)
    total = selectors.status_counts_total(by_field)
    indicators = selectors.public_indicators(consultation)
    filter_form = MeasureFilterForm(
        request.GET or None, fields_queryset=selectors.consultation_fields(consultation)
    )
    version = selectors.published_version(consultation)
    measures = selectors.published_measure_entries(
        consultation,
        version=version,
        handlungsfeld=filter_form.value("handlungsfeld") if request.GET else None,
        status=(filter_form.value("status") or "") if request.GET else "",
    )
    page = Paginator(measures, 50).get_page(request.GET.get("page"))
    overview = thread_selectors.progress_overview(consultation)
    # Each entry of the published version has a public page while its working measure exists.
    for entry in page.object_list:
        entry.public_url = (
            thread_selectors.measure_public_url(entry.measure, consultation)
            if entry.measure is not None
            else ""
        )
    return render(
        request,
        "results/monitoring.html",
        {
            "consultation": consultation,
            "overview": overview,
            "by_field": by_field,
            "total": total,
            "bars": charts.stacked_bars(by_field),
            "colours": charts.STATUS_COLOURS,
            "statuses": selectors.STATUSES,
            "indicators": [(indicator, charts.line_chart(indicator)) for indicator in indicators],
            "filter_form": filter_form,
            "page_obj": page,
            "version": version,
        },
    )


# --- Staff ----------------------------------------------------------------------------------------


@login_required
def staff_index(request: HttpRequest) -> HttpResponse:
    permissions.require_staff(request.user)
    return render(
        request,
        "results/staff/index.html",
        {
            "items": selectors.staff_consultations(request.user),
            "may_run_reports": permissions.may_run_reports(request.user),
            "may_edit_concept": permissions.may_edit_concept(request.user),
        },
    )


@login_required
def staff_measures(request: HttpRequest, slug: str) -> HttpResponse:
    permissions.require_staff(request.user)
    consultation = get_object_or_404(Consultation, slug=slug)
    coordination = is_coordination_office(request.user)
    departments = Department.objects.filter(is_active=True).order_by("name")
    if not coordination:
        departments = departments.filter(pk__in=department_ids(request.user))
    filter_form = MeasureFilterForm(
        request.GET or None,
        fields_queryset=selectors.consultation_fields(consultation),
        departments=departments,
    )
    measures = selectors.staff_measures(
        request.user,
        consultation,
        handlungsfeld=filter_form.value("handlungsfeld") if request.GET else None,
        status=(filter_form.value("status") or "") if request.GET else "",
        department=filter_form.value("department") if request.GET else None,
        query=(filter_form.value("q") or "") if request.GET else "",
    )
    page = Paginator(measures, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "results/staff/measures.html",
        {
            "consultation": consultation,
            "filter_form": filter_form,
            "page_obj": page,
            "is_coordination": coordination,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_measure(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        ConceptMeasure.objects.select_related(
            "goal", "handlungsfeld", "department", "consultation", "source_proposal"
        ),
        pk=pk,
    )
    permissions.require_measure(request.user, measure)
    coordination = permissions.may_edit_concept(request.user)
    progress_form = ProgressForm(initial={"status": measure.status, "progress": measure.progress})
    department_form = (
        DepartmentForm(initial={"department": measure.department_id}) if coordination else None
    )
    weight_form = WeightForm(initial={"weight": measure.weight}) if coordination else None
    indicator_form = IndicatorForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "progress":
                progress_form = ProgressForm(request.POST)
                if progress_form.is_valid():
                    services.measure_record_progress(
                        measure=measure,
                        actor=request.user,
                        status=progress_form.cleaned_data["status"],
                        note=progress_form.cleaned_data["note"],
                        progress=progress_form.cleaned_data["progress"],
                    )
                    messages.success(request, _("The progress has been saved."))
                    return redirect("results:staff_measure", pk=measure.pk)
            elif action == "department" and coordination:
                department_form = DepartmentForm(request.POST)
                if department_form.is_valid():
                    services.measure_assign_department(
                        actor=request.user,
                        measure=measure,
                        department=department_form.cleaned_data["department"],
                    )
                    messages.success(request, _("The responsible department has been saved."))
                    return redirect("results:staff_measure", pk=measure.pk)
            elif action == "weight" and coordination:
                weight_form = WeightForm(request.POST)
                if weight_form.is_valid():
                    services.measure_set_weight(
                        actor=request.user,
                        measure=measure,
                        weight=weight_form.cleaned_data["weight"],
                    )
                    messages.success(request, _("The weight has been saved."))
                    return redirect("results:staff_measure", pk=measure.pk)
            elif action == "indicator":
                indicator_form = IndicatorForm(request.POST)
                if indicator_form.is_valid():
                    indicator = services.indicator_create(
                        actor=request.user,
                        consultation=measure.consultation,
                        measure=measure,
                        **indicator_form.cleaned_data,
                    )
                    messages.success(request, _("The indicator has been created."))
                    return redirect("results:staff_indicator", pk=indicator.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            form = {
                "progress": progress_form,
                "department": department_form,
                "weight": weight_form,
                "indicator": indicator_form,
            }[action]
            add_service_errors(form, error)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "results/staff/measure.html",
        {
            "measure": measure,
            "is_coordination": coordination,
            "progress_form": progress_form,
            "department_form": department_form,
            "weight_form": weight_form,
            "indicator_form": indicator_form,
            "indicators": measure.indicators.all(),
            "history": selectors.measure_history(measure),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_measure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        ConceptMeasure.objects.select_related("consultation", "handlungsfeld"), pk=pk
    )
    permissions.require_concept_editor_for(request.user, measure)
    if request.method == "POST":
        slug = measure.consultation.slug
        services.measure_remove(actor=request.user, measure=measure)
        messages.success(
            request, _("The measure has been removed and the Handlungsfeld renumbered.")
        )
        return redirect("results:staff_measures", slug=slug)
    return render(request, "results/staff/measure_remove.html", {"measure": measure})


@login_required
@require_http_methods(["GET", "POST"])
def staff_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.select_related(
            "measure", "handlungsfeld", "consultation"
        ).prefetch_related("values"),
        pk=pk,
    )
    permissions.require_indicator(request.user, indicator)
    form = IndicatorValueForm()
    status = 200
    if request.method == "POST":
        form = IndicatorValueForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_value_set(
                    indicator=indicator,
                    on=form.cleaned_data["date"],
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The value has been saved."))
                return redirect("results:staff_indicator", pk=indicator.pk)
        status = 400
    return render(
        request,
        "results/staff/indicator.html",
        {"indicator": indicator, "chart": charts.line_chart(indicator), "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_field_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_object_or_404(Consultation, slug=slug)
    permissions.require_indicator_creator(request.user, None)
    fields_queryset = selectors.consultation_fields(consultation)
    form = FieldIndicatorForm(fields_queryset=fields_queryset)
    status = 200
    if request.method == "POST":
        form = FieldIndicatorForm(request.POST, fields_queryset=fields_queryset)
        if form.is_valid():
            indicator = services.indicator_create(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
            messages.success(request, _("The indicator has been created."))
            return redirect("results:staff_indicator", pk=indicator.pk)
        status = 400
    indicators = Indicator.objects.filter(consultation=consultation).select_related(
        "handlungsfeld", "measure"
    )
    return render(
        request,
        "results/staff/field_indicators.html",
        {"consultation": consultation, "form": form, "indicators": indicators},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """Generate reports, and write the texts they print (the narrative, kept as a draft)."""
    consultation = get_object_or_404(Consultation, slug=slug)
    permissions.require_staff(request.user)
    permissions.require_report_runner(request.user)
    handlungsfelder = list(selectors.report_fields(consultation))
    form = ReportRequestForm()
    narrative_form = ReportNarrativeForm(
        initial=selectors.report_narrative_initial(consultation, handlungsfelder),
        handlungsfelder=handlungsfelder,
    )
    status = 200
    if request.method == "POST" and request.POST.get("action") == "narrative":
        narrative_form = ReportNarrativeForm(request.POST, handlungsfelder=handlungsfelder)
        if narrative_form.is_valid():
            try:
                services.report_narrative_save(
                    actor=request.user,
                    consultation=consultation,
                    issuer=narrative_form.cleaned_data["issuer"],
                    summary=narrative_form.cleaned_data["summary"],
                    field_texts=narrative_form.field_texts(),
                )
            except ValidationError as error:
                add_service_errors(narrative_form, error)
            else:
                messages.success(
                    request,
                    _("The texts have been saved. Every report generated from now on prints them."),
                )
                return redirect(
                    reverse("results:staff_reports", args=[consultation.slug]) + "#narrative"
                )
        status = 400
    elif request.method == "POST":
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            start, end = form.period()
            try:
                services.report_request(
                    actor=request.user,
                    consultation=consultation,
                    period_start=start,
                    period_end=end,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The report is being generated. It appears in the list below when it is ready."
                    ),
                )
                return redirect("results:staff_reports", slug=consultation.slug)
        status = 400
    page = Paginator(selectors.report_runs(consultation), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "results/staff/reports.html",
        {
            "consultation": consultation,
            "form": form,
            "narrative_form": narrative_form,
            "page_obj": page,
            "done": ReportStatus.DONE,
        },
        status=status,
    )


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    permissions.require_staff(request.user)
    permissions.require_report_runner(request.user)
    file = run.pdf if fmt == "pdf" else run.xlsx
    if run.status != ReportStatus.DONE or not file:
        raise Http404
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def staff_report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.select_related("consultation"), pk=pk)
    permissions.require_staff(request.user)
    permissions.require_report_runner(request.user)
    if run.status == ReportStatus.FAILED:
        services.report_request(
            actor=request.user,
            consultation=run.consultation,
            period_start=run.period_start,
            period_end=run.period_end,
        )
        messages.success(request, _("The report is being generated again."))
    return redirect("results:staff_reports", slug=run.consultation.slug)
