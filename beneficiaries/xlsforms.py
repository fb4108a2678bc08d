"""The registration form for phones (KoboToolbox, ODK Collect), as an XLSForm: the import's columns
as questions, so that a KoboToolbox export of its submissions imports as a spreadsheet does."""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.names import fold
from core.xlsforms import choice, choice_in_each_language, question, workbook
from projects.models import Location, Project
from projects.selectors import cities_of

from . import rules
from .imports import LABELS
from .models import Beneficiary

YES_NO = "yes_no"


def city_choice_name(city: Location) -> str:
    """A city as a choice name (letters and underscores, as XLSForms want): the import reads it
    back as the city's name ("beni_mellal" is Beni Mellal)."""
    return "_".join(fold(city.name).split())


def registration_xlsform(project: Project) -> bytes:
    today = timezone.localdate()
    survey = [
        question("text", "last_name", LABELS["last_name"], required="yes"),
        question("text", "first_name", LABELS["first_name"], required="yes"),
        question("text", "other_last_name", LABELS["other_last_name"]),
        question("text", "other_first_name", LABELS["other_first_name"]),
        question("select_one sex", "sex", LABELS["sex"], required="yes"),
        question("date", "date_of_birth", LABELS["date_of_birth"], required="yes", constraint=". < today()"),
        question("select_one countries", "nationality", LABELS["nationality"], required="yes", appearance="minimal"),
        question("select_one cities", "city", LABELS["city"], required="yes"),
        question("text", "phone", LABELS["phone"]),
        question("text", "residence_card_number", LABELS["residence_card_number"]),
        question(
            "integer",
            "regularization_year",
            LABELS["regularization_year"],
            constraint=f". >= {rules.FIRST_REGULARIZATION_YEAR} and . <= {today.year}",
        ),
        question(
            f"select_one {YES_NO}",
            "consent_processing",
            LABELS["consent_processing"],
            required="yes",
            constraint=". = 'yes'",
            constraint_message=rules.CONSENT_REQUIRED,
        ),
        question("date", "consent_processing_date", LABELS["consent_processing_date"], required="yes"),
        question(f"select_one {YES_NO}", "consent_sharing", LABELS["consent_sharing"], required="yes"),
    ]
    choices = [
        *(choice("sex", value, label) for value, label in Beneficiary.Sex.choices),
        choice(YES_NO, "yes", _("Yes")),
        choice(YES_NO, "no", _("No")),
        *_country_choices(),
        *(
            choice_in_each_language("cities", city_choice_name(city), dict.fromkeys(("fr", "en", "ar"), city.name))
            for city in cities_of([project]).order_by("name")
        ),
    ]
    title = _("Registration")
    return workbook(
        survey=survey,
        choices=choices,
        form_title=f"{project.code} · {title}",
        form_id=f"masar_registration_{project.compact_code}",
        version=timezone.localtime().strftime("%Y%m%d%H%M"),
    )


def _country_choices() -> list[dict]:
    names = {}
    for code in ("fr", "en", "ar"):
        with translation.override(code):
            names[code] = dict(countries)
    return [
        choice_in_each_language("countries", country, {code: names[code][country] for code in names})
        for country in names["fr"]
    ]
