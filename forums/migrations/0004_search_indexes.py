"""Full-text search on PostgreSQL: GIN indexes over the German tsvector of thread titles and
post texts, the expressions forums.selectors.search_threads filters by (SearchVector with
config "german"). SQLite has no equivalent and searches words with icontains."""

from django.db import migrations

FORWARD = """
CREATE INDEX forum_thread_search_gin ON forums_thread
    USING gin (to_tsvector('german'::regconfig, COALESCE(title, '')));
CREATE INDEX forum_post_search_gin ON forums_post
    USING gin (to_tsvector('german'::regconfig, COALESCE(body, '')));
"""

BACKWARD = """
DROP INDEX IF EXISTS forum_thread_search_gin;
DROP INDEX IF EXISTS forum_post_search_gin;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_event_venue_and_accessibility")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
