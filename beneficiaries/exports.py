"""Exports of the registry as rows for a spreadsheet, read from the database in chunks so that memory
does not grow with the number of people; ``core.spreadsheets`` writes them out. Every cell is made
inert for spreadsheets here, where the rows are made."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from core.spreadsheets import neutralize

from .models import AgeGroup, Beneficiary

CHUNK = 2000


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
