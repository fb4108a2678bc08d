from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import JobStatusMixin
from projects.models import Project


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        """Releases a reader may see: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class Release(models.Model):
    """A project's results as published to donors and the public, fixed once published.

    ``figures`` is what may be shown (reports.figures): every cell a number, "< 5" or "…".
    ``counts`` are the true counts behind it, kept only so that the next release can be audited
    against this one (a reader holding both must not single anyone out); no page shows them.
    """

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField(_("number"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"), help_text=_("The figures count what was recorded up to this day."))
    figures = models.JSONField(_("figures"), editable=False)
    counts = models.JSONField(editable=False)
    audit = models.JSONField(_("audit"), editable=False)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=300, blank=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    # Only these may change after publication, once: the withdrawal.
    WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["project", "-number"]
        permissions = [("publish_release", _("Can publish and withdraw a project's releases"))]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="reports_release_unique_number"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="reports_release_period"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason="")
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False) & ~Q(withdrawal_reason=""),
                name="reports_release_withdrawal_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} #{self.number} ({self.period_end:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or set(fields) - set(self.WITHDRAWAL_FIELDS):
                raise ValidationError(_("A published release never changes; withdraw it and publish another."))
        super().save(*args, **kwargs)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class PublicationStatus(models.TextChoices):
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class Publication(JobStatusMixin):
    """A release being published by a job (reports.jobs): its audit takes seconds at 100,000 people,
    too long for a request. One at a time per project, held by the database."""

    Status = PublicationStatus

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="publications")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PUBLISHING)
    release = models.OneToOneField(Release, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PublicationStatus.values), name="publication_status_valid"),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status=PublicationStatus.PUBLISHING),
                name="one_publication_at_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.PUBLISHING

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED
