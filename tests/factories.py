from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role
from projects.models import Funding, Location, Membership, Organization, Project


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
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).value))
        if create:
            self.save()

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
