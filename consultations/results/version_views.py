"""Views of the concept's versions: the staff pages (versions, draft editor, adoption) and the
public list of versions with what changed. Thin: permission, selector or versions service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from foundation.models import Consultation, Handlungsfeld
from foundation.selectors import consultation_for
from foundation.service_forms import add_service_errors

from . import permissions, selectors, versions
from .forms import VersionAdoptForm, VersionStartForm
from .models import ConceptGoal, ConceptMeasure, ConceptVersion, VersionState


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- Staff: the versions of a consultation ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_versions(request: HttpRequest, slug: str) -> HttpResponse:
    permissions.require_concept_editor(request.user)
    consultation = get_object_or_404(Consultation, slug=slug)
    all_versions = selectors.versions(consultation, public=False)
    continuable = None
    if not all_versions:
        continuable = ConceptVersion.objects.filter(
            pk__in=[v.pk for v in versions.other_consultations_versions(consultation)]
        ).select_related("consultation")
    form = VersionStartForm(continuable=continuable)
    status = 200
    if request.method == "POST":
        form = VersionStartForm(request.POST, continuable=continuable)
        if form.is_valid():
            try:
                version = versions.version_start(
                    actor=request.user,
                    consultation=consultation,
                    title=form.cleaned_data["title"],
                    continues=form.cleaned_data.get("continues"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The draft “%(title)s” has been started.") % {"title": version.title},
                )
                return redirect("results:staff_draft", slug=consultation.slug)
        status = 400
    return render(
        request,
        "results/staff/versions.html",
        {
            "consultation": consultation,
            "versions": all_versions,
            "draft": next((v for v in all_versions if v.state == VersionState.DRAFT), None),
            "form": form,
            "states": VersionState,
        },
        status=status,
    )


# --- Staff: the draft editor --------------------------------------------------------------------


def _editor_field(request: HttpRequest, consultation: Consultation) -> tuple[list, Handlungsfeld]:
    """The consultation's fields (with working-copy counts) and the one being edited."""
    fields = list(consultation.handlungsfelder.order_by("number", "name"))
    counts = selectors.working_copy_counts(consultation)
    known = {f.pk for f in fields}
    extra = [pk for pk in counts if pk not in known]
    if extra:  # goals in a field no longer linked to the consultation stay editable
        fields += list(Handlungsfeld.objects.filter(pk__in=extra).order_by("number"))
    if not fields:
        raise Http404
    wanted = request.GET.get("feld") or request.POST.get("feld") or ""
    current = next((f for f in fields if f.slug == wanted), fields[0])
    listed = [{"field": f, "counts": counts.get(f.pk, (0, 0))} for f in fields]
    return listed, current


def _draft_action(
    request: HttpRequest, consultation: Consultation, handlungsfeld: Handlungsfeld
) -> str:
    """Carry out one POSTed editor action; returns the success message."""
    action = request.POST.get("action", "")
    actor = request.user
    text = request.POST.get("text", "")

    def goal(name: str = "pk") -> ConceptGoal:
        return get_object_or_404(
            ConceptGoal.objects.select_related("consultation", "handlungsfeld"),
            pk=request.POST.get(name) or 0,
            consultation=consultation,
        )

    def measure() -> ConceptMeasure:
        return get_object_or_404(
            ConceptMeasure.objects.select_related("consultation", "handlungsfeld"),
            pk=request.POST.get("pk") or 0,
            consultation=consultation,
        )

    if action == "reword_goal":
        versions.goal_reword(actor=actor, goal=goal(), text=text)
        return _("The goal has been reworded.")
    if action == "reword_measure":
        versions.measure_reword(actor=actor, measure=measure(), text=text)
        return _("The measure has been reworded.")
    if action in ("goal_up", "goal_down"):
        versions.goal_move(actor=actor, goal=goal(), direction=action.rsplit("_", 1)[1])
        return _("The goal has been moved and the measures numbered again.")
    if action in ("measure_up", "measure_down"):
        versions.measure_move(actor=actor, measure=measure(), direction=action.rsplit("_", 1)[1])
        return _("The measure has been moved.")
    if action == "regroup":
        versions.measure_regroup(actor=actor, measure=measure(), goal=goal("goal"))
        return _("The measure has been moved to the other goal and the field numbered again.")
    if action == "add_goal":
        versions.goal_add(
            actor=actor, consultation=consultation, handlungsfeld=handlungsfeld, text=text
        )
        return _("The goal has been added.")
    if action == "add_measure":
        added = versions.measure_add(actor=actor, goal=goal("goal"), text=text)
        return _("The measure has been added as number %(number)s.") % {"number": added.number}
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def staff_draft(request: HttpRequest, slug: str) -> HttpResponse:
    permissions.require_concept_editor(request.user)
    consultation = get_object_or_404(Consultation, slug=slug)
    draft = versions.draft_of(consultation)
    fields, current = _editor_field(request, consultation)
    failed: dict[str, Any] | None = None
    if request.method == "POST":
        try:
            message = _draft_action(request, consultation, current)
        except ValidationError as error:
            failed = {
                "action": request.POST.get("action", ""),
                "pk": request.POST.get("pk") or request.POST.get("goal") or "",
                "text": request.POST.get("text", ""),
                "error": _messages_of(error),
            }
        else:
            messages.success(request, message)
            return redirect(
                f"{reverse('results:staff_draft', args=[consultation.slug])}?feld={current.slug}"
            )
    goals = selectors.draft_field(consultation, current)
    return render(
        request,
        "results/staff/draft.html",
        {
            "consultation": consultation,
            "draft": draft,
            "fields": fields,
            "current": current,
            "goals": goals,
            "failed": failed,
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_draft_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Confirm, then remove a goal or measure of the working copy."""
    permissions.require_concept_editor(request.user)
    model = ConceptGoal if kind == "ziel" else ConceptMeasure
    item = get_object_or_404(model.objects.select_related("consultation", "handlungsfeld"), pk=pk)
    consultation = item.consultation
    back = (
        f"{reverse('results:staff_draft', args=[consultation.slug])}?feld={item.handlungsfeld.slug}"
    )
    error = ""
    if request.method == "POST":
        try:
            if kind == "ziel":
                versions.goal_remove(actor=request.user, goal=item)
            else:
                versions.measure_remove(actor=request.user, measure=item)
        except ValidationError as refusal:
            error = _messages_of(refusal)
        else:
            messages.success(
                request,
                _("The goal has been removed.")
                if kind == "ziel"
                else _("The measure has been removed and the Handlungsfeld numbered again."),
            )
            return redirect(back)
    return render(
        request,
        "results/staff/draft_remove.html",
        {"item": item, "is_goal": kind == "ziel", "back": back, "error": error},
        status=400 if error else 200,
    )


# --- Staff: adopt and publish --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff_version_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_concept_editor(request.user)
    version = get_object_or_404(ConceptVersion.objects.select_related("consultation"), pk=pk)
    form = VersionAdoptForm()
    status = 200
    if request.method == "POST":
        form = VersionAdoptForm(request.POST)
        if form.is_valid():
            try:
                versions.version_adopt(
                    actor=request.user,
                    version=version,
                    body=form.cleaned_data["resolution_body"],
                    on=form.cleaned_data["resolution_date"],
                    reference=form.cleaned_data["resolution_reference"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The version has been adopted. The public pages show it once you publish it."
                    ),
                )
                return redirect("results:staff_versions", slug=version.consultation.slug)
        status = 400
    counts = selectors.working_copy_counts(version.consultation)
    return render(
        request,
        "results/staff/version_adopt.html",
        {
            "version": version,
            "form": form,
            "goal_count": sum(goals for goals, _m in counts.values()),
            "measure_count": sum(measures for _g, measures in counts.values()),
        },
        status=status,
    )


@login_required
@require_POST
def staff_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_concept_editor(request.user)
    version = get_object_or_404(ConceptVersion.objects.select_related("consultation"), pk=pk)
    try:
        versions.version_publish(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            _("“%(title)s” has been published: the concept pages now show it.")
            % {"title": version.title},
        )
    return redirect("results:staff_versions", slug=version.consultation.slug)


# --- Public: versions and what changed -------------------------------------------------------------


def versions_view(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    return render(
        request,
        "results/versions.html",
        {"consultation": consultation, "versions": selectors.versions(consultation, public=True)},
    )


def version_changes_view(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    consultation = consultation_for(slug=slug, user=request.user)
    version = get_object_or_404(
        ConceptVersion.objects.select_related("based_on__consultation"),
        consultation=consultation,
        number=number,
        state=VersionState.PUBLISHED,
    )
    return render(
        request,
        "results/version_changes.html",
        {
            "consultation": consultation,
            "version": version,
            "changes": selectors.version_changes(version),
        },
    )
