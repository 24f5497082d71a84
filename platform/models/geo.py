from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Municipality(models.Model):
    """One of the Städte und Gemeinden of the region (21 in the Region Hannover)."""

    class Kind(models.TextChoices):
        CAPITAL = "landeshauptstadt", _("State capital")
        TOWN = "stadt", _("Town")
        COMMUNITY = "gemeinde", pgettext_lazy("kind of municipality", "Municipality")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TOWN)
    official_key = models.CharField(
        _("official municipality key (AGS)"), max_length=8, blank=True, help_text=_("8 digits")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name
