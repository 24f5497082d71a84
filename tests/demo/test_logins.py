"""demo_logins: five working logins (two reviewers), printed, never created in production by accident."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from foundation.models import DepartmentMembership, User
from foundation.roles import is_active_participant, is_coordination_office, is_editor, is_reviewer


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_logins", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_prints_five_logins_that_work_through_the_login_form(client, settings):
    settings.DEBUG = True
    output = run_command()
    logins = re.findall(r"(\S+@demo\.mitreden\.invalid)\s+(\S+)", output)
    assert len(logins) == 5
    for email, password in logins:
        client.logout()
        response = client.post("/en/konto/login/", {"login": email, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


@pytest.mark.django_db
def test_each_login_has_its_role(settings):
    settings.DEBUG = True
    run_command()
    resident = User.objects.get(email="bewohnerin@demo.mitreden.invalid")
    assert EmailAddress.objects.filter(user=resident, verified=True, primary=True).exists()
    assert (
        is_active_participant(resident)
        and not is_reviewer(resident)
        and not is_coordination_office(resident)
    )
    reviewer = User.objects.get(email="fachbereich-soziales@demo.mitreden.invalid")
    assert DepartmentMembership.objects.filter(
        user=reviewer, department__slug="fachbereich-soziales"
    ).exists()
    assert is_reviewer(reviewer) and not is_coordination_office(reviewer)
    schools = User.objects.get(email="fachbereich-schulen@demo.mitreden.invalid")
    assert list(
        DepartmentMembership.objects.filter(user=schools).values_list("department__slug", flat=True)
    ) == ["fachbereich-schulen"]
    assert is_reviewer(schools) and not is_coordination_office(schools)
    coordination = User.objects.get(email="koordination@demo.mitreden.invalid")
    assert is_coordination_office(coordination) and not coordination.is_superuser
    editor = User.objects.get(email="redaktion@demo.mitreden.invalid")
    assert editor.is_superuser and is_editor(editor)
    assert editor.groups.filter(name="Redaktion").exists()


@pytest.mark.django_db
def test_running_twice_keeps_one_account_per_role(settings):
    settings.DEBUG = True
    run_command()
    run_command()
    assert User.objects.filter(email__endswith="@demo.mitreden.invalid").count() == 5
    assert EmailAddress.objects.filter(email__endswith="@demo.mitreden.invalid").count() == 5
    assert DepartmentMembership.objects.count() == 2


@pytest.mark.django_db
def test_refused_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run_command()
    assert not User.objects.exists()
    assert "redaktion@demo.mitreden.invalid" in run_command("--force")
