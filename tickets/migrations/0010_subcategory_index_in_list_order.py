"""The sub category index holds the list order (newest first) after the state: the Data
Filter's most used filter, a sub category and a state, reads its page from the index instead of
walking every ticket by date until fifty match."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_queue_indexes_hold_the_group")]

    operations = [
        migrations.RemoveIndex(model_name="ticket", name="ticket_subcat_status_idx"),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["sub_category", "status", "-opened_at", "-id"],
                name="ticket_subcat_status_idx",
            ),
        ),
    ]
