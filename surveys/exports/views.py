"""The coordination office's exports of a survey: request a file, download it when ready."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from foundation.roles import role_required
from surveys.models import Survey, SurveyExport, SurveyExportStatus, SurveyStatus
from surveys.rules import may_export_survey_results

from . import services
from .forms import SurveyExportForm

export_staff_required = role_required(may_export_survey_results)


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.exclude(status=SurveyStatus.DRAFT), slug=slug)


@export_staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    form = SurveyExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = services.export_request(
            actor=request.user,
            survey=survey,
            format=form.cleaned_data["format"],
            complete_only=form.cleaned_data["complete_only"],
        )
        job.refresh_from_db()
        if job.status == SurveyExportStatus.DONE:
            messages.success(request, _("Your export is ready for download."))
        elif job.status == SurveyExportStatus.FAILED:
            messages.error(
                request, _("The export could not be built. The error is shown in the list.")
            )
        else:
            messages.success(
                request,
                _("Your export is being built. Reload this page in a moment to download it."),
            )
        return redirect("surveys:export_list", slug=survey.slug)
    jobs = SurveyExport.objects.filter(survey=survey).select_related("requested_by")
    page_obj = Paginator(jobs, 25).get_page(request.GET.get("page"))
    pending = any(
        job.status in (SurveyExportStatus.PENDING, SurveyExportStatus.RUNNING)
        for job in page_obj.object_list
    )
    return render(
        request,
        "surveys/results/exports.html",
        {"survey": survey, "form": form, "page_obj": page_obj, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


@export_staff_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    survey = _survey(slug)
    job = get_object_or_404(SurveyExport, survey=survey, pk=pk)
    if not job.is_ready:
        raise Http404
    filename = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=services.CONTENT_TYPES[job.format],
    )
    response["Cache-Control"] = "private, no-store"
    return response
