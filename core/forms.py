import functools
import unicodedata

from crispy_forms.layout import Div
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django_countries import countries


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (YYYY-MM-DD), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


@functools.cache
def _countries_in(language: str) -> list[tuple[str, str]]:
    return [(country.code, str(country.name)) for country in countries]


def country_choices() -> list[tuple[str, str]]:
    """The countries named and sorted in the active language, translated once per language: a form's
    country list otherwise translates 250 names each time it is built."""
    return _countries_in(get_language())


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


def style_plain_fields(form) -> None:
    """Bootstrap's classes on a form shown field by field without crispy-forms (a list's filters,
    where crispy cost more than the list): a select or an input, marked invalid and described by its
    message when its value was refused."""
    for name, field in form.fields.items():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            widget.attrs["aria-describedby"] = f"{form[name].auto_id}-error"
        widget.attrs["class"] = css


def form_row(*columns):
    """A Bootstrap row of equal columns (stacked on a phone)."""
    width = 12 // len(columns)
    return Div(*(Div(column, css_class=f"col-md-{width}") for column in columns), css_class="row")


def limit_number(field, low, high) -> None:
    """Limit a number field, in the browser and on the server (with the usual messages)."""
    field.min_value, field.max_value = low, high
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.widget.attrs.update(min=low, max=high)


class MarkGridForm(forms.Form):
    """One choice per row of a roster (present, absent...), the whole roster in one submit.

    ``sheet`` is a list of (record, current mark or ""); each record gets the field ``mark_<pk>``.
    Subclasses name the ``choices``, the ``default`` mark and the ``required_message``.
    """

    choices: list
    default: str
    required_message: str

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for record, mark in sheet:
            name = f"mark_{record.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(record),
                choices=self.choices,
                initial=mark or self.default,
                widget=forms.RadioSelect,
                error_messages={"required": self.required_message},
            )
            self.rows.append((record, name))

    @property
    def lines(self):
        """(record, bound field) per row, for the grid."""
        return [(record, self[name]) for record, name in self.rows]

    def marks(self) -> dict[int, str]:
        return {record.pk: self.cleaned_data[name] for record, name in self.rows}
