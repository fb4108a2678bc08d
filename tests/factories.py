from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from core.roles import Role, assign_role
from projects.models import Funding, Location, Membership, Organization, Project

TEST_PASSWORD = "correct horse battery staple"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["name", "kind"]

    name = factory.Iterator(["Rabat", "Casablanca", "Tanger", "Oujda", "Fès"])
    kind = Location.Kind.CITY


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organization.Kind.NATIONAL_NGO


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"TP.{n:04d}")
    title_fr = factory.LazyAttribute(lambda p: f"Projet {p.code}")
    title_en = factory.LazyAttribute(lambda p: f"Project {p.code}")
    project_type = Project.ProjectType.ASSISTED_MIGRATION
    status = Project.Status.ACTIVE
    budget = Decimal("100000.00")
    coverage = Project.Coverage.NATIONAL
    beneficiary_countries = ["MA"]
    is_public = True


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    project = factory.SubFactory(ProjectFactory)
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.MULTILATERAL)
    amount = Decimal("50000.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.save()
        if create and extracted:
            assign_role(self, Role(extracted))

    @factory.post_generation
    def projects(self, create, extracted, **kwargs):
        for project in extracted or []:
            Membership.objects.create(user=self, project=project)


def beneficiary_data(**overrides) -> dict:
    """What the registration service takes, for a valid adult with consent to processing."""
    from datetime import date

    from projects.models import Location

    city = overrides.pop("city", None) or LocationFactory(name="Rabat")
    assert isinstance(city, Location)
    return {
        "first_name": "Aminata",
        "last_name": "Diop",
        "sex": "F",
        "date_of_birth": date(1992, 3, 14),
        "nationality": "SN",
        "city": city,
        "phone": "+212612345678",
        "languages": ["fr", "wo"],
        "education_level": "secondary",
        "prior_occupation": "Couturière",
        "regularization_year": 2014,
        "residence_card_number": "",
        "consent_processing": True,
        "consent_processing_date": date(2024, 1, 10),
        "consent_processing_method": "written",
        **overrides,
    }


def make_beneficiary(project, by, **overrides):
    from beneficiaries.services import beneficiary_create

    return beneficiary_create(project=project, data=beneficiary_data(**overrides), by=by)


class TrainingFactory(factory.django.DjangoModelFactory):
    """A vocational training that ended last month, with room for 15."""

    class Meta:
        model = "trainings.Training"

    project = factory.SubFactory(ProjectFactory)
    kind = "vocational"
    title = factory.Sequence(lambda n: f"Couture {n}")
    trade = "Couture"
    provider = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.OTHER_PUBLIC)
    city = factory.LazyFunction(lambda: LocationFactory(name="Rabat"))
    start_date = factory.LazyFunction(lambda: _today() - timedelta(days=60))
    end_date = factory.LazyFunction(lambda: _today() - timedelta(days=30))
    capacity = 15
    hours = 120
    pass_threshold = 80


def _today():
    from django.utils import timezone

    return timezone.localdate()


def add_sessions(training, count: int) -> list:
    """``count`` sessions on consecutive days from the training's start."""
    from datetime import time

    from trainings.models import Session

    return [
        Session.objects.create(training=training, date=training.start_date + timedelta(days=n), start_time=time(9))
        for n in range(count)
    ]


def training_objects(project, beneficiary, by) -> dict:
    """A finished, completed training with one certified person, their attendance, a follow-up and
    business support: one row of every trainings model."""
    from django.utils import timezone

    from trainings.models import Enrollment, Training
    from trainings.services import complete, record_attendance, record_business_support, record_follow_up

    today = timezone.localdate()
    training = TrainingFactory(
        project=project,
        kind=Training.Kind.MICRO_ENTERPRISE,
        start_date=today - timedelta(days=60),
        end_date=today - timedelta(days=30),
    )
    (session,) = add_sessions(training, 1)
    enrollment = Enrollment.objects.create(
        training=training, beneficiary=beneficiary, status=Enrollment.Status.ENROLLED, enrolled_on=today, created_by=by
    )
    record_attendance(session=session, marks={enrollment.pk: "present"}, by=by)
    complete(training=training, by=by)
    enrollment.refresh_from_db()
    follow_up = record_follow_up(
        enrollment=enrollment,
        data={"months_after": 3, "date": today, "employment_status": "self_employed", "income_band": "1000-2999"},
        by=by,
    )
    support = record_business_support(
        beneficiary=beneficiary,
        data={"training": training, "business_sector": "Restauration", "business_status": "planned"},
        by=by,
    )
    ongoing = TrainingFactory(
        project=project, start_date=today - timedelta(days=5), end_date=today + timedelta(days=25)
    )
    return {
        "training": training,
        "ongoing_training": ongoing,
        "session": session,
        "enrollment": enrollment,
        "follow_up": follow_up,
        "business_support": support,
    }


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A one-day local workshop in Rabat, last month."""

    class Meta:
        model = "workshops.Workshop"

    project = factory.SubFactory(ProjectFactory)
    kind = "workshop"
    level = "local"
    title = factory.Sequence(lambda n: f"Atelier {n}")
    city = factory.LazyFunction(lambda: LocationFactory(name="Rabat"))
    start_date = factory.LazyFunction(lambda: _today() - timedelta(days=30))
    end_date = factory.LazyAttribute(lambda workshop: workshop.start_date)


def make_participant(project, organization=None, **overrides):
    from workshops.services import participant_create

    data = {
        "first_name": "Khadija",
        "last_name": "El Amrani",
        "sex": "F",
        "position": "Cheffe de division",
        "organization": organization or OrganizationFactory(kind=Organization.Kind.GOVERNMENT, level="central"),
        "consent_to_contact": True,
        **overrides,
    }
    return participant_create(project=project, data=data)


def workshop_objects(project) -> dict:
    """An event with one topic, one registered participant, present, with a self-assessment."""
    from workshops.services import record_assessments, record_workshop_attendance, register, workshop_save

    workshop = workshop_save(workshop=WorkshopFactory.build(project=project), topics=["Orienter vers la formation"])
    participant = make_participant(project)
    (registration,) = register(workshop=workshop, participants=[participant])
    record_workshop_attendance(workshop=workshop, marks={registration.pk: "present"})
    topic = workshop.assessment_topics.get()
    record_assessments(workshop=workshop, scores={(registration.pk, topic.pk): (2, 4)})
    return {"workshop": workshop, "participant": participant, "organization": participant.organization}
