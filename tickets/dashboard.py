"""The homepage reports: incidents by sub category and by state, exact and quick.

Staff who see every incident read the tallies (a few hundred rows, whatever the number of
tickets); a vendor's staff, who see only some, are counted from the tickets they may see.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from taxonomy.models import Category

from .models import HeldTally, Ticket, TicketTally


def report(user) -> dict:
    if user.sees_all_incidents():
        rows = TicketTally.objects.filter(n__gt=0)
        by_sub = {
            row["sub_category_id"]: row["total"]
            for row in rows.values("sub_category_id").annotate(total=Sum("n")).order_by()
        }
        by_status = {
            row["status"]: row["total"]
            for row in rows.values("status").annotate(total=Sum("n")).order_by()
        }
    elif len(user.group_ids()) == 1:
        # A vendor's staff see the tickets their group holds or held: its held tallies.
        rows = HeldTally.objects.filter(group_id__in=user.group_ids(), n__gt=0)
        by_sub = {
            row["sub_category_id"]: row["total"]
            for row in rows.values("sub_category_id").annotate(total=Sum("n")).order_by()
        }
        by_status = {
            row["status"]: row["total"]
            for row in rows.values("status").annotate(total=Sum("n")).order_by()
        }
    else:
        # In several vendor groups a ticket may be held by two of them: count tickets.
        tickets = Ticket.objects.visible_to(user)
        by_sub = {
            row["sub_category_id"] or 0: row["total"]
            for row in tickets.values("sub_category_id").annotate(total=Count("pk")).order_by()
        }
        by_status = {
            row["status"]: row["total"]
            for row in tickets.values("status").annotate(total=Count("pk")).order_by()
        }
    names = dict(Category.objects.filter(pk__in=by_sub).values_list("pk", "name"))
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
