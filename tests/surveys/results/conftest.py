import pytest

from foundation.roles import Role
from tests.foundation.factories import ResidentFactory, user_with_role


@pytest.fixture
def coordination(client):
    user = user_with_role(Role.COORDINATION)
    client.force_login(user)
    return user


@pytest.fixture
def resident():
    return ResidentFactory()
