from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from projects.models import Project

from ..factories import FundingFactory, OrganizationFactory, ProjectFactory


@pytest.fixture
def fm0390(db):
    call_command("load_project", "FM.0390", stdout=StringIO())
    return Project.objects.get(code="FM.0390")


def test_project_sheet_in_french_shows_every_fact_of_the_project(fm0390, client):
    response = client.get("/projects/FM.0390/")
    assert response.status_code == 200
    text = response.content.decode()
    for fact in (
        "FM.0390",
        "MA10P0001",
        "Services de migration assistée",
        "Achevé",
        "2024",
        "200 000,00 $US",
        "National",
        "Afrique",
        "Maroc",
        "Formation professionnelle et moyens de subsistance pour des migrants régularisés au Maroc",
        "Renforcement des capacités des acteurs",
        "Fonds de l&#x27;OIM pour le développement",
    ):
        assert fact in text, fact
    assert '<html lang="fr" dir="ltr">' in text


def test_project_sheet_in_english_translates_labels_and_money(fm0390, client):
    text = client.get("/en/projects/FM.0390/").content.decode()
    for fact in ("Assisted migration services", "Completed", "Africa", "Morocco", "US$200,000.00", "End date"):
        assert fact in text, fact
    assert "Achevé" not in text
    assert '<html lang="en" dir="ltr">' in text


def test_unknown_project_code_gives_the_404_page_in_the_layout(db, client):
    response = client.get("/projects/NOPE.0000/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    response = client.get("/en/projects/NOPE.0000/")
    assert "Page not found" in response.content.decode()
    assert "Skip to main content" in response.content.decode()


def test_a_private_project_is_hidden_from_non_members(other_project, client_for, field_staff, outsider):
    url = other_project.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(field_staff).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 200


def test_project_list_shows_public_projects_and_the_members_own(project, other_project, client_for, outsider):
    anonymous_page = client_for(None).get(reverse("reports:project-list")).content.decode()
    assert project.code in anonymous_page and other_project.code not in anonymous_page
    member_page = client_for(outsider).get(reverse("reports:project-list")).content.decode()
    assert other_project.code in member_page


def test_funding_total_is_shown_when_there_are_several_donors(project, client):
    FundingFactory(project=project, amount=Decimal("1500.50"))
    FundingFactory(project=project, amount=Decimal("2500"))
    text = client.get(project.get_absolute_url()).content.decode()
    assert "4 000,50 $US" in text


def test_project_sheet_runs_a_fixed_number_of_queries(project, client, django_assert_num_queries):
    for _ in range(5):
        FundingFactory(project=project)
    # The project and its components, sectors, places, funding and partners (6), its current release
    # and its latest updates (2; their photos one more when there are updates):
    # the records themselves are never read by the public sheet.
    with django_assert_num_queries(8):
        client.get(project.get_absolute_url())


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"budget": Decimal("0")}, "projects_project_budget_positive"),
        ({"planned_start_date": "2024-06-01", "planned_end_date": "2024-01-01"}, "planned_end_after_start"),
        ({"actual_start_date": "2024-06-01", "actual_end_date": "2023-01-01"}, "actual_end_after_start"),
    ],
)
def test_database_refuses_an_invalid_project(db, changes, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        ProjectFactory(**changes)


def test_project_codes_are_unique(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(code=project.code)


def test_funding_amount_must_be_positive_and_one_row_per_donor(project):
    donor = OrganizationFactory()
    FundingFactory(project=project, organization=donor)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingFactory(project=project, organization=donor)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingFactory(project=project, amount=Decimal("-1"))


def test_model_validation_explains_bad_dates_and_sdg_tags(db):
    project = ProjectFactory.build(
        planned_start_date="2024-06-01", planned_end_date="2024-01-01", sdg_targets="8, 99, 10.7"
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert set(error.value.message_dict) >= {"planned_end_date", "sdg_targets"}
