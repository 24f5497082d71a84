"""Following and digests: the one home of who hears what, how often, and only once.

- `follow` / `unfollow`: a person follows a thing whose model names a `follow_kind` (a
  NewsKind) and has `get_absolute_url()`; supporting, registering or taking part follows
  automatically (`origin`), and undoing that undoes only such an automatic follow.
- `record`: the app where something happened writes one `News` row for the followed thing,
  in the caller's transaction; after commit the outbox delivers it at once to the
  followers who chose "at once" for its kind (`deliver`), once per person (dedupe keys).
- `send_digests`: Celery beat builds the daily and weekly digests; a `Digest` row per
  person and period is the claim, so neither a repeated run nor two beats at once send
  one twice. A digest says what happened since the person's last one, grouped by the
  followed thing, with links.
- Every such mail carries a one-click unsubscribe for its kind (`unsubscribe_url`, also as
  List-Unsubscribe header, RFC 8058); `unsubscribe` applies it.

The texts of the news (`verb`s) come from the apps through the NEWS_VERBS_HOOK: each hook
returns {verb: lazy text with %(name)s placeholders}, rendered in the reader's language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from .models import User
from .models.following import (
    TARGET_SALT,
    Digest,
    Follow,
    FollowOrigin,
    News,
    NewsFrequency,
    NewsKind,
    NewsPreference,
)
from .notifications import (
    OWN_CONTENT_CHANNELS,
    Message,
    absolute_url,
    notify,
    recipient_language,
    unsubscribe_headers,
    unsubscribe_url,
)
from .outbox import enqueue

logger = logging.getLogger(__name__)

NEWS_VERBS_HOOK = "mitreden_news_verbs"

#: The frequency of a kind for a person who never chose one.
DEFAULT_FREQUENCY = {
    NewsKind.CONSULTATIONS: NewsFrequency.WEEKLY,
    NewsKind.FORUMS: NewsFrequency.DAILY,
    NewsKind.PROPOSALS: NewsFrequency.IMMEDIATE,
    NewsKind.EVENTS: NewsFrequency.IMMEDIATE,
}
DIGEST_LENGTH = {NewsFrequency.DAILY: timedelta(days=1), NewsFrequency.WEEKLY: timedelta(days=7)}
#: A digest lists at most this many news; the rest are counted ("and 12 more").
DIGEST_ITEMS = 100
BATCH = 500


# --- What can be followed ----------------------------------------------------------------------


def kind_of(target: models.Model) -> str:
    kind = getattr(type(target), "follow_kind", None)
    if kind not in NewsKind.values:
        raise ValueError(f"{type(target).__name__} cannot be followed")
    return str(kind)


def _type_of(target: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(target, for_concrete_model=True)


def target_token(target: models.Model) -> str:
    """What a follow button sends: the thing, signed, so no form can name another model."""
    kind_of(target)
    return signing.dumps([target._meta.label_lower, target.pk], salt=TARGET_SALT)


def target_from_token(token: str) -> models.Model | None:
    try:
        label, pk = signing.loads(token, salt=TARGET_SALT)
        model = apps.get_model(label)
    except (signing.BadSignature, LookupError, TypeError, ValueError):
        return None
    return model._default_manager.filter(pk=pk).first()


# --- Following -----------------------------------------------------------------------------------


def follow(*, user: User, target: models.Model, origin: str = FollowOrigin.MANUAL) -> None:
    """Follow `target` (one statement; following twice keeps the first follow and its origin)."""
    if not getattr(user, "is_authenticated", False):
        return
    Follow.objects.bulk_create(
        [
            Follow(
                user=user,
                target_type=_type_of(target),
                target_id=target.pk,
                kind=kind_of(target),
                origin=origin,
            )
        ],
        ignore_conflicts=True,
    )


def unfollow(*, user: User, target: models.Model, origin: str | None = None) -> bool:
    """Stop following; with `origin` only a follow that came from it (a withdrawn support
    leaves a follow the person chose themselves)."""
    follows = Follow.objects.filter(user=user, target_type=_type_of(target), target_id=target.pk)
    if origin is not None:
        follows = follows.filter(origin=origin)
    deleted, _details = follows.delete()
    return bool(deleted)


def is_following(*, user: Any, target: models.Model, origin: str | None = None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    follows = Follow.objects.filter(user=user, target_type=_type_of(target), target_id=target.pk)
    if origin is not None:
        follows = follows.filter(origin=origin)
    return follows.exists()


@dataclass(frozen=True)
class Followed:
    follow: Follow
    title: str
    url: str


def followed_things(follows: Iterable[Follow]) -> list[Followed]:
    """The things behind a page of follows, one query per type; gone things are left out."""
    follows = list(follows)
    by_type: dict[int, set[int]] = {}
    for item in follows:
        by_type.setdefault(item.target_type_id, set()).add(item.target_id)
    objects: dict[tuple[int, int], models.Model] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            objects[(type_id, obj.pk)] = obj
    result = []
    for item in follows:
        obj = objects.get((item.target_type_id, item.target_id))
        if obj is not None:
            result.append(Followed(follow=item, title=str(obj), url=obj.get_absolute_url()))
    return result


# --- Frequencies -------------------------------------------------------------------------------


def frequencies(user: User) -> dict[str, str]:
    """Every kind's frequency for `user` (their choice, or the default)."""
    chosen = dict(NewsPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, str(DEFAULT_FREQUENCY[kind])) for kind in NewsKind.values}


def _frequencies_of(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    ids = list(user_ids)
    result = {pk: {k: str(DEFAULT_FREQUENCY[k]) for k in NewsKind.values} for pk in ids}
    for user_id, kind, frequency in NewsPreference.objects.filter(user_id__in=ids).values_list(
        "user_id", "kind", "frequency"
    ):
        result[user_id][kind] = frequency
    return result


@transaction.atomic
def set_frequencies(*, user: User, chosen: dict[str, str]) -> None:
    for kind, frequency in chosen.items():
        if kind not in NewsKind.values or frequency not in NewsFrequency.values:
            raise ValueError(f"{kind}: {frequency}")
        NewsPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"frequency": frequency}
        )


# --- Unsubscribing -------------------------------------------------------------------------------


def channel_label(channel: str) -> str:
    prefix, _sep, value = channel.partition(":")
    if prefix == "news":
        return _("news about followed %(kind)s") % {"kind": NewsKind(value).label}
    if prefix == "digest":
        return str(NewsFrequency(value).label)
    if channel == "comments":
        return _("comments and replies on your contributions")
    return _("status changes of your proposals")


@transaction.atomic
def unsubscribe(*, user: User, channel: str) -> None:
    """Stop the e-mails of `channel`: a kind's news, a digest, or own-content e-mails."""
    prefix, _sep, value = channel.partition(":")
    if prefix == "news":
        set_frequencies(user=user, chosen={value: NewsFrequency.NONE})
    elif prefix == "digest":
        kinds = [kind for kind, freq in frequencies(user).items() if freq == value]
        set_frequencies(user=user, chosen=dict.fromkeys(kinds, NewsFrequency.NONE))
    else:
        field = OWN_CONTENT_CHANNELS[channel]
        User.objects.filter(pk=user.pk).update(**{field: False})


# --- Recording and delivering news ---------------------------------------------------------------


def verbs() -> dict[str, Any]:
    texts: dict[str, Any] = {}
    for hook in hooks.get_hooks(NEWS_VERBS_HOOK):
        texts.update(hook())
    return texts


def news_text(news: News, texts: dict[str, Any] | None = None) -> str:
    """The news in the active language ("New reply by Anna in “Sprachkurse”")."""
    text = (texts or verbs()).get(news.verb)
    if text is None:
        return news.params.get("target", "")
    try:
        return text(news.params) if callable(text) else str(text) % news.params
    except (KeyError, TypeError, ValueError):
        return news.params.get("target", "")


def record(
    *,
    target: models.Model,
    verb: str,
    url: str,
    actor: User | None = None,
    skip: Iterable[int] = (),
    **params: Any,
) -> News:
    """Write what happened to `target` (in the caller's transaction); delivery follows commit.

    `params` fill in the verb's text; `target` (its title) is always there. `skip` are the
    people already told directly (they hear nothing more of it).
    """
    params.setdefault("target", str(target))
    params.setdefault("target_url", target.get_absolute_url())
    news = News.objects.create(
        target_type=_type_of(target),
        target_id=target.pk,
        kind=kind_of(target),
        verb=verb,
        params={key: str(value) for key, value in params.items()},
        url=url,
        actor=actor if getattr(actor, "pk", None) else None,
        skip=sorted({int(pk) for pk in skip}),
    )
    enqueue(
        "foundation.tasks.deliver_news",
        payload={"news_id": news.pk},
        dedupe_key=f"news:{news.pk}",
    )
    return news


def _readers(news: News) -> Iterator[list[User]]:
    """The followers who may hear of `news`, in batches (not its actor, not those skipped,
    not who followed only afterwards)."""
    follower_ids = (
        Follow.objects.filter(
            target_type_id=news.target_type_id,
            target_id=news.target_id,
            created_at__lte=news.created_at,
        )
        .exclude(user_id__in=[*news.skip, news.actor_id or 0])
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    last = 0
    while True:
        ids = list(follower_ids.filter(user_id__gt=last)[:BATCH])
        if not ids:
            return
        last = ids[-1]
        yield list(
            User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True).order_by("pk")
        )


def deliver(*, news_id: int) -> int:
    """Tell the followers who chose "at once" for the news' kind; safe to run twice."""
    news = News.objects.filter(pk=news_id).first()
    if news is None:
        return 0
    texts = verbs()
    told = 0
    for batch in _readers(news):
        chosen = _frequencies_of(user.pk for user in batch)
        for user in batch:
            if chosen[user.pk][news.kind] != NewsFrequency.IMMEDIATE:
                continue
            with recipient_language(user):
                message = Message(
                    kind=f"news_{news.kind}",
                    title=news_text(news, texts),
                    body=news.params.get("excerpt", ""),
                    url=news.url,
                )
                notify(
                    recipient=user,
                    message=message,
                    dedupe_key=f"news:{news.pk}",
                    unsubscribe=f"news:{news.kind}",
                )
            told += 1
    return told


# --- Digests -----------------------------------------------------------------------------------


def period_end(frequency: str, now: datetime | None = None) -> datetime:
    """The end of the last whole period: today's midnight, or Monday's for a weekly digest
    (local time)."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == NewsFrequency.WEEKLY:
        midnight -= timedelta(days=midnight.weekday())
    return midnight


def _digest_news(user: User, kinds: list[str], start: datetime, end: datetime) -> list[News]:
    followed = Follow.objects.filter(
        user=user,
        target_type_id=OuterRef("target_type_id"),
        target_id=OuterRef("target_id"),
        created_at__lte=OuterRef("created_at"),
    )
    news = (
        News.objects.filter(kind__in=kinds, created_at__gte=start, created_at__lt=end)
        .filter(Exists(followed))
        .exclude(actor_id=user.pk)
        .order_by("created_at", "pk")
    )
    return [item for item in news if user.pk not in item.skip]


@dataclass(frozen=True)
class DigestGroup:
    title: str
    url: str
    items: list[tuple[News, str, str]]


def _groups(news: list[News]) -> list[DigestGroup]:
    texts = verbs()
    groups: dict[tuple[int, int], DigestGroup] = {}
    for item in news[:DIGEST_ITEMS]:
        key = (item.target_type_id, item.target_id)
        if key not in groups:
            groups[key] = DigestGroup(
                title=item.params.get("target", ""),
                url=absolute_url(item.params.get("target_url", item.url)),
                items=[],
            )
        groups[key].items.append((item, news_text(item, texts), absolute_url(item.url)))
    return list(groups.values())


def send_digest(*, user: User, frequency: str, end: datetime) -> int:
    """Send `user`'s digest for the period ending at `end`, once. Returns its news count
    (0: nothing happened or this period's digest was claimed already)."""
    kinds = [kind for kind, freq in frequencies(user).items() if freq == frequency]
    if not kinds:
        return 0
    last = (
        Digest.objects.filter(user=user, frequency=frequency)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    start = last or end - DIGEST_LENGTH[frequency]
    if start >= end:
        return 0
    news = _digest_news(user, kinds, start, end)
    if not news:
        return 0
    with transaction.atomic():
        try:
            with transaction.atomic():
                Digest.objects.create(
                    user=user,
                    frequency=frequency,
                    period_start=start,
                    period_end=end,
                    item_count=len(news),
                )
        except IntegrityError:
            return 0  # another run sent this period's digest
        with recipient_language(user):
            context = {
                "user": user,
                "frequency": NewsFrequency(frequency).label,
                "start": start,
                "end": end,
                "groups": _groups(news),
                "more": max(0, len(news) - DIGEST_ITEMS),
                "count": len(news),
                "settings_url": absolute_url(reverse("foundation:following")),
                "unsubscribe_url": unsubscribe_url(user=user, channel=f"digest:{frequency}"),
            }
            subject = (
                _("Your daily digest: %(count)s news")
                if frequency == NewsFrequency.DAILY
                else _("Your weekly digest: %(count)s news")
            ) % {"count": len(news)}
            body = render_to_string("foundation/mail/digest.txt", context)
        enqueue(
            "foundation.tasks.send_email",
            payload={
                "to": [user.email],
                "subject": subject,
                "body": body,
                "headers": unsubscribe_headers(context["unsubscribe_url"]),
            },
            dedupe_key=f"digest:{frequency}:{end:%Y%m%d}:{user.pk}",
        )
    return len(news)


def send_digests(*, frequency: str, now: datetime | None = None) -> dict[str, int]:
    """Every follower's digest of this frequency for the period just ended (Celery beat)."""
    end = period_end(frequency, now)
    sent = news = 0
    last = 0
    user_ids = Follow.objects.order_by("user_id").values_list("user_id", flat=True).distinct()
    while True:
        ids = list(user_ids.filter(user_id__gt=last)[:BATCH])
        if not ids:
            break
        last = ids[-1]
        for user in User.objects.filter(
            pk__in=ids, is_active=True, deleted_at__isnull=True
        ).exclude(email=""):
            try:
                count = send_digest(user=user, frequency=frequency, end=end)
            except Exception:
                logger.exception("digest of user %s failed", user.pk)
                continue
            if count:
                sent += 1
                news += count
    return {"digests": sent, "news": news}
