"""The results framework: each computed actual equals a count made independently here, in a fixed
number of queries; the public sheet shows them through the disclosure rule."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Beneficiary
from projects.models import Indicator, IndicatorValue
from projects.services import approve_indicator_value, submit_indicator_value
from reports.services import publish_release
from reports.summary import compute_summary
from trainings.models import BusinessSupport, Enrollment, FollowUp
from workshops.models import Registration, Workshop

from ..datasets import build_dataset
from ..factories import make_beneficiary, training_objects, workshop_objects

pytestmark = pytest.mark.django_db
Metric = Indicator.Metric


def _data(project, by, people: int):
    for n in range(people):
        person = make_beneficiary(project, by, first_name=f"P{chr(97 + n % 26)}{chr(97 + n // 26)}", phone="")
        training_objects(project, person, by)  # one certified micro-enterprise training, a follow-up, a plan
    workshop_objects(project)


def _independently(project) -> dict:
    """The metrics, counted person by person in Python from plain rows, not through the summary."""
    people = list(Beneficiary.objects.filter(project=project))
    enrollments = list(Enrollment.objects.filter(training__project=project).select_related("training"))
    certified = {(e.beneficiary_id, e.training.kind) for e in enrollments if e.status == "certified"}
    six = list(
        FollowUp.objects.filter(enrollment__training__project=project, months_after=6).select_related("enrollment")
    )
    answered = {f.enrollment.beneficiary_id for f in six}
    working = {f.enrollment.beneficiary_id for f in six if f.employment_status in FollowUp.WORKING}
    created = {s.beneficiary_id for s in BusinessSupport.objects.all() if s.business_status in BusinessSupport.CREATED}
    present = {
        r.participant_id for r in Registration.objects.filter(workshop__project=project) if r.attendance == "present"
    }
    held = [w for w in Workshop.objects.filter(project=project) if w.end_date <= timezone.localdate()]
    return {
        "people": people,
        Metric.REGISTERED: len(people),
        Metric.COMPLETED_VOCATIONAL: len({p for p, kind in certified if kind == "vocational"}),
        Metric.COMPLETED_MICRO_ENTERPRISE: len({p for p, kind in certified if kind == "micro_enterprise"}),
        Metric.BUSINESSES_CREATED: len(created),
        "answered": answered,
        "working": working,
        Metric.STAKEHOLDERS_TRAINED: len(present),
        Metric.EVENTS_HELD: len(held),
    }


def test_every_computed_actual_equals_a_count_made_independently(project, field_staff):
    build_dataset(project, field_staff, 300, attendance=False)
    summary = compute_summary(project)
    metrics = summary.metrics()
    expected = _independently(project)
    for metric in (
        Metric.REGISTERED,
        Metric.COMPLETED_VOCATIONAL,
        Metric.COMPLETED_MICRO_ENTERPRISE,
        Metric.BUSINESSES_CREATED,
        Metric.STAKEHOLDERS_TRAINED,
        Metric.EVENTS_HELD,
    ):
        assert metrics[metric]["value"] == expected[metric] > 0, metric
    share = metrics[Metric.WORKING_AFTER_SIX_MONTHS]
    assert share["base"] == len(expected["answered"]) > 0
    assert share["value"] == round(Decimal(100 * len(expected["working"])) / len(expected["answered"]), 1)
    # Each disaggregation adds up to the same people, and each group's count is right.
    by_sex = {sex: sum(1 for p in expected["people"] if p.sex == sex) for sex in "FM"}
    assert {sex: sum(r["registered"] for r in summary.people if r["sex"] == sex) for sex in "FM"} == by_sex
    by_city = {}
    for person in expected["people"]:
        by_city[person.city.name] = by_city.get(person.city.name, 0) + 1
    assert {c: sum(r["registered"] for r in summary.people if r["city"] == c) for c in by_city} == by_city
    working_women = sum(1 for p in expected["people"] if p.sex == "F" and p.pk in expected["working"])
    assert sum(r["working"] for r in summary.people if r["sex"] == "F") == working_women


@pytest.mark.parametrize("people", [10, 2000])
def test_the_summary_runs_six_queries_whatever_the_number_of_people(project, field_staff, people):
    build_dataset(project, field_staff, people, attendance=False)
    Indicator.objects.create(
        project=project, code="1", level="output", name_fr="Inscrits", target=10, metric="registered"
    )
    with CaptureQueriesContext(connection) as queries:
        summary = compute_summary(project)
    assert len(queries) == 6
    assert summary.metrics()[Metric.REGISTERED]["value"] == people


def test_people_in_two_trainings_count_once(project, field_staff):
    _data(project, field_staff, 2)
    person = Beneficiary.objects.filter(project=project).first()
    second = training_objects(project, person, field_staff)["enrollment"]  # certified again
    assert second.status == "certified"
    metrics = compute_summary(project).metrics()
    assert metrics[Metric.COMPLETED_MICRO_ENTERPRISE]["value"] == 2


def test_the_public_sheet_shows_the_release_without_small_counts(client, project, field_staff, me_officer, admin_user):
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
    approved = IndicatorValue.objects.create(
        indicator=manual, period_start=today - timedelta(days=60), period_end=today - timedelta(days=31), value=6
    )
    approve_indicator_value(value=submit_indicator_value(value=approved, by=me_officer), by=admin_user)
    # A value entered but not approved stays out of the release, though it is the latest.
    IndicatorValue.objects.create(indicator=manual, period_start=today - timedelta(days=30), period_end=today, value=9)
    publish_release(project=project, by=me_officer)
    page = client.get(reverse("reports:project-detail", kwargs={"code": project.code})).content.decode()
    row = page[page.index("Migrants certifiés en micro-entreprise") :].split("</tr>")[0]
    assert "&lt; 5" in row and ">2<" not in row
    protocols = page[page.index("Protocoles adoptés") :].split("</tr>")[0]
    assert ">6<" in protocols and "60\xa0%" in protocols and ">9<" not in protocols
    english = client.get("/en" + reverse("reports:project-detail", kwargs={"code": project.code})).content.decode()
    assert "Workshops held" in english and "Results" in english


def test_a_value_is_approved_by_someone_other_than_who_submitted_it(project, me_officer):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    indicator = Indicator.objects.create(project=project, code="9", level="outcome", name_fr="Protocoles", target=3)
    value = IndicatorValue.objects.create(
        indicator=indicator, period_start="2024-01-01", period_end="2024-12-31", value=2
    )
    submitted = submit_indicator_value(value=value, by=me_officer)
    with pytest.raises(ValidationError, match="autre personne"):
        approve_indicator_value(value=submitted, by=me_officer)
    # Nor can a shortcut around the service do it: the database refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.filter(pk=value.pk).update(status="approved", approved_by=me_officer)
