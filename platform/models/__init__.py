from .accounts import PrivacyConsent, User
from .consultations import Activity, Consultation, Phase, PhaseGate, PhaseKind
from .fields import Handlungsfeld
from .following import (
    Digest,
    Follow,
    FollowOrigin,
    News,
    NewsFrequency,
    NewsKind,
    NewsPreference,
)
from .geo import Municipality
from .moderation import (
    FlagBase,
    FlagReason,
    FlagResolution,
    ModeratedContent,
    ModerationLogBase,
)
from .notifications import Notification, OutboxMessage
from .organisations import Department, DepartmentKind, DepartmentMembership, Organisation

__all__ = [
    "Activity",
    "Consultation",
    "Department",
    "DepartmentKind",
    "DepartmentMembership",
    "Digest",
    "FlagBase",
    "FlagReason",
    "FlagResolution",
    "Follow",
    "FollowOrigin",
    "Handlungsfeld",
    "ModeratedContent",
    "ModerationLogBase",
    "Municipality",
    "News",
    "NewsFrequency",
    "NewsKind",
    "NewsPreference",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "Phase",
    "PhaseGate",
    "PhaseKind",
    "PrivacyConsent",
    "User",
]
