"""Full-text search on PostgreSQL: a stored, generated tsvector with German stemming and a GIN index.

The column is not a model field (Django never writes it); consultations.proposals.selectors queries it
with raw SQL on PostgreSQL only. SQLite has no equivalent and uses the icontains fallback.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE consultations_proposal
    ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('german'::regconfig, coalesce(body, '')), 'B')
    ) STORED;
CREATE INDEX proposal_search_document_gin ON consultations_proposal USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS proposal_search_document_gin;
ALTER TABLE consultations_proposal DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_proposals_submit_support_points")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
