"""The database triggers that give accounts.ReferenceVersion a new number on every change to
the reference data the pages keep between requests (accounts/reference.py): the taxonomy,
the pick lists, the groups and their members, and the people's names and whether they are
active.

The number is random (63 bits on SQLite, about 52 on PostgreSQL): what a process kept is
loaded again when the number differs, and a number never comes back in practice, not after a
rolled-back change nor after the row was emptied (a test database's flush). A counter or a
clock would give the same number again in either case.

Migration tickets 0011 installs them, and every ``migrate`` installs them again
(TicketsConfig.ready): a later migration that rebuilds one of these tables (SQLite rebuilds a
table to alter a column) drops its triggers with it.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

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
TRIGGER = "reference_changed"
MIGRATION = ("tickets", "0011_reference_version_triggers")

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
SQLITE_EVENTS = ("insert", "delete", "update")


def watched_tables(apps) -> dict[str, tuple[str, ...] | None]:
    """The watched tables (of the models in ``apps``) and the columns whose change counts."""
    tables = {}
    for (app, name), columns in WATCHED.items():
        tables[apps.get_model(app, name)._meta.db_table] = columns
    group = apps.get_model("accounts", "AssignmentGroup")
    tables[group._meta.get_field("members").remote_field.through._meta.db_table] = None
    return tables


def install(connection: BaseDatabaseWrapper, tables: dict[str, tuple[str, ...] | None]) -> None:
    """Create the triggers, replacing those there are."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        for table, columns in tables.items():
            update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR TRUNCATE OR {update} "
                    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
                )
            elif connection.vendor == "sqlite":
                for event, statement in zip(
                    SQLITE_EVENTS, ("INSERT", "DELETE", update), strict=True
                ):
                    name = f"{table}_{TRIGGER}_{event}"
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(
                        f"CREATE TRIGGER {name} AFTER {statement} ON {table} "
                        f"BEGIN {SQLITE_BUMP} END"
                    )


def remove(connection: BaseDatabaseWrapper, tables) -> None:
    """Drop the tables' triggers (and the function they call, once no trigger calls it)."""
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            elif connection.vendor == "sqlite":
                for event in SQLITE_EVENTS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{TRIGGER}_{event}")
    if connection.vendor == "postgresql" and not installed(connection):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


def installed(connection: BaseDatabaseWrapper) -> set[str]:
    """The tables that have the triggers (all three of them, on SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [TRIGGER],
            )
            return {table for (table,) in cursor.fetchall()}
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            names: dict[str, set[str]] = {}
            for table, name in cursor.fetchall():
                names.setdefault(table, set()).add(name)
            return {
                table
                for table, found in names.items()
                if all(f"{table}_{TRIGGER}_{event}" in found for event in SQLITE_EVENTS)
            }
    return set()


def reinstall_after_migrate(sender, *, using: str, apps=None, **kwargs) -> None:
    """post_migrate (sent by migrate, and by flush without ``apps``): install the triggers
    again once their migration is applied."""
    from django.apps import apps as installed_apps
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    apps = apps or installed_apps
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    if MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return
    install(connection, watched_tables(apps))
