"""Exports of the registry as CSV and XLSX, written as a stream: rows are read from the database in
chunks and written out as they come, so memory does not grow with the number of people.

Every cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return) is neutralized
with a leading apostrophe, so a name typed as ``=HYPERLINK(...)`` stays text when opened.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from openpyxl import Workbook

from .models import AgeGroup, Beneficiary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralize(value) -> str:
    """The cell's text, made inert for spreadsheets."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _columns() -> list[tuple[str, str]]:
    """(header in the user's language, field read from the database)."""
    return [
        (_("Reference"), "reference"),
        (_("Project"), "project__code"),
        (_("Last name"), "last_name"),
        (_("First name"), "first_name"),
        (_("Sex"), "sex"),
        (_("Date of birth"), "date_of_birth"),
        (_("Age group"), "age_group"),
        (_("Nationality"), "nationality"),
        (_("City"), "city__name"),
        (_("Phone"), "phone"),
        (_("Education"), "education_level"),
        (_("Regularization"), "regularization_year"),
        (_("Status"), "status"),
        (_("Consents to sharing"), "consent_sharing"),
        (_("Registered on"), "created_at"),
    ]


def registry_rows(queryset: QuerySet[Beneficiary]) -> Iterator[list[str]]:
    """The people of ``queryset`` as spreadsheet rows, the header first, cells made inert."""
    columns = _columns()
    yield [header for header, _field in columns]
    labels = {
        "sex": dict(Beneficiary.Sex.choices),
        "age_group": dict(AgeGroup.choices),
        "nationality": dict(countries),
        "education_level": dict(Beneficiary.Education.choices),
        "status": dict(Beneficiary.Status.choices),
    }
    yes, no = _("yes"), _("no")
    fields = [field for _header, field in columns]
    for row in queryset.order_by("project__code", "reference").values_list(*fields).iterator(chunk_size=CHUNK):
        cells = []
        for field, value in zip(fields, row, strict=True):
            if field in labels:
                value = labels[field].get(value, value)
            elif isinstance(value, bool):
                value = yes if value else no
            elif field == "created_at":
                value = value.date().isoformat()
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            cells.append(neutralize(value))
        yield cells


class _Echo:
    """A file-like object that hands back what is written, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]], *, delimiter: str) -> Iterator[str]:
    """Rows as CSV text, line by line, after the byte-order mark that tells Excel it is UTF-8."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def spreadsheet_response(rows: Iterable[list[str]], *, file_format: str, filename: str, sheet_title: str = ""):
    """A download of ``rows``: CSV streamed (semicolons for French Excel, commas otherwise), or XLSX."""
    if file_format == "csv":
        delimiter = ";" if get_language().startswith("fr") else ","
        response = StreamingHttpResponse(csv_lines(rows, delimiter=delimiter), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(xlsx_of(rows, sheet_title), as_attachment=True, filename=filename, content_type=XLSX)


def xlsx_of(rows: Iterable[list[str]], sheet_title: str = ""):
    """A workbook of ``rows`` in a temporary file (openpyxl's write-only mode keeps rows out of memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title or _("Beneficiaries"))
    for row in rows:
        sheet.append(row)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the FileResponse that sends it)
    workbook.save(output)
    output.seek(0)
    return output
