"""Who may do what with a proposal: one django-rules predicate per rule.

Services enforce them (raising PermissionDenied or ValidationError with the reason), views and
templates ask the same predicates to decide what to offer. The phase rules are the
consultation's (`Consultation.gate`), the status rules the proposal's (`Proposal.*_refusal`).
"""

from __future__ import annotations

from typing import Any

import rules

from foundation.roles import is_coordination_office

from .models import Proposal


@rules.predicate
def is_proposal_author(user: Any, proposal: Proposal) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and proposal.author_id == user.pk


@rules.predicate
def is_unsupported(user: Any, proposal: Proposal) -> bool:
    return proposal.support_count == 0


@rules.predicate
def is_editable(user: Any, proposal: Proposal) -> bool:
    return proposal.edit_refusal() is None


# The author edits while nobody has supported the proposal and its status allows it.
may_edit_proposal = is_proposal_author & is_unsupported & is_editable
# Hidden proposals (and their discussions) are shown to the moderation only.
may_see_hidden_proposals = is_coordination_office

rules.add_perm("consultations.edit_proposal", may_edit_proposal)
rules.add_perm("consultations.withdraw_proposal", is_proposal_author)
rules.add_perm("consultations.see_hidden_proposals", may_see_hidden_proposals)
