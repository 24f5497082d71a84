"""The queue as a spreadsheet: download it, upload assessments, follow the upload's check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from foundation.roles import is_reviewer, role_required
from foundation.service_forms import add_service_errors

from . import transfer
from .models import AssessmentImport, ImportStatus

reviewer_view = role_required(is_reviewer)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AssessmentUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet with your assessments (XLSX)"),
        error_messages={"required": gettext_lazy("Please choose the file to upload.")},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


@reviewer_view
@require_GET
def queue_download(request: HttpRequest) -> HttpResponse:
    content = transfer.queue_workbook(user=request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX)
    name = pgettext("file name", "assessments")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@reviewer_view
@require_http_methods(["GET", "POST"])
def queue_upload(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST"
    form = AssessmentUploadForm(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST" and form.is_valid():
        try:
            job = transfer.import_request(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("review:queue_import", pk=job.pk)
    return render(
        request,
        "review/transfer/upload.html",
        {
            "form": form,
            "case_count": len(transfer.transfer_cases(request.user)),
            "imports": transfer.imports_of(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@reviewer_view
@require_GET
def queue_import(request: HttpRequest, pk: int) -> HttpResponse:
    job = AssessmentImport.objects.filter(pk=pk, uploaded_by=request.user).first()
    if job is None:
        raise Http404
    return render(
        request,
        "review/transfer/import_status.html",
        {"job": job, "statuses": ImportStatus},
    )
