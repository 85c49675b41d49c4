"""The indexes of Assigned To Me and My Open Ticket hold the ticket's group and id as well: a
vendor's agent sees the tickets their groups hold, and checking that for their own few tickets
no longer reads each ticket's row."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("tickets", "0008_fewer_ticket_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_assignee_queue_idx",
        ),
        migrations.RemoveIndex(
            model_name="ticket",
            name="ticket_opener_queue_idx",
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["assigned_to", "status", "-opened_at", "assignment_group", "id"],
                name="ticket_assignee_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["opened_by", "status", "-opened_at", "assignment_group", "id"],
                name="ticket_opener_queue_idx",
            ),
        ),
    ]
