"""The models of the consultations app, defined in its sub-packages; Django loads them from here.

Code imports a model from its own sub-package (`consultations.proposals.models`, ...), never
from this module, so that the sub-packages keep their order (see docs/architecture.md).
"""

from .discussion.models import Comment, Flag, FlagResolution, ModerationAction, ModerationActionKind
from .exports.models import ExportFormat, ExportJob, ExportStatus
from .proposals.models import (
    ASSESSED_STATUSES,
    CLOSED_STATUSES,
    PriorityAllocation,
    PriorityBudget,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Support,
)

__all__ = [
    "ASSESSED_STATUSES",
    "CLOSED_STATUSES",
    "Comment",
    "ExportFormat",
    "ExportJob",
    "ExportStatus",
    "Flag",
    "FlagResolution",
    "ModerationAction",
    "ModerationActionKind",
    "PriorityAllocation",
    "PriorityBudget",
    "Proposal",
    "ProposalKind",
    "ProposalStatus",
    "Support",
]
