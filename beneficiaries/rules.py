"""The rules of a person's record, in one place: the staff form, the admin (through that form) and
the import all call these, so that a value one path accepts is never refused by another."""

import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.names import has_arabic, is_arabic_letter

from .models import age_on

MIN_AGE, MAX_AGE = 15, 80
# The earliest regularization year accepted anywhere so far (the import took 2000, the form 2004):
# records imported with 2000-2003 exist and must stay editable.
FIRST_REGULARIZATION_YEAR = 2000
NAME_SEPARATORS = set(" '’.-")
NAME_MAX_LENGTH = 100


# Said by the form and by the phone form (beneficiaries.xlsforms) when consent is not given.
CONSENT_REQUIRED = _(
    "A person can only be registered with their consent to the processing of their data. "
    "Explain why it is needed, and record how they gave it."
)
TATWEEL = "\u0640"  # Arabic's stretching stroke: layout, not a letter


def normalize_name(value: str) -> str:
    """A name as typed or pasted, in one form: compatibility characters unfolded (Arabic copied from
    a PDF in presentation forms, ﻣﺤﻤﺪ, becomes محمد; a ligature ﬁ becomes fi), stretching strokes
    dropped, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", value).replace(TATWEEL, "").split())


def is_plausible_name(value: str) -> bool:
    """Letters of any script (with their accents and vowel marks) and the separators names use;
    it must start with a letter. "N'Diaye", "Jean-Pierre" and "مُحَمَّد" pass; "123" and "#!" do not."""
    if not value or not value[0].isalpha():
        return False
    return all(
        char.isalpha() or unicodedata.category(char).startswith("M") or char in NAME_SEPARATORS for char in value
    )


def check_name(value: str) -> None:
    if len(value) > NAME_MAX_LENGTH or not is_plausible_name(value):
        raise ValidationError(
            _("Enter a name made of letters (any alphabet); spaces, apostrophes and hyphens are allowed."),
            code="invalid_name",
        )


def check_other_script(name: str, other_name: str) -> None:
    """The name "in the other script" is wholly in Arabic when the name is in Latin letters, and
    wholly in other letters when it is in Arabic: the same name written twice in one script would
    only hide a typing slip from duplicate checks."""
    if not other_name:
        return
    arabic = [is_arabic_letter(char) for char in other_name if char.isalpha()]
    if any(arabic) if has_arabic(name) else not all(arabic):
        raise ValidationError(
            _("Write here the name in the other script: in Arabic if the name is in Latin letters, and the reverse."),
            code="same_script",
        )


def check_date_of_birth(birth_date: date, *, today: date) -> None:
    if birth_date > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    age = age_on(birth_date, today)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError(
            _("This date of birth gives an age of %(age)s: the project serves people aged %(min)s to %(max)s."),
            code="age_range",
            params={"age": age, "min": MIN_AGE, "max": MAX_AGE},
        )


def check_regularization_year(year: int, *, today: date) -> None:
    if not FIRST_REGULARIZATION_YEAR <= year <= today.year:
        raise ValidationError(
            _("Enter the year of the regularization campaign, between %(first)s and this year (for example 2014)."),
            code="year",
            params={"first": FIRST_REGULARIZATION_YEAR},
        )


def message_of(error: ValidationError) -> str:
    """The message of a rule's refusal as a person reads it (its parameters filled in)."""
    return " ".join(error.messages)
