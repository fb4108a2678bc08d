from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The database constraint and the form's message by the field say the same, from here.
END_BEFORE_START = _("The end date cannot be before the start date.")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def localized(instance, field: str) -> str:
    """The value of ``<field>_<language>`` for the active language, falling back to French.

    Bilingual content (titles, descriptions) is stored as a pair of columns; French is the
    project's reference language, so it fills in when the English text is missing.
    """
    language = (get_language() or "fr")[:2]
    return getattr(instance, f"{field}_{language}", "") or getattr(instance, f"{field}_fr", "")


def check_dates_in_order(start, end, *, end_field: str = "end_date") -> None:
    """An end before its start is refused by the end field (a check constraint guards the table)."""
    if start and end and end < start:
        raise ValidationError({end_field: END_BEFORE_START})
