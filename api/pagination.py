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
