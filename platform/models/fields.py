from django.db import models
from django.utils.translation import gettext_lazy as _


class Handlungsfeld(models.Model):
    """A thematic field of action (Handlungsfeld), e.g. "Bildung und Sprache"."""

    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Position in the concept"))
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["number", "name"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return self.name
