"""XLSForms (the spreadsheet form definitions KoboToolbox and ODK Collect read), written from our
own fields and codelists, with labels in every language of the site."""

import io

from django.conf import settings
from django.utils import translation
from openpyxl import Workbook

# XLSForm names a label's language as "Name (code)"; the phone shows the name in its menu.
FORM_LANGUAGES = {"fr": "Français (fr)", "en": "English (en)", "ar": "العربية (ar)"}


def translated_columns(column: str, message) -> dict[str, str]:
    """``label::Français (fr)``, ``label::English (en)``… for a translatable message."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[f"{column}::{FORM_LANGUAGES[code]}"] = str(message)
    return values


def question(kind: str, name: str, label, *, hint=None, constraint_message=None, **columns) -> dict:
    """One row of the survey sheet: its type, name, label (and hint, constraint message) in every
    language, and any other column (required, constraint, relevant, default…)."""
    row = {"type": kind, "name": name, **translated_columns("label", label), **columns}
    if hint is not None:
        row.update(translated_columns("hint", hint))
    if constraint_message is not None:
        row.update(translated_columns("constraint_message", constraint_message))
    return row


def choice(list_name: str, name: str, label) -> dict:
    return {"list_name": list_name, "name": name, **translated_columns("label", label)}


def choice_in_each_language(list_name: str, name: str, labels: dict[str, str]) -> dict:
    """A choice whose labels come already translated (country names, from their own catalogue)."""
    return {"list_name": list_name, "name": name, **{f"label::{FORM_LANGUAGES[c]}": labels[c] for c in labels}}


def workbook(*, survey: list[dict], choices: list[dict], form_title: str, form_id: str, version: str) -> bytes:
    """The XLSForm as an .xlsx file: survey, choices and settings sheets."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices)):
        sheet = book.create_sheet(title)
        columns = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") for column in columns])
    settings_sheet = book.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id", "version", "default_language"])
    settings_sheet.append([form_title, form_id, version, FORM_LANGUAGES[settings.LANGUAGE_CODE]])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
