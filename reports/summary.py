"""Every figure of a project's results, computed from its data in six queries whatever its size.

The queries group rather than list: the people of a project come back as one row per combination of
sex, age group, nationality and city, with a count for each thing measured, so the summary costs
the same for 10 people and for 100,000. Disaggregations and totals are then sums over those rows.

Nothing here is safe to show as is: ``reports.report`` puts every figure through disclosure control.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from beneficiaries.models import Beneficiary
from projects.models import Indicator, Project
from trainings.models import BusinessSupport, Enrollment, FollowUp, Training
from workshops.models import Participant, Registration, Workshop

Metric = Indicator.Metric

# What is counted for each group of people, in the ``people`` rows.
PEOPLE_MEASURES = ("registered", "vocational", "micro_enterprise", "business", "followed_up", "working")


@dataclass
class Summary:
    project_id: int
    computed_at: datetime
    # {"sex", "age_group", "nationality", "city", and a count per PEOPLE_MEASURES}
    people: list[dict]
    # {"kind", "status", "enrolled" (quarter or None), "completed" (quarter or None), "enrollments"}
    enrollments: list[dict]
    # {"sex", "organization_kind", "level", "trained"}: participants present at one event at least
    participants: list[dict]
    # {"kind", "level", "quarter", "held", "planned"}
    events: list[dict]
    indicators: list[Indicator]  # with their hand-entered values prefetched

    def people_total(self, measure: str) -> int:
        return sum(row[measure] for row in self.people)

    def metrics(self) -> dict[str, dict]:
        """Each named metric's value; a share also gives its ``base``, the people behind it."""
        followed_up, working = self.people_total("followed_up"), self.people_total("working")
        share = None
        if followed_up:
            share = (Decimal(100) * working / followed_up).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return {
            Metric.COMPLETED_VOCATIONAL: {"value": self.people_total("vocational")},
            Metric.COMPLETED_MICRO_ENTERPRISE: {"value": self.people_total("micro_enterprise")},
            Metric.BUSINESSES_CREATED: {"value": self.people_total("business")},
            Metric.WORKING_AFTER_SIX_MONTHS: {"value": share, "base": followed_up},
            Metric.STAKEHOLDERS_TRAINED: {"value": sum(row["trained"] for row in self.participants)},
            Metric.EVENTS_HELD: {"value": sum(row["held"] for row in self.events)},
            Metric.REGISTERED: {"value": self.people_total("registered")},
        }


def compute_summary(project: Project) -> Summary:
    """Six queries: people, enrollments, participants, events, indicators and their values."""
    return Summary(
        project_id=project.pk,
        computed_at=timezone.now(),
        people=_people(project),
        enrollments=_enrollments(project),
        participants=_participants(project),
        events=_events(project),
        indicators=list(project.indicators.prefetch_related("values")),
    )


def _people(project: Project) -> list[dict]:
    """One row per sex, age group, nationality and city: how many people registered, were certified
    in each kind of training, created a business, answered the six-month follow-up, and were working
    then. Each is a count of people (EXISTS), never of rows, so two trainings do not count twice."""
    certified = Enrollment.objects.filter(beneficiary=OuterRef("pk"), status=Enrollment.Status.CERTIFIED)
    six_months = FollowUp.objects.filter(enrollment__beneficiary=OuterRef("pk"), months_after=FollowUp.Months.SIX)
    created = BusinessSupport.objects.filter(beneficiary=OuterRef("pk"), business_status__in=BusinessSupport.CREATED)
    rows = (
        Beneficiary.objects.filter(project=project)
        .values("sex", "age_group", "nationality", city_name=F("city__name"))
        .annotate(
            registered=Count("pk"),
            vocational=Count("pk", filter=Q(Exists(certified.filter(training__kind=Training.Kind.VOCATIONAL)))),
            micro_enterprise=Count(
                "pk", filter=Q(Exists(certified.filter(training__kind=Training.Kind.MICRO_ENTERPRISE)))
            ),
            business=Count("pk", filter=Q(Exists(created))),
            followed_up=Count("pk", filter=Q(Exists(six_months))),
            working=Count("pk", filter=Q(Exists(six_months.filter(employment_status__in=FollowUp.WORKING)))),
        )
        .order_by()
    )
    return [{**row, "nationality": str(row["nationality"]), "city": row.pop("city_name")} for row in rows]


def _enrollments(project: Project) -> list[dict]:
    rows = (
        Enrollment.objects.filter(training__project=project)
        .values(
            "status",
            kind=F("training__kind"),
            enrolled=TruncQuarter("enrolled_on"),
            completed=TruncQuarter("completed_on"),
        )
        .annotate(enrollments=Count("pk"))
        .order_by()
    )
    return list(rows)


def _participants(project: Project) -> list[dict]:
    present = Registration.objects.filter(participant=OuterRef("pk"), attendance=Registration.Attendance.PRESENT)
    rows = (
        Participant.objects.filter(project=project)
        .values("sex", organization_kind=F("organization__kind"), level=F("organization__level"))
        .annotate(trained=Count("pk", filter=Q(Exists(present))))
        .order_by()
    )
    return list(rows)


def _events(project: Project) -> list[dict]:
    rows = (
        Workshop.objects.filter(project=project)
        .values("kind", "level", quarter=TruncQuarter("start_date"))
        .annotate(held=Count("pk", filter=Q(end_date__lte=timezone.localdate())), planned=Count("pk"))
        .order_by()
    )
    return list(rows)
