import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The database constraint and the form's message by the field say the same, from here.
END_BEFORE_START = _("The end date cannot be before the start date.")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class JobStatusMixin(models.Model):
    """What a background job reports to the page that follows it (an import, an export, a release):
    its status and its own counters, written by the job as it goes, so that progress survives a
    reload. Subclasses say which statuses are running (``is_running``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)  # the page's language, for the job's messages
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why it failed, for the person who asked
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)  # the last sign of life of its worker

    class Meta:
        abstract = True

    @property
    def percent_done(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    def progress(self) -> dict:
        """The job's state as its page polls it (js/job.js), the same for every kind of job."""
        return {
            "status": self.status,
            "running": self.is_running,
            "rows_total": self.rows_total,
            "rows_done": self.rows_done,
            "percent": self.percent_done,
        }

    @property
    def is_stalled(self) -> bool:
        """Still running in appearance, but its worker gave no sign of life for a while."""
        if not self.is_running:
            return False
        return (timezone.now() - self.updated_at).total_seconds() > settings.JOB_STALLED_AFTER_SECONDS


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


class LanguagePreference(models.Model):
    """The language a user last chose with the language switch, so that every device they sign in
    on, and the e-mails the portal sends them, speak it (a cookie remembers it for one browser only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return self.language


def preferred_language(user) -> str | None:
    """The language ``user`` chose, or None if they never chose one."""
    return LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()
