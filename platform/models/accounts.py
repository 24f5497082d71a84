from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: resident, reviewer, coordination office or editor.

    Residents sign in with their e-mail address; the public sees only `display_name`.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown with your contributions. Leave empty to appear as “Participant”."),
    )
    municipality = models.ForeignKey(
        "foundation.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    notify_comments_inapp = models.BooleanField(
        _("comments on my proposals in the app"), default=True
    )
    notify_comments_email = models.BooleanField(
        _("comments on my proposals by e-mail"), default=True
    )
    notify_status_inapp = models.BooleanField(_("status changes in the app"), default=True)
    notify_status_email = models.BooleanField(_("status changes by e-mail"), default=True)
    blocked_at = models.DateTimeField(_("blocked since"), null=True, blank=True)
    blocked_reason = models.TextField(_("reason for blocking"), blank=True)
    deleted_at = models.DateTimeField(
        _("account deleted"),
        null=True,
        blank=True,
        help_text=_("Set when the person deleted the account; personal data is wiped then."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.deleted_at is not None:
            return str(_("Deleted account"))
        return self.display_name or str(_("Participant"))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


class PrivacyConsent(models.Model):
    """That a person agreed to the privacy notice: when, and which version of its text.

    Written at sign-up (`foundation.forms.SignupExtraForm`); a new version of the notice
    (settings.PRIVACY_NOTICE_VERSION) can be agreed to again, so the rows form a history.
    Part of the personal data export.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="privacy_consents",
        verbose_name=_("user"),
    )
    notice_version = models.CharField(_("version of the privacy notice"), max_length=40)
    accepted_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        ordering = ["accepted_at", "pk"]
        verbose_name = _("consent to the privacy notice")
        verbose_name_plural = _("consents to the privacy notice")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice_version"], name="one_consent_per_notice_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_version} ({self.accepted_at:%Y-%m-%d %H:%M})"
