from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select written in one pass, straight from its choices: Django builds a dictionary and
    renders a template for each option, which made a list of hundreds (the countries) most of a
    page's time. Used for the lists' filters too. Option groups are written as Django writes them."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        # Every value and label is escaped as it is written (the standard library's escape: Django's
        # format_html for each of 250 options cost a millisecond).
        options = mark_safe(self._options(self.choices, selected))  # noqa: S308
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)

    def _options(self, choices, selected) -> str:
        parts = []
        for value, label in choices:
            if isinstance(label, (list, tuple)):  # a group: (its name, [(value, label), ...])
                parts.append(f'<optgroup label="{escape(str(value))}">{self._options(label, selected)}</optgroup>')
            else:
                text = "" if value is None else str(value)
                mark = " selected" if text in selected else ""
                parts.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')
        return "".join(parts)
