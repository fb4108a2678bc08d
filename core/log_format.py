"""Log formatting, importable before Django's apps are ready (the logging config loads it first)."""

import json
import logging
from datetime import UTC, datetime


def _utc(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")


class PlainLineFormatter(logging.Formatter):
    """``2026-12-03T09:20:50.123+00:00 WARNING django.request Not Found: /x``: the time in UTC
    with its offset, as the JSON lines write it."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_utc(record)} {record.levelname} {record.name} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class ExpectedRefusal(logging.Filter):
    """A refusal the site expects (a request for another host name): logged as a warning, without
    the traceback that says nothing an operator needs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


class JsonLineFormatter(logging.Formatter):
    """A record whose message is a dict becomes one JSON line; other records are wrapped as text.

    JSON escapes control characters, so a value carrying a forged newline stays inside its line.
    """

    def format(self, record: logging.LogRecord) -> str:
        payload = record.msg if isinstance(record.msg, dict) else {"message": record.getMessage()}
        line = {"at": _utc(record), "level": record.levelname, "logger": record.name, **payload}
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=True, default=str)
