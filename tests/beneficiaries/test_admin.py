"""Editing a person in the admin keeps the staff pages' rules: the version check, the form's checks."""

from django.urls import reverse

from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_update

from ..factories import make_beneficiary
from .test_registry import form_data


def admin_change_data(project, beneficiary, **overrides) -> dict:
    """The admin's change form as a browser posts it, opened at the person's current version."""
    data = {**form_data(project), "version": beneficiary.version, **overrides}
    del data["project"]
    return data


def test_an_admin_edit_from_a_page_opened_before_another_save_is_refused(project, field_staff, me_officer, client):
    person = make_beneficiary(project, field_staff)
    url = reverse("admin:beneficiaries_beneficiary_change", args=[person.pk])
    client.force_login(me_officer)
    opened = admin_change_data(project, person)  # the page is opened at version 1

    beneficiary_update(beneficiary=person, data={"prior_occupation": "Coiffeuse"}, version=1, by=field_staff)
    response = client.post(url, {**opened, "prior_occupation": "Cuisinière"})

    assert response.status_code == 200
    assert "Quelqu’un d’autre a enregistré" in response.content.decode()
    person.refresh_from_db()
    assert (person.prior_occupation, person.version) == ("Coiffeuse", 2)


def test_an_admin_edit_saves_through_the_service(project, field_staff, me_officer, client):
    person = make_beneficiary(project, field_staff)
    client.force_login(me_officer)
    url = reverse("admin:beneficiaries_beneficiary_change", args=[person.pk])
    response = client.post(url, admin_change_data(project, person, prior_occupation="Coiffeuse"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.prior_occupation, person.version, person.history.count()) == ("Coiffeuse", 2, 2)


def test_emptying_the_languages_in_the_admin_saves_an_empty_list(project, field_staff, me_officer, client):
    person = make_beneficiary(project, field_staff)
    client.force_login(me_officer)
    data = admin_change_data(project, person)
    del data["languages"]
    response = client.post(reverse("admin:beneficiaries_beneficiary_change", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.languages == []


def test_reverting_to_a_past_version_in_the_admin_goes_through_the_version_check(
    project, field_staff, me_officer, client
):
    person = make_beneficiary(project, field_staff, prior_occupation="Couturière")
    first = person.history.latest()
    person = beneficiary_update(beneficiary=person, data={"prior_occupation": "Coiffeuse"}, version=1, by=field_staff)
    client.force_login(me_officer)
    url = reverse("admin:beneficiaries_beneficiary_simple_history", args=[person.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form["version"].value() == 2  # the stored version, not the past one's

    response = client.post(url, {**admin_change_data(project, person, prior_occupation="Couturière")})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.prior_occupation, person.version) == ("Couturière", 3)
    assert Beneficiary.objects.count() == 1


def test_the_admin_in_arabic_reads_right_to_left_and_keeps_the_rule_of_the_other_script(
    project, field_staff, me_officer, client
):
    person = make_beneficiary(project, field_staff)
    client.force_login(me_officer)
    url = "/ar" + reverse("admin:beneficiaries_beneficiary_change", args=[person.pk])
    page = client.get(url).content.decode()
    assert 'dir="rtl"' in page and "الاسم الشخصي بالكتابة الأخرى" in page
    response = client.post(url, admin_change_data(project, person, other_first_name="Aminata"))
    assert response.status_code == 200 and "اكتب هنا الاسم بالكتابة الأخرى" in response.content.decode()
    response = client.post(url, admin_change_data(project, person, other_first_name="أميناتا"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.other_first_name, person.version) == ("أميناتا", 2)
    assert "اميناتا" in person.search_name and person.other_name_key == person.name_key.split()[-1]  # folded
