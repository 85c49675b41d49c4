"""Logging in with a username and password, and the logged-in user with their groups."""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from . import reference
from .models import AssignmentGroup, Company, ReferenceVersion, User

# The group and company columns each row adds to the user's, in this order.
GROUP_COLUMNS = ("id", "name", "company_id", "is_l1")
COMPANY_COLUMNS = ("id", "name", "is_vendor")


@cache
def _user_with_groups_sql() -> str:
    """The user's row once per active group (once with no group when in none), the groups in
    the order User.active_groups() gives them, and the version of the reference data
    (reference.py).

    Written as SQL, from the models' own tables and columns: the same query through the ORM
    took longer to compile than the database took to answer it, on every request.
    """
    qn = connection.ops.quote_name
    membership = AssignmentGroup.members.through._meta.db_table
    user_columns = ", ".join(f"u.{qn(field.column)}" for field in User._meta.concrete_fields)
    group_columns = ", ".join(f"g.{qn(column)}" for column in GROUP_COLUMNS)
    company_columns = ", ".join(f"c.{qn(column)}" for column in COMPANY_COLUMNS)
    version = (
        f"(SELECT v.{qn('number')} FROM {qn(ReferenceVersion._meta.db_table)} v "
        f"WHERE v.{qn('id')} = 1)"
    )
    return (
        f"SELECT {user_columns}, {group_columns}, {company_columns}, {version} "
        f"FROM {qn(User._meta.db_table)} u "
        f"LEFT JOIN {qn(membership)} m ON m.{qn('user_id')} = u.{qn('id')} "
        f"LEFT JOIN {qn(AssignmentGroup._meta.db_table)} g "
        f"ON g.{qn('id')} = m.{qn('assignmentgroup_id')} AND g.{qn('is_active')} = %s "
        f"LEFT JOIN {qn(Company._meta.db_table)} c ON c.{qn('id')} = g.{qn('company_id')} "
        f"WHERE u.{qn('id')} = %s "
        f"ORDER BY g.{qn('is_l1')} DESC, g.{qn('name')}"
    )


class MemberBackend(ModelBackend):
    """Django's own password login; the user of each request is read together with their
    active groups and the groups' companies, in one query.

    Nearly every page asks for the groups (what the user may see, the header's counters),
    so reading them with the user spares every page a round trip and an ORM query.
    """

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        with connection.cursor() as cursor:
            cursor.execute(_user_with_groups_sql(), [True, user_id])
            rows = cursor.fetchall()
        if not rows:
            return None
        user = _from_row(User, [field.attname for field in User._meta.concrete_fields], rows[0])
        width = len(User._meta.concrete_fields)
        groups = []
        for row in rows:
            group_values = row[width : width + len(GROUP_COLUMNS)]
            if group_values[0] is None:
                continue
            # Only active groups are joined.
            group = AssignmentGroup.from_db(
                connection.alias,
                (*GROUP_COLUMNS, "is_active"),
                (*group_values[:3], bool(group_values[3]), True),
            )
            company_id, company_name, is_vendor = row[width + len(GROUP_COLUMNS) : -1]
            group.company = Company.from_db(
                connection.alias, COMPANY_COLUMNS, (company_id, company_name, bool(is_vendor))
            )
            groups.append(group)
        user.set_active_groups(groups)
        reference.read_in_request(rows[0][-1])
        return user if self.user_can_authenticate(user) else None


def _from_row(model, attnames: list[str], row) -> object:
    """A model instance from a raw row, its values converted as the ORM converts them (SQLite
    returns dates as text and booleans as numbers)."""
    values = list(row[: len(attnames)])
    for position, field in enumerate(model._meta.concrete_fields):
        for converter in _converters(field):
            values[position] = converter(values[position], field.cached_col, connection)
    return model.from_db(connection.alias, attnames, values)


@cache
def _converters(field) -> tuple:
    column = field.cached_col
    return (*connection.ops.get_db_converters(column), *column.get_db_converters(connection))
