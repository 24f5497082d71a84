"""The forums' rules about people, as django-rules permissions (autodiscovered)."""

from __future__ import annotations

import rules

from foundation.roles import is_coordination_office, is_editor

#: Creating and editing forums and forum events in the Wagtail admin (menu "Foren"): the
#: coordination office (it runs the forums) and the editors (they keep the site's pages).
may_manage_forums = is_coordination_office | is_editor

rules.add_perm("forums.manage_forums", may_manage_forums)
