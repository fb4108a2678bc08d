from django.db import models
from django.utils.translation import get_language


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
