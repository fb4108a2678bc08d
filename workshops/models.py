"""Capacity building for the government and NGO actors who serve migrants: workshops and consultations,
the officials who take part, whether they came, and how they rate their own capacities before and after."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import END_BEFORE_START, TimeStampedModel, check_dates_in_order
from projects.models import Location, Organization, Project, check_city_in_country


class Workshop(TimeStampedModel):
    """A training, workshop or consultation for government and NGO actors."""

    class Kind(models.TextChoices):
        TRAINING = "training", pgettext_lazy("workshop kind", "Training")
        WORKSHOP = "workshop", pgettext_lazy("workshop kind", "Workshop")
        CONSULTATION = "consultation", pgettext_lazy("workshop kind", "Consultation")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="workshops")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Organization.Level.choices)
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    city = models.ForeignKey(
        Location,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="workshops",
        limit_choices_to={"kind": Location.Kind.CITY},
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organizers = models.ManyToManyField(
        Organization, verbose_name=_("organizers"), related_name="workshops_organized", blank=True
    )
    objectives = models.TextField(_("objectives"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    outcomes = models.TextField(_("outcome notes"), blank=True, help_text=_("What was agreed, learned or decided."))

    class Meta:
        verbose_name = _("workshop or consultation")
        verbose_name_plural = _("workshops and consultations")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["project", "-start_date"], name="workshops_workshop_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="workshops_workshop_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["training", "workshop", "consultation"]), name="workshops_workshop_known_kind"
            ),
            models.CheckConstraint(condition=Q(level__in=["central", "local"]), name="workshops_workshop_known_level"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.city}, {self.start_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("workshops:workshop-detail", kwargs={"pk": self.pk})

    def clean(self):
        check_dates_in_order(self.start_date, self.end_date)
        check_city_in_country(self.city if self.city_id else None, self.project if self.project_id else None)


class Participant(TimeStampedModel):
    """An official or NGO worker who takes part in a project's capacity-building events."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="workshop_participants"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Folded name (see core.names.name_key): finds the same official however they are spelled.
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    position = models.CharField(_("position"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="participants"
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    consent_to_contact = models.BooleanField(
        _("agrees to be contacted"), default=False, help_text=_("About the project's later activities.")
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="workshops_participant_known_sex"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name.upper()} ({self.organization.acronym or self.organization.name})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Registration(models.Model):
    """A participant registered for an event, and whether they came."""

    class Attendance(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="registrations"
    )
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["workshop", "participant__last_name", "participant__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "participant"],
                name="workshops_registration_once_per_event",
                violation_error_message=_("This person is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=["", "present", "absent"]), name="workshops_registration_known_attendance"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.workshop.title}"


class AssessmentTopic(models.Model):
    """A capacity participants rate themselves on, before and after an event (1 to 5)."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("event"), on_delete=models.CASCADE, related_name="assessment_topics"
    )
    name = models.CharField(_("topic"), max_length=150)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("assessment topic")
        verbose_name_plural = _("assessment topics")
        ordering = ["workshop", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "name"], name="workshops_assessment_topic_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentScore(models.Model):
    """One participant's self-assessment on one topic: before and after the event, from 1 to 5."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="scores"
    )
    # PROTECT: a topic with answers cannot be deleted by any path (workshop_save says so in words).
    topic = models.ForeignKey(AssessmentTopic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="scores")
    before = models.PositiveSmallIntegerField(_("before"), null=True, blank=True)
    after = models.PositiveSmallIntegerField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(fields=["registration", "topic"], name="workshops_score_once_per_topic"),
            models.CheckConstraint(
                condition=Q(before__isnull=True) | Q(before__gte=1, before__lte=5),
                name="workshops_score_before_1_to_5",
                violation_error_message=_("A score goes from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(after__isnull=True) | Q(after__gte=1, after__lte=5),
                name="workshops_score_after_1_to_5",
                violation_error_message=_("A score goes from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.participant} · {self.topic}: {self.before} → {self.after}"
