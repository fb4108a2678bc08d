from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import PHOTO_CONSENT, Beneficiary
from core.models import JobStatusMixin, TimeStampedModel
from core.storage import private_storage
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


class UpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(approved_at__isnull=False)


class Update(TimeStampedModel):
    """News of a project for donors and the public: written by its staff, public once an M&E
    officer other than its author approves it. A change to an approved update takes it off the
    public pages until it is approved again."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="updates")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=10_000)
    happened_on = models.DateField(_("date"), help_text=_("When what the update tells happened."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), on_delete=models.PROTECT, related_name="+"
    )
    # One more at each change of its text or photos: an approval names the version its approver read.
    version = models.PositiveIntegerField(default=1, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-happened_on", "-pk"]
        permissions = [("approve_update", _("Can approve a project's updates for the public"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="reports_update_approval_complete",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | ~Q(approved_by=models.F("created_by")) & ~Q(approved_by=models.F("edited_by")),
                name="reports_update_approved_by_another",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:update-detail", args=[self.project.code, self.pk])

    @property
    def is_published(self) -> bool:
        return self.approved_at is not None

    def contributor_ids(self) -> set[int]:
        """Who wrote it, last changed it or added one of its photos: none of them may approve it."""
        return {self.created_by_id, self.edited_by_id, *self.photos.values_list("uploaded_by", flat=True)}


class UpdatePhotoQuerySet(models.QuerySet):
    def showable(self):
        """Photos that may be shown: of no one the project serves, or of people who all consent
        to photos today and are still in the registry as themselves (a photo of someone who
        withdrew, was anonymized or withdrew their consent is never shown again)."""
        refusing = Beneficiary.objects.filter(photos=models.OuterRef("pk")).exclude(PHOTO_CONSENT)
        tagged = Beneficiary.objects.filter(photos=models.OuterRef("pk"))
        return self.filter(Q(shows_people=False) | Q(models.Exists(tagged)) & ~Q(models.Exists(refusing)))


class UpdatePhoto(models.Model):
    """A photo of an update, as re-encoded on upload (core.images): no metadata, at most 1600 px.
    Kept in the private storage and served by the portal only while it may be shown."""

    update = models.ForeignKey(Update, verbose_name=_("update"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(storage=private_storage, upload_to="update-photos/")
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    caption = models.CharField(
        _("description"), max_length=300, help_text=_("What the photo shows, for readers who cannot see it.")
    )
    shows_people = models.BooleanField(
        _("shows people the project serves"),
        default=False,
        help_text=_("Each of them must be named below and have consented to photos."),
    )
    people = models.ManyToManyField(Beneficiary, verbose_name=_("people shown"), blank=True, related_name="photos")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = UpdatePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["update", "pk"]

    def __str__(self) -> str:
        return self.caption
