"""A project's country decides its phone numbers, cities, local currency and session times: a
project in Tunisia next to FM.0390 in Morocco, and nothing of one leaking into the other."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.imports import preview
from beneficiaries.models import Beneficiary
from projects.countries import country_profile
from projects.models import Location, Membership
from trainings.forms import FollowUpForm
from trainings.models import BusinessSupport, Session, income_band_choices

from ..beneficiaries.test_registry import CREATE_URL, form_data
from ..factories import LocationFactory, ProjectFactory, TrainingFactory, make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture
def tunisia(field_staff):
    project = ProjectFactory(code="DEMO.TN", country="TN")
    Membership.objects.create(user=field_staff, project=project)
    return project


@pytest.fixture
def sfax(db):
    return LocationFactory(name="Sfax", country="TN")


def test_the_country_decides_the_phone_region_the_currency_and_the_time_zone():
    morocco, tunisia = country_profile("MA"), country_profile("TN")
    assert (morocco.currency, str(morocco.time_zone), morocco.phone_example) == (
        "MAD",
        "Africa/Casablanca",
        "06 50 12 34 56",
    )
    assert (tunisia.currency, str(tunisia.time_zone), tunisia.phone_example) == ("TND", "Africa/Tunis", "20 123 456")


def test_a_tunisian_number_and_city_are_taken_in_tunisia_and_refused_in_morocco(
    project, tunisia, sfax, field_staff, client_for
):
    rabat = LocationFactory(name="Rabat")
    client = client_for(field_staff)
    tunisian = form_data(project, city=sfax, phone="20 123 456") | {"project": tunisia.pk}
    response = client.post(CREATE_URL, tunisian)
    assert response.status_code == 302, response.context["form"].errors
    person = Beneficiary.objects.get()
    assert str(person.phone) == "+21620123456" and person.city == sfax
    # The same local number and a Moroccan city, for FM.0390: a Moroccan number is what it expects.
    refused = form_data(project, city=sfax, phone="20 123 456", residence_card_number="X1", first_name="Mariam")
    response = client.post(CREATE_URL, refused)
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"phone", "city"} <= set(errors)
    assert "n’est pas dans le pays du projet" in str(errors["city"])
    moroccan_city_in_tunisia = form_data(project, city=rabat, phone="", first_name="Awa") | {"project": tunisia.pk}
    assert "city" in client.post(CREATE_URL, moroccan_city_in_tunisia).context["form"].errors
    assert Beneficiary.objects.count() == 1


def test_the_registration_form_of_a_tunisian_project_offers_its_cities_and_its_numbers(
    tunisia, sfax, field_staff, client_for
):
    LocationFactory(name="Rabat")
    Membership.objects.filter(user=field_staff).exclude(project=tunisia).delete()
    page = client_for(field_staff).get(CREATE_URL)
    form = page.context["form"]
    assert list(form.fields["city"].queryset) == [sfax]
    assert "20 123 456" in form.fields["phone"].help_text and "Tunisie" in form.fields["phone"].help_text


def test_an_import_into_a_tunisian_project_reads_its_numbers_and_cities(tunisia, sfax, me_officer):
    LocationFactory(name="Rabat")
    content = (
        "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Téléphone;Consentement au traitement\n"
        "Traoré;Awa;F;1990-12-31;ML;Sfax;20 123 456;oui\n"
        "Kouassi;Yao;M;1988-05-02;CI;Rabat;;oui\n"
    ).encode()
    result = preview(project=tunisia, filename="tn.csv", content=content)
    assert [row.data["phone"] for row in result.rows] == ["+21620123456"]
    [problem] = result.problems
    assert problem.column == "Ville" and "Sfax" in problem.message and "Rabat" not in problem.message


def test_local_amounts_and_income_bands_are_in_the_projects_currency(tunisia, sfax, field_staff, client_for):
    person = make_beneficiary(tunisia, field_staff, city=sfax, phone="")
    BusinessSupport.objects.create(
        beneficiary=person,
        business_sector="Couture",
        support_kind=BusinessSupport.Kind.GRANT,
        support_amount=Decimal("1500"),
        business_status=BusinessSupport.BusinessStatus.IDEA,
        recorded_by=field_staff,
    )
    page = client_for(field_staff).get(person.get_absolute_url()).content.decode()
    assert "1 500,000 TND" in page and "MAD" not in page  # the dinar has three decimals (CLDR)
    assert [label for _code, label in income_band_choices("TN")][1:5] == [
        "Moins de 200 TND",
        "200 TND à 499 TND",
        "500 TND à 899 TND",
        "900 TND ou plus",
    ]
    today = timezone.localdate()
    training = TrainingFactory(project=tunisia, city=sfax, end_date=today - timedelta(days=40))
    enrollment = training.enrollments.create(beneficiary=person, status="completed", created_by=field_staff)
    choices = dict(FollowUpForm(enrollment=enrollment).fields["income_band"].choices)
    assert choices["lt1000"] == "Moins de 200 TND"
    assert dict(income_band_choices("MA"))["lt1000"] == "Moins de 1 000 MAD"


def test_a_session_begins_at_its_time_in_the_projects_country(tunisia, sfax):
    training = TrainingFactory(project=tunisia, city=sfax)
    session = Session(training=training, date=datetime(2026, 7, 1).date(), start_time=time(9))
    assert session.starts_at.utcoffset() == timedelta(hours=1)  # Tunis, summer and winter
    assert str(session.starts_at.tzinfo) == "Africa/Tunis"


def test_the_demo_loads_a_tunisian_project_with_dinars_and_216_numbers(settings, field_staff):
    from django.core.management import call_command

    from projects.models import Project

    settings.DEBUG = True
    field_staff.delete()  # the demo makes its own users
    call_command("seed_demo", stdout=None)
    tunisia = Project.objects.get(code="DEMO.TN")
    people = tunisia.beneficiaries.all()
    assert people.count() >= 20 and all(str(person.phone).startswith("+216") for person in people)
    assert not people.exclude(city__country="TN").exists()
    assert BusinessSupport.objects.get(beneficiary__project=tunisia).beneficiary.project.profile.currency == "TND"
    assert not Location.objects.filter(country="TN").exclude(pk__in=tunisia.locations.values("pk")).exists()


def test_the_phone_is_read_in_the_country_of_the_project_the_form_saves(
    project, tunisia, sfax, field_staff, client_for
):
    # "0<pk>" is the same project for the project field: the phone must be read as Tunisian then.
    data = form_data(project, city=sfax, phone="06 12 34 56 78") | {"project": f"0{tunisia.pk}"}
    response = client_for(field_staff).post(CREATE_URL, data)
    assert response.status_code == 200 and "phone" in response.context["form"].errors
    assert not Beneficiary.objects.exists()


def test_a_country_with_several_time_zones_makes_its_project_choose_one(db):
    from django.core.exceptions import ValidationError

    colombia = ProjectFactory(country="CO")  # one zone: its own
    assert str(colombia.session_time_zone) == "America/Bogota"
    congo = ProjectFactory(country="CD")
    with pytest.raises(ValidationError, match="plusieurs fuseaux horaires"):
        congo.full_clean()
    congo.time_zone = "Africa/Kinshasa"
    congo.full_clean()
    assert str(congo.session_time_zone) == "Africa/Kinshasa"
    congo.time_zone = "Europe/Paris"
    with pytest.raises(ValidationError):
        congo.full_clean()


@pytest.mark.parametrize("country", ["PN", "AQ"])
def test_a_country_without_phone_numbers_of_its_own_still_registers(country, field_staff, client_for):
    elsewhere = ProjectFactory(country=country)
    Membership.objects.filter(user=field_staff).delete()
    Membership.objects.create(user=field_staff, project=elsewhere)
    assert client_for(field_staff).get(CREATE_URL).status_code == 200


def test_income_bands_without_thresholds_of_their_own_are_parts_of_the_minimum_wage():
    labels = dict(income_band_choices("GN"))
    assert labels["lt1000"] == "Moins d’un tiers du salaire minimum" and "GNF" not in "".join(labels.values())
    assert dict(income_band_choices("MA"))["1000-2999"] == "De 1 000 à 2 999 MAD"  # Morocco's own labels


def test_the_lists_offer_the_cities_of_the_readers_countries_only(tunisia, sfax, field_staff, client_for):
    LocationFactory(name="Rabat")
    Membership.objects.filter(user=field_staff).exclude(project=tunisia).delete()
    client = client_for(field_staff)
    for name in ("beneficiaries:beneficiary-list", "trainings:training-list", "workshops:workshop-list"):
        cities = list(client.get(reverse(name)).context["filter"].form.fields["city"].queryset)
        assert cities == [sfax], name


def test_a_projects_places_are_in_its_country_and_its_amounts_count_millimes(tunisia, sfax, field_staff):
    from projects.admin import ProjectAdminForm

    rabat = LocationFactory(name="Rabat")
    form = ProjectAdminForm(instance=tunisia)
    form.cleaned_data = {"country": tunisia.country, "locations": [sfax, rabat]}
    form.clean()
    assert "Rabat" in str(form.errors["locations"]) and "Sfax" not in str(form.errors["locations"])
    person = make_beneficiary(tunisia, field_staff, city=sfax, phone="")
    support = BusinessSupport(
        beneficiary=person,
        business_sector="Couture",
        support_kind=BusinessSupport.Kind.GRANT,
        support_amount=Decimal("1500.250"),
        business_status=BusinessSupport.BusinessStatus.IDEA,
        recorded_by=field_staff,
    )
    support.full_clean()
    support.save()
    support.refresh_from_db()
    assert support.support_amount == Decimal("1500.250")
