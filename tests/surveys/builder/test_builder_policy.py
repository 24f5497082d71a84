"""Who may work on the survey models in the admin: editors and the coordination office, as
long as their account is active; nobody else (surveys.permissions.policy)."""

from __future__ import annotations

import pytest

from foundation.roles import Role
from surveys.models import Survey
from surveys.permissions import policy
from tests.foundation.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_editors_and_the_coordination_office_may_every_action_on_surveys():
    editor, office = user_with_role(Role.EDITOR), user_with_role(Role.COORDINATION)
    reviewer, resident = user_with_role(Role.REVIEWER), UserFactory()
    inactive = user_with_role(Role.EDITOR)
    inactive.is_active = False
    inactive.save()
    survey_policy = policy(Survey)

    assert survey_policy.model is Survey
    for action in ("add", "change", "delete"):
        allowed = {
            user
            for user in (editor, office, reviewer, resident, inactive)
            if survey_policy.user_has_permission(user, action)
        }
        assert allowed == {editor, office}, action
    assert set(survey_policy.users_with_any_permission(["change"])) == {editor, office}
