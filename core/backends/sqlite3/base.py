"""Django's SQLite backend, told how many parameters a query may really hold.

Django 5.2 assumes SQLite's old compile-time default of 999 variables per query, so bulk inserts
of a 30-column model go 33 rows at a time. SQLite 3.32+ allows 32,766 and Debian's build 250,000;
Django 6.0 asks the library, as this does. Bulk writes (imports) then take one query per 1,000 rows.
It also remembers each connection's configured sync level (``configured_synchronous``).
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

    # The sync level the settings give a new connection (its init_command): read once per connection,
    # so that a block committing without waiting for the disk (core.transactions) puts it back
    # without asking for it on every person's page.
    configured_synchronous = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        (self.configured_synchronous,) = connection.execute("PRAGMA synchronous").fetchone()
        return connection
