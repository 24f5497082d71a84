"""Recipients in the Wagtail admin: the list with each recipient's state, the import with its
report, and the actions "send invitations" and "send reminders now"."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from foundation.models import Municipality

from ..models import ImportStatus, MailingKind, RecipientImport, Survey
from ..permissions import may_build_surveys
from . import importing, mailing, selectors


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_build_surveys(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def recipients_url(survey: Survey) -> str:
    return reverse("surveys_invitations:recipients", args=[survey.pk])


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    survey: Survey,
    title: str,
    status: int = 200,
) -> TemplateResponse:
    breadcrumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("survey_admin:index"), "label": _("Surveys")},
        {"url": reverse("surveys_builder:structure", args=[survey.pk]), "label": survey.title},
        {"url": recipients_url(survey), "label": _("Recipients")},
    ]
    if request.path != recipients_url(survey):
        breadcrumbs.append({"url": request.path, "label": title})
    return TemplateResponse(
        request,
        template,
        {
            "page_title": title,
            "header_title": title,
            "header_icon": "group",
            "breadcrumbs_items": breadcrumbs,
            "survey": survey,
            **context,
        },
        status=status,
    )


class RecipientFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or e-mail contains"), required=False)
    group = forms.TypedChoiceField(
        label=gettext_lazy("Recipient group"), required=False, coerce=int, empty_value=None
    )
    municipality = forms.TypedChoiceField(
        label=gettext_lazy("Municipality"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=gettext_lazy("Response state"), required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        self.fields["group"].choices = everyone + [
            (group.pk, group.name) for group in survey.groups.all()
        ]
        self.fields["municipality"].choices = everyone + list(
            Municipality.objects.order_by("name").values_list("pk", "name")
        )
        self.fields["state"].choices = everyone + [
            (key, label) for key, label in selectors.STATES.items()
        ]


@staff_required
def recipients(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    filters = RecipientFilterForm(request.GET or None, survey=survey)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.recipients_with_state(
        survey,
        group_id=cleaned.get("group"),
        municipality_id=cleaned.get("municipality"),
        state=cleaned.get("state") or None,
        search=(cleaned.get("q") or "").strip(),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return _render(
        request,
        "surveys/invitations/admin/recipients.html",
        {
            "filters": filters,
            "page_obj": page,
            "query": query.urlencode(),
            "states": selectors.STATES,
            "counts": selectors.state_counts(survey),
            "mailings": survey.mailings.all()[:5],
            "imports": survey.imports.all()[:5],
            "invitation_refusal": mailing.mailing_refusal(survey, MailingKind.INVITATION),
            "reminder_refusal": mailing.mailing_refusal(survey, MailingKind.REMINDER),
            "pending_invitations": mailing.invitation_pending(survey).count(),
            "reminder_candidates": mailing.reminder_candidates(survey).count(),
        },
        survey=survey,
        title=_("Recipients"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel)"),
        help_text=gettext_lazy(
            "First row: column names. Required: name, e-mail. Optional: kind (organisation or "
            "person), group, municipality, language (de, en), valid from, valid until "
            "(DD.MM.YYYY). CSV in UTF-8, separated by semicolons or commas."
        ),
    )
    create_groups = forms.BooleanField(
        label=gettext_lazy("Create recipient groups that do not exist yet"),
        required=False,
        help_text=gettext_lazy("Otherwise an unknown group is an error in its row."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        refusal = importing.upload_refusal(name=upload.name, size=upload.size)
        if refusal:
            raise forms.ValidationError(refusal)
        return upload


@staff_required
def import_recipients(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_upload(
                survey=survey,
                filename=upload.name,
                content=upload.read(),
                create_groups=form.cleaned_data["create_groups"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            summary = importing.report_summary(result)
            if result.status == ImportStatus.REJECTED:
                messages.error(request, summary)
            else:
                messages.success(request, summary)
            return HttpResponseRedirect(
                reverse("surveys_invitations:import_report", args=[result.pk])
            )
    return _render(
        request,
        "surveys/invitations/admin/import.html",
        {"form": form},
        survey=survey,
        title=_("Import recipients"),
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def import_report(request: HttpRequest, import_id: int) -> HttpResponse:
    upload = get_object_or_404(
        RecipientImport.objects.select_related("survey").defer("content"), pk=import_id
    )
    return _render(
        request,
        "surveys/invitations/admin/import_report.html",
        {
            "upload": upload,
            "report": upload.report or {},
            "summary": importing.report_summary(upload),
            "pending": upload.status == ImportStatus.PENDING,
        },
        survey=upload.survey,
        title=_("Import report: %(file)s") % {"file": upload.filename},
    )


def _start(request: HttpRequest, survey_id: int, kind: str) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id)
    try:
        started = mailing.mailing_start(survey=survey, kind=kind, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        started.refresh_from_db()
        if started.finished_at is not None:
            messages.success(
                request,
                ngettext("%(count)s mail sent.", "%(count)s mails sent.", started.sent)
                % {"count": started.sent},
            )
        else:
            messages.success(
                request,
                _(
                    "The mails are being sent by the worker in batches; this page shows the progress."
                ),
            )
    return HttpResponseRedirect(recipients_url(survey))


@require_POST
@staff_required
def send_invitations(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _start(request, survey_id, MailingKind.INVITATION)


@require_POST
@staff_required
def send_reminders(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _start(request, survey_id, MailingKind.REMINDER)
