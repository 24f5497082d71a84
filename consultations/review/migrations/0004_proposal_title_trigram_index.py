"""A trigram index on proposal titles for the duplicate suggestions (PostgreSQL only).

The case page asks for the titles nearest to the one under review, ordered by pg_trgm's
distance operator `<->`. A GiST index answers that ordering directly (nearest neighbours
first, a few index pages), however many titles share words; a GIN index could only filter
by the `%` threshold and still sorted every match. Created CONCURRENTLY so that adding it to
a running site does not block new proposals. SQLite has no pg_trgm and keeps the Python
fallback of the selector.
"""

from django.db import migrations

INDEX = "review_proposal_title_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON consultations_proposal USING gist (title gist_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("review", "0003_case_closed_at"),
        ("consultations", "0006_comment_toplevel_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
