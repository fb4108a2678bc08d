"""Django's SQLite backend, told how many parameters a query may really hold.

Django 5.2 assumes SQLite's old compile-time default of 999 variables per query, so bulk inserts
of a 30-column model go 33 rows at a time. SQLite 3.32+ allows 32,766 and Debian's build 250,000;
Django 6.0 asks the library, as this does. Bulk writes (imports) then take one query per 1,000 rows.
"""

import sqlite3
from functools import cached_property

from django.db.backends.sqlite3 import base, features


def _variable_limit() -> int:
    with sqlite3.connect(":memory:") as probe:
        return probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:
        return _variable_limit()


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
