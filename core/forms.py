import copy
import functools
import unicodedata
from dataclasses import dataclass
from html import escape

from crispy_forms.layout import Div
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import preferred_language


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


# How a form guides the person filling it in (after GOV.UK's design system).
OPTIONAL = _("(optional)")
CHOOSE = _("Choose…")
CHOICE_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)


def guide_fields(form) -> None:
    """A form's fields as GOV.UK's design system writes them: an optional field says so in its label
    (a required one carries no asterisk); a required field left empty says what to do, naming the
    field, rather than "This field is required"; a select starts with "Choose…", not dashes. Fields
    a form words itself (a message of its own, a label of its own) are left as they are."""
    if not getattr(form, "guided", True):
        return
    default_required = str(forms.Field.default_error_messages["required"])
    for field in form.fields.values():
        if isinstance(field.widget, forms.HiddenInput) or not field.label:
            continue
        is_choice = isinstance(field.widget, CHOICE_WIDGETS)
        if not field.required and not isinstance(field, forms.BooleanField):
            field.label = format_lazy("{} {}", field.label, OPTIONAL)
        if field.required and str(field.error_messages.get("required", "")) == default_required:
            message = _("Choose “%(label)s”.") if is_choice else _("Fill in “%(label)s”.")
            field.error_messages["required"] = message % {"label": field.label}
        if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
            field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.Select):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None):
                field.choices = [("", CHOOSE), *choices[1:]]


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


@dataclass(frozen=True)
class Radio:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class GridLine:
    record: object
    html_name: str
    errors: list[str]
    radios: list[Radio]


class MarkGridForm(forms.Form):
    """One choice per row of a roster (present, absent...), the whole roster in one submit.

    ``sheet`` is a list of (record, current mark or ""); each record gets the field ``mark_<pk>``.
    Subclasses name the ``choices``, the ``default`` mark and the ``required_message``.
    """

    choices: list
    default: str
    required_message: str
    guided = False  # a grid of marks, drawn by grid_html: no labels or empty choices to word

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        # One field made, then copied for each row with its own label and initial mark; the copies
        # share its choices, widget and messages, which nothing changes once made (a change to one
        # row's widget, its attrs say, would show on every row). Making a choice field for each of
        # 30 people cost as much as the rest of the sheet's form.
        prototype = forms.ChoiceField(
            choices=self.choices, widget=forms.RadioSelect, error_messages={"required": self.required_message}
        )
        for record, mark in sheet:
            name = f"mark_{record.pk}"
            field = copy.copy(prototype)
            field.label, field.initial = str(record), mark or self.default
            self.fields[name] = field
            self.rows.append((record, name))

    @functools.cached_property
    def lines(self) -> list["GridLine"]:
        """One line per row, for the grid: its record, its field's name and errors, and its radios
        as plain values. Iterating a bound field's radios builds a widget context for each of them,
        which made a sheet of 30 people three times the cost of an empty page; a bound field per row
        cost 0.4 ms more of the grid's 1.8 ms (30 people, tier M), so the mark is read as a bound
        field reads it (the submitted one, else the initial one)."""
        choices = [(str(value), str(label)) for value, label in self.choices]
        errors = self.errors if self.is_bound else {}
        lines = []
        for record, name in self.rows:
            html_name = self.add_prefix(name)
            field = self.fields[name]
            mark = self.data.get(html_name) if self.is_bound else self.get_initial_for_field(field, name)
            current = str(mark or "")
            auto_id = self.auto_id % html_name
            radios = [
                Radio(value=value, label=label, id=f"{auto_id}_{index}", checked=value == current)
                for index, (value, label) in enumerate(choices)
            ]
            lines.append(GridLine(record=record, html_name=html_name, errors=errors.get(name, []), radios=radios))
        return lines

    def describe(self, record) -> tuple[str, str]:
        """(name, detail) of a row's person, for its heading: subclasses say how."""
        raise NotImplementedError

    def grid_html(self, *, disabled: bool = False) -> str:
        """The grid's rows as HTML, written here: cell by cell in a template, a sheet of 30 people
        cost more than three empty pages (README, "Speed"). Every value is escaped as written."""
        rows = []
        for line in self.lines:
            name, detail = self.describe(line.record)
            who = f"who-{line.record.pk}"
            errors = "".join(
                f'<div class="text-danger small" id="err-{line.record.pk}">{escape(str(error))}</div>'
                for error in line.errors
            )
            cells = "".join(
                f'<td class="text-center p-0"><label class="attendance-choice d-block py-2" for="{radio.id}">'
                f'<input type="radio" class="form-check-input" name="{line.html_name}" value="{escape(radio.value)}"'
                f' id="{radio.id}"{" checked" if radio.checked else ""} aria-describedby="{who}"'
                f'{" disabled" if disabled else ""}><span class="visually-hidden">{escape(radio.label)}</span>'
                "</label></td>"
                for radio in line.radios
            )
            marked = ' class="table-danger"' if line.errors else ""
            rows.append(
                f'<tr{marked}><th scope="row" id="{who}" class="fw-normal text-wrap-anywhere">'
                f'<span dir="auto">{escape(name)}</span> <small class="text-body-secondary">{escape(detail)}</small>'
                f"{errors}</th>{cells}</tr>"
            )
        return mark_safe("\n".join(rows))  # noqa: S308 (every value escaped above)

    def marks(self) -> dict[int, str]:
        return {record.pk: self.cleaned_data[name] for record, name in self.rows}


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, its e-mail written in the language the account's owner chose (the
    link in it opens the site in that language), not in the language of whoever asked for it."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = preferred_language(context["user"]) or get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
