from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    FACHBEREICH = "fachbereich", _("Department (Fachbereich)")
    TEAM = "team", _("Team")
    SERVICE = "service", _("Service")
    STAFF_UNIT = "stabsstelle", _("Staff unit")
    OTHER = "other", _("Other unit")


class Department(models.Model):
    """A unit of the administration that reviews proposals (Fachbereich, Team, Service)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.FACHBEREICH
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    email = models.EmailField(_("functional mailbox"), blank=True)
    description = models.TextField(_("description"), blank=True)
    handlungsfelder = models.ManyToManyField(
        "foundation.Handlungsfeld",
        verbose_name=_("Handlungsfelder"),
        blank=True,
        related_name="departments",
        help_text=_("Fields whose proposals this unit usually reviews"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="foundation.DepartmentMembership",
        related_name="departments",
        verbose_name=_("members"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class DepartmentMembership(models.Model):
    """A reviewer's membership in a department; leads may also approve within it."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer")
        LEAD = "lead", _("Head of unit")

    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("department"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="department_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("department membership")
        verbose_name_plural = _("department memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "user"], name="unique_department_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.department}"


class Organisation(models.Model):
    """An institution outside the administration, e.g. a recipient of an invitation survey."""

    class Category(models.TextChoices):
        MIGRANT_ORGANISATION = "mso", _("Migrant organisation, association")
        MUNICIPAL_CONTACT = "municipal_contact", _("Integration contact of a municipality")
        EDUCATION = "education", _("Educational institution")
        COUNSELLING = "counselling", _("Counselling service")
        INTEGRATION_COUNCIL = "integration_council", _("Integration council")
        RELIGIOUS_COMMUNITY = "religious_community", _("Religious community")
        INTEGRATION_GUIDE = "integration_guide", _("Integration guides")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    municipality = models.ForeignKey(
        "foundation.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
