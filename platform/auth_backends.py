"""Authentication backends: Django's and allauth's, loading the signed-in user faster.

Every signed-in request loads its user by primary key. The stock backends build that
query with the ORM each time; these run the same query from SQL compiled once per process
(`foundation.db.CompiledLookup`) and return the same user object, under the same rule
(`user_can_authenticate`: inactive accounts are not signed in).
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .db import CompiledLookup

_user_by_pk = CompiledLookup(lambda pk: get_user_model()._default_manager.filter(pk=pk), pk=int)


class FastUserLoadMixin:
    def get_user(self, user_id: Any) -> Any:
        user = _user_by_pk.lookup(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastUserLoadMixin, DjangoModelBackend):
    """Username/password sign-in (the Django admin and management commands)."""


class AuthenticationBackend(FastUserLoadMixin, AllauthAuthenticationBackend):
    """allauth's sign-in by e-mail address or username."""
