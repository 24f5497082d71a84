"""Forum events: the overview across consultations, a consultation's list, detail, register
(or join the waiting list) and cancel, calendars; participants and CSV for the coordination
office."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from foundation.moderation_views import coordination_required
from foundation.ratelimits import ratelimit_post
from foundation.roles import is_coordination_office
from foundation.selectors import context_from_hooks

from . import calendar, events, selectors
from .forms import EventFilterForm
from .models import RegistrationStatus

#: The consultation's feed lists what is coming and the events of the last year.
FEED_PAST_DAYS = 365


@require_http_methods(["GET", "HEAD"])
def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    upcoming, past = selectors.events_of(consultation=consultation)
    return render(
        request,
        "forums/event_list.html",
        {
            "consultation": consultation,
            "upcoming": upcoming,
            "past": past,
            "registered_ids": selectors.registered_event_ids(user=request.user, events=upcoming),
        },
    )


@require_http_methods(["GET", "HEAD"])
def event_detail(request: HttpRequest, slug: str, event_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    event = selectors.event_for(consultation=consultation, slug=event_slug)
    registration = events.active_registration(event=event, user=request.user)
    return render(
        request,
        "forums/event_detail.html",
        {
            **context_from_hooks(selectors.EVENT_CONTEXT_HOOK, event, request),
            "consultation": consultation,
            "event": event,
            "registration": registration,
            "registration_code": events.format_code(registration.code) if registration else "",
            "waiting_position": events.waiting_position(registration) if registration else None,
            "documentation": selectors.event_documentation(event=event),
            "closed_reason": events.registration_closed_reason(event),
            "refusal": None
            if registration
            else events.registration_refusal(event=event, user=request.user),
            "is_moderator": is_coordination_office(request.user),
        },
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def event_ics(request: HttpRequest, slug: str, event_slug: str) -> HttpResponse:
    """The event for one's calendar (a download)."""
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    event = selectors.event_for(consultation=consultation, slug=event_slug)
    return _ics(calendar.calendar_of([event], name=event.title), f"{event.slug}.ics")


@require_http_methods(["GET", "HEAD"])
def events_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The consultation's events as a calendar to subscribe to."""
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    feed = consultation.forum_events.filter(starts_at__gte=since).select_related(
        "consultation", "municipality"
    )
    return _ics(
        calendar.calendar_of(feed.order_by("starts_at"), name=consultation.title),
        f"{consultation.slug}-veranstaltungen.ics",
    )


@require_http_methods(["GET", "HEAD"])
def field_feed(request: HttpRequest, field_slug: str) -> HttpResponse:
    """The events of one Handlungsfeld, in every published consultation, to subscribe to."""
    field = selectors.handlungsfeld_for(slug=field_slug)
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    feed = selectors.published_events().filter(handlungsfeld=field, starts_at__gte=since)
    return _ics(
        calendar.calendar_of(
            feed.order_by("starts_at"),
            name=_("Forum events: %(field)s") % {"field": field.name},
        ),
        f"veranstaltungen-{field.slug}.ics",
    )


@require_http_methods(["GET", "HEAD"])
def event_overview(request: HttpRequest) -> HttpResponse:
    """Every published consultation's events: upcoming ones, then past ones a page at a time;
    filtered by Handlungsfeld and municipality (a plain GET form)."""
    form = EventFilterForm(request.GET or None)
    field = municipality = None
    if form.is_bound and form.is_valid():
        field = form.cleaned_data["handlungsfeld"]
        municipality = form.cleaned_data["municipality"]
    overview = selectors.event_overview(
        handlungsfeld=field, municipality=municipality, past_page=request.GET.get("page")
    )
    return render(
        request,
        "forums/event_overview.html",
        {
            "form": form,
            "field": field,
            "municipality": municipality,
            "upcoming": overview.upcoming,
            "page_obj": overview.past_page,
            "registered_ids": selectors.registered_event_ids(
                user=request.user, events=overview.upcoming
            ),
        },
    )


@login_required
@require_POST
@ratelimit_post("event_registration")
def event_register(request: HttpRequest, slug: str, event_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    event = selectors.event_for(consultation=consultation, slug=event_slug)
    try:
        registration, created = events.register(event=event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(events.event_url(event) + "#registration")
    waiting = registration.status == RegistrationStatus.WAITING
    if created and waiting:
        messages.warning(
            request,
            _(
                "All places are taken: you are on the waiting list, in position %(position)s. "
                "If a place becomes free, we will tell you by e-mail."
            )
            % {"position": events.waiting_position(registration)},
        )
    elif created:
        messages.success(
            request,
            _(
                "You are registered. Your registration code is %(code)s. We have sent you a "
                "confirmation."
            )
            % {"code": events.format_code(registration.code)},
        )
    elif waiting:
        messages.info(request, _("You are already on the waiting list for this event."))
    else:
        messages.info(request, _("You were already registered for this event."))
    return redirect(events.event_url(event) + "#registration")


@login_required
@require_POST
@ratelimit_post("event_registration")
def event_cancel(request: HttpRequest, slug: str, event_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    event = selectors.event_for(consultation=consultation, slug=event_slug)
    before = events.active_registration(event=event, user=request.user)
    if not events.cancel(event=event, user=request.user):
        messages.info(request, _("You were not registered for this event."))
    elif before is not None and before.status == RegistrationStatus.WAITING:
        messages.success(request, _("You have left the waiting list."))
    else:
        messages.success(
            request, _("Your registration has been cancelled. Thank you for letting us know.")
        )
    return redirect(events.event_url(event) + "#registration")


@coordination_required
@require_http_methods(["GET", "HEAD"])
def event_participants(request: HttpRequest, slug: str, event_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    event = selectors.event_for(consultation=consultation, slug=event_slug)
    return render(
        request,
        "forums/event_participants.html",
        {
            "consultation": consultation,
            "event": event,
            "participants": list(events.participants(event)),
            "waiting_list": list(events.waiting_list(event)),
        },
    )


@coordination_required
@require_http_methods(["GET", "HEAD"])
def event_participants_csv(request: HttpRequest, slug: str, event_slug: str) -> HttpResponse:
    consultation = selectors.consultation_for(slug=slug, user=request.user)
    event = selectors.event_for(consultation=consultation, slug=event_slug)
    response = HttpResponse(events.participants_csv(event), content_type="text/csv; charset=utf-8")
    filename = f"teilnehmende-{slugify(event.slug)[:80]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
