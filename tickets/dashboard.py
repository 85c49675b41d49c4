"""The homepage reports: incidents by sub category and by state, exact and quick.

Staff who see every incident read the tallies (a few hundred rows, whatever the number of
tickets); a vendor's staff, who see only some, are counted from the tickets they may see.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery, Sum

from taxonomy.models import Category

from .models import HeldTally, Ticket, TicketTally


def report(user) -> dict:
    """Both reports from one query: counts per sub category and state, with the sub
    category's name, summed here both ways."""
    if user.sees_all_incidents():
        rows = TicketTally.objects.filter(n__gt=0)
        total = Sum("n")
    elif len(user.group_ids()) == 1:
        # A vendor's staff see the tickets their group holds or held: its held tallies.
        rows = HeldTally.objects.filter(group_id__in=user.group_ids(), n__gt=0)
        total = Sum("n")
    else:
        # In several vendor groups a ticket may be held by two of them: count tickets.
        rows = Ticket.objects.visible_to(user)
        total = Count("pk")
    name = Category.objects.filter(pk=OuterRef("sub_category_id")).values("name")[:1]
    by_sub: dict[int, int] = {}
    by_status: dict[str, int] = {}
    names: dict[int, str | None] = {}
    for sub, status, sub_name, n in (
        rows.values("sub_category_id", "status")
        .annotate(total=total, sub_name=Subquery(name))
        .order_by()
        .values_list("sub_category_id", "status", "sub_name", "total")
    ):
        sub = sub or 0
        by_sub[sub] = by_sub.get(sub, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        names[sub] = sub_name
    labels = dict(Ticket.Status.choices)
    return {
        "by_sub_category": sorted(
            ({"name": names.get(pk), "n": n} for pk, n in by_sub.items() if n),
            key=lambda row: (-row["n"], row["name"] or ""),
        ),
        "by_status": [
            {"status": status, "label": str(labels[status]), "n": by_status[status]}
            for status in Ticket.Status.values
            if by_status.get(status)
        ],
    }
