"""Lists of records for staff: columns a reader can sort, pages of 25 rows, and a row count kept in
the cache while the data stays the same. Written by hand: a table library rendered each cell
through templates and accessors and cost most of the page (see README, "Speed")."""

import hashlib
from dataclasses import dataclass

import django_filters
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import get_language

from .forms import style_plain_fields
from .versioning import data_version

CACHE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Column:
    """A column of a list: its heading and, when it can be sorted, the key the URL names it by
    (``?sort=name``, ``?sort=-name``) and the fields it sorts on."""

    label: str
    key: str = ""
    order_by: tuple[str, ...] = ()
    numeric: bool = False


def cached_per_query(name: str, queryset, compute):
    """``compute()``, kept in the cache per ``queryset`` (its SQL holds the user's scope and the
    filters), data version (any change of the data computes it again) and language."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        sql, params = "nothing", ()
    digest = hashlib.sha256(f"{sql}\n{params!r}".encode()).hexdigest()
    key = f"{name}:{data_version()}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


class CachedCountPaginator(Paginator):
    """Counting every row that a search matches is the slowest step of a list of 100,000 people
    (a sequential scan on PostgreSQL): the count is kept per query and data version."""

    @cached_property
    def count(self) -> int:
        return cached_per_query("lists:count", self.object_list, self.object_list.count)


# Form classes of lists' filters, per filter set, reader and language (KeptFormFilterSet).
_filter_forms: dict[tuple, type] = {}
FILTER_FORMS_KEPT = 1000  # then forgotten all at once


class KeptFormFilterSet(django_filters.FilterSet):
    """A list's filters, whose form class is made once per filter set, reader (who they are, and
    whether active or superuser: what their city choices depend on) and language, and kept in the
    worker. django-filter makes it again for every page: a form field per filter, and the city
    filter's choices scoped by the reader's projects, which cost a tenth of the staff list's time.
    A kept class holds no data: the city filter's choices are a query for that reader, read anew by
    each form made from the class (each page makes its own, with its own copy of every field), so
    joining or leaving a project changes them at once."""

    def get_form_class(self):
        user = getattr(self.request, "user", None)
        reader = tuple(getattr(user, name, None) for name in ("pk", "is_active", "is_superuser"))
        key = (type(self), *reader, get_language())
        form_class = _filter_forms.get(key)
        if form_class is None:
            if len(_filter_forms) >= FILTER_FORMS_KEPT:
                _filter_forms.clear()
            form_class = _filter_forms[key] = super().get_form_class()
        return form_class


class SortedListMixin:
    """For a list view (a django-filter FilterView): sorts by the column the URL names, pages by 25
    with the cached count, and gives the template its headings, page links and filter fields styled
    for Bootstrap. A sort or a page that does not exist (``?sort=password``, ``?page=abc``) falls
    back to the default sort and the nearest page, as a reader would expect, never an error."""

    columns: tuple[Column, ...] = ()
    default_order: tuple[str, ...] = ("-pk",)  # until a reader sorts by a column
    tie_breaker = "pk"
    paginate_by = 25
    paginator_class = CachedCountPaginator

    @cached_property
    def sort(self) -> str:
        wanted = self.request.GET.get("sort", "")
        keys = {column.key for column in self.columns if column.key}
        return wanted if wanted.lstrip("-") in keys else ""

    def sort_fields(self) -> list[str]:
        if not self.sort:
            return list(self.default_order)
        descending = self.sort.startswith("-")
        column = next(column for column in self.columns if column.key == self.sort.lstrip("-"))
        fields = [f"-{name}" if descending else name for name in column.order_by]
        return [*fields, f"-{self.tie_breaker}" if descending else self.tie_breaker]

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset.order_by(*self.sort_fields()), page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        style_plain_fields(context["filter"].form)
        context["data_version"] = data_version()  # for the filters' cached fragment
        context["headings"] = [self._heading(column) for column in self.columns]
        page = context["page_obj"]
        context["page_links"] = [
            (number, self._url(page=number) if number != page.paginator.ELLIPSIS else "")
            for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ]
        context["previous_url"] = self._url(page=page.previous_page_number()) if page.has_previous() else ""
        context["next_url"] = self._url(page=page.next_page_number()) if page.has_next() else ""
        return context

    def _heading(self, column: Column) -> dict:
        heading = {"column": column, "url": "", "aria_sort": "", "ascending": False, "descending": False}
        if column.key:
            current = self.sort.lstrip("-") == column.key
            descending = self.sort.startswith("-")
            if current:
                heading["aria_sort"] = "descending" if descending else "ascending"
                heading["descending"], heading["ascending"] = descending, not descending
            # A heading sorts by its column; the current column's heading reverses it.
            heading["url"] = self._url(sort=f"-{column.key}" if current and not descending else column.key, page=None)
        return heading

    def _url(self, **changes) -> str:
        query = self.request.GET.copy()
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value
        return f"?{query.urlencode()}"
