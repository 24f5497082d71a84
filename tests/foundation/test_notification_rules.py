"""Marking notifications read (foundation.services): only one's own, and a notification read
before keeps the time it was read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from foundation.models import Notification
from foundation.services import notification_mark_read, notifications_mark_all_read
from tests.foundation.factories import NotificationFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_marking_all_read_touches_only_my_unread_notifications():
    me, neighbour = ResidentFactory(), ResidentFactory()
    earlier = timezone.now() - timedelta(days=3)
    read_before = NotificationFactory(recipient=me, read_at=earlier)
    NotificationFactory.create_batch(2, recipient=me)
    theirs = NotificationFactory(recipient=neighbour)

    assert notifications_mark_all_read(user=me) == 2

    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    read_before.refresh_from_db()
    assert read_before.read_at == earlier
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_one_read_keeps_an_earlier_reading_and_others_notifications_do_not_exist():
    me, neighbour = ResidentFactory(), ResidentFactory()
    unread = NotificationFactory(recipient=me)
    earlier = timezone.now() - timedelta(days=3)
    read_before = NotificationFactory(recipient=me, read_at=earlier)

    assert notification_mark_read(user=me, notification_id=unread.pk).read_at is not None
    unread.refresh_from_db()
    assert unread.read_at is not None
    assert notification_mark_read(user=me, notification_id=read_before.pk).read_at == earlier
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=neighbour, notification_id=unread.pk)
