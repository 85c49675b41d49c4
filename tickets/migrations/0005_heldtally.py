from django.db import migrations, models


def fill(apps, schema_editor):
    GroupHolding = apps.get_model("tickets", "GroupHolding")
    HeldTally = apps.get_model("tickets", "HeldTally")
    rows = (
        GroupHolding.objects.values("group_id", "ticket__status", "ticket__sub_category_id")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    HeldTally.objects.bulk_create(
        HeldTally(
            group_id=row["group_id"],
            status=row["ticket__status"],
            sub_category_id=row["ticket__sub_category_id"] or 0,
            n=row["n"],
        )
        for row in rows
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_text_search_indexes")]

    operations = [
        migrations.CreateModel(
            name="HeldTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("group_id", models.BigIntegerField()),
                ("status", models.CharField(choices=[("new", "New"), ("assigned", "Assigned"), ("in_progress", "In Progress"), ("on_hold", "On Hold"), ("resolved", "Resolved"), ("reopened", "Re-open"), ("cancelled", "Cancelled"), ("closed", "Closed")], max_length=12)),
                ("sub_category_id", models.BigIntegerField(default=0)),
                ("n", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "held ticket tally",
                "verbose_name_plural": "held ticket tallies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group_id", "status", "sub_category_id"),
                        name="held_tally_unique_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
