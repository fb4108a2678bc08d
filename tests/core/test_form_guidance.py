"""Forms as GOV.UK's design system writes them: an error summary that links each error to its field,
"Erreur :" in the page title, messages that say what to do, "(facultatif)" on optional fields,
selects that start with "Choisir…", consent first, the project's frequent nationalities first, and
checkboxes rather than a Ctrl-click list."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from beneficiaries.models import Beneficiary

from ..factories import LocationFactory, make_beneficiary
from ..pages import text

pytestmark = pytest.mark.django_db

REGISTER = reverse("beneficiaries:beneficiary-create")


def _page(response):
    return lxml_html.fromstring(response.content.decode())


def test_an_empty_registration_says_what_to_do_for_each_field_and_links_to_it(client_for, field_staff, project):
    response = client_for(field_staff).post(REGISTER, {"project": project.pk})
    assert response.status_code == 200 and not Beneficiary.objects.exists()
    page = _page(response)
    assert page.findtext(".//title").startswith("Erreur : ")
    summary = page.xpath("//*[@data-error-summary]")[0]
    assert summary.get("tabindex") == "-1" and summary.get("role") == "alert"
    links = {link.get("href"): link.text_content().strip() for link in summary.xpath(".//a")}
    assert links["#id_first_name"] == "Saisissez le prénom tel qu’il figure sur la carte de séjour."
    assert links["#id_last_name"] == "Saisissez le nom tel qu’il figure sur la carte de séjour."
    assert links["#id_date_of_birth"] == "Saisissez la date de naissance, par exemple 31/12/1990."
    assert links["#id_sex"] == "Choisissez « Sexe »."
    assert links["#id_city"] == "Choisissez « Ville de résidence »."
    assert "Ce champ est obligatoire" not in text(response)
    for href in links:  # every link leads to a field of the page
        assert page.xpath(f"//*[@id='{href[1:]}']"), href


def test_optional_fields_say_so_and_selects_start_with_choose(client_for, field_staff, project):
    page = _page(client_for(field_staff).get(REGISTER))
    label = {element.get("for"): " ".join(element.text_content().split()) for element in page.xpath("//label[@for]")}
    assert label["id_phone"] == "Téléphone (facultatif)"
    assert label["id_first_name"] == "Prénom*"  # required: no words added (masar.css hides the asterisk)
    for select in ("id_sex", "id_city", "id_nationality"):
        first = page.xpath(f"//select[@id='{select}']//option")[0]
        assert (first.get("value"), first.text) == ("", "Choisir…")
    assert page.findtext(".//title").startswith("Erreur") is False


def test_consent_comes_first_in_the_registration_form(client_for, field_staff, project):
    body = text(client_for(field_staff).get(REGISTER))
    assert body.index('id="id_consent_processing"') < body.index('id="id_first_name"')


def test_the_project_frequent_nationalities_come_first(client_for, field_staff, project):
    city = LocationFactory(name="Rabat")
    for n in range(5):
        make_beneficiary(project, field_staff, first_name=f"Awa{n}", nationality="ML", city=city)
    for n in range(4):  # too few to be hinted at
        make_beneficiary(project, field_staff, first_name=f"Ali{n}", nationality="TD", city=city)
    page = _page(client_for(field_staff).get(REGISTER))
    (frequent,) = page.xpath("//select[@id='id_nationality']/optgroup[1]")
    assert frequent.get("label") == "Les plus fréquentes dans le projet"
    assert [option.get("value") for option in frequent.xpath("option")] == ["ML"]
    (everything,) = page.xpath("//select[@id='id_nationality']/optgroup[2]")
    assert len(everything.xpath("option")) > 200  # every country is still there, in order


def test_a_training_form_left_empty_says_what_to_fill_in(client_for, me_officer, project):
    response = client_for(me_officer).post(reverse("trainings:training-create"), {"project": project.pk})
    page = _page(response)
    links = {link.get("href"): link.text_content().strip() for link in page.xpath("//*[@data-error-summary]//a")}
    assert links["#id_title"] == "Renseignez « Intitulé »."
    assert links["#id_kind"] == "Choisissez « Type »."


def test_several_organizers_are_ticked_not_ctrl_clicked(client_for, field_staff, project):
    page = _page(client_for(field_staff).get(reverse("workshops:workshop-create")))
    assert not page.xpath("//select[@multiple]")
    assert "Ctrl" not in page.text_content()
