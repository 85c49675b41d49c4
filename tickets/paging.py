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
        if bottom <= self.count // 2 or not hasattr(self.object_list, "reverse"):
            return super().page(number)
        from_end = self.count - top
        rows = list(self.object_list.reverse()[from_end : from_end + (top - bottom)])
        rows.reverse()
        return Page(rows, number, self)
