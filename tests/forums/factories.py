"""Factories for forums, threads, posts and forum events (people and phases come from consultations)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from factory.django import DjangoModelFactory

from forums.models import Forum, ForumEvent, Post, Thread
from tests.consultations.factories import (
    ConsultationFactory,
    HandlungsfeldFactory,
    MunicipalityFactory,
    PhaseFactory,
    ResidentFactory,
    UserFactory,
    coordination_office_user,
)

__all__ = [
    "ForumEventFactory",
    "ForumFactory",
    "MunicipalityFactory",
    "PostFactory",
    "ResidentFactory",
    "ThreadFactory",
    "UserFactory",
    "coordination_office_user",
    "en",
    "open_forum",
]


class ForumFactory(DjangoModelFactory):
    class Meta:
        model = Forum

    consultation = factory.SubFactory(ConsultationFactory)
    handlungsfeld = factory.SubFactory(HandlungsfeldFactory)
    description = "Sprache, Schule und Weiterbildung."


class ThreadFactory(DjangoModelFactory):
    """A thread with its opening post, counters kept as the services would."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Sprachkurse am Abend {n}")
    author = factory.SubFactory(ResidentFactory)
    post_count = 1

    @factory.post_generation
    def opening_post(obj, create, extracted, **kwargs):
        if create:
            Post.objects.create(
                thread=obj, author=obj.author, body=extracted or "Wer hat Erfahrungen damit?"
            )
            Forum.objects.filter(pk=obj.forum_id).update(
                thread_count=F("thread_count") + 1,
                post_count=F("post_count") + 1,
                last_post_at=timezone.now(),
            )


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(ResidentFactory)
    body = factory.Sequence(lambda n: f"Antwort {n}: Ja, in Garbsen gibt es das.")


class ForumEventFactory(DjangoModelFactory):
    class Meta:
        model = ForumEvent

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Forum {n}: Bildung und Sprache")
    slug = factory.Sequence(lambda n: f"forum-{n}-bildung")
    handlungsfeld = factory.SubFactory(HandlungsfeldFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    place = "Haus der Region"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7, hours=5))
    capacity = 10
    registration_open = True


def open_forum(**kwargs) -> Forum:
    """A forum of a consultation whose discussion phase is running now."""
    phase = PhaseFactory()
    return ForumFactory(consultation=phase.consultation, **kwargs)


def en(name: str, *args) -> str:
    """The English address of a page, so that assertions see the English msgids."""
    with translation.override("en"):
        return reverse(name, args=args or None)


def forum_url(forum: Forum, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(
            "forums:forum_detail", args=[forum.consultation.slug, forum.handlungsfeld.slug]
        )


def thread_url(thread: Thread, lang: str = "en") -> str:
    forum = thread.forum
    with translation.override(lang):
        return reverse(
            "forums:thread_detail",
            args=[forum.consultation.slug, forum.handlungsfeld.slug, thread.pk],
        )


def reply_url(thread: Thread, lang: str = "en") -> str:
    forum = thread.forum
    with translation.override(lang):
        return reverse(
            "forums:post_create",
            args=[forum.consultation.slug, forum.handlungsfeld.slug, thread.pk],
        )
