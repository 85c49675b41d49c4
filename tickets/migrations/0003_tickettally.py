from django.db import migrations, models


def fill(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    TicketTally = apps.get_model("tickets", "TicketTally")
    rows = (
        Ticket.objects.values("assignment_group_id", "status", "sub_category_id", "is_vip")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    TicketTally.objects.bulk_create(
        TicketTally(
            assignment_group_id=row["assignment_group_id"],
            status=row["status"],
            sub_category_id=row["sub_category_id"] or 0,
            is_vip=row["is_vip"],
            n=row["n"],
        )
        for row in rows
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_ticket_vip_opened_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="TicketTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("assignment_group_id", models.BigIntegerField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("assigned", "Assigned"),
                            ("in_progress", "In Progress"),
                            ("on_hold", "On Hold"),
                            ("resolved", "Resolved"),
                            ("reopened", "Re-open"),
                            ("cancelled", "Cancelled"),
                            ("closed", "Closed"),
                        ],
                        max_length=12,
                    ),
                ),
                ("sub_category_id", models.BigIntegerField(default=0)),
                ("is_vip", models.BooleanField(default=False)),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "ticket tally",
                "verbose_name_plural": "ticket tallies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assignment_group_id", "status", "sub_category_id", "is_vip"),
                        name="tally_unique_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
