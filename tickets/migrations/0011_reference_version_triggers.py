"""Triggers that give accounts.ReferenceVersion a new number on every change to the reference
data the pages keep between requests (tickets/reference_triggers.py)."""

from django.db import migrations

from tickets import reference_triggers


def create(apps, schema_editor):
    tables = reference_triggers.watched_tables(apps)
    reference_triggers.install(schema_editor.connection, tables)


def drop(apps, schema_editor):
    tables = reference_triggers.watched_tables(apps)
    reference_triggers.remove(schema_editor.connection, tables)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_referenceversion"),
        ("taxonomy", "0001_initial"),
        ("tickets", "0010_subcategory_index_in_list_order"),
    ]

    operations = [migrations.RunPython(create, drop)]
