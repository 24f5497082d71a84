"""Registrations made before codes existed get one each; then the codes are unique per event."""

import secrets

from django.db import migrations, models

# The same alphabet as forums.events.CODE_ALPHABET (a migration does not import app code):
# capital letters and digits without the look-alikes 0/O and 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def fill_codes(apps, schema_editor):
    EventRegistration = apps.get_model("forums", "EventRegistration")
    taken: dict[int, set[str]] = {}
    for registration in EventRegistration.objects.filter(code="").only("pk", "event_id").iterator():
        codes = taken.setdefault(registration.event_id, set())
        code = ""
        while not code or code in codes:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        codes.add(code)
        EventRegistration.objects.filter(pk=registration.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [("forums", "0008_event_waiting_list_codes_online_files")]

    operations = [
        migrations.RunPython(fill_codes, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="eventregistration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("event", "code"),
                name="unique_registration_code_per_event",
            ),
        ),
    ]
