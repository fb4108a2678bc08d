"""The named metrics a results framework's indicators are computed from, all at once for a project,
in a fixed number of queries whatever the size of the data."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from beneficiaries.models import Beneficiary
from projects.models import Indicator, Project
from trainings.models import BusinessSupport, Enrollment, FollowUp, Participant, Training, Workshop

Metric = Indicator.Metric


def compute_metrics(project: Project) -> dict[str, dict]:
    """Each metric's value, and for shares the number of people behind them (``base``), so that a
    share over fewer than five people can be withheld. Six queries."""
    certified = dict(
        Enrollment.objects.filter(training__project=project, status=Enrollment.Status.CERTIFIED)
        .values_list("training__kind")
        .annotate(people=Count("beneficiary", distinct=True))
    )
    six_months = FollowUp.objects.filter(enrollment__training__project=project, months_after=6).aggregate(
        answered=Count("id"), working=Count("id", filter=Q(employment_status__in=FollowUp.WORKING))
    )
    share = None
    if six_months["answered"]:
        share = (Decimal(100) * six_months["working"] / six_months["answered"]).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return {
        Metric.COMPLETED_VOCATIONAL: {"value": certified.get(Training.Kind.VOCATIONAL, 0)},
        Metric.COMPLETED_MICRO_ENTERPRISE: {"value": certified.get(Training.Kind.MICRO_ENTERPRISE, 0)},
        Metric.BUSINESSES_CREATED: {
            "value": BusinessSupport.objects.filter(
                beneficiary__project=project, business_status__in=BusinessSupport.CREATED
            ).count()
        },
        Metric.WORKING_AFTER_SIX_MONTHS: {"value": share, "base": six_months["answered"]},
        Metric.STAKEHOLDERS_TRAINED: {
            "value": Participant.objects.filter(project=project, registrations__attendance="present").distinct().count()
        },
        Metric.EVENTS_HELD: {
            "value": Workshop.objects.filter(project=project, end_date__lte=timezone.localdate()).count()
        },
        Metric.REGISTERED: {"value": Beneficiary.objects.filter(project=project).count()},
    }
