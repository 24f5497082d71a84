"""Renumber the measures of a consultation's concept 1..N per Handlungsfeld, in goal order.

Use it after measures were removed outside the staff page (e.g. in the Django admin):

    python manage.py renumber_concept integrationskonzept-region-hannover [--field bildung-und-sprache]

The staff page "Remove from the concept" renumbers by itself. Numbers change for every
measure after a gap, so publish the new PDF/XLSX afterwards.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from consultations.results.models import ConceptGoal
from consultations.results.services import renumber_field
from foundation.actors import SYSTEM
from foundation.models import Consultation, Handlungsfeld


class Command(BaseCommand):
    help = "Renumber the concept's measures per Handlungsfeld without gaps."

    def add_arguments(self, parser):
        parser.add_argument("consultation", help="slug of the consultation")
        parser.add_argument("--field", help="slug of one Handlungsfeld (default: all)")

    def handle(self, *args, **options):
        consultation = Consultation.objects.filter(slug=options["consultation"]).first()
        if consultation is None:
            raise CommandError(f"No consultation with the slug {options['consultation']!r}.")
        fields = Handlungsfeld.objects.filter(
            pk__in=ConceptGoal.objects.filter(consultation=consultation).values("handlungsfeld_id")
        ).order_by("number")
        if options["field"]:
            fields = fields.filter(slug=options["field"])
            if not fields:
                raise CommandError(f"The concept has no Handlungsfeld {options['field']!r}.")
        for field in fields:
            count = renumber_field(actor=SYSTEM, consultation=consultation, handlungsfeld=field)
            self.stdout.write(f"{field.name}: {count}")
