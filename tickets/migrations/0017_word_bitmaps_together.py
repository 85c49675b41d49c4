"""Each word's bitmaps laid together in their table, in the order the search words now write
them (tickets/search_words.py): a count of several words reads a few pages per word instead
of one page per block. Ticket writes and text searches wait for it (about a second at a
million tickets)."""

from django.db import migrations

from tickets import search_words


def cluster(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = search_words.BITMAPS
    schema_editor.execute(f"CLUSTER {table} USING {table}_pkey")
    schema_editor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0016_opener_open_idx"),
    ]

    operations = [migrations.RunPython(cluster, migrations.RunPython.noop)]
