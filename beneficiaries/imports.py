"""Import of beneficiaries from the spreadsheets field offices keep (CSV or XLSX).

Reading is defensive: size and row limits, the file's content must match its extension, a
workbook is measured before it is opened (decompression bombs) and its XML parsed safely
(openpyxl uses defusedxml when it is installed). What real offices produce is accepted: UTF-8 with
or without BOM or Windows-1252, comma or semicolon, dates as 31/12/1990 or 1990-12-31, headers in
French or English.

``preview`` checks every row against the registry with a fixed number of queries, whatever the
number of rows, and says what is wrong by row and column. ``commit`` writes all rows or none.
"""

import csv
import io
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache
from xml.parsers import expat

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from core.names import fold, name_key
from core.security import log_event
from core.signals import data_changed
from projects.selectors import cities_of

from . import rules
from .duplicates import THRESHOLD as DUPLICATE_THRESHOLD
from .duplicates import find_duplicates_of_many, score_candidate, shared_values, split_by_visibility
from .models import AccessLog, Beneficiary
from .services import derive_fields, record_cross_project_matches, reserve_references

XLSX_MAGIC = b"PK\x03\x04"
MAX_EXPANSION_RATIO = 100  # a workbook's XML compresses about 10:1; a bomb, a thousand or more
# A ratio alone lets a 5 MB workbook expand to 300 MB of XML (62:1), which costs openpyxl minutes.
# So what a workbook may cost is also bounded by what an import can hold: IMPORT_MAX_ROWS rows under
# a header, of at most MAX_COLUMNS columns. Empty but formatted rows and cells count: reading them
# costs as much as full ones.
MAX_COLUMNS = 50
SHEET_BYTES_PER_CELL = 200  # a cell's XML takes 20 to 60 bytes; 200 leaves room for long texts
STRINGS_BYTES_PER_CELL = 20  # most cells are dates, codes or repeated words: 20 bytes each is generous
XML_ELEMENTS_PER_CELL = 4  # <c> and <v>, <f> or an inline text's <is><t>; one more for rows and the rest
EXCEL_MAX_COLUMNS = 16_384  # Excel's own limit (column XFD): a longer row was not made by a spreadsheet

# Columns: the field, its label (for messages and the template), and the headers accepted (folded).
COLUMNS = [
    ("last_name", gettext_lazy("Last name"), ["last name", "surname", "nom", "nom de famille"]),
    ("first_name", gettext_lazy("First name"), ["first name", "given name", "prenom", "prenoms"]),
    (
        "other_last_name",
        gettext_lazy("Last name in the other script"),
        ["other last name", "last name in arabic", "nom en arabe", "last name in latin letters"],
    ),
    (
        "other_first_name",
        gettext_lazy("First name in the other script"),
        ["other first name", "first name in arabic", "prenom en arabe", "first name in latin letters"],
    ),
    ("sex", gettext_lazy("Sex"), ["sex", "gender", "sexe", "genre"]),
    ("date_of_birth", gettext_lazy("Date of birth"), ["date of birth", "birth date", "date de naissance"]),
    ("nationality", gettext_lazy("Nationality"), ["nationality", "nationalite"]),
    ("city", gettext_lazy("City"), ["city", "city of residence", "ville", "ville de residence"]),
    ("phone", gettext_lazy("Phone"), ["phone", "telephone", "tel"]),
    (
        "residence_card_number",
        gettext_lazy("Residence card number"),
        ["residence card number", "residence card", "numero de carte de sejour", "carte de sejour"],
    ),
    ("regularization_year", gettext_lazy("Regularization year"), ["regularization year", "annee de regularisation"]),
    (
        "consent_processing",
        gettext_lazy("Consents to the processing of their data"),
        [
            "consents to the processing of their data",
            "consent to processing",
            "consent processing",
            "consentement au traitement",
            "consentement traitement",
        ],
    ),
    (
        "consent_processing_date",
        gettext_lazy("Date of consent"),
        ["date of consent", "consent date", "date du consentement", "consent processing date"],
    ),
    (
        "consent_sharing",
        gettext_lazy("Consents to sharing with partners"),
        [
            "consents to sharing with partners",
            "consent to sharing",
            "consent sharing",
            "consentement au partage",
            "consentement partage",
        ],
    ),
]
# Columns of a KoboToolbox (or ODK) export, beside its questions (beneficiaries.xlsforms): the
# submission's id makes a second import of the same export add nothing; the time it was sent stands
# for the date of consent when the form did not ask it. Not in the template.
SUBMISSION_COLUMNS = [
    ("source_id", gettext_lazy("Submission id"), ["uuid", "meta instanceid", "instanceid"]),
    ("submitted_at", gettext_lazy("Submission time"), ["submission time"]),
]
REQUIRED = ["last_name", "first_name", "sex", "date_of_birth", "nationality", "city", "consent_processing"]
LABELS = {name: label for name, label, _aliases in [*COLUMNS, *SUBMISSION_COLUMNS]}
HEADER_TO_FIELD = {alias: name for name, _label, aliases in [*COLUMNS, *SUBMISSION_COLUMNS] for alias in aliases}
SOURCE_ID = re.compile(r"[A-Za-z0-9:_-]{1,64}")

# Values as written in French, English and Arabic (folded: أنثى is "انثى").
YES = {"yes", "y", "oui", "o", "1", "true", "vrai", "x", "نعم"}
NO = {"no", "n", "non", "0", "false", "faux", "", "لا"}
SEXES = {
    **{"f": "F", "femme": "F", "female": "F", "woman": "F", "انثى": "F", "امراة": "F"},
    **{"m": "M", "h": "M", "homme": "M", "male": "M", "man": "M", "ذكر": "M", "رجل": "M"},
}


@cache
def _header_fields() -> dict[str, str]:
    """Every header a column is known by: its aliases, and its label in each language of the site
    (the template's headers, in whichever language it was downloaded)."""
    fields = dict(HEADER_TO_FIELD)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, label, _aliases in COLUMNS:
                fields.setdefault(" ".join(fold(str(label)).split()), name)
    return fields


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"]


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the person who sent it."""


@dataclass
class RowProblem:
    row: int
    column: str
    message: str
    value: str = ""  # what the cell held, echoed so the person finds it in their file


@dataclass
class ImportRow:
    number: int
    data: dict
    likely_duplicates: list = field(default_factory=list)  # (reference, score) of the project's people it may be
    # Likely duplicates in other projects (duplicates.Candidate): never shown to the importer, put on
    # the two projects' review list when the row is committed.
    cross_project: list = field(default_factory=list)


@dataclass
class RowOutcome:
    """What the commit will do with one row of the file, for the preview's list of every row."""

    number: int
    name: str
    outcome: str  # "import", "confirm", "registered" or "problem"
    detail: str = ""

    @property
    def is_imported(self) -> bool:
        return self.outcome == "import"

    @property
    def needs_confirmation(self) -> bool:
        return self.outcome == "confirm"

    @property
    def is_registered(self) -> bool:
        return self.outcome == "registered"


@dataclass
class Preview:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    already_registered: list[tuple[int, str]] = field(default_factory=list)  # (row, reference)
    names: dict[int, str] = field(default_factory=dict)  # row number -> the name it holds

    def outcomes(self) -> list[RowOutcome]:
        """Every row of the file and what becomes of it, in the file's order."""
        lines = [
            RowOutcome(
                row.number,
                self.names.get(row.number, ""),
                "confirm" if row.likely_duplicates else "import",
                ", ".join(reference for reference, _score in row.likely_duplicates),
            )
            for row in self.rows
        ]
        lines += [
            RowOutcome(number, self.names.get(number, ""), "registered", reference)
            for number, reference in self.already_registered
        ]
        problems = {}
        for problem in self.problems:
            problems.setdefault(problem.row, []).append(problem.message)
        lines += [
            RowOutcome(number, self.names.get(number, ""), "problem", " ".join(messages))
            for number, messages in problems.items()
        ]
        return sorted(lines, key=lambda line: line.number)

    @property
    def flagged(self) -> list[ImportRow]:
        return [row for row in self.rows if row.likely_duplicates]

    @property
    def can_commit(self) -> bool:
        return bool(self.rows) and not self.problems


SHOWN_PROBLEMS = 500
SHOWN_ROWS = 500
SHOWN_FLAGGED = 100


@dataclass
class FlaggedRow:
    """A row that may be someone already registered, as the preview names it."""

    number: int
    name: str
    likely_duplicates: list  # [reference, score]


@dataclass
class PreviewSummary:
    """What the preview page shows of a Preview, kept with the import job as JSON between the job
    that checks the file and the page (and its reloads): counts, and the first rows of each list."""

    to_import: int
    already_registered: int
    problem_count: int
    problems: list[RowProblem]
    flagged_count: int
    flagged: list[FlaggedRow]
    flagged_rows: list[int]  # the numbers of every flagged row, to see if a commit finds others
    row_count: int
    outcomes: list[RowOutcome]

    @property
    def can_commit(self) -> bool:
        return bool(self.to_import) and not self.problem_count

    @property
    def more_problems_than_shown(self) -> bool:
        return self.problem_count > len(self.problems)

    @property
    def more_rows_than_shown(self) -> bool:
        return self.row_count > len(self.outcomes)

    @classmethod
    def of(cls, result: Preview) -> "PreviewSummary":
        outcomes = result.outcomes()
        flagged = result.flagged
        return cls(
            to_import=len(result.rows),
            already_registered=len(result.already_registered),
            problem_count=len(result.problems),
            # Lazy labels become text here, in the job's language: the summary is stored as JSON.
            problems=[
                RowProblem(problem.row, str(problem.column), str(problem.message), str(problem.value))
                for problem in result.problems[:SHOWN_PROBLEMS]
            ],
            flagged_count=len(flagged),
            flagged=[
                FlaggedRow(row.number, result.names.get(row.number, ""), [list(pair) for pair in row.likely_duplicates])
                for row in flagged[:SHOWN_FLAGGED]
            ],
            flagged_rows=[row.number for row in flagged],
            row_count=len(outcomes),
            outcomes=[
                RowOutcome(line.number, line.name, line.outcome, str(line.detail)) for line in outcomes[:SHOWN_ROWS]
            ],
        )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "PreviewSummary":
        return cls(
            **{
                **data,
                "problems": [RowProblem(**problem) for problem in data["problems"]],
                "flagged": [FlaggedRow(**row) for row in data["flagged"]],
                "outcomes": [RowOutcome(**line) for line in data["outcomes"]],
            }
        )


# --- Reading the file ---------------------------------------------------------------------------


def check_file_size(size: int) -> None:
    """Raises ImportFileError for a file too large to import. The upload page asks it before reading
    the file into memory; ``read_table`` asks again of whatever it is given."""
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB: split it into smaller files.")
            % {"size": settings.IMPORT_MAX_BYTES // 1_000_000}
        )


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The sheet as rows of text cells, the header first. Raises ImportFileError."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    check_file_size(len(content))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        rows = _read_xlsx(content)
    elif extension == "csv":
        rows = _read_csv(content)
    else:
        raise ImportFileError(_("Only CSV and XLSX (Excel) files can be imported."))
    rows = [row for row in rows if any(cell for cell in row)]
    if len(rows) < 2:
        raise ImportFileError(_("The file has no rows under its header."))
    if len(rows) - 1 > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(rows)s rows: split it into smaller files.")
            % {"rows": _thousands(settings.IMPORT_MAX_ROWS)}
        )
    return rows


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _looks_like_markup(content: bytes) -> bool:
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<table"))


def _read_csv(content: bytes) -> list[list[str]]:
    if content.startswith(XLSX_MAGIC) or content.startswith(b"%PDF"):
        raise ImportFileError(_("This file is not a CSV file, whatever its name says."))
    if _looks_like_markup(content):
        raise ImportFileError(_("This file is a web page (HTML or XML), not a CSV file."))
    if b"\x00" in content:
        raise ImportFileError(_("This file is not plain text: save it as “CSV UTF-8” and try again."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")  # what Excel on Windows writes as "CSV"
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The file's characters could not be read: save it as “CSV UTF-8” and try again.")
            ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s.") % {"error": error}) from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    if not content.startswith(XLSX_MAGIC):
        raise ImportFileError(_("This file is not an Excel workbook (XLSX), whatever its name says."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportFileError(_("This Excel workbook is damaged and cannot be opened.")) from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise ImportFileError(_("This file is not an Excel workbook (XLSX), whatever its name says."))
    expanded = sum(entry.file_size for entry in entries)
    if expanded > settings.IMPORT_MAX_BYTES * MAX_EXPANSION_RATIO or any(
        entry.compress_size and entry.file_size / entry.compress_size > MAX_EXPANSION_RATIO for entry in entries
    ):
        raise ImportFileError(_("This workbook expands to an unsafe size when opened; it was not read."))
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    max_rows, max_cells = _limits()
    sizes = {entry.filename: entry.file_size for entry in entries}  # the last of a repeated name, as zipfile
    try:
        # openpyxl's load_workbook in steps, so that what grows with the data is measured before
        # openpyxl reads it: it keeps the shared strings whole in memory, reads every sheet once when
        # the workbook opens (to find its size), and builds each row whole. Parts are found as
        # openpyxl finds them (a hostile file can rename them); external links are not read.
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()  # [Content_Types].xml: where the shared strings and the workbook are
        reader.read_workbook()  # the workbook's part and its relationships: where the sheets are
        strings = reader.package.find(SHARED_STRINGS)
        if strings is not None and sizes.get(strings.PartName[1:], 0) > max_cells * STRINGS_BYTES_PER_CELL:
            raise ImportFileError(
                _(
                    "This workbook holds more text than %(rows)s rows of %(columns)d columns could: it was not "
                    "read. Copy only your data into a new workbook and try again."
                )
                % {"rows": _thousands(settings.IMPORT_MAX_ROWS), "columns": MAX_COLUMNS}
            )
        sheets = [(rel.target, rel.Type) for _sheet, rel in reader.parser.find_sheets()]
        # The sheet imported is the first worksheet openpyxl would take (charts are not worksheets).
        path = next(target for target, kind in sheets if "chartsheet" not in kind and target in reader.valid_files)
        if sizes[path] > max_cells * SHEET_BYTES_PER_CELL:
            raise ImportFileError(
                _(
                    "This workbook's sheet is larger than %(rows)s rows of %(columns)d columns could be: it was "
                    "not read. Copy only your data into a new workbook and try again."
                )
                % {"rows": _thousands(settings.IMPORT_MAX_ROWS), "columns": MAX_COLUMNS}
            )
        _count_sheet_xml(archive, path, max_rows, max_cells)
        # The other sheets are never imported: openpyxl skips the parts missing from valid_files, so
        # they are not read at all, whatever their size.
        others = {target for target, _kind in sheets} - {path}
        reader.valid_files = [name for name in reader.valid_files if name not in others]
        reader.read()  # every part but the sheet's rows (the manifest and workbook again: they are small)
        workbook = reader.wb
        sheet = workbook.worksheets[0]
        rows, cells = [], 0
        for values in sheet.iter_rows(values_only=True):
            # Counted again as openpyxl yields them: it adds the rows a sheet skips (a lone row 900000
            # yields 899,999 empty ones) and pads every row to the sheet's declared width.
            cells += len(values)
            if len(rows) + 1 > max_rows:
                raise _too_many_rows()
            if cells > max_cells:
                raise _too_many_cells()
            rows.append([_cell_text(value) for value in values])
        workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl and defusedxml raise many kinds; each means "cannot be read safely"
        raise _unsafe_workbook() from None
    return rows


def _limits() -> tuple[int, int]:
    """The rows (the header included) and the cells a sheet may hold, empty ones included."""
    rows = settings.IMPORT_MAX_ROWS + 1
    return rows, rows * MAX_COLUMNS


def _unsafe_workbook() -> ImportFileError:
    return ImportFileError(_("This Excel workbook could not be read safely; save it again and retry."))


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet has more than %(rows)s rows under its header, counting empty ones: delete the empty rows "
            "under your data, or split the file into smaller files."
        )
        % {"rows": _thousands(settings.IMPORT_MAX_ROWS)}
    )


def _too_many_cells() -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet has more than %(cells)s cells, counting empty ones: an import holds at most %(rows)s rows "
            "under a header, of %(columns)d columns. Delete the empty rows and columns around your data."
        )
        % {"cells": _thousands(_limits()[1]), "rows": _thousands(settings.IMPORT_MAX_ROWS), "columns": MAX_COLUMNS}
    )


def _count_sheet_xml(archive: zipfile.ZipFile, path: str, max_rows: int, max_cells: int) -> None:
    """Count the rows and cells of the sheet's XML before openpyxl reads it. Raises ImportFileError.

    openpyxl reads the whole sheet when the workbook opens, unless a <dimension> comes first, and
    builds each row whole before yielding it: one row of a million cells (10 MB of XML, 170 kB
    compressed) would cost half a gigabyte before the count in _read_xlsx could stop it. expat keeps
    no tree: this costs no memory, and stops at the first limit passed."""
    rows = cells = cells_in_row = elements = 0

    def start(name, _attributes):
        nonlocal rows, cells, cells_in_row, elements
        elements += 1
        tag = name.rpartition(" ")[2]  # "namespace row" -> "row": counted whatever its namespace
        if tag == "row":
            rows, cells_in_row = rows + 1, 0
            if rows > max_rows:
                raise _too_many_rows()
        elif tag == "c":
            cells, cells_in_row = cells + 1, cells_in_row + 1
            if cells > max_cells:
                raise _too_many_cells()
            if cells_in_row > EXCEL_MAX_COLUMNS:
                raise _unsafe_workbook()
        if elements > max_cells * XML_ELEMENTS_PER_CELL:  # tags that are neither rows nor cells
            raise _unsafe_workbook()

    def refuse_doctype(*_arguments):
        raise _unsafe_workbook()  # a sheet has none; entity expansion ("billion laughs") starts there

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    with archive.open(path) as source:
        parser.ParseFile(source)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- Checking the rows --------------------------------------------------------------------------


def _map_headers(header: list[str]) -> dict[int, str]:
    mapping = {}
    for index, title in enumerate(header):
        name = _header_fields().get(" ".join(fold(title).split()))
        if name and name not in mapping.values():
            mapping[index] = name
    missing = [str(LABELS[name]) for name in REQUIRED if name not in mapping.values()]
    if missing:
        raise ImportFileError(
            _("Columns missing: %(columns)s. Download the template to see the expected columns.")
            % {"columns": ", ".join(missing)}
        )
    return mapping


def _parse_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _country_codes() -> dict[str, str]:
    """Folded country names in French and English, and ISO codes, to their code."""
    lookup = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                lookup[fold(str(name))] = code
    for code, _name in countries:
        lookup[code.casefold()] = code
    return lookup


def _check_row(
    values: dict, number: int, today: date, cities: dict, nations: dict, phone_region: str
) -> tuple[dict, list[RowProblem]]:
    problems, data = [], {}

    def problem(column, message):
        problems.append(RowProblem(number, str(LABELS[column]), message, str(values.get(column, ""))[:100]))

    def check(column, rule, *args, **kwargs) -> bool:
        """Apply one of the record's rules (beneficiaries.rules), as the form does; False if refused."""
        try:
            rule(*args, **kwargs)
        except ValidationError as error:
            problem(column, rules.message_of(error))
            return False
        return True

    for column in ("first_name", "last_name"):
        name = rules.normalize_name(values.get(column, ""))
        if not name:
            problem(column, _("Required."))
        else:
            check(column, rules.check_name, name)
        data[column] = name
    name = f"{data['first_name']} {data['last_name']}"
    for column in ("other_first_name", "other_last_name"):
        other_name = rules.normalize_name(values.get(column, ""))
        if other_name and check(column, rules.check_name, other_name) and name.strip():
            check(column, rules.check_other_script, name, other_name)
        data[column] = other_name
    sex = SEXES.get(fold(values.get("sex", "")))
    if sex is None:
        problem("sex", _("Write F or M (Femme/Homme, Female/Male)."))
    data["sex"] = sex
    born = _parse_date(values.get("date_of_birth", ""))
    if not values.get("date_of_birth"):
        problem("date_of_birth", _("Required."))
    elif born is None:
        problem("date_of_birth", _("Not a date: write it as 31/12/1990 or 1990-12-31."))
    else:
        check("date_of_birth", rules.check_date_of_birth, born, today=today)
    data["date_of_birth"] = born
    nationality = nations.get(fold(values.get("nationality", "")))
    if nationality is None:
        problem("nationality", _("Unknown country: write its name or its two-letter code (SN, CI…)."))
    data["nationality"] = nationality
    city = cities.get(fold(values.get("city", "")))
    if city is None:
        examples = ", ".join(sorted({city.name for city in cities.values()})[:2])
        problem(
            "city",
            _("Unknown city: use a city of the project’s country known to Masar (%(examples)s…).")
            % {"examples": examples},
        )
    data["city"] = city
    phone = values.get("phone", "")
    data["phone"] = ""
    if phone:
        try:
            parsed = phonenumbers.parse(phone, phone_region)
            if not phonenumbers.is_valid_number(parsed):
                raise phonenumbers.NumberParseException(0, "invalid")
            data["phone"] = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            problem("phone", _("Not a valid phone number."))
    card = values.get("residence_card_number", "")
    if len(card) > 30:
        problem("residence_card_number", _("At most 30 characters."))
    data["residence_card_number"] = card
    year = values.get("regularization_year", "")
    data["regularization_year"] = None
    if year:
        if not year.isdigit():
            problem("regularization_year", _("Write the year in digits, for example 2014."))
        elif check("regularization_year", rules.check_regularization_year, int(year), today=today):
            data["regularization_year"] = int(year)
    consent = fold(values.get("consent_processing", ""))
    if consent not in YES:
        problem(
            "consent_processing",
            _("A person can only be registered with their consent to the processing of their data (write yes/oui)."),
        )
    data["consent_processing"] = True
    # A phone form's submission (KoboToolbox, ODK): its id, and the day it was sent.
    source_id = values.get("source_id", "").strip()
    if source_id and not SOURCE_ID.fullmatch(source_id):
        problem("source_id", _("Not a submission id: letters, digits, dashes and colons, at most 64."))
    data["source_id"] = source_id
    consented_on = values.get("consent_processing_date", "") or values.get("submitted_at", "")[:10]
    data["consent_processing_date"] = _parse_date(consented_on) if consented_on else today
    if data["consent_processing_date"] is None or data["consent_processing_date"] > today:
        problem("consent_processing_date", _("Not a date, or a date in the future."))
    data["consent_processing_method"] = (
        Beneficiary.ConsentMethod.DIGITAL if source_id else Beneficiary.ConsentMethod.WRITTEN
    )
    sharing = fold(values.get("consent_sharing", ""))
    if sharing not in YES | NO:
        problem("consent_sharing", _("Write yes or no (oui/non)."))
    data["consent_sharing"] = sharing in YES
    data["consent_sharing_date"] = data["consent_processing_date"] if data["consent_sharing"] else None
    data["consent_sharing_method"] = Beneficiary.ConsentMethod.WRITTEN if data["consent_sharing"] else ""
    return data, problems


# Why two rows look like one person, in the words of the preview.
REASON_WORDS = {
    "name": gettext_lazy("name"),
    "date_of_birth": gettext_lazy("date of birth"),
    "nationality": gettext_lazy("nationality"),
    "phone": gettext_lazy("phone"),
    "residence_card_number": gettext_lazy("residence card"),
}


class _RowsOfTheFile:
    """The rows of a file read so far, to find a later row that is the same person as an earlier one
    by the rule of registration and of the registry check (duplicates.score_candidate): a person
    written twice, once with a card number and once without, or with a name spelled two ways.

    Only rows sharing a birth date, a phone or a card number are compared (duplicates.shared_values,
    as in the registry): a file of 10,000 rows compares each with a few."""

    def __init__(self):
        self.by_value: dict[tuple, list[tuple[int, Beneficiary]]] = {}

    @staticmethod
    def _values(data: dict) -> list[tuple]:
        return shared_values(
            date_of_birth=data["date_of_birth"], phone=data["phone"], card=data["residence_card_number"]
        )

    def same_person(self, data: dict) -> tuple[int, tuple[str, ...]] | None:
        """(row, reasons) of the earlier row most like this one, if it is likely the same person."""
        nearby = {number: person for value in self._values(data) for number, person in self.by_value.get(value, [])}
        scored = [(score_candidate(person, **_probe(data)), number) for number, person in nearby.items()]
        likely = [(candidate, number) for candidate, number in scored if candidate.score >= DUPLICATE_THRESHOLD]
        if not likely:
            return None
        candidate, number = max(likely, key=lambda item: (item[0].score, -item[1]))
        return number, candidate.reasons

    def add(self, number: int, data: dict) -> None:
        person = Beneficiary(**data)
        derive_fields(person)
        for value in self._values(data):
            self.by_value.setdefault(value, []).append((number, person))


def _natural_key(data: dict) -> tuple:
    if data["residence_card_number"]:
        return ("card", data["residence_card_number"].casefold())
    return ("person", name_key(data["first_name"], data["last_name"]), data["date_of_birth"], data["nationality"])


PROGRESS_EVERY_ROWS = 250


def preview(
    *,
    project,
    filename: str,
    content: bytes,
    visible_project_ids: set[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Preview:
    """Read and check a file against the registry, writing nothing. Raises ImportFileError.
    Likely duplicates are shown only in ``visible_project_ids`` (the importer's projects; by default
    the project imported into); others are kept for the review list. ``progress(checked, total)``
    is told the rows checked every PROGRESS_EVERY_ROWS rows, and once at the end."""
    table = read_table(filename, content)
    total = len(table) - 1
    progress = progress or (lambda checked, total: None)
    progress(0, total)
    mapping = _map_headers(table[0])
    today = timezone.localdate()
    # The project's country decides its cities and how a local phone number reads.
    cities = {fold(city.name): city for city in cities_of([project])}
    nations = _country_codes()
    result = Preview()
    earlier = _RowsOfTheFile()
    submissions = {}  # a submission id (from a phone form) to the first row that holds it
    for number, cells in enumerate(table[1:], start=2):
        checked = number - 2
        if checked and checked % PROGRESS_EVERY_ROWS == 0:
            progress(checked, total)
        values = {name: (cells[index] if index < len(cells) else "") for index, name in mapping.items()}
        result.names[number] = " ".join(f"{values.get('first_name', '')} {values.get('last_name', '')}".split())[:120]
        data, problems = _check_row(values, number, today, cities, nations, project.profile.phone_region)
        result.problems.extend(problems)
        if problems:
            continue
        if data["source_id"] and data["source_id"] in submissions:
            message = _("The same submission as row %(row)d: keep one of the two rows.")
            result.problems.append(RowProblem(number, "", message % {"row": submissions[data["source_id"]]}))
            continue
        submissions.setdefault(data["source_id"], number)
        same = earlier.same_person(data)
        if same is not None:
            row, reasons = same
            message = _("The same person as row %(row)d (%(reasons)s): keep one of the two rows, or correct this one.")
            reasons = ", ".join(str(REASON_WORDS[reason]) for reason in reasons)
            result.problems.append(RowProblem(number, "", message % {"row": row, "reasons": reasons}))
            continue
        earlier.add(number, data)
        result.rows.append(ImportRow(number, data))
    if result.rows:
        _set_aside_registered(project, result)
        _flag_likely_duplicates(result, visible_project_ids=visible_project_ids or {project.pk})
    progress(total, total)
    return result


def _set_aside_registered(project, result: Preview) -> None:
    """Rows already in the project (same submission id, same card, or same name, birth date and
    nationality) are left out: importing the same file twice adds nothing. Three queries at most."""
    cards = {row.data["residence_card_number"].casefold() for row in result.rows if row.data["residence_card_number"]}
    keys = {name_key(row.data["first_name"], row.data["last_name"]) for row in result.rows}
    sources = {row.data["source_id"] for row in result.rows if row.data["source_id"]}
    registered = {}
    if sources:
        for reference, source_id in Beneficiary.objects.filter(project=project, source_id__in=sources).values_list(
            "reference", "source_id"
        ):
            registered[("source", source_id)] = reference
    if cards:
        for reference, card in (
            # In lower case, as the card's index on PostgreSQL is (migration 0019).
            Beneficiary.objects.alias(card=Lower("residence_card_number"))
            .filter(project=project, card__in={card.lower() for card in cards})
            .values_list("reference", "residence_card_number")
        ):
            registered[("card", card.casefold())] = reference
    for reference, key, born, nationality in Beneficiary.objects.filter(project=project, name_key__in=keys).values_list(
        "reference", "name_key", "date_of_birth", "nationality"
    ):
        registered[("person", key, born, nationality)] = reference
    kept = []
    for row in result.rows:
        person = (
            "person",
            name_key(row.data["first_name"], row.data["last_name"]),
            row.data["date_of_birth"],
            row.data["nationality"],
        )
        source = ("source", row.data["source_id"])
        reference = registered.get(source) or registered.get(_natural_key(row.data)) or registered.get(person)
        if reference:
            result.already_registered.append((row.number, reference))
        else:
            kept.append(row)
    result.rows = kept


def _flag_likely_duplicates(result: Preview, *, visible_project_ids: set[int]) -> None:
    """The duplicate rule of registration (duplicates.find_duplicates_of_many, split_by_visibility),
    for every row at once."""
    found = find_duplicates_of_many([_probe(row.data) for row in result.rows])
    for row, candidates in zip(result.rows, found, strict=True):
        shown, row.cross_project = split_by_visibility(candidates, visible_project_ids=visible_project_ids)
        row.likely_duplicates = [(candidate.beneficiary.reference, candidate.score) for candidate in shown]


def _probe(data: dict) -> dict:
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "other_first_name": data["other_first_name"],
        "other_last_name": data["other_last_name"],
        "date_of_birth": data["date_of_birth"],
        "nationality": data["nationality"],
        "phone": data["phone"],
        "residence_card_number": data["residence_card_number"],
    }


# --- Writing ------------------------------------------------------------------------------------


@transaction.atomic
def commit(*, project, result: Preview, by, ip: str = "") -> list[Beneficiary]:
    """Register every row of a checked preview, or none: one transaction, a fixed number of queries.
    The people share one ``import_batch``, so that the list can show what this import brought."""
    if not result.can_commit:
        raise ValueError("Only a preview without problems can be committed.")
    count = len(result.rows)
    references = reserve_references(project, count)
    batch = f"{timezone.localtime():%Y%m%d-%H%M}-{secrets.token_hex(3)}"
    people = []
    for reference, row in zip(references, result.rows, strict=True):
        person = Beneficiary(project=project, reference=reference, created_by=by, import_batch=batch, **row.data)
        derive_fields(person)
        people.append(person)
    created = bulk_create_with_history(
        people, Beneficiary, batch_size=1000, default_user=by, default_change_reason="imported"
    )
    record_cross_project_matches(
        (person, candidate) for person, row in zip(created, result.rows, strict=True) for candidate in row.cross_project
    )
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=by, project=project, reference=person.reference, action=AccessLog.Action.CREATE, detail="import"
            )
            for person in people
        ],
        batch_size=1000,
    )
    data_changed.send(sender=Beneficiary)
    log_event("import", user=by, ip=ip, rows=count, project=project.code)
    return created


def template_rows() -> list[list[str]]:
    """The import template: the column titles in the active language, and one example row."""
    header = [str(label) for _name, label, _aliases in COLUMNS]
    example = {
        "last_name": "Diop",
        "first_name": "Aminata",
        "other_last_name": "ديوب",
        "other_first_name": "أميناتا",
        "sex": "F",
        "date_of_birth": "14/03/1992",
        "nationality": "SN",
        "city": "Rabat",
        "phone": "06 12 34 56 78",
        "residence_card_number": "",
        "regularization_year": "2014",
        "consent_processing": _("yes"),
        "consent_processing_date": timezone.localdate().strftime("%d/%m/%Y"),
        "consent_sharing": _("no"),
    }
    return [header, [example[name] for name, _label, _aliases in COLUMNS]]
