"""Log formatting, importable before Django's apps are ready (the logging config loads it first)."""

import json
import logging
from datetime import UTC, datetime


class JsonLineFormatter(logging.Formatter):
    """A record whose message is a dict becomes one JSON line; other records are wrapped as text.

    JSON escapes control characters, so a value carrying a forged newline stays inside its line.
    """

    def format(self, record: logging.LogRecord) -> str:
        payload = record.msg if isinstance(record.msg, dict) else {"message": record.getMessage()}
        at = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="seconds")
        return json.dumps({"at": at, "level": record.levelname, **payload}, ensure_ascii=True, default=str)
