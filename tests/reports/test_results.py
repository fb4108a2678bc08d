"""The results framework: each computed actual equals a count made independently here, in a fixed
number of queries; the public sheet shows them through the disclosure rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Indicator, IndicatorValue
from reports.metrics import compute_metrics
from trainings.models import BusinessSupport, Enrollment, FollowUp, Registration, Workshop

from ..factories import make_beneficiary, training_objects, workshop_objects

pytestmark = pytest.mark.django_db
Metric = Indicator.Metric


def _data(project, by, people: int):
    for n in range(people):
        person = make_beneficiary(project, by, first_name=f"P{chr(97 + n % 26)}{chr(97 + n // 26)}", phone="")
        training_objects(project, person, by)  # one certified micro-enterprise training, a follow-up, a plan
    workshop_objects(project)


@pytest.mark.parametrize("people", [2, 8])
def test_computed_actuals_equal_counts_made_independently(project, field_staff, people):
    _data(project, field_staff, people)
    with CaptureQueriesContext(connection) as queries:
        metrics = compute_metrics(project)
    assert len(queries) == 6
    certified = Enrollment.objects.filter(training__project=project, status="certified")
    assert metrics[Metric.COMPLETED_MICRO_ENTERPRISE]["value"] == len(
        {e.beneficiary_id for e in certified if e.training.kind == "micro_enterprise"}
    )
    assert metrics[Metric.COMPLETED_VOCATIONAL]["value"] == 0
    created = [s for s in BusinessSupport.objects.all() if s.business_status in ("started", "operating", "closed")]
    assert metrics[Metric.BUSINESSES_CREATED]["value"] == len(created)
    present = {r.participant_id for r in Registration.objects.all() if r.attendance == "present"}
    assert metrics[Metric.STAKEHOLDERS_TRAINED]["value"] == len(present)
    held = [w for w in Workshop.objects.filter(project=project) if w.end_date <= timezone.localdate()]
    assert metrics[Metric.EVENTS_HELD]["value"] == len(held)
    assert metrics[Metric.WORKING_AFTER_SIX_MONTHS]["base"] == FollowUp.objects.filter(months_after=6).count()


def test_the_public_sheet_shows_results_without_small_counts(client, project, field_staff):
    _data(project, field_staff, 2)  # two certified people: a count to hide
    Indicator.objects.create(
        project=project,
        code="1.2",
        level="output",
        name_fr="Migrants certifiés en micro-entreprise",
        name_en="Migrants certified in micro-enterprise",
        target=Decimal(40),
        metric=Metric.COMPLETED_MICRO_ENTERPRISE,
    )
    Indicator.objects.create(
        project=project,
        code="2.2",
        level="output",
        name_fr="Ateliers tenus",
        name_en="Workshops held",
        target=Decimal(4),
        metric=Metric.EVENTS_HELD,
    )
    manual = Indicator.objects.create(
        project=project,
        code="2",
        level="outcome",
        name_fr="Protocoles adoptés",
        name_en="Protocols adopted",
        target=Decimal(10),
        metric="",
    )
    today = timezone.localdate()
    IndicatorValue.objects.create(indicator=manual, period_start=today - timedelta(days=30), period_end=today, value=6)
    page = client.get(reverse("projects:project-detail", kwargs={"code": project.code})).content.decode()
    row = page[page.index("Migrants certifiés en micro-entreprise") :].split("</tr>")[0]
    assert "&lt; 5" in row and ">2<" not in row
    protocols = page[page.index("Protocoles adoptés") :].split("</tr>")[0]
    assert ">6<" in protocols and "60 %" in protocols
    english = client.get("/en" + reverse("projects:project-detail", kwargs={"code": project.code})).content.decode()
    assert "Workshops held" in english and "Results" in english
