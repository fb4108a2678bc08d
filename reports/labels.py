"""Words for the codes a report holds, in the reader's language, when a page or a download is made."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_countries import countries

from beneficiaries.models import AgeGroup, Beneficiary
from projects.models import Organization
from trainings.models import Training
from workshops.models import Workshop

TABLE_TITLES = {
    "registered_by_age": gettext_lazy("Migrants registered, by age group and sex"),
    "registered_by_nationality": gettext_lazy("Migrants registered, by nationality and sex"),
    "registered_by_city": gettext_lazy("Migrants registered, by city and sex"),
    "certified_by_kind": gettext_lazy("Migrants certified, by kind of training and sex"),
    "certified_by_city": gettext_lazy("Migrants certified, by city and kind of training"),
    "working_by_sex": gettext_lazy("Employment six months after training, by sex"),
    "businesses_by_sex": gettext_lazy("Micro-enterprises created, by sex of the owner"),
    "stakeholders_by_organization": gettext_lazy(
        "Government and NGO participants trained, by organization type and sex"
    ),
    "events_by_kind": gettext_lazy("Workshops and consultations held, by kind and level"),
    "enrollments_by_quarter": gettext_lazy("Enrollments, by quarter and kind of training"),
    "certificates_by_quarter": gettext_lazy("Certificates awarded, by quarter and kind of training"),
    "events_by_quarter": gettext_lazy("Events held, by quarter and kind"),
}

DIMENSION_NAMES = {
    "age_group": gettext_lazy("Age group"),
    "nationality": gettext_lazy("Nationality"),
    "city": gettext_lazy("City"),
    "sex": gettext_lazy("Sex"),
    "training_kind": gettext_lazy("Training"),
    "organization_kind": gettext_lazy("Organization type"),
    "event_kind": gettext_lazy("Kind of event"),
    "level": gettext_lazy("Level"),
    "quarter": gettext_lazy("Quarter"),
    "employment": gettext_lazy("Employment"),
    "total": gettext_lazy("Total"),
}

FIXED_LABELS = {
    "employment": {
        "working": pgettext_lazy("six months after training", "Working"),
        "not_working": pgettext_lazy("six months after training", "Not working"),
    },
    "total": {"businesses": gettext_lazy("Micro-enterprises")},
}


def label(dimension: str, code) -> str:
    """The name of ``code`` along ``dimension``, for example ("sex", "F") → "Femmes"."""
    if code == "other":
        return _("Other nationalities")
    if code == "all":
        return _("All")
    if dimension == "sex":
        return str(Beneficiary.Sex(code).label)
    if dimension == "age_group":
        return str(AgeGroup(code).label)
    if dimension == "nationality":
        return str(countries.name(code)) or code
    if dimension == "training_kind":
        return str(Training.Kind(code).label)
    if dimension == "organization_kind":
        return str(Organization.Kind(code).label)
    if dimension == "event_kind":
        return str(Workshop.Kind(code).label)
    if dimension == "level":
        return str(Organization.Level(code).label)
    if dimension == "quarter":
        return quarter_label(code)
    if dimension in FIXED_LABELS:
        return str(FIXED_LABELS[dimension][code])
    return str(code)  # a city: its name


def quarter_label(first_day: date) -> str:
    quarter = (first_day.month - 1) // 3 + 1
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": first_day.year}
