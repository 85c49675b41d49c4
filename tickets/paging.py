"""Pagination for long lists: exact totals, and the last pages as quick as the first."""

from django.core.paginator import Page, Paginator


class ReversiblePaginator(Paginator):
    """Reads pages in the second half of the list from its end, in reverse order.

    A database skips OFFSET rows one by one, so page 1,000 of a queue would read 50,000 rows
    to show 50. Counting from the far end keeps every offset under half the list. The
    queryset must be ordered by a unique key (the queues add the id to every ordering).
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        count: int | None = None,
        columns=None,
        near_rows=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        # What a page's rows are read with (e.g. TicketQuerySet.for_list); the ids are read
        # from the plain queryset, whose joins would keep the database off the index alone.
        self.columns = columns
        # near_rows(offset, limit, from_end): the same rows near an end of the list read by
        # other means (a query compiled once, tickets/prepared.py), or None where it has none.
        self.near_rows = near_rows
        if count is not None:
            # A total already known exactly (from the tallies) spares the COUNT query.
            self.__dict__["count"] = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if not hasattr(self.object_list, "reverse"):
            return super().page(number)
        from_end = bottom > self.count // 2
        offset = self.count - top if from_end else bottom
        rows = None
        if self.near_rows is not None and offset <= self.NEAR:
            rows = self.near_rows(offset, top - bottom, from_end)
        if rows is None:
            queryset = self.object_list.reverse() if from_end else self.object_list
            rows = self._rows(queryset, offset, top - bottom, self.columns)
        if from_end:
            rows.reverse()
        return Page(rows, number, self)

    # Up to this offset a page is read in one query; past it, ids first.
    NEAR = 500

    @staticmethod
    def _rows(queryset, offset: int, limit: int, columns=None) -> list:
        """Near an end of the list, the page's rows in one query. Further in, the page's ids
        first, from the index alone, then their rows: skipping thousands of index entries is
        cheap, skipping thousands of table rows (and their joins) is not."""
        if offset <= ReversiblePaginator.NEAR:
            rows = columns(queryset) if columns is not None else queryset
            return list(rows[offset : offset + limit])
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        rows = queryset.order_by().filter(pk__in=ids) if ids else []
        if ids and columns is not None:
            rows = columns(rows)
        by_id = {row["id"] if isinstance(row, dict) else row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]
