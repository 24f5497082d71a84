"""Factories for accounts, roles and the foundation's reference data."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from foundation.models import (
    Consultation,
    Department,
    DepartmentMembership,
    Handlungsfeld,
    Municipality,
    Notification,
    Organisation,
    User,
)
from foundation.roles import Role, ensure_roles

PASSWORD = "correct horse battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class ResidentFactory(UserFactory):
    """A signed-up resident whose e-mail address is verified."""

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def user_with_role(role: Role) -> User:
    user = ResidentFactory()
    user.groups.add(ensure_roles()[role])
    return user


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")


class HandlungsfeldFactory(DjangoModelFactory):
    class Meta:
        model = Handlungsfeld
        django_get_or_create = ("slug",)

    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Feld {n}")
    slug = factory.Sequence(lambda n: f"feld-{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Fachbereich {n}")
    slug = factory.Sequence(lambda n: f"fachbereich-{n}")


class DepartmentMembershipFactory(DjangoModelFactory):
    class Meta:
        model = DepartmentMembership

    department = factory.SubFactory(DepartmentFactory)
    user = factory.SubFactory(ResidentFactory)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Verein {n}")
    slug = factory.Sequence(lambda n: f"verein-{n}")


class ConsultationFactory(DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Konsultation {n}")
    slug = factory.Sequence(lambda n: f"konsultation-{n}")
    is_published = True


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(ResidentFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"Nachricht {n}")
    body = "Text"
