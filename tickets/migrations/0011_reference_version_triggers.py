"""Triggers that give accounts.ReferenceVersion a new number on every change to the reference
data the pages keep between requests (accounts/reference.py): the taxonomy, the pick lists, the
groups and their members, and the people's names and whether they are active.

The number is random (63 bits on SQLite, about 52 on PostgreSQL): what a process kept is
loaded again when the number differs, and a number never comes back in practice, not after a
rolled-back change nor after the row was emptied (a test database's flush). A counter or a
clock would give the same number again in either case.
"""

from django.db import migrations

# (app, model) -> the columns whose change counts (None: any change).
WATCHED = {
    ("taxonomy", "Category"): None,
    ("accounts", "AssignmentGroup"): None,
    ("accounts", "User"): ("username", "first_name", "last_name", "is_active"),
    ("tickets", "IncidentType"): None,
    ("tickets", "Location"): None,
    ("tickets", "Vendor"): None,
    ("tickets", "CloseCode"): None,
    ("tickets", "Template"): None,
}
VERSION_TABLE = "accounts_referenceversion"
FUNCTION = "accounts_reference_changed"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {VERSION_TABLE} (id, number) VALUES (1, (random() * 9e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number;
    RETURN NULL;
END $$
"""

SQLITE_BUMP = (
    f"INSERT INTO {VERSION_TABLE} (id, number) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET number = excluded.number;"
)


def _tables(apps) -> dict[str, tuple[str, ...] | None]:
    tables = {}
    for (app, name), columns in WATCHED.items():
        tables[apps.get_model(app, name)._meta.db_table] = columns
    group = apps.get_model("accounts", "AssignmentGroup")
    tables[group._meta.get_field("members").remote_field.through._meta.db_table] = None
    return tables


def create(apps, schema_editor):
    vendor, run = schema_editor.connection.vendor, schema_editor.execute
    for table, columns in _tables(apps).items():
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        if vendor == "postgresql":
            run(POSTGRESQL_FUNCTION)
            run(
                f"CREATE TRIGGER reference_changed AFTER INSERT OR DELETE OR TRUNCATE OR {update} "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )
        elif vendor == "sqlite":
            for event in ("INSERT", "DELETE", update):
                name = f"{table}_reference_{event.split()[0].lower()}"
                run(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END")


def drop(apps, schema_editor):
    vendor, run = schema_editor.connection.vendor, schema_editor.execute
    for table in _tables(apps):
        if vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS reference_changed ON {table}")
        elif vendor == "sqlite":
            for event in ("insert", "delete", "update"):
                run(f"DROP TRIGGER IF EXISTS {table}_reference_{event}")
    if vendor == "postgresql":
        run(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_referenceversion"),
        ("taxonomy", "0001_initial"),
        ("tickets", "0010_subcategory_index_in_list_order"),
    ]

    operations = [migrations.RunPython(create, drop)]
