"""One demo login per role, for trying the platform locally (never in production).

All five share the documented password DEMO_PASSWORD. The e-mail addresses use the
reserved .invalid top-level domain, so no mail to them can ever be delivered.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from foundation.models import Department, DepartmentKind, DepartmentMembership, Municipality, User
from foundation.roles import Role, ensure_roles

DEMO_PASSWORD = "mitreden-demo-2027"  # noqa: S105  (documented demo password, DEBUG only)
REVIEW_DEPARTMENT_SLUG = "fachbereich-soziales"
SECOND_REVIEW_DEPARTMENT_SLUG = "fachbereich-schulen"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    display_name: str
    password: str = DEMO_PASSWORD


RESIDENT = DemoLogin("Bewohnerin (resident)", "bewohnerin@demo.mitreden.invalid", "Bewohnerin Demo")
REVIEWER = DemoLogin(
    "Fachbereich Soziales (reviewer)",
    "fachbereich-soziales@demo.mitreden.invalid",
    "Prüfer Soziales Demo",
)
REVIEWER_SCHOOLS = DemoLogin(
    "Fachbereich Schulen (reviewer)",
    "fachbereich-schulen@demo.mitreden.invalid",
    "Prüferin Schulen Demo",
)
COORDINATION = DemoLogin(
    "Koordinierungsstelle (coordination office)",
    "koordination@demo.mitreden.invalid",
    "Koordinierungsstelle Demo",
)
EDITOR = DemoLogin("Redaktion (editor/admin)", "redaktion@demo.mitreden.invalid", "Redaktion Demo")
DEMO_LOGINS = [RESIDENT, REVIEWER, REVIEWER_SCHOOLS, COORDINATION, EDITOR]
# The reviewer logins and the department each reviews for (the demo review has cases of both).
REVIEWER_DEPARTMENTS = {
    REVIEWER: (REVIEW_DEPARTMENT_SLUG, "Fachbereich Soziales"),
    REVIEWER_SCHOOLS: (SECOND_REVIEW_DEPARTMENT_SLUG, "Fachbereich Schulen"),
}


def _ensure_user(login: DemoLogin, *, is_superuser: bool = False) -> User:
    user = User.objects.filter(email__iexact=login.email).first()
    if user is None:
        user = User(email=login.email, username=login.email.split("@")[0])
    user.display_name = login.display_name
    user.is_active = True
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    user.blocked_at = None
    user.blocked_reason = ""
    user.municipality = Municipality.objects.filter(slug="hannover").first()
    user.set_password(login.password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=login.email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def ensure_demo_logins() -> list[DemoLogin]:
    """Create or reset the five demo accounts with their roles; safe to run again."""
    groups = ensure_roles()
    _ensure_user(RESIDENT)

    for login, (slug, name) in REVIEWER_DEPARTMENTS.items():
        reviewer = _ensure_user(login)
        department, _created = Department.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": DepartmentKind.FACHBEREICH}
        )
        DepartmentMembership.objects.get_or_create(
            department=department,
            user=reviewer,
            defaults={"role": DepartmentMembership.Role.REVIEWER},
        )
        reviewer.groups.add(groups[Role.REVIEWER])

    coordination = _ensure_user(COORDINATION)
    coordination.groups.add(groups[Role.COORDINATION])

    editor = _ensure_user(EDITOR, is_superuser=True)
    editor.groups.add(groups[Role.EDITOR])
    return DEMO_LOGINS
