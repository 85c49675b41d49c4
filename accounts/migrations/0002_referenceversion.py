from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("accounts", "ReferenceVersion").objects.create(pk=1, number=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ReferenceVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "reference data version"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
