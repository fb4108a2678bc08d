from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages by cursor on the view's ``ordering`` (a unique column): a client paging through
    100,000 people while others are registered skips nobody and sees nobody twice."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_ordering(self, request, queryset, view):
        ordering = getattr(view, "ordering", "-id")
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)

    def decode_cursor(self, request):
        """A cursor as DRF reads it, its position checked: a forged one is a 404, not a query error."""
        cursor = super().decode_cursor(request)
        by_id = self.ordering[0].lstrip("-") == "id"
        if by_id and cursor is not None and cursor.position is not None and not cursor.position.isdigit():
            raise NotFound(self.invalid_cursor_message)
        return cursor
