"""The words of the tickets' short descriptions and the triggers that keep them, for exact
totals of text searches on PostgreSQL (tickets/search_words.py).

On PostgreSQL it reads every ticket's short description: about two minutes for a million
tickets, while ticket writes wait.
"""

import django.db.models.deletion
from django.db import migrations, models

from tickets import search_words


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            # Finds the distinct words that contain a query's word.
            cursor.execute(
                f"CREATE INDEX ticket_search_word_trgm_idx ON {search_words.WORDS} "
                "USING gin (word gin_trgm_ops)"
            )
    search_words.install(connection, None)
    search_words.refill(connection, bitmaps=False)


def drop(apps, schema_editor):
    search_words.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0011_reference_version_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.TextField()),
                ('tickets', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'search word',
                'verbose_name_plural': 'search words',
                'constraints': [models.UniqueConstraint(fields=('word',), name='search_word_unique')],
            },
        ),
        migrations.CreateModel(
            name='TicketWord',
            fields=[
                ('pk', models.CompositePrimaryKey('word', 'opened_at', 'ticket', blank=True, editable=False, primary_key=True, serialize=False)),
                ('opened_at', models.DateTimeField()),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='tickets.ticket')),
                ('word', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='tickets.searchword')),
            ],
            options={
                'verbose_name': 'ticket word',
                'verbose_name_plural': 'ticket words',
            },
        ),
        migrations.RunPython(create, drop),
    ]
