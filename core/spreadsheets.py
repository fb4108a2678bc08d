"""Spreadsheet downloads for every app: CSV streamed line by line, or XLSX written without holding
rows in memory, with every cell a spreadsheet would read as a formula made inert.

A cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a name
typed as ``=HYPERLINK(...)`` stays text when the file is opened.
"""

import csv
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import get_language
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Each start is one character: a cell's first character decides (a set, for exports' row loops).
FORMULA_FIRST = frozenset(FORMULA_STARTS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralize(value) -> str:
    """The cell's text, made inert for spreadsheets."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_FIRST else text


CSV_ROWS_PER_CHUNK = 500


def csv_lines(rows: Iterable[list[str]], *, delimiter: str) -> Iterator[str]:
    """Rows as CSV text after the byte-order mark that tells Excel it is UTF-8, sent 500 rows at a
    time: each piece a streaming response sends costs an encoding and a write of its own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    yield "\ufeff"
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CSV_ROWS_PER_CHUNK)):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_delimiter() -> str:
    """Semicolons for French Excel (the comma is its decimal separator), commas otherwise."""
    return ";" if get_language().startswith("fr") else ","


def csv_file(rows: Iterable[list[str]]):
    """A CSV of ``rows`` in a temporary file (for a file prepared by a job)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the storage that keeps it)
    for piece in csv_lines(rows, delimiter=csv_delimiter()):
        output.write(piece.encode())
    output.seek(0)
    return output


def spreadsheet_response(rows: Iterable[list[str]], *, file_format: str, filename: str, sheet_title: str):
    """A download of ``rows``: CSV streamed, or XLSX."""
    if file_format == "csv":
        lines = csv_lines(rows, delimiter=csv_delimiter())
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(xlsx_of(rows, sheet_title), as_attachment=True, filename=filename, content_type=XLSX)


def xlsx_of(rows: Iterable[list[str]], sheet_title: str):
    """A workbook of ``rows`` in a temporary file (openpyxl's write-only mode keeps rows out of memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for row in rows:
        sheet.append(row)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the FileResponse that sends it)
    workbook.save(output)
    output.seek(0)
    return output
