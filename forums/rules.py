"""The forums' rules about people, as django-rules permissions (autodiscovered)."""

from __future__ import annotations

from typing import Any

import rules

from foundation.roles import is_coordination_office, is_editor

#: Creating and editing forums and forum events in the Wagtail admin (menu "Foren"): the
#: coordination office (it runs the forums) and the editors (they keep the site's pages).
may_manage_forums = is_coordination_office | is_editor

rules.add_perm("forums.manage_forums", may_manage_forums)


def forum_of(content: Any) -> Any:
    """The forum a forum, thread or post belongs to."""
    if hasattr(content, "thread"):
        content = content.thread
    return getattr(content, "forum", content)


def _moderated_forum_ids(user: Any) -> frozenset[int]:
    """The forums that name `user` as a moderator (one query, then kept with the user object
    for the request); none for a blocked or deactivated account."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_blocked:
        return frozenset()
    ids = getattr(user, "_moderated_forum_ids", None)
    if ids is None:
        ids = frozenset(user.moderated_forums.values_list("pk", flat=True))
        user._moderated_forum_ids = ids
    return ids


@rules.predicate
def moderates_forum(user: Any, content: Any) -> bool:
    """Whoever moderates the forum of `content` (a forum, thread or post): the coordination
    office, for every forum, and the moderators the forum names (Wagtail admin, "Foren")."""
    if is_coordination_office(user):
        return True
    forum = forum_of(content)
    return forum is not None and forum.pk in _moderated_forum_ids(user)


@rules.predicate
def is_forum_moderator(user: Any) -> bool:
    """May open the forum moderation (the reports and the log): the coordination office, and
    whoever a forum names as its moderator."""
    return is_coordination_office(user) or bool(_moderated_forum_ids(user))


rules.add_perm("forums.moderate_forum", moderates_forum)
rules.add_perm("forums.open_moderation", is_forum_moderator)
