"""The bitmaps of the words in many tickets, and the triggers that keep them
(tickets/search_words.py).

On PostgreSQL it reads the lists of those words: about a minute for a million tickets, while
ticket writes wait (text searches do not: the words' table changed in 0014, a transaction of
its own).
"""

from django.db import migrations

from tickets import search_words


def create(apps, schema_editor):
    connection = schema_editor.connection
    search_words.install(connection)
    search_words.make_bitmaps(connection)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    search_words.install(connection, None)
    if connection.vendor == "postgresql":
        # No longer kept: a search no longer reads them.
        schema_editor.execute(f"UPDATE {search_words.WORDS} SET bitmap = false WHERE bitmap")
        schema_editor.execute(f"TRUNCATE {search_words.BITMAPS}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0014_word_bitmaps")]

    operations = [migrations.RunPython(create, drop)]
