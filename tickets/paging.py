"""Pagination for long lists: exact totals, and the last pages as quick as the first."""

from django.core.paginator import Page, Paginator


class ReversiblePaginator(Paginator):
    """Reads pages in the second half of the list from its end, in reverse order.

    A database skips OFFSET rows one by one, so page 1,000 of a queue would read 50,000 rows
    to show 50. Counting from the far end keeps every offset under half the list. The
    queryset must be ordered by a unique key (the queues add the id to every ordering).
    """

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            # A total already known exactly (from the tallies) spares the COUNT query.
            self.__dict__["count"] = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if not hasattr(self.object_list, "reverse"):
            return super().page(number)
        if bottom <= self.count // 2:
            rows = self._rows(self.object_list, bottom, top - bottom)
        else:
            from_end = self.count - top
            rows = self._rows(self.object_list.reverse(), from_end, top - bottom)
            rows.reverse()
        return Page(rows, number, self)

    @staticmethod
    def _rows(queryset, offset: int, limit: int) -> list:
        """The page's ids first, from the index alone, then their rows: skipping thousands of
        index entries is cheap, skipping thousands of table rows is not."""
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        rows = queryset.order_by().filter(pk__in=ids) if ids else []
        by_id = {row["id"] if isinstance(row, dict) else row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]
