"""Exports of the registry as rows for a spreadsheet, read from the database in chunks so that memory
does not grow with the number of people; ``core.spreadsheets`` writes them out. Every cell is made
inert for spreadsheets here, where the rows are made."""

from collections.abc import Iterator

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django_countries import countries

from core.spreadsheets import FORMULA_FIRST, neutralize

from .models import AgeGroup, Beneficiary

CHUNK = 2000


def _columns() -> list[tuple[str, str]]:
    """(header in the user's language, field read from the database)."""
    return [
        (_("Reference"), "reference"),
        (_("Project"), "project__code"),
        (_("Last name"), "last_name"),
        (_("First name"), "first_name"),
        (_("Last name in the other script"), "other_last_name"),
        (_("First name in the other script"), "other_first_name"),
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
    """The people of ``queryset`` as spreadsheet rows, the header first, cells made inert.

    Labels are translated and made inert once per export, and each row is converted in one loop
    without a call per cell: 100,000 people are 1.7 million cells."""
    columns = _columns()
    yield [header for header, _field in columns]
    yes, no = _("yes"), _("no")
    labels = {
        "sex": Beneficiary.Sex.choices,
        "age_group": AgeGroup.choices,
        "nationality": list(countries),
        "education_level": Beneficiary.Education.choices,
        "status": Beneficiary.Status.choices,
    }
    fields = [field for _header, field in columns]
    labelled = [(fields.index(field), _label_table(choices)) for field, choices in labels.items()]
    # Text people typed: made inert. The reference and the project's code are the portal's own.
    typed = [index for index, field in enumerate(fields) if field in TYPED]
    sharing, registered = fields.index("consent_sharing"), fields.index("created_at")
    born, regularized = fields.index("date_of_birth"), fields.index("regularization_year")
    # Dates and phone numbers are read as the text the database holds (ISO dates, E.164 numbers):
    # they are written out as that text, and making Python objects of them first was a fifth of
    # the export's time.
    as_text = ("created_at", "date_of_birth", "phone")
    selected = [Cast(field, CharField()) if field in as_text else field for field in fields]
    # The consent as text too ("1" or "0" on SQLite, "true" or "false" on PostgreSQL): read as a
    # yes or no, it was the only column Django converted, a call for each row on SQLite.
    selected[sharing] = Cast("consent_sharing", CharField())
    for row in queryset.order_by("project__code", "reference").values_list(*selected).iterator(chunk_size=CHUNK):
        row = list(row)
        for index in typed:
            value = row[index]
            if value is None:
                row[index] = ""
            elif value[:1] in FORMULA_FIRST:  # core.spreadsheets.neutralize, without a call per cell
                row[index] = "'" + value
        for index, table in labelled:
            value = row[index]
            row[index] = table[value] if value in table else neutralize(value)
        row[born] = row[born] or ""
        year = row[regularized]
        row[regularized] = "" if year is None else str(year)  # text, as every cell: a year is no amount
        row[sharing] = yes if row[sharing] in TRUE_TEXTS else no
        row[registered] = row[registered][:10]  # the day of the ISO text (UTC)
        yield row


# A true boolean cast to text, on SQLite and on PostgreSQL.
TRUE_TEXTS = frozenset(("1", "true"))

# Columns of text people type (names, the phone, a city's name), made inert cell by cell.
TYPED = ("last_name", "first_name", "other_last_name", "other_first_name", "city__name", "phone")


def _label_table(choices) -> dict[str, str]:
    """Each code's label, translated and made inert once (a code without one stays itself, inert;
    a blank one, a field left empty, stays blank without a call per row)."""
    return {"": "", **{value: neutralize(label) for value, label in choices}}
