"""A person's name recorded in Latin letters and in Arabic script: on the form, the import, the
pages, the search, the duplicate check and anonymization."""

from datetime import date

from django.urls import reverse
from django.utils import translation

from beneficiaries.imports import LABELS
from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_anonymize

from ..factories import make_beneficiary
from .test_imports import _commit, upload
from .test_registry import CREATE_URL, form_data

LIST_URL = reverse("beneficiaries:beneficiary-list")


def test_a_name_is_registered_in_both_scripts_and_shown_and_found_in_either(project, field_staff, client_for):
    client = client_for(field_staff)
    data = form_data(project, first_name="Youssef", last_name="El Amrani")
    response = client.post(CREATE_URL, {**data, "other_first_name": "يوسف", "other_last_name": " العمراني "})
    person = Beneficiary.objects.get()
    assert response.status_code == 302
    assert (person.other_first_name, person.other_last_name) == ("يوسف", "العمراني")
    assert person.history.get().other_last_name == "العمراني"
    page = client.get(person.get_absolute_url()).content.decode()
    assert '<p class="h5 text-wrap-anywhere mb-2" dir="auto">يوسف العمراني</p>' in page
    assert '<small dir="auto">العمراني يوسف</small>' in client.get(LIST_URL).content.decode()
    for search in ("العمراني", "youssef", "يوسف amrani"):
        found = client.get(LIST_URL, {"q": search}).content.decode()
        assert person.reference in found, search


def test_the_name_in_the_other_script_must_be_in_the_other_script(project, field_staff, client_for):
    client = client_for(field_staff)
    latin_twice = form_data(project, first_name="Awa", last_name="Sow") | {"other_last_name": "Sow"}
    arabic_twice = form_data(project, first_name="مريم", last_name="باه") | {"other_first_name": "مريم"}
    digits = form_data(project, first_name="Awa", last_name="Sow") | {"other_first_name": "123"}
    refused = [(latin_twice, "other_last_name"), (arabic_twice, "other_first_name"), (digits, "other_first_name")]
    for data, field in refused:
        response = client.post(CREATE_URL, data, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200 and field in response.context["form"].errors
    assert "dans l’autre écriture" in client.post(CREATE_URL, latin_twice).content.decode()
    assert not Beneficiary.objects.exists()


def test_a_person_registered_under_another_name_is_found_by_the_name_in_the_other_script(
    project, field_staff, client_for
):
    # Registered in Latin letters as her papers give it, in Arabic as her school certificate does.
    registered = make_beneficiary(
        project, field_staff, first_name="Rania", last_name="Haddad", other_first_name="رانيا", other_last_name="حداد"
    )
    client = client_for(field_staff)
    # Entered again from the Arabic document alone, with the Latin name left out of the search.
    data = form_data(project, first_name="رانيا", last_name="الحداد", phone="")
    response = client.post(CREATE_URL, data)
    assert [candidate.beneficiary for candidate in response.context["candidates"]] == [registered]
    # And a Latin name that only the other-script name of the record matches.
    other = make_beneficiary(
        project,
        field_staff,
        first_name="Kouassi",
        last_name="Yao",
        other_first_name="عمر",
        other_last_name="الحسن",
        date_of_birth=date(1985, 1, 1),
    )
    data = form_data(project, first_name="Omar", last_name="Al-Hassan", date_of_birth=date(1985, 1, 1), phone="")
    response = client.post(CREATE_URL, data)
    candidates = {candidate.beneficiary: candidate.reasons for candidate in response.context["candidates"]}
    assert "name" in candidates[other]
    assert Beneficiary.objects.count() == 2


def test_an_import_takes_the_other_script_from_arabic_headers_and_refuses_the_same_script(
    client_for, me_officer, project, cities
):
    fields = ["last_name", "first_name", "other_last_name", "other_first_name", "sex", "date_of_birth"]
    fields += ["nationality", "city", "consent_processing"]
    with translation.override("ar"):
        header = ",".join(str(LABELS[field]) for field in fields)
    assert "الاسم العائلي بالكتابة الأخرى" in header
    content = f"{header}\nHaddad,Rania,حداد,رانيا,F,1990-01-31,SY,Rabat,نعم\nSow,Awa,Sow,,F,1991-02-01,SN,Rabat,نعم\n"
    client = client_for(me_officer)
    preview = upload(client, project, "arabe.csv", content.encode())
    problems = [(problem.row, problem.column) for problem in preview.context["result"].problems]
    assert problems == [(3, "Nom dans l’autre écriture")]
    assert not Beneficiary.objects.exists()
    _commit(client, upload(client, project, "arabe.csv", content.replace("Sow,Awa,Sow,", "Sow,Awa,سو,").encode()))
    person = Beneficiary.objects.get(last_name="Haddad")
    assert (person.other_first_name, person.other_last_name) == ("رانيا", "حداد")
    assert person.other_name_key == person.name_key  # the two scripts fold to one key
    assert Beneficiary.objects.get(last_name="Sow").other_last_name == "سو"


def test_anonymizing_wipes_the_name_in_the_other_script_and_its_history(project, field_staff, me_officer):
    person = make_beneficiary(project, field_staff, other_first_name="أميناتا", other_last_name="ديوب")
    beneficiary_anonymize(beneficiary=person, by=me_officer)
    person.refresh_from_db()
    assert (person.other_first_name, person.other_last_name, person.other_name_key, person.search_name) == ("",) * 4
    assert set(person.history.values_list("other_first_name", "other_last_name")) == {("", "")}


def test_long_names_in_both_scripts_are_registered_without_an_error(project, field_staff, client_for):
    client = client_for(field_staff)
    data = form_data(project, first_name="ش" * 100, last_name="ش" * 100) | {
        "other_first_name": "A" * 100,
        "other_last_name": "B" * 100,
    }
    response = client.post(CREATE_URL, data)
    person = Beneficiary.objects.get()
    assert response.status_code == 302 and len(person.name_key) <= 200 and len(person.other_name_key) <= 200


def test_stretching_strokes_presentation_forms_and_mixed_scripts_are_handled(project, field_staff, client_for):
    client = client_for(field_staff)
    mixed = form_data(project, first_name="Ahmed", last_name="Ba") | {"other_first_name": "Ahmed أحمد"}
    response = client.post(CREATE_URL, mixed)  # half of it in the name's own script
    assert response.status_code == 200 and "other_first_name" in response.context["form"].errors
    # Only Arabic's stretching stroke: no letter at all, so nothing is kept (and no empty key).
    response = client.post(
        CREATE_URL, form_data(project, first_name="Ahmed", last_name="Ba") | {"other_first_name": "ـــ"}
    )
    person = Beneficiary.objects.get()
    assert response.status_code == 302 and (person.other_first_name, person.other_name_key) == ("", "")
    # Copied from a PDF: presentation forms and a stretched letter, kept as the plain letters.
    person.delete()
    response = client.post(
        CREATE_URL, form_data(project, first_name="Ahmed", last_name="Ba") | {"other_first_name": "ﺃﺣـﻤﺪ"}
    )
    assert response.status_code == 302 and Beneficiary.objects.get().other_first_name == "أحمد"
