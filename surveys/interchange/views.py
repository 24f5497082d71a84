"""The admin page "LimeSurvey import": upload an .lss file, see what was imported and what not.

For editors and the coordination office (foundation.roles); the import itself is
surveys.interchange.lss.import_lss, which the management command `import_lss` calls too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..rules import may_build_surveys
from .lss import ImportReport, LssImportError, check_size, import_lss

#: Importing a questionnaire is building a survey: the same people may.
may_import_lss = may_build_surveys


class LssImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("LimeSurvey structure file (.lss)"),
        help_text=gettext_lazy(
            "In LimeSurvey: Export → Survey structure (.lss). Participants and responses are "
            "not part of this file."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".lss,.xml"}),
    )
    slug = forms.SlugField(
        label=gettext_lazy("Short name of the new survey"),
        max_length=200,
        help_text=gettext_lazy("Part of the address, e.g. “bedarfsanalyse-2027”"),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty: the title from the file"),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file, import nothing"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except LssImportError as error:
            raise forms.ValidationError(error.messages) from error
        return upload


def report_lines(report: ImportReport) -> list[str]:
    """The report as plain lines (the management command prints these)."""
    lines = [
        _(
            "%(pages)s pages, %(questions)s questions, %(options)s options, %(conditions)s conditions"
        )
        % {
            "pages": report.pages,
            "questions": report.questions,
            "options": report.options,
            "conditions": report.conditions,
        },
        _("Languages: %(languages)s") % {"languages": ", ".join(report.languages)},
    ]
    if report.not_mapped:
        lines.append(_("Not imported:"))
        lines.extend(f"- {item.where}: {item.reason}" for item in report.not_mapped)
    else:
        lines.append(_("Everything in the file was imported."))
    return lines


class LssImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "surveys/interchange/lss_import.html"
    form_class = LssImportForm
    page_title = gettext_lazy("LimeSurvey import")
    header_icon = "upload"
    success_url = reverse_lazy("surveys_lss_import")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_import_lss(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def form_valid(self, form: LssImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            report = import_lss(
                data=upload.read(),
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except LssImportError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(form=form, report=report))
