"""What every moderation has in common, whichever app's content it concerns.

consultations.discussion (proposals, comments, users) and forums (threads, posts) keep their
report models and log models (on the bases in foundation.models) and declare their services
with Flagging and ContentModeration, saying only what differs: their objects, their texts,
their counters. The rules that must not drift apart between them live here: how a resident
reports something, that only the coordination office moderates, one rule for reasons, how
reports are closed and actions are logged, and hiding, showing and locking a row written so
that repeating them (a double click, two moderators at once) is harmless; and the grouping
of open reports for a queue.

Flagging and ContentModeration run each action in a transaction; the helpers below them run
inside the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Model, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import FlagBase, FlagReason, FlagResolution, ModerationLogBase, User
from .models.moderation import FLAG_NOTE_MAX_LENGTH
from .notifications import Message, notify, recipient_language
from .roles import is_coordination_office
from .rules import ensure_may_take_part
from .validation import checked_text, clean_text

REASON_MAX_LENGTH = 2000

FlagT = TypeVar("FlagT", bound=FlagBase)
LogT = TypeVar("LogT", bound=ModerationLogBase)


#: Who may moderate one object (forums: the coordination office and the forum's moderators).
MayModerate = Callable[[Any, Any], bool]


def ensure_moderator(
    actor: User, content: Any = None, may_moderate: MayModerate | None = None
) -> None:
    """Refuse anybody who may not moderate `content`: by default anybody but the coordination
    office; an app whose objects have their own moderators passes its rule."""
    if may_moderate is not None:
        if not may_moderate(actor, content):
            raise PermissionDenied(_("You may not moderate this."))
    elif not is_coordination_office(actor):
        raise PermissionDenied(_("Only the coordination office may moderate."))


def clean_reason(reason: str, *, required: bool) -> str:
    """The reason, trimmed. Required where it is shown to others (hiding) or kept with the
    account (blocking); optional for the other actions, whose log entry may stay without one."""
    return checked_text(
        (reason or "").strip(),
        field="reason",
        max_length=REASON_MAX_LENGTH,
        empty=_(
            "Please give a reason; it is shown in place of the content or to the person concerned."
        )
        if required
        else None,
        too_long=_("The reason can have at most %(max)d characters."),
    )


def clean_flag_note(note: str) -> str:
    """The optional note of a resident's flag, as plain text within its limit."""
    return checked_text(
        clean_text(note),
        field="note",
        max_length=FLAG_NOTE_MAX_LENGTH,
        too_long=_("The note can have at most %(max)d characters."),
    )


# --- Reports by residents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Flagging(Generic[FlagT]):
    """How residents report one kind of object; an app's report service is an instance, called
    as `flag_post(post=…, reporter=…, reason=…, note=…)`.

    `flags` is the report model and `target` its foreign key to the object, which is also the
    keyword the object is passed by. `own` is the refusal when the reporter wrote the object
    themselves, `deleted` the one when its author deleted it already (for content that its
    author can delete).
    """

    flags: type[FlagT]
    target: str
    own: str | Promise
    deleted: str | Promise | None = None

    def filed_by(self, reporter: User, **target: Model) -> bool:
        """Whether `reporter` has reported the object already."""
        _the_object(target, self.target)
        return self.flags._default_manager.filter(reporter=reporter, **target).exists()

    @transaction.atomic
    def __call__(
        self, *, reporter: User, reason: str, note: str = "", **target: Model
    ) -> tuple[FlagT, bool]:
        """Report the object to the moderation. Returns (flag, created): the unique constraint
        is the guard against a second report by the same person, which returns the first."""
        content = _the_object(target, self.target)
        ensure_may_take_part(reporter)
        if reason not in FlagReason.values:
            raise ValidationError(
                {"reason": ValidationError(_("Please choose a reason."), code="invalid")}
            )
        note = clean_flag_note(note)
        if content.author_id == reporter.pk:
            raise ValidationError(str(self.own), code="own")
        if self.deleted is not None and content.deleted_at is not None:
            raise ValidationError(str(self.deleted), code="deleted")
        try:
            with transaction.atomic():
                created = self.flags._default_manager.create(
                    reporter=reporter, reason=reason, note=note, **target
                )
                return created, True
        except IntegrityError:  # the unique constraint says: this person reported it already
            return self.flags._default_manager.get(reporter=reporter, **target), False


def _the_object(target: dict[str, Model], keyword: str) -> Any:
    if set(target) != {keyword}:
        raise TypeError(f"pass the object as {keyword}=…, got {', '.join(target) or 'nothing'}")
    return target[keyword]


# --- Actions ---------------------------------------------------------------------------------------


def start_action(
    actor: User,
    reason: str,
    *,
    reason_required: bool,
    content: Any = None,
    may_moderate: MayModerate | None = None,
) -> str:
    """The first step of every action: refuse anybody who may not moderate `content` before
    looking at the input (ensure_moderator), then return the cleaned reason."""
    ensure_moderator(actor, content, may_moderate)
    return clean_reason(reason, required=reason_required)


def resolve_open_flags(flags: QuerySet[Any], *, actor: User, resolution: str) -> int:
    """Close the still open reports among `flags` as answered by `actor`.

    Returns how many were closed; the log entry records that number, so that the log shows
    which action answered how many reports.
    """
    return flags.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=resolution
    )


def mark_hidden(obj: Model, reason: str) -> bool:
    """Hide `obj` (its `is_hidden` and `hidden_reason`); True if it was visible until now.

    Only the call that actually hides it gets True, so that exactly one caller lowers the
    counters of visible content, even when two moderators hide the same thing at once.
    Hiding something hidden again only replaces the reason shown in its place.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    became_hidden = rows.filter(is_hidden=False).update(is_hidden=True, hidden_reason=reason)
    if not became_hidden:
        rows.update(hidden_reason=reason)
    obj.is_hidden, obj.hidden_reason = True, reason
    return bool(became_hidden)


def mark_visible(obj: Model) -> bool:
    """Show `obj` again; True if it was hidden until now (the counterpart of mark_hidden)."""
    became_visible = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, is_hidden=True)
        .update(is_hidden=False, hidden_reason="")
    )
    obj.is_hidden, obj.hidden_reason = False, ""
    return bool(became_visible)


def tell_author_hidden(content: Any, reason: str, url: str = "") -> None:
    """Tell the author (in-app and by e-mail, in their language, after commit) that the
    moderation has hidden their contribution, and why."""
    author = getattr(content, "author", None)
    if author is None or not author.is_active:
        return
    with recipient_language(author):
        what = getattr(content, "title", "") or Truncator(strip_tags(content.body)).words(12)
        kind = str(content._meta.verbose_name)
        body = [
            _("The moderation has hidden your %(kind)s “%(what)s”.") % {"kind": kind, "what": what},
            _("Reason: %(reason)s") % {"reason": reason},
            _(
                "Others no longer see it. If you think this was a mistake, please contact the "
                "coordination office (see the imprint)."
            ),
        ]
        notify(
            recipient=author,
            message=Message(
                kind="moderation",
                title=_("Your contribution was hidden"),
                body="\n\n".join(body),
                url=url,
            ),
        )


def mark_locked(obj: Model, locked: bool) -> None:
    """Lock or unlock `obj` (its `is_locked`): no new contributions; what is there stays."""
    type(obj)._default_manager.filter(pk=obj.pk).update(is_locked=locked)
    obj.is_locked = locked


@dataclass(frozen=True)
class ContentModeration(Generic[LogT]):
    """The moderation of one kind of object (proposals, comments, posts, threads); an app's
    moderation services are its methods, called as `post_hide(actor=…, post=…, reason=…)`.

    `target` is the keyword the object is passed by, which is also the report model's foreign
    key to it (`flags`, where the object can be reported). `log` is the app's log model and
    `hidden`, `shown`, `locked`, `unlocked`, `dismissed` the log actions it records.
    `visible_count`, where a counter counts the readable objects, is called with +1 or -1
    when one that its author has not deleted becomes readable again or stops being readable.
    Whoever wrote an object that is hidden is told so, with the reason (`tell_author_hidden`;
    `url_of` gives the link). `may_moderate(actor, object)` is who may act on an object,
    where that is not the coordination office alone (ensure_moderator).

    Each method is one whole action in one transaction: check the actor and the reason,
    change the object, close the reports it answers, write the log entry (which it returns).
    """

    target: str
    log: type[LogT]
    hidden: str = ""
    shown: str = ""
    locked: str = ""
    unlocked: str = ""
    dismissed: str = ""
    flags: type[FlagBase] | None = None
    visible_count: Callable[[Any, int], None] | None = None
    #: The address of an object, for the notice that tells its author it was hidden.
    url_of: Callable[[Any], str] | None = None
    may_moderate: MayModerate | None = None

    def _start(self, actor: User, reason: str, content: Any, *, reason_required: bool) -> str:
        return start_action(
            actor,
            reason,
            reason_required=reason_required,
            content=content,
            may_moderate=self.may_moderate,
        )

    @transaction.atomic
    def hide(self, *, actor: User, reason: str, **target: Model) -> LogT:
        """Hidden with a reason, which is shown in its place; its open reports are answered."""
        content = _the_object(target, self.target)
        reason = self._start(actor, reason, content, reason_required=True)
        if mark_hidden(content, reason):
            self._count(content, -1)
            tell_author_hidden(content, reason, self.url_of(content) if self.url_of else "")
        resolved = self._resolve_flags(actor, content, FlagResolution.HIDDEN)
        return self._record(actor, self.hidden, reason, content, resolved)

    @transaction.atomic
    def unhide(self, *, actor: User, reason: str = "", **target: Model) -> LogT:
        content = _the_object(target, self.target)
        reason = self._start(actor, reason, content, reason_required=False)
        if mark_visible(content):
            self._count(content, 1)
        return self._record(actor, self.shown, reason, content)

    @transaction.atomic
    def lock(self, *, actor: User, reason: str = "", **target: Model) -> LogT:
        """No new contributions to it; everything in it stays readable."""
        content = _the_object(target, self.target)
        reason = self._start(actor, reason, content, reason_required=False)
        mark_locked(content, True)
        return self._record(actor, self.locked, reason, content)

    @transaction.atomic
    def unlock(self, *, actor: User, reason: str = "", **target: Model) -> LogT:
        content = _the_object(target, self.target)
        reason = self._start(actor, reason, content, reason_required=False)
        mark_locked(content, False)
        return self._record(actor, self.unlocked, reason, content)

    @transaction.atomic
    def dismiss_flags(self, *, actor: User, reason: str = "", **target: Model) -> LogT:
        """The reports were unfounded: close them, leave the object as it is."""
        content = _the_object(target, self.target)
        reason = self._start(actor, reason, content, reason_required=False)
        resolved = self._resolve_flags(actor, content, FlagResolution.DISMISSED)
        return self._record(actor, self.dismissed, reason, content, resolved)

    def _count(self, content: Any, delta: int) -> None:
        if self.visible_count is not None and content.deleted_at is None:
            self.visible_count(content, delta)

    def _resolve_flags(self, actor: User, content: Any, resolution: str) -> int:
        if self.flags is None:
            return 0
        reports = self.flags._default_manager.filter(**{self.target: content})
        return resolve_open_flags(reports, actor=actor, resolution=resolution)

    def _record(
        self, actor: User, action: str, reason: str, target: Model, flags_resolved: int = 0
    ) -> LogT:
        return self.log.record(
            actor=actor, action=action, reason=reason, target=target, flags_resolved=flags_resolved
        )


# --- The queue of open reports -------------------------------------------------------------------


@dataclass
class FlagGroup:
    """All open reports of one object, as a moderation queue lists them."""

    flag_count: int
    first_flagged: datetime
    flags: list[Any]

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        """(reason, how many reports give it), the most frequent first."""
        counts: dict[str, int] = {}
        for flag in self.flags:
            counts[flag.reason_label] = counts.get(flag.reason_label, 0) + 1
        return sorted(counts.items(), key=lambda item: -item[1])


def open_flag_groups(
    flags: type[FlagBase],
    *,
    targets: Sequence[str],
    page_number: Any,
    per_page: int,
    scope: Q | None = None,
) -> tuple[Page, list[dict[str, Any]]]:
    """One page of rows, one per reported object with open reports ({target ids…,
    flag_count, first_flagged}), the oldest report first; `targets` are the report model's
    foreign key columns ("post_id", or "proposal_id" and "comment_id"). `scope` keeps to
    some reports (a forum moderator's forums)."""
    groups = (
        flags._default_manager.filter(scope or Q(), resolved_at__isnull=True)
        .values(*targets)
        .annotate(flag_count=Count("pk"), first_flagged=Min("created_at"))
        .order_by("first_flagged", *targets)
    )
    page_obj = Paginator(groups, per_page).get_page(page_number)
    return page_obj, list(page_obj.object_list)


def open_flags_by_target(
    flags: QuerySet[FlagT], rows: list[dict[str, Any]], *, targets: Sequence[str]
) -> dict[tuple[str, int], list[FlagT]]:
    """The open reports of the objects in `rows` (one query), oldest first, under
    (target column, id)."""
    wanted = Q()
    for column in targets:
        ids = [row[column] for row in rows if row[column]]
        if ids:
            wanted |= Q(**{f"{column}__in": ids})
    found: dict[tuple[str, int], list[FlagT]] = {}
    if not wanted:
        return found
    for flag in flags.filter(wanted, resolved_at__isnull=True).order_by("created_at"):
        column = next(column for column in targets if getattr(flag, column))
        found.setdefault((column, getattr(flag, column)), []).append(flag)
    return found
