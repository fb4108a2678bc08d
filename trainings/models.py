"""Trainings of migrants: courses, their sessions, who is enrolled, who came, who completed, and what
became of them afterwards (follow-ups, business support)."""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from beneficiaries.models import Beneficiary
from core.formatting import number
from core.models import END_BEFORE_START, TimeStampedModel, check_dates_in_order
from core.names import sort_key
from projects.countries import country_profile
from projects.models import Location, Organization, Project, check_city_in_country


class Training(TimeStampedModel):
    """A course run for a project's migrants: a trade (vocational) or running a business."""

    class Kind(models.TextChoices):
        VOCATIONAL = "vocational", _("Vocational training")
        MICRO_ENTERPRISE = "micro_enterprise", _("Micro-enterprise training")

    class OpenTo(models.TextChoices):
        """Who may enroll, by the sex recorded in the registry (a course for women, say)."""

        EVERYONE = "", _("Everyone")
        WOMEN = Beneficiary.Sex.FEMALE.value, _("Women only")
        MEN = Beneficiary.Sex.MALE.value, _("Men only")

    class Status(models.TextChoices):
        """Where a training stands, from its dates (not stored: it changes with the calendar)."""

        UPCOMING = "upcoming", pgettext_lazy("training status", "Upcoming")
        ONGOING = "ongoing", pgettext_lazy("training status", "Ongoing")
        ENDED = "ended", pgettext_lazy("training status", "Ended")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    trade = models.CharField(
        _("trade or sector"), max_length=100, help_text=_("For example: tailoring, plumbing, small retail.")
    )
    provider = models.ForeignKey(
        Organization,
        verbose_name=_("training provider"),
        on_delete=models.PROTECT,
        related_name="trainings_provided",
    )
    city = models.ForeignKey(
        Location,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="trainings",
        limit_choices_to={"kind": Location.Kind.CITY},
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), help_text=_("Places; further requests are waitlisted."))
    hours = models.PositiveSmallIntegerField(_("hours"), help_text=_("Total hours of instruction."))
    pass_threshold = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"),
        default=80,
        help_text=_("Share of sessions a participant must attend to complete the training."),
    )
    description = models.TextField(_("description"), blank=True)
    open_to = models.CharField(_("open to"), max_length=1, choices=OpenTo.choices, blank=True, default="")
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officers in charge"),
        blank=True,
        related_name="trainings_in_charge",
        help_text=_("Staff of the project who run it day to day: its sessions are on their home page."),
    )
    # The title as lists sort it (accents and case ignored), kept in step by save().
    sort_title = models.CharField(max_length=200, editable=False, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-start_date", "title"]
        permissions = [("complete_training", _("Can complete a training and issue its certificates"))]
        indexes = [models.Index(fields=["project", "-start_date"], name="trainings_project_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="trainings_training_capacity_at_least_1",
                violation_error_message=_("A training has at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=1),
                name="trainings_training_hours_at_least_1",
                violation_error_message=_("A training lasts at least one hour."),
            ),
            models.CheckConstraint(
                condition=Q(pass_threshold__gte=1, pass_threshold__lte=100),
                name="trainings_training_threshold_is_a_percentage",
                violation_error_message=_("The attendance threshold is a percentage from 1 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="trainings_training_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.city}, {self.start_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("trainings:training-detail", kwargs={"pk": self.pk})

    def clean(self):
        check_dates_in_order(self.start_date, self.end_date)
        check_city_in_country(self.city if self.city_id else None, self.project if self.project_id else None)

    def save(self, *args, **kwargs):
        self.sort_title = sort_key(self.title)
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_title"}
        super().save(*args, **kwargs)

    @property
    def status(self) -> "Training.Status":
        today = timezone.localdate()
        if today < self.start_date:
            return self.Status.UPCOMING
        return self.Status.ONGOING if today <= self.end_date else self.Status.ENDED

    def get_status_display(self) -> str:
        return self.status.label

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.UPCOMING

    @property
    def is_ongoing(self) -> bool:
        return self.status == self.Status.ONGOING

    @property
    def has_ended(self) -> bool:
        return self.status == self.Status.ENDED


class Session(models.Model):
    """One day (or half-day) of a training."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=180)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        # A week's sessions and the roll calls still to take are read by date, across trainings.
        indexes = [models.Index(fields=["date"], name="trainings_session_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "date", "start_time"],
                name="trainings_session_unique_slot",
                violation_error_message=_("This training already has a session at that date and time."),
            ),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="trainings_session_duration_at_least_1"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M} · {self.topic or self.training.title}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session-attendance", kwargs={"training_pk": self.training_id, "pk": self.pk})

    @property
    def starts_at(self):
        """When the session begins: its date and time are those of the project's country."""
        return timezone.make_aware(
            datetime.combine(self.date, self.start_time), self.training.project.session_time_zone
        )

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    def clean(self):
        training = self.training if self.training_id else None
        if training and self.date and not training.start_date <= self.date <= training.end_date:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("A session must fall within the training, from %(start)s to %(end)s.")
                        % {"start": date_format(training.start_date), "end": date_format(training.end_date)},
                        code="outside_training",
                    )
                }
            )


class Enrollment(TimeStampedModel):
    """A person's place in a training, from the request to the certificate."""

    class Status(models.TextChoices):
        WAITLISTED = "waitlisted", _("Waitlisted")
        ENROLLED = "enrolled", _("Enrolled")
        DROPPED = "dropped", _("Dropped out")
        # Finished the course below the attendance threshold: no certificate.
        COMPLETED = "completed", _("Finished without certificate")
        # Finished with enough attendance: completed and certified.
        CERTIFIED = "certified", _("Certified")

    # Who holds one of the training's places.
    HOLDS_A_PLACE = [Status.ENROLLED, Status.COMPLETED, Status.CERTIFIED]
    FINISHED = [Status.COMPLETED, Status.CERTIFIED]

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.PROTECT, related_name="enrollments"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # The waitlist is served in the order requests came in.
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason for dropping out"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    attendance_rate = models.DecimalField(
        _("attendance rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Recorded when the training is completed."),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, null=True, blank=True, unique=True)
    # Printed on the certificate for anyone to check it at /certificates/<code>/. Random, unlike the
    # number (which follows the enrollment's id): nobody can walk through codes to list the holders.
    verification_code = models.CharField(
        _("verification code"), max_length=16, null=True, blank=True, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["training", "requested_at", "id"]
        indexes = [
            models.Index(fields=["training", "status", "requested_at"], name="trainings_roster_idx"),
            # The home page's follow-ups due: finished enrollments by the day they finished.
            models.Index(fields=["completed_on"], name="trainings_completed_on_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "training"],
                name="trainings_enrollment_one_per_person",
                violation_error_message=_("This person is already enrolled in this training."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["waitlisted", "enrolled", "dropped", "completed", "certified"]),
                name="trainings_enrollment_known_status",
            ),
            models.CheckConstraint(
                condition=Q(status="certified", certificate_number__isnull=False)
                | (~Q(status="certified") & Q(certificate_number__isnull=True)),
                name="trainings_enrollment_certificate_iff_certified",
            ),
            models.CheckConstraint(
                condition=Q(status="certified", verification_code__isnull=False)
                | (~Q(status="certified") & Q(verification_code__isnull=True)),
                name="trainings_enrollment_verification_iff_certified",
            ),
            models.CheckConstraint(
                condition=Q(attendance_rate__isnull=True)
                | Q(attendance_rate__gte=Decimal("0"), attendance_rate__lte=Decimal("100")),
                name="trainings_enrollment_rate_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary.reference} → {self.training.title}"

    @property
    def is_certified(self) -> bool:
        return self.status == self.Status.CERTIFIED

    @property
    def is_enrolled(self) -> bool:
        return self.status == self.Status.ENROLLED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def has_finished(self) -> bool:
        return self.status in self.FINISHED


class Attendance(models.Model):
    """Whether one enrolled person came to one session."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrollment"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "enrollment"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "session"], name="trainings_attendance_one_per_session"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "excused", "absent"]), name="trainings_attendance_known_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.enrollment.beneficiary.reference}: {self.get_status_display()}"


class FollowUp(TimeStampedModel):
    """What became of a person some months after the training they finished."""

    class Months(models.IntegerChoices):
        THREE = 3, _("3 months")
        SIX = 6, _("6 months")
        TWELVE = 12, _("12 months")

    class Employment(models.TextChoices):
        WAGE_FORMAL = "wage_formal", _("Wage employed, formal")
        WAGE_INFORMAL = "wage_informal", _("Wage employed, informal")
        SELF_EMPLOYED = "self_employed", _("Self-employed")
        UNEMPLOYED = "unemployed", _("Unemployed")
        IN_TRAINING = "in_training", _("In training or studies")

    WORKING = [Employment.WAGE_FORMAL, Employment.WAGE_INFORMAL, Employment.SELF_EMPLOYED]

    class IncomeBand(models.TextChoices):
        # Monthly. The codes name Morocco's thresholds, in dirhams (the minimum wage is about 3,000
        # MAD); a project elsewhere reads the same bands at its own country's thresholds, in its
        # own currency (``income_band_choices``).
        NONE = "none", _("No income")
        UNDER_1000 = "lt1000", _("Under 1,000 MAD")
        FROM_1000 = "1000-2999", _("1,000 to 2,999 MAD")
        FROM_3000 = "3000-4999", _("3,000 to 4,999 MAD")
        FROM_5000 = "5000+", _("5,000 MAD or more")
        UNDISCLOSED = "undisclosed", _("Did not say")

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("training followed"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    months_after = models.PositiveSmallIntegerField(_("months after the training"), choices=Months.choices)
    date = models.DateField(_("date of the follow-up"))
    employment_status = models.CharField(_("employment"), max_length=14, choices=Employment.choices)
    employer_or_sector = models.CharField(
        _("employer or business sector"), max_length=150, blank=True, help_text=_("For example: a garage, catering.")
    )
    income_band = models.CharField(_("monthly income"), max_length=12, choices=IncomeBand.choices)
    notes = models.TextField(_("notes"), blank=True, help_text=_("No health or other sensitive information."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["enrollment", "months_after"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "months_after"],
                name="trainings_followup_one_per_milestone",
                violation_error_message=_("This follow-up is already recorded."),
            ),
            models.CheckConstraint(condition=Q(months_after__in=[3, 6, 12]), name="trainings_followup_known_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.beneficiary.reference} +{self.months_after}: {self.get_employment_status_display()}"

    @property
    def is_working(self) -> bool:
        return self.employment_status in self.WORKING

    def clean(self):
        if not (self.date and self.enrollment_id):
            return
        end = self.enrollment.training.end_date
        if self.date <= end:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("A follow-up comes after the training, which ended on %(end)s.") % {"end": date_format(end)},
                        code="before_training_end",
                    )
                }
            )
        if self.date > timezone.localdate():
            raise ValidationError(
                {"date": ValidationError(_("The date of a follow-up cannot be in the future."), code="future")}
            )

    @property
    def income_band_label(self) -> str:
        """The band as people of the project's country read it (``income_band_choices``)."""
        country = self.enrollment.training.project.country.code
        return dict(income_band_choices(country)).get(self.income_band, "")


NEEDS_START_DATE = _("Give the date the business started.")


# Monthly income thresholds of the three paid bands, in the country's currency, for countries other
# than Morocco (whose are the bands' own labels): near a third of, about, and 1.7 times the minimum
# wage (Tunisia's is about 500 TND a month).
INCOME_THRESHOLDS = {"TN": (200, 500, 900)}


def income_band_choices(country_code: str) -> list[tuple[str, str]]:
    """The income bands as people of a project's country read them: at its thresholds, in its
    currency; where it has none of its own, as parts of its minimum wage (Morocco's thresholds are
    about a third of it, it, and 1.7 times it)."""
    bands = FollowUp.IncomeBand
    if country_code == "MA":
        return list(bands.choices)
    if country_code not in INCOME_THRESHOLDS:
        paid = [
            str(_("Under a third of the minimum wage")),
            str(_("From a third of the minimum wage to just under it")),
            str(_("From the minimum wage to just under 1.7 times it")),
            str(_("1.7 times the minimum wage or more")),
        ]
    else:
        low, middle, high = INCOME_THRESHOLDS[country_code]
        currency = country_profile(country_code).currency

        def amount(value: int) -> str:
            return f"{number(value)} {currency}"

        paid = [
            _("Under %(amount)s") % {"amount": amount(low)},
            _("%(low)s to %(high)s") % {"low": amount(low), "high": amount(middle - 1)},
            _("%(low)s to %(high)s") % {"low": amount(middle), "high": amount(high - 1)},
            _("%(amount)s or more") % {"amount": amount(high)},
        ]
    codes = [bands.UNDER_1000, bands.FROM_1000, bands.FROM_3000, bands.FROM_5000]
    return [
        (bands.NONE, str(bands.NONE.label)),
        *zip(codes, paid, strict=True),
        (bands.UNDISCLOSED, str(bands.UNDISCLOSED.label)),
    ]


class BusinessSupport(TimeStampedModel):
    """Help a person gets to start a micro-enterprise, and how the business is doing.

    One record per person and project, kept up to date; its history shows how it went.
    """

    class Kind(models.TextChoices):
        NONE = "none", _("None yet")
        KIT = "kit", _("Start-up kit")
        GRANT = "grant", _("Grant")

    class BusinessStatus(models.TextChoices):
        IDEA = "idea", _("Idea")
        PLANNED = "planned", _("Business plan ready")
        STARTED = "started", _("Started")
        OPERATING = "operating", _("Operating")
        CLOSED = "closed", _("Closed")

    CREATED = [BusinessStatus.STARTED, BusinessStatus.OPERATING, BusinessStatus.CLOSED]

    beneficiary = models.OneToOneField(
        Beneficiary, verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="business_support"
    )
    training = models.ForeignKey(
        Training,
        verbose_name=_("micro-enterprise training"),
        on_delete=models.PROTECT,
        related_name="business_supports",
        null=True,
        blank=True,
        limit_choices_to={"kind": Training.Kind.MICRO_ENTERPRISE},
    )
    business_sector = models.CharField(_("business sector"), max_length=100)
    business_plan_on = models.DateField(_("business plan approved on"), null=True, blank=True)
    support_kind = models.CharField(_("start-up support"), max_length=6, choices=Kind.choices, default=Kind.NONE)
    support_amount = models.DecimalField(
        _("amount (local currency)"),
        max_digits=13,
        decimal_places=3,  # dinars count in millimes
        null=True,
        blank=True,
        help_text=_("Value of the kit or grant."),
    )
    support_on = models.DateField(_("support given on"), null=True, blank=True)
    coaching_sessions = models.PositiveSmallIntegerField(_("coaching sessions"), default=0)
    business_status = models.CharField(_("business status"), max_length=10, choices=BusinessStatus.choices)
    business_started_on = models.DateField(_("business started on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("business support")
        verbose_name_plural = _("business support")
        constraints = [
            models.CheckConstraint(
                condition=(Q(support_kind="none") & Q(support_amount__isnull=True))
                | (~Q(support_kind="none") & Q(support_amount__isnull=False, support_amount__gt=0)),
                name="trainings_business_amount_iff_support",
                violation_error_message=_("A kit or grant has an amount above zero; no support has no amount."),
            ),
            models.CheckConstraint(
                condition=Q(business_started_on__isnull=False) | ~Q(business_status__in=["started", "operating"]),
                name="trainings_business_started_has_a_date",
                violation_error_message=NEEDS_START_DATE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary.reference}: {self.get_business_status_display()}"

    def clean(self):
        if self.support_kind == self.Kind.NONE:
            self.support_amount = None  # no support, no amount
        errors = {}
        if self.support_kind and self.support_kind != self.Kind.NONE and not self.support_amount:
            errors["support_amount"] = _("Give the value of the kit or grant, in the local currency.")
        started = self.business_status in (self.BusinessStatus.STARTED, self.BusinessStatus.OPERATING)
        if started and not self.business_started_on:
            errors["business_started_on"] = NEEDS_START_DATE
        today = timezone.localdate()
        for field in ("business_plan_on", "support_on", "business_started_on"):
            if getattr(self, field) and getattr(self, field) > today:
                errors[field] = _("This date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    @property
    def business_created(self) -> bool:
        return self.business_status in self.CREATED
