from .accounts import User
from .consultations import Consultation, Phase, PhaseKind
from .fields import Handlungsfeld
from .geo import Municipality
from .notifications import Notification, OutboxMessage
from .organisations import Department, DepartmentKind, DepartmentMembership, Organisation

__all__ = [
    "Consultation",
    "Department",
    "DepartmentKind",
    "DepartmentMembership",
    "Handlungsfeld",
    "Municipality",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "Phase",
    "PhaseKind",
    "User",
]
