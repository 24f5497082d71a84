"""Who may open what in the foundation: the permission matrix of the guide's roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from foundation.roles import (
    Role,
    department_ids,
    is_active_participant,
    is_coordination_office,
    is_editor,
    is_reviewer,
)

from .factories import DepartmentMembershipFactory, ResidentFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def make(persona: str):
    if persona == "visitor":
        return None
    if persona == "resident":
        return ResidentFactory()
    if persona == "reviewer":
        user = user_with_role(Role.REVIEWER)
        DepartmentMembershipFactory(user=user)
        return user
    if persona == "coordination":
        return user_with_role(Role.COORDINATION)
    if persona == "editor":
        return user_with_role(Role.EDITOR)
    raise AssertionError(persona)


OK, LOGIN, DENIED = "ok", "login", "denied"

# persona -> expected outcome per page
MATRIX = {
    "profile": (
        "/profil/",
        {"visitor": LOGIN, "resident": OK, "reviewer": OK, "coordination": OK, "editor": OK},
    ),
    "notifications": (
        "/profil/benachrichtigungen/",
        {"visitor": LOGIN, "resident": OK, "reviewer": OK, "coordination": OK, "editor": OK},
    ),
    "wagtail admin": (
        "/admin/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": OK,
        },
    ),
    "consultations admin": (
        "/admin/platform/consultations/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": OK,
        },
    ),
    "new consultation": (
        "/admin/platform/consultations/new/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": OK,
        },
    ),
    "departments admin": (
        "/admin/platform/departments/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": OK,
        },
    ),
    "department members admin": (
        "/admin/platform/department-members/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": DENIED,
        },
    ),
    "new municipality": (
        "/admin/platform/municipalities/new/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": DENIED,
            "editor": OK,
        },
    ),
    "municipalities admin": (
        "/admin/platform/municipalities/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": OK,
        },
    ),
    "organisations admin": (
        "/admin/platform/organisations/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": OK,
        },
    ),
    "accounts admin": (
        "/admin/users/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": OK,
            "editor": DENIED,
        },
    ),
    "new account": (
        "/admin/users/new/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": DENIED,
            "editor": DENIED,
        },
    ),
    "new Handlungsfeld": (
        "/admin/platform/handlungsfelder/new/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": DENIED,
            "editor": OK,
        },
    ),
    "outbox": (
        "/admin/operations/outbox/",
        {
            "visitor": LOGIN,
            "resident": DENIED,
            "reviewer": DENIED,
            "coordination": DENIED,
            "editor": DENIED,
        },
    ),
}

CASES = [
    (page, persona, expected)
    for page, (_url, outcomes) in MATRIX.items()
    for persona, expected in outcomes.items()
]


@pytest.mark.parametrize(
    ("page", "persona", "expected"), CASES, ids=[f"{p}-{r}" for p, r, _ in CASES]
)
def test_permission_matrix(client, page, persona, expected):
    url = MATRIX[page][0]
    user = make(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if expected == OK:
        assert response.status_code == 200, (url, persona, response.status_code)
    elif expected == LOGIN:
        assert response.status_code == 302, (url, persona, response.status_code)
        assert "login" in response["Location"], response["Location"]
    else:
        # Wagtail answers a signed-in user without the permission with 403 or a redirect away
        # from the page (to the dashboard or its login page); never with the page itself.
        assert response.status_code in {302, 403}, (url, persona, response.status_code)
        if response.status_code == 302:
            assert response["Location"] != url


def test_a_superuser_manages_everything_in_the_one_admin_and_there_is_no_django_admin(client):
    client.force_login(UserFactory(is_superuser=True))
    for url in (
        "/admin/users/",
        "/admin/groups/",
        "/admin/platform/departments/",
        "/admin/platform/department-members/",
        "/admin/operations/outbox/",
        "/admin/operations/notifications/",
        "/admin/operations/periodic-tasks/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/django-admin/").status_code == 404


def test_predicates_follow_the_roles():
    resident = ResidentFactory()
    unverified = UserFactory()
    reviewer = make("reviewer")
    coordination = make("coordination")
    editor = make("editor")
    assert is_active_participant(resident) and not is_active_participant(unverified)
    assert is_reviewer(reviewer) and not is_reviewer(resident)
    assert department_ids(reviewer) == set(
        reviewer.department_memberships.values_list("department_id", flat=True)
    )
    assert is_coordination_office(coordination) and not is_coordination_office(editor)
    assert is_editor(editor) and not is_editor(coordination)


def test_staff_see_the_administration_link_residents_do_not(client):
    client.force_login(make("coordination"))
    assert 'href="/admin/"' in client.get("/profil/").content.decode()
    client.force_login(ResidentFactory())
    assert 'href="/admin/"' not in client.get("/profil/").content.decode()


def test_ensure_roles_command_is_idempotent(capsys):
    Group.objects.filter(name__in=[role.value for role in Role]).delete()
    call_command("ensure_roles")
    call_command("ensure_roles")
    out = capsys.readouterr().out
    assert "Koordinierungsstelle" in out
    groups = {
        group.name: group for group in Group.objects.filter(name__in=[role.value for role in Role])
    }
    assert set(groups) == {role.value for role in Role}
    coordination = groups[Role.COORDINATION.value]
    assert coordination.permissions.filter(codename="change_consultation").exists()
    assert coordination.permissions.filter(codename="access_admin").exists()
    assert not groups[Role.EDITOR.value].permissions.filter(codename="delete_consultation").exists()
