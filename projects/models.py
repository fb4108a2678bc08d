from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.formatting import percent
from core.models import TimeStampedModel, localized
from core.storage import private_storage

from . import codelists
from .countries import CountryProfile, country_profile

CITY_OUTSIDE_COUNTRY = _("This city is not in the project’s country.")


def check_city_in_country(city, project) -> None:
    """A project's people, trainings and workshops are in cities of its country (projects.countries)."""
    if city is not None and project is not None and city.country != project.country:
        raise ValidationError({"city": ValidationError(CITY_OUTSIDE_COUNTRY, code="city_outside_country")})


class Location(models.Model):
    """A region or city where a project works, in its country."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city", _("City")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CITY)
    region = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cities",
        limit_choices_to={"kind": Kind.REGION},
    )
    country = CountryField(_("country"), default="MA")
    # Where a city is drawn on the project's map (WGS 84 degrees); a place without them is listed only.
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "kind", "name"], name="projects_location_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="projects_location_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organization(TimeStampedModel):
    """A donor, implementing partner, training provider or public institution."""

    class Kind(models.TextChoices):
        # IATI OrganisationType codes
        GOVERNMENT = "10", _("Government")
        OTHER_PUBLIC = "15", _("Other public sector")
        INTERNATIONAL_NGO = "21", _("International NGO")
        NATIONAL_NGO = "22", _("National NGO")
        REGIONAL_NGO = "23", _("Regional NGO")
        PARTNER_COUNTRY_NGO = "24", _("Partner country based NGO")
        PUBLIC_PRIVATE = "30", _("Public private partnership")
        MULTILATERAL = "40", _("Multilateral")
        FOUNDATION = "60", _("Foundation")
        PRIVATE_SECTOR = "70", _("Private sector")
        ACADEMIC = "80", _("Academic, training and research")
        OTHER = "90", _("Other")

    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        LOCAL = "local", _("Local")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("organization type"), max_length=2, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    city = models.ForeignKey(
        Location,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        limit_choices_to={"kind": Location.Kind.CITY},
    )
    iati_ref = models.CharField(
        _("IATI identifier"), max_length=60, blank=True, help_text=_("For example XM-DAC-47066 for IOM.")
    )
    website = models.URLField(_("website"), blank=True)
    # Shown beside the organization's name on the sheets of projects it funds or carries out:
    # re-encoded on upload (core.images), served by the portal.
    logo = models.FileField(
        _("logo"), storage=private_storage, upload_to="logos/", blank=True, help_text=_("PNG, JPEG or WebP.")
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["10", "15", "21", "22", "23", "24", "30", "40", "60", "70", "80", "90"]),
                name="projects_organization_iati_type",
                violation_error_message=_("Choose an organization type from the IATI list."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=["", "central", "local"]), name="projects_organization_known_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Project(TimeStampedModel):
    class ProjectType(models.TextChoices):
        ASSISTED_MIGRATION = "assisted_migration", _("Assisted migration services")
        LABOUR_MIGRATION = "labour_migration", _("Labour mobility and human development")
        MIGRATION_DEVELOPMENT = "migration_development", _("Migration and development")
        IMMIGRATION_BORDER = "immigration_border", _("Immigration and border management")
        MIGRATION_HEALTH = "migration_health", _("Migration health")
        EMERGENCY = "emergency", _("Emergency and post-crisis")
        MIGRATION_POLICY = "migration_policy", _("Migration policy and research")

    class Status(models.TextChoices):
        # Each maps to an IATI ActivityStatus code (see iati_status).
        PIPELINE = "pipeline", _("Pipeline")
        ACTIVE = "active", _("Active")
        FINALISATION = "finalisation", _("Finalisation")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        SUSPENDED = "suspended", _("Suspended")

    class Coverage(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        SUBNATIONAL = "subnational", _("Sub-national")

    class IdfRegion(models.TextChoices):
        AFRICA = "africa", _("Africa")
        AMERICAS = "americas", _("Americas")
        ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
        EUROPE = "europe", _("Europe")
        MIDDLE_EAST = "middle_east", _("Middle East")
        GLOBAL = "global", _("Global")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Exact day")
        YEAR = "year", _("Year only")

    IATI_STATUS = {
        Status.PIPELINE: "1",
        Status.ACTIVE: "2",
        Status.FINALISATION: "3",
        Status.COMPLETED: "4",
        Status.CANCELLED: "5",
        Status.SUSPENDED: "6",
    }

    code = models.CharField(
        _("project ID"), max_length=20, unique=True, help_text=_("IOM project code, for example FM.0390.")
    )
    prima_id = models.CharField(_("Prima ID"), max_length=20, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    project_type = models.CharField(_("project type"), max_length=30, choices=ProjectType.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PIPELINE)
    planned_start_date = models.DateField(_("planned start date"), null=True, blank=True)
    planned_end_date = models.DateField(_("planned end date"), null=True, blank=True)
    actual_start_date = models.DateField(_("actual start date"), null=True, blank=True)
    actual_end_date = models.DateField(_("actual end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=4,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("When only the year of the dates is known, public pages show the year alone."),
    )
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD", help_text=_("ISO 4217 code."))
    coverage = models.CharField(_("coverage"), max_length=12, choices=Coverage.choices)
    idf_region = models.CharField(_("IDF region"), max_length=20, choices=IdfRegion.choices, blank=True)
    beneficiary_countries = CountryField(_("beneficiary member states"), multiple=True, blank=True)
    # Where the project registers its people and holds its sessions: their phone numbers, cities,
    # local amounts and times follow it (projects.countries).
    country = CountryField(
        _("country of operation"),
        default="MA",
        help_text=_("Phone numbers, cities, local amounts and session times follow it."),
    )
    time_zone = models.CharField(
        _("time zone of its sessions"),
        max_length=40,
        blank=True,
        help_text=_("Needed where the country has several (e.g. Africa/Kinshasa); otherwise the country's own."),
    )
    # Where field teams send registrations from phones (beneficiaries.kobo): a KoboToolbox server,
    # the form's id there, and a token of a KoboToolbox account that may read its submissions. The
    # token is another system's secret: kept to be sent there, never shown again once saved.
    kobo_server = models.URLField(_("KoboToolbox server"), blank=True, help_text=_("e.g. https://kf.kobotoolbox.org"))
    kobo_form = models.CharField(_("KoboToolbox form id"), max_length=40, blank=True, help_text=_("The asset uid."))
    kobo_token = models.CharField(_("KoboToolbox API token"), max_length=100, blank=True)
    locations = models.ManyToManyField(Location, verbose_name=_("locations"), blank=True, related_name="projects")
    sdg_targets = models.CharField(
        _("SDG goals and targets"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated goals (8) and targets (8.5)."),
    )
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public projects have a project sheet anyone can read.")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="projects_project_budget_positive"),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True)
                | Q(planned_start_date__isnull=True)
                | Q(planned_end_date__gte=F("planned_start_date")),
                name="projects_project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end_date__isnull=True)
                | Q(actual_start_date__isnull=True)
                | Q(actual_end_date__gte=F("actual_start_date")),
                name="projects_project_actual_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def pulls_from_kobo(self) -> bool:
        return bool(self.kobo_server and self.kobo_form and self.kobo_token)

    @property
    def profile(self) -> CountryProfile:
        """What its country decides: phone region, local currency, time zone."""
        return country_profile(self.country.code)

    @property
    def session_time_zone(self) -> ZoneInfo:
        """Where its sessions' dates and times are told: its own choice, else its country's zone."""
        if self.time_zone:
            return ZoneInfo(self.time_zone)
        return self.profile.time_zone or ZoneInfo(self.profile.time_zones[0])

    @property
    def compact_code(self) -> str:
        """The code without punctuation, as references and certificate numbers use it: FM0390."""
        return self.code.replace(".", "").replace("-", "")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def start_date(self):
        return self.actual_start_date or self.planned_start_date

    @property
    def end_date(self):
        return self.actual_end_date or self.planned_end_date

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def year_only(self) -> bool:
        """Only the year of the dates is known: public pages show the year alone."""
        return self.date_precision == self.DatePrecision.YEAR

    @property
    def iati_status(self) -> str:
        return self.IATI_STATUS[self.Status(self.status)]

    @property
    def iati_identifier(self) -> str:
        return f"XM-DAC-47066-{self.code}"

    @property
    def sdg_list(self) -> list[str]:
        return [tag.strip() for tag in self.sdg_targets.split(",") if tag.strip()]

    @property
    def sdg_goals(self) -> list[dict]:
        """The SDG goals the project serves, each with its targets, named in the reader's language
        (a target alone brings its goal)."""
        goals: dict[str, dict] = {}
        for tag in self.sdg_list:
            goal = goals.setdefault(tag.split(".")[0], {"entry": codelists.sdg(tag.split(".")[0]), "targets": []})
            if "." in tag and (entry := codelists.sdg(tag)) is not None:
                goal["targets"].append(entry)
        return [goal for _, goal in sorted(goals.items(), key=lambda item: int(item[0])) if goal["entry"]]

    def clean(self) -> None:
        errors = {}
        for kind in ("planned", "actual"):
            start, end = getattr(self, f"{kind}_start_date"), getattr(self, f"{kind}_end_date")
            if start and end and end < start:
                errors[f"{kind}_end_date"] = _("The end date must be on or after the start date.")
        for tag in self.sdg_list:
            if codelists.sdg(tag) is None:
                errors["sdg_targets"] = _("“%(tag)s” is not an SDG goal or target.") % {"tag": tag}
        zones = self.profile.time_zones
        if self.time_zone and self.time_zone not in zones:
            errors["time_zone"] = _("Choose one of the country’s time zones: %(zones)s.") % {"zones": ", ".join(zones)}
        elif not self.time_zone and len(zones) > 1:
            errors["time_zone"] = _("This country has several time zones: choose one (%(zones)s).") % {
                "zones": ", ".join(zones)
            }
        if errors:
            raise ValidationError(errors)


class Component(models.Model):
    """One of a project's components (lines of work), shown on the project sheet."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="components")
    number = models.PositiveSmallIntegerField(_("number"))
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="projects_component_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Sector(models.Model):
    """A project's share of an OECD DAC 5-digit sector (IATI sector vocabulary 1)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="sectors")
    # Any DAC 5-digit sector IATI lists, named in the reader's language from IATI's own codelist.
    code = models.CharField(_("DAC sector"), max_length=5, choices=codelists.sector_choices)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["project", "-percentage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projects_sector_unique_code"),
            models.CheckConstraint(
                condition=Q(percentage__gt=0) & Q(percentage__lte=100), name="projects_sector_percentage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({percent(self.percentage)})"

    @property
    def name(self) -> str:
        entry = codelists.sector(self.code)
        return entry.name if entry else self.code

    @property
    def category(self) -> str:
        entry = codelists.sector_category(self.code)
        return entry.name if entry else ""


class Funding(models.Model):
    """A donor's contribution to a project, in the project's currency."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="fundings")
    organization = models.ForeignKey(
        Organization, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="fundings"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["project", "-amount"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization"], name="projects_funding_unique_donor"),
            models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="projects_funding_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.project.code}"


class Partnership(models.Model):
    """An organization's part in a project other than funding it (IATI's organisation roles):
    answerable for it, managing the money, or carrying it out."""

    class Role(models.TextChoices):
        ACCOUNTABLE = "2", _("Accountable")
        EXTENDING = "3", _("Extending (manages the funds)")
        IMPLEMENTING = "4", _("Implementing")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(_("role"), max_length=1, choices=Role.choices, default=Role.IMPLEMENTING)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["project", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization", "role"], name="projects_partnership_unique_role"
            ),
            models.CheckConstraint(condition=Q(role__in=["2", "3", "4"]), name="projects_partnership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()}) → {self.project.code}"


class Membership(TimeStampedModel):
    """Who works on (or, for a donor, reads) which project. Roles come from the user's groups."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="projects_membership_unique_user_project"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.project.code}"


class Indicator(models.Model):
    """A line of a project's results framework: what is measured, from where to where.

    Its actual is computed from the data by a named metric (see reports.summary), or, for what the
    data cannot show, entered by hand per reporting period (IndicatorValue).
    """

    class Level(models.TextChoices):
        OUTCOME = "outcome", _("Outcome")  # IATI result type 2
        OUTPUT = "output", _("Output")  # IATI result type 1

    class Measure(models.TextChoices):
        UNIT = "unit", _("Number")  # IATI indicator measure 1
        PERCENTAGE = "percentage", _("Percentage")  # IATI indicator measure 2

    class Metric(models.TextChoices):
        COMPLETED_VOCATIONAL = "completed_vocational", _("Migrants certified in a vocational training")
        COMPLETED_MICRO_ENTERPRISE = (
            "completed_micro_enterprise",
            _("Migrants certified in a micro-enterprise training"),
        )
        BUSINESSES_CREATED = "businesses_created", _("Micro-enterprises created")
        WORKING_AFTER_SIX_MONTHS = (
            "working_after_6_months",
            _("Share employed or self-employed 6 months after training"),
        )
        STAKEHOLDERS_TRAINED = "stakeholders_trained", _("Government and NGO participants in capacity building")
        EVENTS_HELD = "events_held", _("Workshops and consultations held")
        REGISTERED = "registered", _("Migrants registered")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("For example 1.2"))
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, default=Measure.UNIT)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    metric = models.CharField(
        _("computed from"),
        max_length=40,
        choices=Metric.choices,
        blank=True,
        help_text=_("Leave empty to enter the actual by hand, per reporting period."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projects_indicator_unique_code"),
            models.CheckConstraint(condition=Q(baseline__gte=0, target__gte=0), name="projects_indicator_not_negative"),
            models.CheckConstraint(
                condition=~Q(measure="percentage") | Q(baseline__lte=100, target__lte=100),
                name="projects_indicator_percentage_up_to_100",
                violation_error_message=_("A percentage goes up to 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_outcome(self) -> bool:
        return self.level == self.Level.OUTCOME

    @property
    def is_percentage(self) -> bool:
        return self.measure == self.Measure.PERCENTAGE


class IndicatorValue(models.Model):
    """An actual entered by hand for one reporting period. It reaches a published release only once
    approved: entered (draft), submitted by the person who entered it, approved by another."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="projects_indicatorvalue_one_per_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="projects_indicatorvalue_end_after_start"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="projects_indicatorvalue_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved"]), name="projects_indicatorvalue_known_status"
            ),
            # Four eyes: whoever approves a value did not submit it.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_by__isnull=False) & Q(submitted_by__isnull=False) & ~Q(approved_by=F("submitted_by"))),
                name="projects_indicatorvalue_approved_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_end:%Y-%m-%d}: {self.value}"
