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
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models, transaction
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
from .outbox import enqueue, enqueue_many

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
    return signing.Signer(salt=TARGET_SALT).sign_object([target._meta.label_lower, target.pk])


def target_from_token(token: str) -> models.Model | None:
    try:
        label, pk = signing.Signer(salt=TARGET_SALT).unsign_object(token)
        model = apps.get_model(label)
    except (signing.BadSignature, LookupError, TypeError, ValueError):
        return None
    return model._default_manager.filter(pk=pk).first()


# --- Following -----------------------------------------------------------------------------------


def _consultation_of(target: models.Model) -> Any:
    for path in ("consultation", "forum.consultation"):
        obj: Any = target
        for name in path.split("."):
            obj = getattr(obj, name, None)
        if obj is not None:
            return obj
    return target if hasattr(target, "is_published") else None


def follow_refusal(*, user: Any, target: models.Model) -> str | None:
    """Why `user` may not follow `target`, or None: only what the public may see is followed
    (nothing hidden by the moderation, nothing of an unpublished consultation)."""
    if not getattr(user, "is_authenticated", False):
        return _("Please sign in to follow.")
    consultation = _consultation_of(target)
    hidden = getattr(target, "is_hidden", False) or getattr(
        getattr(target, "thread", None), "is_hidden", False
    )
    if hidden or (consultation is not None and not consultation.is_published):
        return _("This cannot be followed: it is not public.")
    return None


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


@dataclass
class _Reader:
    """One person of a digest batch: what they follow and since when their digest runs."""

    user: User
    kinds: set[str]
    start: datetime
    follows: dict[tuple[int, int], datetime]  # (type, id) -> followed since


def _readers_of_batch(user_ids: list[int], frequency: str, end: datetime) -> list[_Reader]:
    """The people of `user_ids` who get a digest of `frequency`, in four queries."""
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=user_ids, is_active=True, deleted_at__isnull=True)
        .exclude(email="")
        .only("pk", "email", "language", "display_name", "deleted_at", "is_active")
    }
    chosen = _frequencies_of(users)
    kinds = {pk: {k for k, f in chosen[pk].items() if f == frequency} for pk in users}
    with_kinds = [pk for pk in users if kinds[pk]]
    last = dict(
        Digest.objects.filter(user_id__in=with_kinds, frequency=frequency)
        .values("user_id")
        .annotate(last=models.Max("period_end"))
        .values_list("user_id", "last")
    )
    readers = {
        pk: _Reader(
            user=users[pk],
            kinds=kinds[pk],
            start=last.get(pk) or end - DIGEST_LENGTH[frequency],
            follows={},
        )
        for pk in with_kinds
    }
    for user_id, type_id, target_id, since in Follow.objects.filter(
        user_id__in=list(readers)
    ).values_list("user_id", "target_type_id", "target_id", "created_at"):
        readers[user_id].follows[(type_id, target_id)] = since
    return [reader for reader in readers.values() if reader.follows and reader.start < end]


def _news_for(readers: list[_Reader], end: datetime) -> dict[tuple[int, int], list[News]]:
    """The news of the followed things of a batch in its widest window, by thing (one query)."""
    if not readers:
        return {}
    pairs = {pair for reader in readers for pair in reader.follows}
    kinds = set().union(*(reader.kinds for reader in readers))
    by_target: dict[tuple[int, int], list[News]] = {}
    news = News.objects.filter(
        kind__in=kinds,
        created_at__gte=min(reader.start for reader in readers),
        created_at__lt=end,
        target_type_id__in={type_id for type_id, _id in pairs},
        target_id__in={target_id for _type, target_id in pairs},
    ).order_by("created_at", "pk")
    for item in news:
        pair = (item.target_type_id, item.target_id)
        if pair in pairs:
            by_target.setdefault(pair, []).append(item)
    return by_target


def _digest_items(reader: _Reader, by_target: dict[tuple[int, int], list[News]]) -> list[News]:
    """What `reader` hears of: news of their kinds, since their last digest and since they
    followed the thing, not their own and not what they were told directly."""
    pk = reader.user.pk
    items = [
        item
        for pair, since in reader.follows.items()
        for item in by_target.get(pair, ())
        if item.kind in reader.kinds
        and item.created_at >= reader.start
        and item.created_at >= since
        and item.actor_id != pk
        and pk not in item.skip
    ]
    items.sort(key=lambda item: (item.created_at, item.pk))
    return items


@dataclass(frozen=True)
class DigestGroup:
    title: str
    url: str
    items: list[tuple[News, str, str]]


def _groups(news: list[News], texts: dict[str, Any]) -> list[DigestGroup]:
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


def _claim(claims: list[tuple[_Reader, list[News]]], frequency: str, end: datetime) -> set[int]:
    """Claim the digests of a batch: the Digest rows are the claim, written together; who
    was claimed by another run (a second beat) keeps that run's row and is left out."""
    run = uuid.uuid4()
    Digest.objects.bulk_create(
        [
            Digest(
                user=reader.user,
                frequency=frequency,
                period_start=reader.start,
                period_end=end,
                item_count=len(items),
                run=run,
            )
            for reader, items in claims
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return set(Digest.objects.filter(run=run).values_list("user_id", flat=True))


def _mail(reader: _Reader, frequency: str, end: datetime, items: list[News], texts: dict):  # noqa: ANN202
    """The digest e-mail (payload, dedupe key) in the reader's language."""
    user = reader.user
    with recipient_language(user):
        address = unsubscribe_url(user=user, channel=f"digest:{frequency}")
        context = {
            "user": user,
            "start": reader.start,
            "end": end,
            "groups": _groups(items, texts),
            "more": max(0, len(items) - DIGEST_ITEMS),
            "count": len(items),
            "settings_url": absolute_url(reverse("foundation:following")),
            "unsubscribe_url": address,
        }
        subject = (
            _("Your daily digest: %(count)s news")
            if frequency == NewsFrequency.DAILY
            else _("Your weekly digest: %(count)s news")
        ) % {"count": len(items)}
        body = render_to_string("foundation/mail/digest.txt", context)
    payload = {
        "to": [user.email],
        "subject": subject,
        "body": body,
        "headers": unsubscribe_headers(address),
    }
    return payload, f"digest:{frequency}:{end:%Y%m%d}:{user.pk}"


def send_digest_batch(*, user_ids: list[int], frequency: str, end: datetime) -> dict[str, int]:
    """The digests of these people for the period ending at `end`, each sent once (one
    transaction: a crash leaves nothing claimed, and the run can simply be repeated)."""
    texts = verbs()
    with transaction.atomic():
        readers = _readers_of_batch(user_ids, frequency, end)
        by_target = _news_for(readers, end)
        wanted = [(reader, _digest_items(reader, by_target)) for reader in readers]
        wanted = [(reader, items) for reader, items in wanted if items]
        ours = _claim(wanted, frequency, end) if wanted else set()
        mails = [
            _mail(reader, frequency, end, items, texts)
            for reader, items in wanted
            if reader.user.pk in ours
        ]
        enqueue_many("foundation.tasks.send_email", items=mails)
    return {
        "digests": len(mails),
        "news": sum(len(items) for reader, items in wanted if reader.user.pk in ours),
    }


def send_digest(*, user: User, frequency: str, end: datetime) -> int:
    """Send `user`'s digest for the period ending at `end`, once. Returns its news count
    (0: nothing happened or this period's digest was claimed already)."""
    return send_digest_batch(user_ids=[user.pk], frequency=frequency, end=end)["news"]


def follower_batches() -> Iterator[list[int]]:
    """Everybody who follows something, as lists of BATCH user ids in id order."""
    user_ids = Follow.objects.order_by("user_id").values_list("user_id", flat=True).distinct()
    last = 0
    while ids := list(user_ids.filter(user_id__gt=last)[:BATCH]):
        last = ids[-1]
        yield ids


def send_digests(*, frequency: str, now: datetime | None = None) -> dict[str, int]:
    """Every follower's digest of this frequency for the period just ended, in this process."""
    end = period_end(frequency, now)
    total = {"digests": 0, "news": 0}
    for ids in follower_batches():
        result = send_digest_batch(user_ids=ids, frequency=frequency, end=end)
        total = {key: total[key] + result[key] for key in total}
    return total


def schedule_digests(*, frequency: str, now: datetime | None = None) -> int:
    """Celery beat: one task per batch of followers, so that every worker process helps.

    Each batch task goes through the outbox with a key of its own (period and first id): a
    second beat queues nothing new, and a batch that runs twice sends nothing twice (the
    Digest rows). Returns the number of batches queued.
    """
    end = period_end(frequency, now)
    queued = 0
    for ids in follower_batches():
        message = enqueue(
            "foundation.tasks.send_digest_batch",
            payload={"user_ids": ids, "frequency": frequency, "end": end.isoformat()},
            dedupe_key=f"digest-batch:{frequency}:{end:%Y%m%d}:{ids[0]}:{ids[-1]}",
        )
        queued += message is not None
    return queued
