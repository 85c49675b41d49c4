"""Bitmaps of the tickets of the words in many tickets, which a text search of several words
counts from (tickets/search_words.py), and the triggers that keep them.

On PostgreSQL it reads the lists of those words: a minute for a million tickets, while ticket
writes wait.
"""

import django.db.models.deletion
from django.db import migrations, models

import tickets.models
from tickets import search_words


def create(apps, schema_editor):
    connection = schema_editor.connection
    search_words.install(connection)
    search_words.make_bitmaps(connection)


def drop(apps, schema_editor):
    search_words.install(schema_editor.connection, bitmaps=False)


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0013_vacuum_ticket_tables_sooner'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchword',
            name='bitmap',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.CreateModel(
            name='WordBitmap',
            fields=[
                ('pk', models.CompositePrimaryKey('word', 'block', blank=True, editable=False, primary_key=True, serialize=False)),
                ('block', models.IntegerField()),
                ('bits', tickets.models.BitsField(length=8192)),
                ('word', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='tickets.searchword')),
            ],
            options={
                'verbose_name': 'word bitmap',
                'verbose_name_plural': 'word bitmaps',
            },
        ),
        migrations.RunPython(create, drop),
    ]
