from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from core.models import JobStatusMixin, TimeStampedModel
from core.storage import private_storage
from projects.models import Location, Project, check_city_in_country


class AgeGroup(models.TextChoices):
    """Reporting age groups, from the age at registration."""

    FROM_15_TO_17 = "15-17", _("15 to 17")
    FROM_18_TO_24 = "18-24", _("18 to 24")
    FROM_25_TO_34 = "25-34", _("25 to 34")
    FROM_35_TO_49 = "35-49", _("35 to 49")
    FROM_50 = "50+", _("50 and over")

    @classmethod
    def for_age(cls, age: int) -> "AgeGroup":
        for group, upper in ((cls.FROM_15_TO_17, 17), (cls.FROM_18_TO_24, 24), (cls.FROM_25_TO_34, 34)):
            if age <= upper:
                return group
        return cls.FROM_35_TO_49 if age <= 49 else cls.FROM_50


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class ReferenceSequence(models.Model):
    """The last reference number handed out in a project; locked while a new one is taken, so
    two registrations never get the same number, and a number is never reused."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="reference_sequence")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.last_number}"


# Who may appear in a published photo: a person who consents to photos today and is still in the
# registry as themselves (not withdrawn, not anonymized). The one statement of the rule.
PHOTO_CONSENT = Q(consent_photos=True, status="active")


class BeneficiaryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Beneficiary.Status.ACTIVE)


class Beneficiary(TimeStampedModel):
    """A regularized migrant served by one project."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("person status", "Active")
        WITHDRAWN = "withdrawn", pgettext_lazy("person status", "Withdrawn")
        ANONYMIZED = "anonymized", pgettext_lazy("person status", "Anonymized")

    class Education(models.TextChoices):
        NONE = "none", _("No formal schooling")
        PRIMARY = "primary", _("Primary")
        SECONDARY = "secondary", _("Secondary")
        VOCATIONAL = "vocational", _("Vocational")
        HIGHER = "higher", _("Higher education")

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")
        ARABIC = "ar", _("Arabic")
        DARIJA = "ary", _("Moroccan Arabic (Darija)")
        TAMAZIGHT = "zgh", _("Tamazight")
        WOLOF = "wo", _("Wolof")
        BAMBARA = "bm", _("Bambara")
        FULA = "ff", _("Fula")
        LINGALA = "ln", _("Lingala")
        SPANISH = "es", _("Spanish")
        PORTUGUESE = "pt", _("Portuguese")

    class ConsentMethod(models.TextChoices):
        WRITTEN = "written", _("Signed form")
        ORAL = "oral", _("Oral, recorded by staff")
        DIGITAL = "digital", _("Digital form")

    # Fields holding identity: wiped on anonymization, in the record and in its history.
    IDENTITY_FIELDS = [
        "first_name",
        "last_name",
        "other_first_name",
        "other_last_name",
        "name_key",
        "other_name_key",
        "search_name",
        "date_of_birth",
        "phone",
        "residence_card_number",
        "residence_card_expiry",
        "prior_occupation",
    ]

    # No index of its own: beneficiaries_list_idx starts with the project. With both, SQLite picked
    # this one for the staff list and sorted a project's people whole for every page.
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="beneficiaries", db_index=False
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # The name as written in the other script: in Arabic when the name above is in Latin letters, in
    # Latin letters when it is in Arabic (papers in one script, a school certificate in the other).
    other_first_name = models.CharField(
        _("first name in the other script"),
        max_length=100,
        blank=True,
        help_text=_("In Arabic if the name above is in Latin letters; in Latin letters if it is in Arabic."),
    )
    other_last_name = models.CharField(_("last name in the other script"), max_length=100, blank=True)
    # Folded names (see core.names.name_key): an import sets aside rows already registered by name
    # key, birth date and nationality. (Duplicates are looked up by birth date, phone and card.)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    other_name_key = models.CharField(max_length=200, db_index=True, editable=False, blank=True)
    # Both names folded to lowercase without accents, for accent-insensitive search on every database.
    search_name = models.CharField(max_length=403, editable=False, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True)
    age_group = models.CharField(
        _("age group"), max_length=5, choices=AgeGroup.choices, editable=False, help_text=_("Age at registration.")
    )
    nationality = CountryField(_("nationality"))
    city = models.ForeignKey(
        Location,
        verbose_name=_("city of residence"),
        on_delete=models.PROTECT,
        related_name="beneficiaries",
        limit_choices_to={"kind": Location.Kind.CITY},
    )
    phone = PhoneNumberField(_("phone"), blank=True, db_index=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    education_level = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    prior_occupation = models.CharField(_("occupation before arrival"), max_length=150, blank=True)
    regularization_year = models.PositiveSmallIntegerField(
        _("regularization campaign (year)"), null=True, blank=True, help_text=_("For example 2014 or 2017.")
    )
    residence_card_number = models.CharField(_("residence card number"), max_length=30, blank=True)
    residence_card_expiry = models.DateField(_("residence card expiry"), null=True, blank=True)
    has_disability = models.BooleanField(_("has a disability"), default=False)

    consent_processing = models.BooleanField(_("consents to the processing of their data"), default=False)
    consent_processing_date = models.DateField(_("date of consent to processing"), null=True, blank=True)
    consent_processing_method = models.CharField(
        _("how consent to processing was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_sharing = models.BooleanField(_("consents to sharing with partners"), default=False)
    consent_sharing_date = models.DateField(_("date of consent to sharing"), null=True, blank=True)
    consent_sharing_method = models.CharField(
        _("how consent to sharing was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    consent_photos = models.BooleanField(_("consents to photos and stories"), default=False)
    consent_photos_date = models.DateField(_("date of consent to photos"), null=True, blank=True)
    consent_photos_method = models.CharField(
        _("how consent to photos was given"), max_length=10, choices=ConsentMethod.choices, blank=True
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_beneficiaries",
    )
    # The spreadsheet import that registered the person (empty when registered through the form):
    # after an import, the list shows the people it brought, and enrolling can start from them.
    import_batch = models.CharField(_("import"), max_length=32, blank=True, default="", editable=False, db_index=True)
    # The id of the phone form's submission (KoboToolbox, ODK) the person was imported from: a second
    # import of the same export adds nothing.
    source_id = models.CharField(_("submission id"), max_length=64, blank=True, editable=False)
    # Optimistic locking: an edit names the version it started from and is refused if it moved on.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["name_key", "other_name_key", "search_name", "updated_at"])
    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("anonymize_beneficiary", _("Can anonymize a beneficiary")),
            ("export_beneficiary", _("Can export personal data of beneficiaries")),
            ("import_beneficiary", _("Can import beneficiaries from a spreadsheet")),
        ]
        indexes = [
            # The staff list (a project's people, newest first) and the admin's (everyone's), read
            # in index order a page at a time rather than sorted whole.
            models.Index(fields=["project", "-created_at", "-id"], name="beneficiaries_list_idx"),
            models.Index(fields=["-created_at", "-id"], name="beneficiaries_newest_idx"),
            # The enroll page: a city's people by name, read in index order a page at a time.
            models.Index(
                fields=["project", "city", "last_name", "first_name", "id"], name="beneficiaries_city_name_idx"
            ),
            # A staff member's latest registrations (their home page), without sorting all of theirs.
            models.Index(fields=["created_by", "-created_at"], name="beneficiaries_by_creator_idx"),
            # Duplicate detection looks people up by birth date and by card number.
            models.Index(fields=["date_of_birth"], name="beneficiaries_dob_idx"),
            models.Index(fields=["residence_card_number"], name="beneficiaries_card_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "residence_card_number"],
                condition=~Q(residence_card_number=""),
                name="beneficiaries_beneficiary_unique_card_per_project",
            ),
            models.UniqueConstraint(
                fields=["project", "source_id"],
                condition=~Q(source_id=""),
                name="beneficiaries_beneficiary_unique_submission_per_project",
            ),
            models.CheckConstraint(
                condition=Q(consent_processing=True) | ~Q(status="active"),
                name="beneficiaries_beneficiary_active_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False) | Q(status="anonymized"),
                name="beneficiaries_beneficiary_birth_date_unless_anonymized",
            ),
        ]

    def __str__(self) -> str:
        if self.status == self.Status.ANONYMIZED:
            return f"{self.reference} ({self.get_status_display()})"
        return f"{self.reference} · {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:beneficiary-detail", kwargs={"reference": self.reference})

    def clean(self):
        check_city_in_country(self.city if self.city_id else None, self.project if self.project_id else None)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def other_full_name(self) -> str:
        return f"{self.other_first_name} {self.other_last_name}".strip()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_anonymized(self) -> bool:
        return self.status == self.Status.ANONYMIZED

    @property
    def language_labels(self) -> list[str]:
        labels = dict(self.Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class WithdrawalReason(models.TextChoices):
    """Why a person left, as a code: the access log keeps the code, never words typed about a person."""

    MOVED = "moved", _("Moved away")
    FOUND_WORK = "found_work", _("Found work or another opportunity")
    NOT_INTERESTED = "not_interested", _("No longer interested")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Withdrew consent")
    UNREACHABLE = "unreachable", _("Could not be reached")
    OTHER = "other", _("Other reason")


class DistinctPersonConfirmation(models.Model):
    """Staff confirmed that a newly registered person is not the likely duplicate they were shown."""

    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("beneficiary"), on_delete=models.CASCADE, related_name="distinct_confirmations"
    )
    other = models.ForeignKey(Beneficiary, verbose_name=_("other person"), on_delete=models.CASCADE, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("“not the same person” confirmation")
        verbose_name_plural = _("“not the same person” confirmations")
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "other"], name="beneficiaries_distinct_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary.reference} ≠ {self.other.reference}"


class CrossProjectMatch(models.Model):
    """A person registered in one project who looks like someone of another project. The registering
    user is told nothing of it (they may not know the other project exists); the M&E officers of the
    two projects review it in the admin, so that nobody is counted twice."""

    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("person registered"), on_delete=models.CASCADE, related_name="cross_project_matches"
    )
    other = models.ForeignKey(Beneficiary, verbose_name=_("possible match"), on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.CharField(_("what matches"), max_length=100, help_text=_("Field names, never their values."))
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match across projects")
        verbose_name_plural = _("matches across projects")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "other"], name="beneficiaries_crossmatch_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary.reference} ~ {self.other.reference}"


class AccessLog(models.Model):
    """Who viewed, changed or exported which record, when. Holds references, never personal data."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Registered")
        EDIT = "edit", _("Edited")
        WITHDRAW = "withdraw", _("Withdrawn")
        ANONYMIZE = "anonymize", _("Anonymized")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="access_logs"
    )
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=20, blank=True, help_text=_("Empty for an export."))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            # "Who looked at this person?" in the admin.
            models.Index(fields=["reference", "-at"], name="beneficiaries_log_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.reference}"


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked")
    COMMITTING = "committing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ExportJobStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ImportJob(JobStatusMixin):
    """A spreadsheet import: checked by one job (the preview), then committed by another, every row
    or none. The file waits in the private storage only while its preview can be committed."""

    Status = ImportJobStatus

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="import_jobs")
    filename = models.CharField(max_length=200)
    file = models.FileField(storage=private_storage, upload_to="imports/", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKING)
    # The preview as the page shows it (imports.PreviewSummary), cleared with the file after a day.
    preview = models.JSONField(null=True, blank=True)
    confirmed_duplicates = models.BooleanField(default=False)
    import_batch = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportJobStatus.values), name="import_job_status_valid")
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("beneficiaries:import-job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.COMMITTING)

    @property
    def is_checked(self) -> bool:
        return self.status == self.Status.CHECKED

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_committing(self) -> bool:
        return self.status == self.Status.COMMITTING

    @property
    def needs_confirmation(self) -> bool:
        """Checked, with rows that may be people already registered: to confirm before the commit."""
        return self.is_checked and bool(self.preview and self.preview["flagged_rows"])


class ExportJob(JobStatusMixin):
    """A large export of the registry, prepared by a job as a file its owner downloads when ready."""

    Status = ExportJobStatus

    filters = models.TextField(blank=True)  # the list's query string, as the filter set reads it
    file_format = models.CharField(max_length=4)
    for_partners = models.BooleanField(default=False)
    filename = models.CharField(max_length=120)
    file = models.FileField(storage=private_storage, upload_to="exports/", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREPARING)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportJobStatus.values), name="export_job_status_valid")
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("beneficiaries:export-job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.PREPARING

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED
