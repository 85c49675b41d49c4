"""The bitmaps of the tickets of the words in many tickets, which a text search of several
words counts from (tickets/search_words.py); 0015 makes them and the triggers that keep them.
"""

import django.db.models.deletion
from django.db import migrations, models

import tickets.models


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
                ('block', models.BigIntegerField()),
                ('bits', tickets.models.BitsField(length=8192)),
                ('word', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='tickets.searchword')),
            ],
            options={
                'verbose_name': 'word bitmap',
                'verbose_name_plural': 'word bitmaps',
            },
        ),
    ]
