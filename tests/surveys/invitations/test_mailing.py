"""Invitations and reminders: sent by the worker in throttled batches, in the recipient's
language, with a fresh token whose hash alone is stored; reminders only to the incomplete,
per the survey's schedule and cap, never twice; opt-out stops them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import resolve
from django.utils import timezone

from foundation.models import OutboxMessage
from foundation.roles import Role
from surveys.invitations import mailing
from surveys.invitations.tasks import send_due_reminders
from surveys.models import Mailing, MailingKind, Recipient, RecipientMail, SurveyStatus
from surveys.tokens import token_hash
from tests.foundation.admin_pages import shown_messages
from tests.foundation.factories import user_with_role
from tests.surveys.factories import RecipientFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/umfragen/t/(?P<token>[A-Za-z0-9_-]{43})/")


@pytest.fixture
def coordination(client):
    user = user_with_role(Role.COORDINATION)
    client.force_login(user)
    return user


@pytest.fixture
def survey():
    return SurveyFactory(
        title="Bedarfsanalyse",
        translations={"en": {"title": "Needs analysis"}},
        status=SurveyStatus.OPEN,
        reminder_days="7, 14",
        reminder_cap=2,
    )


def links(message):
    return [match.group(0) for match in re.finditer(r"https?://\S+", message.body)]


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """The outbox hands messages to the worker after commit; a test's transaction never
    commits, so the block runs the callbacks at its end."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def invite(after_commit):
    def start(survey, actor=None):
        with after_commit(execute=True):
            return mailing.invitations_start(survey=survey, actor=actor)

    return start


@pytest.fixture
def reminders_due(after_commit):
    def run():
        with after_commit(execute=True):
            return send_due_reminders()

    return run


def test_invitations_go_out_through_the_outbox_with_personal_links(
    client, coordination, survey, token_page, after_commit
):
    recipient = RecipientFactory(survey=survey, name="Beratung Garbsen", language="de")
    placeholder_hash = recipient.token_hash
    with after_commit(execute=True):
        response = client.post(f"/admin/survey-recipients/{survey.pk}/invite/", follow=True)
    assert any("vom Worker in Stapeln versendet" in m for m in shown_messages(response))
    assert OutboxMessage.objects.filter(task="surveys.invitations.tasks.send_mailing").count() == 1

    [message] = mail.outbox
    assert message.to == [recipient.email]
    assert message.subject == "Einladung zur Umfrage „Bedarfsanalyse“"
    assert "Beratung Garbsen" in message.body
    survey_link, opt_out_link = links(message)
    token = LINK.match(survey_link).group("token")
    # The link carries a fresh token; only its hash is stored, the token itself nowhere.
    recipient.refresh_from_db()
    assert recipient.token_hash == token_hash(token) != placeholder_hash
    assert RecipientMail.objects.get(recipient=recipient).token_hash == token_hash(token)
    assert not OutboxMessage.objects.filter(payload__icontains=token).exists()
    assert recipient.invited_at is not None
    assert Recipient.objects.for_token(token).get() == recipient
    # The link is the answering page surveys:token.
    path = survey_link.split("://", 1)[1].split("/", 1)[1]
    assert resolve("/" + path).url_name == "token"
    assert resolve("/" + path).namespace == "surveys"
    if token_page:  # the answering package is merged: the link opens the survey
        opened = client.get("/" + path, follow=True)
        assert opened.status_code == 200
        assert "Bedarfsanalyse" in opened.content.decode()
    assert "/umfragen/abmelden/" in opt_out_link
    assert message.extra_headers["List-Unsubscribe"] == f"<{opt_out_link}>"


def test_mails_are_in_the_recipients_language(survey, invite):
    RecipientFactory(survey=survey, language="en", name="Welcome Centre")
    invite(survey)
    [message] = mail.outbox
    assert message.subject == "Invitation to the survey “Needs analysis”"
    assert "/en/umfragen/t/" in message.body
    assert "If you do not want to receive any further e-mails about this survey" in message.body


def test_invitations_leave_in_throttled_batches(survey, settings, after_commit):
    settings.SURVEY_MAIL_BATCH_SIZE = 2
    settings.SURVEY_MAIL_BATCH_PAUSE_SECONDS = 30
    for _n in range(5):
        RecipientFactory(survey=survey)
    from config.celery import app

    app.conf.task_always_eager = False  # the worker sends; the request only writes the outbox
    try:
        with after_commit(execute=True):
            started = mailing.invitations_start(survey=survey, actor=None)
    finally:
        app.conf.task_always_eager = True
    assert mail.outbox == []
    pauses = []
    sent = mailing.run_mailing(mailing_id=started.pk, sleep=pauses.append)
    assert sent.sent == 5 and len(mail.outbox) == 5
    assert pauses == [30, 30]  # three batches of 2, 2 and 1
    # Running it again (a task delivered twice) sends nothing more.
    Mailing.objects.filter(pk=started.pk).update(finished_at=None)
    again = mailing.run_mailing(mailing_id=started.pk, sleep=pauses.append)
    assert len(mail.outbox) == 5 and again.sent == 5


def test_nobody_is_invited_twice(survey, invite):
    RecipientFactory(survey=survey)
    invite(survey)
    with pytest.raises(Exception, match="bereits eingeladen"):
        invite(survey)
    # Even a second mailing run that bypasses the check finds nobody left to invite.
    extra = Mailing.objects.create(survey=survey, kind=MailingKind.INVITATION)
    mailing.run_mailing(mailing_id=extra.pk)
    assert len(mail.outbox) == 1


def test_who_is_not_invited(survey, invite):
    RecipientFactory(survey=survey, email="ok@example.org")
    RecipientFactory(survey=survey, opted_out_at=timezone.now())
    RecipientFactory(survey=survey, valid_until=timezone.now() - timedelta(days=1))
    invite(survey)
    assert [message.to for message in mail.outbox] == [["ok@example.org"]]


def test_a_draft_or_open_survey_cannot_send_invitations(survey, invite):
    RecipientFactory(survey=survey)
    survey.status = SurveyStatus.DRAFT
    survey.save()
    with pytest.raises(Exception, match="Öffnen Sie die Umfrage zuerst"):
        invite(survey)
    survey.status = SurveyStatus.OPEN
    survey.mode = "open"
    survey.save()
    with pytest.raises(Exception, match="Nur Umfragen auf Einladung"):
        invite(survey)
    assert mail.outbox == []


def _invited(invite, survey, days_ago, **fields):
    recipient = RecipientFactory(survey=survey, **fields)
    invite(survey)
    Recipient.objects.filter(pk=recipient.pk).update(
        invited_at=timezone.now() - timedelta(days=days_ago)
    )
    return recipient


def test_reminders_only_to_the_incomplete_and_never_twice(survey, invite, reminders_due):
    waiting = _invited(invite, survey, 8, email="waiting@example.org")
    partial = _invited(invite, survey, 8, email="partial@example.org")
    ResponseFactory(survey=survey, recipient=partial, state="partial")
    complete = _invited(invite, survey, 8, email="complete@example.org")
    ResponseFactory(survey=survey, recipient=complete, state="complete")
    anonymised = _invited(invite, survey, 8, email="anonymised@example.org")
    Recipient.objects.filter(pk=anonymised.pk).update(completed_at=timezone.now())
    too_early = _invited(invite, survey, 3, email="early@example.org")
    mail.outbox.clear()

    assert reminders_due() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "partial@example.org",
        "waiting@example.org",
    ]
    assert all(message.subject.startswith("Erinnerung: Umfrage") for message in mail.outbox)
    # Beat runs again the same day, and the next: the same step never goes twice.
    assert reminders_due() == 0
    Recipient.objects.filter(survey=survey).update(
        last_reminded_at=timezone.now() - timedelta(days=2)
    )
    assert reminders_due() == 0  # day 14 has not come yet
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 1
    too_early.refresh_from_db()
    assert too_early.reminders_sent == 0


def test_the_schedule_and_the_cap(survey, invite, reminders_due):
    recipient = _invited(invite, survey, 15)
    mail.outbox.clear()
    assert reminders_due() == 1  # step 1 (day 7)
    Recipient.objects.filter(pk=recipient.pk).update(
        last_reminded_at=timezone.now() - timedelta(days=2)
    )
    assert reminders_due() == 1  # step 2 (day 14)
    Recipient.objects.filter(pk=recipient.pk).update(
        last_reminded_at=timezone.now() - timedelta(days=2),
        invited_at=timezone.now() - timedelta(days=60),
    )
    assert reminders_due() == 0  # the cap is 2
    assert list(RecipientMail.objects.filter(recipient=recipient).values_list("kind", "step")) == [
        ("invitation", 0),
        ("reminder", 1),
        ("reminder", 2),
    ]
    # Every mail's link still works: each token's hash is kept.
    tokens = [LINK.search(message.body).group("token") for message in mail.outbox]
    assert all(Recipient.objects.for_token(token).get() == recipient for token in tokens)


def test_opting_out_stops_reminders(client, survey, invite, reminders_due):
    recipient = _invited(invite, survey, 8)
    [invitation] = mail.outbox
    opt_out_link = links(invitation)[1]
    path = "/" + opt_out_link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
    recipient.refresh_from_db()
    assert recipient.opted_out_at is None  # opening the link alone changes nothing
    client.post(path)
    recipient.refresh_from_db()
    assert recipient.opted_out_at is not None
    mail.outbox.clear()
    assert reminders_due() == 0
    assert mail.outbox == []


def test_send_reminders_now_from_the_admin(client, coordination, survey, invite, after_commit):
    _invited(invite, survey, 1, email="a@example.org")
    done = _invited(invite, survey, 1, email="b@example.org")
    ResponseFactory(survey=survey, recipient=done, state="complete")
    mail.outbox.clear()
    with after_commit(execute=True):
        response = client.post(f"/admin/survey-recipients/{survey.pk}/remind/", follow=True)
    assert any("vom Worker in Stapeln versendet" in m for m in shown_messages(response))
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    # A second click the same day: nobody is due (one reminder per day at most).
    with after_commit(execute=True):
        response = client.post(f"/admin/survey-recipients/{survey.pk}/remind/", follow=True)
    assert any("Niemand ist für eine Erinnerung fällig" in m for m in shown_messages(response))
    assert len(mail.outbox) == 1


class RefusingBackend:
    """A mail server that refuses every message (the SMTP side is not our code)."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refuses")


def test_a_refusing_mail_server_marks_nobody_as_invited(survey, settings, invite):
    recipient = RecipientFactory(survey=survey)
    settings.EMAIL_BACKEND = "tests.surveys.invitations.test_mailing.RefusingBackend"
    started = invite(survey)
    started.refresh_from_db()
    assert "mail server refuses" in started.last_error
    recipient.refresh_from_db()
    assert recipient.invited_at is None
    assert not RecipientMail.objects.exists()
    # Once the server is back, sending again reaches the recipient.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invite(survey)
    assert len(mail.outbox) == 1


def test_the_daily_reminders_are_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-reminders"]
    assert entry["task"] == "surveys.invitations.tasks.send_due_reminders"
    from config.celery import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
