"""Invitations and reminders: who gets which mail, sent by the worker in throttled batches.

    mailing = invitations_start(survey=survey, actor=user)   # the request: one outbox row
    run_mailing(mailing_id=mailing.pk)                        # the worker: batch, pause, batch

Every mail carries a fresh token: the clear token exists only while the mail is rendered
and sent, in the worker; only its hash is stored (RecipientMail.token_hash, and the latest in
Recipient.token_hash). That is also why the mails do not go through the outbox's
send_email task: its payload would keep the link, with the clear token, in the database.

"Never twice" is a database guarantee: RecipientMail is unique per recipient, kind and step
(0 for the invitation, n for the n-th reminder), and a recipient's row is locked while its
mail is sent. A task delivered twice, a person clicking twice and beat running while a
person sends reminders all end with one mail per recipient and step.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from foundation.notifications import absolute_url
from foundation.outbox import enqueue

from ..models import (
    Mailing,
    MailingKind,
    Recipient,
    RecipientMail,
    ResponseState,
    Survey,
    SurveyStatus,
)
from ..tokens import is_well_formed, new_token, token_hash

logger = logging.getLogger(__name__)


# --- Who gets a mail ---------------------------------------------------------------------------
def _reachable(survey: Survey, now: datetime) -> QuerySet[Recipient]:
    """Recipients who may still get mail: not opted out, not complete, still valid."""
    return (
        survey.recipients.filter(opted_out_at__isnull=True, completed_at__isnull=True)
        .exclude(response__state=ResponseState.COMPLETE)
        .exclude(valid_until__lte=now)
    )


def invitation_pending(survey: Survey, now: datetime | None = None) -> QuerySet[Recipient]:
    return _reachable(survey, now or timezone.now()).filter(invited_at__isnull=True)


def reminder_candidates(survey: Survey, now: datetime | None = None) -> QuerySet[Recipient]:
    """Invited, not complete, not opted out, below the cap, not reminded in the last day."""
    now = now or timezone.now()
    gap = timedelta(hours=settings.SURVEY_REMINDER_MIN_GAP_HOURS)
    return (
        _reachable(survey, now)
        .filter(invited_at__isnull=False, reminders_sent__lt=survey.reminder_cap)
        .exclude(valid_from__gt=now)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - gap))
    )


def reminder_step_due(
    recipient: Recipient, survey: Survey, now: datetime, *, scheduled: bool
) -> int | None:
    """The reminder number that is due for `recipient` now, or None.

    Scheduled (beat): the next reminder once its day after the invitation has come
    (survey.reminder_schedule(); at most reminder_cap). A person's "send reminders now"
    sends the next one at once, still within the cap."""
    if recipient.invited_at is None or recipient.reminders_sent >= survey.reminder_cap:
        return None
    step = recipient.reminders_sent + 1
    if not scheduled:
        return step
    days = survey.reminder_schedule()
    if step > len(days):
        return None
    if recipient.invited_at + timedelta(days=days[step - 1]) > now:
        return None
    return step


# --- Starting a mailing (in the request) --------------------------------------------------------
def mailing_refusal(survey: Survey, kind: str) -> str | None:
    """Why invitations or reminders for `survey` cannot be sent now, or None."""
    if not survey.is_invitation:
        return _("Only surveys by invitation send invitations.")
    if survey.status != SurveyStatus.OPEN:
        return _("Open the survey first (status “Open”); then send its invitations.")
    if survey.closes_at and survey.closes_at <= timezone.now():
        return _("The survey is closed; answers are no longer accepted.")
    if survey.mailings.filter(kind=kind, finished_at__isnull=True).exists():
        return _("A mailing of this survey is still being sent. Wait until it has finished.")
    return None


@transaction.atomic
def mailing_start(*, survey: Survey, kind: str, actor: Any) -> Mailing:
    """Record a mailing and hand it to the worker (through the outbox, after commit)."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one start at a time
    refusal = mailing_refusal(survey, kind)
    if refusal:
        raise ValidationError(refusal)
    if kind == MailingKind.INVITATION and not invitation_pending(survey).exists():
        raise ValidationError(_("Every recipient has been invited already."))
    if kind == MailingKind.REMINDER and not reminder_candidates(survey).exists():
        raise ValidationError(
            _(
                "Nobody is due for a reminder: recipients who are complete, opted out, reached "
                "the cap or were reminded in the last 24 hours get none."
            )
        )
    mailing = Mailing.objects.create(
        survey=survey, kind=kind, created_by=actor if getattr(actor, "pk", None) else None
    )
    enqueue(
        "surveys.invitations.tasks.send_mailing",
        payload={"mailing_id": mailing.pk},
        dedupe_key=f"surveys:mailing:{mailing.pk}",
    )
    return mailing


def invitations_start(*, survey: Survey, actor: Any) -> Mailing:
    return mailing_start(survey=survey, kind=MailingKind.INVITATION, actor=actor)


def reminders_start(*, survey: Survey, actor: Any) -> Mailing:
    return mailing_start(survey=survey, kind=MailingKind.REMINDER, actor=actor)


# --- Sending (in the worker) ----------------------------------------------------------------------
def run_mailing(
    *, mailing_id: int, scheduled: bool = False, sleep: Callable[[float], Any] = time.sleep
) -> Mailing:
    """Send a mailing in batches of SURVEY_MAIL_BATCH_SIZE with a pause between them.

    Safe to run twice and to resume: each batch picks recipients who still lack this mail."""
    mailing = Mailing.objects.select_related("survey").get(pk=mailing_id)
    if mailing.finished_at is not None:
        return mailing
    survey = mailing.survey
    batch_size = settings.SURVEY_MAIL_BATCH_SIZE
    pause = settings.SURVEY_MAIL_BATCH_PAUSE_SECONDS
    done: set[int] = set()  # recipients looked at in this run (sent or not due)
    first = True
    while True:
        now = timezone.now()
        pending = (
            invitation_pending(survey, now)
            if mailing.kind == MailingKind.INVITATION
            else reminder_candidates(survey, now)
        )
        ids = list(
            pending.exclude(pk__in=done).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        if not first and pause:
            sleep(pause)
        first = False
        done.update(ids)
        try:
            sent = _send_batch(mailing, ids, scheduled=scheduled)
        except (OSError, smtplib.SMTPException) as exc:
            # The mail server refused or is gone: the recipient being sent to was not marked,
            # so "send" again later continues with everyone still waiting.
            logger.warning("Survey mailing %s stopped: %s", mailing.pk, exc)
            Mailing.objects.filter(pk=mailing.pk).update(
                last_error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
            )
            mailing.refresh_from_db()
            return mailing
        if sent:
            Mailing.objects.filter(pk=mailing.pk).update(sent=F("sent") + sent)
    Mailing.objects.filter(pk=mailing.pk).update(finished_at=timezone.now())
    mailing.refresh_from_db()
    return mailing


def _send_batch(mailing: Mailing, ids: list[int], *, scheduled: bool) -> int:
    survey = mailing.survey
    sent = 0
    connection = get_connection()
    try:
        connection.open()
        for recipient_id in ids:
            if _send_one(mailing, survey, recipient_id, connection, scheduled=scheduled):
                sent += 1
    finally:
        connection.close()
    return sent


def _send_one(
    mailing: Mailing, survey: Survey, recipient_id: int, connection: Any, *, scheduled: bool
) -> bool:
    now = timezone.now()
    with transaction.atomic():
        if mailing.kind == MailingKind.INVITATION:
            candidates = invitation_pending(survey, now)
        else:
            candidates = reminder_candidates(survey, now)
        # Locked and checked again: the state may have changed since the batch was chosen.
        recipient = (
            Recipient.objects.select_for_update().filter(pk=recipient_id).first()
            if candidates.filter(pk=recipient_id).exists()
            else None
        )
        if recipient is None:
            return False
        if mailing.kind == MailingKind.INVITATION:
            step = 0
        else:
            step = reminder_step_due(recipient, survey, now, scheduled=scheduled)
            if step is None:
                return False
        token = new_token()
        try:
            with transaction.atomic():
                RecipientMail.objects.create(
                    recipient=recipient,
                    mailing=mailing,
                    kind=mailing.kind,
                    step=step,
                    token_hash=token_hash(token),
                    sent_at=now,
                )
        except IntegrityError:
            return False  # this recipient got this mail already
        recipient.token_hash = token_hash(token)
        if mailing.kind == MailingKind.INVITATION:
            recipient.invited_at = now
            fields = ["token_hash", "invited_at"]
        else:
            recipient.reminders_sent = step
            recipient.last_reminded_at = now
            fields = ["token_hash", "reminders_sent", "last_reminded_at"]
        recipient.save(update_fields=fields)
        message = render_mail(recipient=recipient, survey=survey, token=token, kind=mailing.kind)
        # Sent inside the transaction: if the mail server refuses, nothing is marked as sent
        # and the next run tries again; a crash after sending and before commit can resend.
        message.connection = connection
        message.send()
    return True


def render_mail(*, recipient: Recipient, survey: Survey, token: str, kind: str) -> EmailMessage:
    """The invitation or reminder in the recipient's language, with its personal links."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            "recipient": recipient,
            "survey_title": survey.translated("title"),
            "survey_intro": survey.translated("intro"),
            "closes_at": survey.closes_at,
            "valid_from": recipient.valid_from,
            "valid_until": recipient.valid_until,
            "survey_url": absolute_url(reverse("surveys:token", kwargs={"token": token})),
            "opt_out_url": absolute_url(reverse("surveys:opt_out", kwargs={"token": token})),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "reminder": kind == MailingKind.REMINDER,
        }
        subject = render_to_string("surveys/invitations/mail/subject.txt", context)
        body = render_to_string("surveys/invitations/mail/body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{context['opt_out_url']}>"},
    )


# --- Scheduled reminders (Celery beat, daily) --------------------------------------------------
def send_due_reminders(*, sleep: Callable[[float], Any] = time.sleep) -> int:
    """Send the reminders that are due today in every open invitation survey."""
    now = timezone.now()
    surveys = Survey.objects.filter(
        mode="invitation", status=SurveyStatus.OPEN, reminder_cap__gt=0
    ).exclude(reminder_days="")
    sent = 0
    for survey in surveys:
        if survey.answering_refusal(now) or not survey.reminder_schedule():
            continue
        if not reminder_candidates(survey, now).exists():
            continue
        mailing = Mailing.objects.create(survey=survey, kind=MailingKind.REMINDER)
        finished = run_mailing(mailing_id=mailing.pk, scheduled=True, sleep=sleep)
        if finished.sent == 0 and not finished.last_error:
            finished.delete()  # nobody was due today: no empty entry in the admin's list
        sent += finished.sent
    return sent


# --- Opt-out ------------------------------------------------------------------------------------
def opt_out(*, token: str) -> None:
    """Stop further mail to the recipient whose mail carried `token`.

    Answers nothing: whether the token exists, was used or opted out before stays unknown
    to the caller (the page says the same in every case)."""
    # A malformed token is looked up too (as a token nobody has): the same work either way.
    candidate = token if is_well_formed(token) else new_token()
    ids = list(Recipient.objects.for_token(candidate).values_list("pk", flat=True))
    Recipient.objects.filter(pk__in=ids, opted_out_at__isnull=True).update(
        opted_out_at=timezone.now()
    )
