"""Drop the single-column indexes of foreign keys the lists never filter by, and of those the
composite queue indexes begin with: each index is considered when planning every query on
the table and updated on every write.

The indexes are dropped by name (Django names them the same way on every database), so the
foreign-key constraints stay as they are; altering the fields would drop and re-create each
constraint, re-checking every ticket.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


INDEXES = {
    "tickets_ticket_assigned_to_id_142e13bf": "assigned_to_id",
    "tickets_ticket_assignment_group_id_d18206f5": "assignment_group_id",
    "tickets_ticket_close_code_id_946fdb52": "close_code_id",
    "tickets_ticket_closed_by_id_e398ed81": "closed_by_id",
    "tickets_ticket_created_at_95bb8d8e": "created_at",
    "tickets_ticket_incident_type_id_cd4b7b5e": "incident_type_id",
    "tickets_ticket_location_id_5ecdf4f6": "location_id",
    "tickets_ticket_opened_by_id_dc986186": "opened_by_id",
    "tickets_ticket_opened_by_group_id_c1d42941": "opened_by_group_id",
    "tickets_ticket_resolved_by_id_cfa18241": "resolved_by_id",
    "tickets_ticket_resolved_by_group_id_a63fb652": "resolved_by_group_id",
    "tickets_ticket_sub_category_id_1c6ee3c8": "sub_category_id",
    "tickets_ticket_template_id_ff1efe5d": "template_id",
    "tickets_ticket_vendor_id_99ccaa63": "vendor_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("taxonomy", "0001_initial"),
        ("tickets", "0007_ticket_group_open_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    [f"DROP INDEX IF EXISTS {name}" for name in INDEXES],
                    reverse_sql=[
                        f"CREATE INDEX {name} ON tickets_ticket ({column})"
                        for name, column in INDEXES.items()
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="assigned_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned to",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="assignment_group",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="accounts.assignmentgroup",
                        verbose_name="assignment group",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="close_code",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="tickets.closecode",
                        verbose_name="close code",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="closed_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="closed by",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="created_at",
                    field=models.DateTimeField(auto_now_add=True),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="incident_type",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="tickets.incidenttype",
                        verbose_name="incident type",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="location",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="tickets.location",
                        verbose_name="location",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="opened_by",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="opened by",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="opened_by_group",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.assignmentgroup",
                        verbose_name="opened by group",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="resolved_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="resolved by",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="resolved_by_group",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.assignmentgroup",
                        verbose_name="resolved by group",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="sub_category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.category",
                        verbose_name="sub category",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="template",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="tickets.template",
                        verbose_name="template",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="vendor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="tickets.vendor",
                        verbose_name="vendor",
                    ),
                ),
            ],
        )
    ]
