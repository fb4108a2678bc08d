import unicodedata

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def search_text(value: str, max_length: int = 100) -> str:
    """A search typed by a person: control characters (NUL, newlines) dropped, spaces trimmed, length
    capped. For query parameters read outside a form."""
    printable = "".join(char for char in value if unicodedata.category(char)[0] != "C")
    return printable.strip()[:max_length]


def safe_next_url(request, value: str | None) -> str:
    """``value`` if it leads back into this site (a path, no control characters), else ""."""
    value = value or ""
    if any(unicodedata.category(char)[0] == "C" for char in value):
        return ""
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}) else ""
