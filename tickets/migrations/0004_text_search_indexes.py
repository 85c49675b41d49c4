"""Trigram indexes for searching text on PostgreSQL ("contains", in any case).

They need the pg_trgm extension. Where the database user may not create it, the indexes are
left out with a warning: searching still works, only slower on large tables.
"""

import warnings

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "ticket_short_desc_trgm_idx": "short_description",
    "ticket_requested_by_trgm_idx": "requested_by",
    "ticket_company_trgm_idx": "company_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        warnings.warn(f"pg_trgm is not available, text search stays unindexed: {error}")
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_ticket "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_tickettally")]

    operations = [migrations.RunPython(create, drop)]
