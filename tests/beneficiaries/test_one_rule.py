"""A person's record follows one set of rules, whichever path writes it (issue 19): the staff form,
the admin and the import accept and refuse the same values, and find the same likely duplicates."""

from datetime import date

import pytest
from django.urls import reverse

from beneficiaries import imports
from beneficiaries.models import Beneficiary

from ..factories import LocationFactory, make_beneficiary
from .test_admin import admin_change_data
from .test_registry import CREATE_URL, form_data

HEADER = "Nom;Prénom;Sexe;Date de naissance;Nationalité;Ville;Année de régularisation;Consentement au traitement"


def _import_row(project, *, year="", born="14/03/1992", first="Awa", last="Ndiaye"):
    content = f"{HEADER}\n{last};{first};F;{born};SN;Rabat;{year};oui\n".encode()
    return imports.preview(project=project, filename="liste.csv", content=content)


@pytest.mark.parametrize("year", [1999, 2002, 2014])
def test_a_regularization_year_is_accepted_or_refused_alike_by_form_import_and_admin(
    year, project, field_staff, me_officer, client_for
):
    accepted = year >= 2000
    LocationFactory(name="Rabat")
    preview = _import_row(project, year=str(year))
    assert preview.can_commit is accepted

    form = client_for(field_staff).post(CREATE_URL, form_data(project, regularization_year=year))
    assert (form.status_code == 302) is accepted

    person = make_beneficiary(project, field_staff, first_name="Fatou", residence_card_number="AB1")
    url = reverse("admin:beneficiaries_beneficiary_change", args=[person.pk])
    data = admin_change_data(project, person, first_name="Fatou", residence_card_number="AB1")
    response = client_for(me_officer).post(url, {**data, "regularization_year": year})
    assert (response.status_code == 302) is accepted


def test_a_person_imported_with_a_year_the_import_accepts_can_then_be_edited(
    project, field_staff, me_officer, client_for
):
    LocationFactory(name="Rabat")
    (person,) = imports.commit(project=project, result=_import_row(project, year="2002"), by=me_officer)
    edit = {**form_data(project, first_name="Awa", last_name="Ndiaye", regularization_year=2002), "version": 1}
    del edit["project"]
    response = client_for(field_staff).post(reverse("beneficiaries:beneficiary-edit", args=[person.reference]), edit)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.regularization_year == 2002


def test_the_import_flags_a_same_name_same_birth_date_as_registration_does(project, field_staff, client_for):
    """A name written another way ("Brahima" for "Ibrahima") with the same birth date is flagged at
    registration (found by its birth date) and now by the import too."""
    make_beneficiary(
        project,
        field_staff,
        first_name="Brahima",
        last_name="Konté",
        sex="M",
        date_of_birth=date(1990, 5, 17),
        phone="",
        nationality="ML",
    )
    registration = client_for(field_staff).post(
        CREATE_URL,
        form_data(
            project,
            first_name="Ibrahima",
            last_name="Konte",
            sex="M",
            date_of_birth=date(1990, 5, 17),
            phone="+212677000001",
            nationality="ML",
        ),
    )
    assert registration.status_code == 200 and registration.context["candidates"]
    preview = _import_row(project, first="Ibrahima", last="Konte", born="17/05/1990")
    assert preview.flagged and preview.flagged[0].likely_duplicates[0][0] == Beneficiary.objects.get().reference


def test_services_and_selectors_take_plain_values_never_a_request():
    import inspect
    from importlib import import_module

    modules = [
        "beneficiaries.services",
        "beneficiaries.selectors",
        "beneficiaries.imports",
        "trainings.services",
        "trainings.selectors",
        "workshops.services",
        "workshops.selectors",
        "projects.selectors",
    ]
    takes_request = [
        f"{name}.{function_name}"
        for name in modules
        for function_name, function in inspect.getmembers(import_module(name), inspect.isfunction)
        if function.__module__ == name and "request" in inspect.signature(function).parameters
    ]
    assert not takes_request
