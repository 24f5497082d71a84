"""The coordination office's exports: request a file of all proposals, download it when ready."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from foundation.moderation_views import coordination_required

from . import selectors
from . import services as exports
from .forms import ExportRequestForm
from .models import ExportStatus


@coordination_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_list(request: HttpRequest) -> HttpResponse:
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = exports.export_request(
            user=request.user,
            consultation=form.cleaned_data["consultation"],
            format=form.cleaned_data["format"],
        )
        job.refresh_from_db()
        if job.status == ExportStatus.DONE:
            messages.success(request, _("Your export is ready for download."))
        elif job.status == ExportStatus.FAILED:
            messages.error(
                request, _("The export could not be built. The error is shown in the list.")
            )
        else:
            messages.success(
                request,
                _("Your export is being built. Reload this page in a moment to download it."),
            )
        return redirect("consultations:export_list")
    page_obj = Paginator(selectors.exports_of(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    pending = any(
        job.status in (ExportStatus.PENDING, ExportStatus.RUNNING) for job in page_obj.object_list
    )
    return render(
        request,
        "consultations/moderation/exports.html",
        {"form": form, "page_obj": page_obj, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(selectors.exports_of(user=request.user), pk=pk)
    if not job.is_ready:
        raise Http404
    content_type = (
        "text/csv; charset=utf-8"
        if job.format == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
